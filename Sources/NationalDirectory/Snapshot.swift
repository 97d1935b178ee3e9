import Directory
import Foundation

/// Where a place was put by the geocoder, as the national directory stores it.
public struct PlaceLocation: Sendable, Hashable, Codable {
    public var commune: CommuneCode?
    public var zone: ZoneEmploiCode?
    public var position: GeoPoint?
    /// "commune", "given", "unresolved", ... (the geocoder's precision raw value).
    public var precision: String
    public var score: Double
    public var reason: String?
    public var coordinatesFlag: String?

    public init(commune: CommuneCode?, zone: ZoneEmploiCode?, position: GeoPoint?, precision: String,
                score: Double, reason: String?, coordinatesFlag: String?) {
        self.commune = commune
        self.zone = zone
        self.position = position
        self.precision = precision
        self.score = score
        self.reason = reason
        self.coordinatesFlag = coordinatesFlag
    }
}

/// One region's accepted export, validated and geocoded, ready to be swapped in.
public struct RegionSnapshot: Sendable {
    public var region: RegionCode
    public var version: Int
    public var contentHash: String
    public var etag: String?
    public var keyId: String
    public var generatedAt: String
    public var expiresAt: String
    public var charters: [Charter]
    public var structures: [Structure]
    public var places: [(place: Place, location: PlaceLocation)]
    public var indicators: [IndicatorValue]
    public var tombstones: [Tombstone]
    public var channels: [Channel]
    /// Each place's geocoding input fingerprint by place id (see `KnownLocation`); places missing here
    /// are geocoded again at the next harvest.
    public var geocodeInputs: [String: String] = [:]
    /// An operator lifted the mass-deletion guard for this snapshot: the places it drops without tombstones,
    /// and those dropped before, no longer count towards the cumulative guard.
    public var acknowledgesRemovals = false

    public init(region: RegionCode, version: Int, contentHash: String, etag: String?, keyId: String,
                generatedAt: String, expiresAt: String, charters: [Charter], structures: [Structure],
                places: [(place: Place, location: PlaceLocation)], indicators: [IndicatorValue], tombstones: [Tombstone],
                channels: [Channel] = []) {
        self.region = region
        self.version = version
        self.contentHash = contentHash
        self.etag = etag
        self.keyId = keyId
        self.generatedAt = generatedAt
        self.expiresAt = expiresAt
        self.charters = charters
        self.structures = structures
        self.places = places
        self.indicators = indicators
        self.tombstones = tombstones
        self.channels = channels
    }
}

/// What the national directory last accepted from a region.
public struct AcceptedState: Sendable, Equatable, Codable {
    public var region: RegionCode
    public var version: Int
    public var contentHash: String
    public var etag: String?
    public var keyId: String
    public var generatedAt: String
    public var expiresAt: String
    public var acceptedAt: String

    /// Whether the accepted export has expired: its data is still served, marked stale.
    public func isStale(at now: Date) -> Bool {
        guard let expires = ISOInstant.parse(expiresAt) else { return true }
        return now >= expires
    }
}

/// Where a stored place was put, and a fingerprint of what it was geocoded from: a harvest reuses the
/// location when the new record's fingerprint is the same and the score was good enough.
public struct KnownLocation: Sendable, Hashable {
    public var fingerprint: String
    public var location: PlaceLocation

    public init(fingerprint: String, location: PlaceLocation) {
        self.fingerprint = fingerprint
        self.location = location
    }
}
