import Directory
import Foundation
import NationalDirectory
import Reference

/// What happened to each region in one harvest (`harvest-report.json`).
public struct HarvestReport: Codable, Sendable {
    public var startedAt: String
    public var finishedAt: String
    public var durationSeconds: Double
    public var regions: [RegionOutcome]

    public init(startedAt: String, finishedAt: String, durationSeconds: Double, regions: [RegionOutcome]) {
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.durationSeconds = durationSeconds
        self.regions = regions
    }

    /// Each Région's data in service read once the harvest is stored: records flagged by the geocoder
    /// (coordinates set aside, commune-level or unresolved addresses, postcode not the commune's), stale
    /// ones, places merged with another Région's, an expired export. Refusals are listed already, in
    /// `refusal` and `anomalies`; the flags go to `RegionOutcome.flagged`.
    public mutating func flag(places: [DirectoryPlace], states: [AcceptedState], reference: ReferencePack?, now: Date = Date()) {
        let found = RegionAnomalies(places: places, report: nil, states: states, reference: reference, now: now)
        for i in regions.indices { regions[i].flagged = found.of(regions[i].region) }
    }

    /// Regions whose export was accepted or found unchanged with a valid signature.
    public var verifiedCount: Int { regions.filter { $0.status == .accepted || $0.status == .unchanged }.count }
}

/// One region's outcome.
public struct RegionOutcome: Codable, Sendable {
    public enum Status: String, Codable, Sendable {
        /// A new version was verified and swapped in.
        case accepted
        /// Same bytes as the last accepted (304, or same content hash).
        case unchanged
        /// Refused: the last good snapshot stays in service.
        case refused
    }

    public var region: RegionCode
    public var name: String
    public var status: Status
    /// The version now in service (nil if the region never had an accepted export).
    public var versionInService: Int?
    public var offeredVersion: Int?
    public var refusal: String?
    public var refusalCode: String?
    public var added: Int
    public var updated: Int
    public var removed: Int
    public var places: Int
    /// Places the geocoder could not put on the map, with the reason: kept, listed, never dropped.
    public var unresolvedPlaces: [UnresolvedPlace]
    public var anomalies: [Anomaly]
    public var durationSeconds: Double
    /// The data in service comes from an expired export.
    public var stale: Bool
    /// How the accepted export's places were located: geocoded, or their previous location reused.
    /// Nil when no export was accepted (and in reports written before it was counted).
    public var geocoding: GeocodingCounts?
    /// What the Région's team should look at in its data in service (`HarvestReport.flag`), beside the
    /// refusals. Nil in reports written before the places were read (and before flags were reported).
    public var flagged: [RegionAnomaly]?
    /// The national operator's reason for lifting this region's mass-deletion guards, when they did and the
    /// export was accepted: the log of every override.
    public var deletionGuardLifted: String?

    public init(region: RegionCode, name: String, status: Status, versionInService: Int?, offeredVersion: Int?,
                refusal: String?, refusalCode: String?, added: Int, updated: Int, removed: Int, places: Int,
                unresolvedPlaces: [UnresolvedPlace], anomalies: [Anomaly], durationSeconds: Double, stale: Bool,
                geocoding: GeocodingCounts? = nil) {
        self.region = region
        self.name = name
        self.status = status
        self.versionInService = versionInService
        self.offeredVersion = offeredVersion
        self.refusal = refusal
        self.refusalCode = refusalCode
        self.added = added
        self.updated = updated
        self.removed = removed
        self.places = places
        self.unresolvedPlaces = unresolvedPlaces
        self.anomalies = anomalies
        self.durationSeconds = durationSeconds
        self.stale = stale
        self.geocoding = geocoding
    }
}

/// How many places of an export were geocoded, and how many kept their previous location because their
/// address and coordinates had not changed and their score was high enough.
public struct GeocodingCounts: Codable, Sendable, Equatable {
    public var geocoded: Int
    public var reused: Int

    public init(geocoded: Int = 0, reused: Int = 0) {
        self.geocoded = geocoded
        self.reused = reused
    }
}

/// A place without a position, and why.
public struct UnresolvedPlace: Codable, Sendable, Equatable {
    public var id: String
    public var reason: String

    public init(id: String, reason: String) {
        self.id = id
        self.reason = reason
    }
}

/// One record rejected on its own, with its field and rule; listed in the Région's anomaly report.
public struct Anomaly: Sendable, Equatable, Codable {
    public var kind: String
    public var id: String
    public var field: String
    public var rule: String

    public init(kind: String, id: String, field: String, rule: String) {
        self.kind = kind
        self.id = id
        self.field = field
        self.rule = rule
    }
}

extension NationalStore {
    /// The report of the latest harvest run, if any.
    public func latestReport() throws -> HarvestReport? {
        guard let json = try latestReportJSON() else { return nil }
        return try SproJSON.decoder().decode(HarvestReport.self, from: Data(json.utf8))
    }
}
