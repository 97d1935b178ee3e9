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
    /// Records of the region's stored snapshot that this export carries byte for byte: their rows stay as
    /// they are. `places` and `structures` hold the other records only; the snapshot's records are those
    /// plus the kept ones. Empty for a snapshot built whole.
    public var kept = KeptRecords()
    /// The hashes to store with the records written, for the next harvest to recognise them.
    public var recordHashes = RecordHashes()

    /// Ids of every place of the snapshot: written and kept.
    public var allPlaceIds: Set<String> { Set(places.map(\.place.id)).union(kept.placeIds) }

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

/// Records a snapshot keeps as the national store holds them (see `RegionSnapshot.kept`).
public struct KeptRecords: Sendable, Equatable {
    public var placeIds: Set<String>
    public var structureIds: Set<String>
    /// The indicators' array is byte for byte the stored one: their rows stay.
    public var indicators: Bool

    public init(placeIds: Set<String> = [], structureIds: Set<String> = [], indicators: Bool = false) {
        self.placeIds = placeIds
        self.structureIds = structureIds
        self.indicators = indicators
    }
}

/// SHA-256 hashes of an export's records as received, stored with the rows written from them.
public struct RecordHashes: Sendable, Equatable {
    /// By place id: only places stored exactly as received (none of their structures dropped).
    public var places: [String: String]
    /// By structure id.
    public var structures: [String: String]
    /// The indicators' whole array, when none of them was refused.
    public var indicators: String?
    /// The locator's data version the places were located with (`PlaceLocator.dataVersion`).
    public var context: String?

    public init(places: [String: String] = [:], structures: [String: String] = [:], indicators: String? = nil, context: String? = nil) {
        self.places = places
        self.structures = structures
        self.indicators = indicators
        self.context = context
    }
}

/// What a harvest reads of a region's stored records to recognise those an export carries unchanged.
public struct StoredRecords: Sendable, Equatable {
    /// Every stored place, by id.
    public var places: [String: StoredPlace]
    /// Hashes of the structures stored with one, by id.
    public var structures: [String: String]
    public var indicatorsHash: String?
    /// See `RecordHashes.context`.
    public var context: String?

    public init(places: [String: StoredPlace] = [:], structures: [String: String] = [:], indicatorsHash: String? = nil,
                context: String? = nil) {
        self.places = places
        self.structures = structures
        self.indicatorsHash = indicatorsHash
        self.context = context
    }
}

/// A stored place as a harvest judges whether to keep it.
public struct StoredPlace: Sendable, Equatable {
    /// The hash of the record as received; nil when it was stored otherwise (or before hashes were kept).
    public var hash: String?
    public var score: Double
    /// It has a position: an unresolved place is located again at every harvest, and listed.
    public var resolved: Bool
    public var structureIds: [String]
    /// Its location and what it was located from, when that was kept: a changed record with the same
    /// geocoding input reuses the location.
    public var known: KnownLocation?

    public init(hash: String?, score: Double, resolved: Bool, structureIds: [String], known: KnownLocation? = nil) {
        self.hash = hash
        self.score = score
        self.resolved = resolved
        self.structureIds = structureIds
        self.known = known
    }
}
