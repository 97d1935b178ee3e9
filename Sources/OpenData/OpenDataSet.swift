import Directory
import Foundation
import NationalDirectory

/// What a national open-data release is written from: the directory as it is served, after a harvest.
/// Every format (CSV, GeoJSON, data·inclusion, HSDS) reads the same set, so they list the same records.
public struct OpenDataSet: Sendable {
    /// When the release was built (its date, in every format's metadata).
    public var generatedAt: Date
    /// Every place of the national directory, merged as served (one per place listed by several Régions).
    public var places: [DirectoryPlace]
    /// Every structure, one per SIRET (see `NationalStructure`).
    public var structures: [NationalStructure]
    /// Remote entry points (phone, chat...), with their contributors.
    public var channels: [DirectoryChannel]
    /// The Régions' names by code ("Bretagne"); a Région missing here is named by its code.
    public var regionNames: [RegionCode: String]

    public init(generatedAt: Date, places: [DirectoryPlace], structures: [NationalStructure], channels: [DirectoryChannel],
                regionNames: [RegionCode: String] = [:]) {
        self.generatedAt = generatedAt
        self.places = places
        self.structures = structures
        self.channels = channels
        self.regionNames = regionNames
    }
}

/// One file of a release: its name in the release ("lieux.csv"), its media type and its exact bytes.
public struct ReleaseFile: Sendable, Equatable {
    public var name: String
    public var mediaType: String
    public var bytes: Data

    public init(name: String, mediaType: String, bytes: Data) {
        self.name = name
        self.mediaType = mediaType
        self.bytes = bytes
    }
}
