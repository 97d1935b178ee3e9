import Foundation

/// The signed, public state of one region at one moment: `export.json` (design §4).
/// The signature covers the exact bytes, so encoding need not be canonical; it is made stable anyway
/// (sorted keys, 6-decimal coordinates) so that unchanged content gives unchanged bytes.
public struct ExportDocument: Codable, Sendable, Equatable {
    /// The format tag every export carries.
    public static let currentFormat = "spro-export/1"

    public var format: String
    public var region: RegionCode
    /// Strictly increasing per region.
    public var version: Int
    /// ISO 8601 instants.
    public var generatedAt: String
    public var expiresAt: String
    /// Which of the region's keys signed it.
    public var keyId: String
    public var charters: [Charter]
    public var structures: [Structure]
    public var places: [Place]
    public var indicators: [IndicatorValue]
    public var tombstones: [Tombstone]
    /// Remote entry points (phone, chat...), shared ones listing their contributors. Absent from exports
    /// written before channels existed, which decode with none.
    public var channels: [Channel]

    public init(region: RegionCode, version: Int, generatedAt: Date, expiresAt: Date, keyId: String,
                charters: [Charter], structures: [Structure], places: [Place],
                indicators: [IndicatorValue], tombstones: [Tombstone], channels: [Channel] = []) {
        self.format = Self.currentFormat
        self.region = region
        self.version = version
        self.generatedAt = ISOInstant.string(generatedAt)
        self.expiresAt = ISOInstant.string(expiresAt)
        self.keyId = keyId
        self.charters = charters
        self.structures = structures
        self.places = places
        self.indicators = indicators
        self.tombstones = tombstones
        self.channels = channels
    }

    private enum CodingKeys: String, CodingKey {
        case format, region, version, generatedAt, expiresAt, keyId, charters, structures, places, indicators, tombstones, channels
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(String.self, forKey: .format)
        region = try c.decode(RegionCode.self, forKey: .region)
        version = try c.decode(Int.self, forKey: .version)
        generatedAt = try c.decode(String.self, forKey: .generatedAt)
        expiresAt = try c.decode(String.self, forKey: .expiresAt)
        keyId = try c.decode(String.self, forKey: .keyId)
        charters = try c.decode([Charter].self, forKey: .charters)
        structures = try c.decode([Structure].self, forKey: .structures)
        places = try c.decode([Place].self, forKey: .places)
        indicators = try c.decode([IndicatorValue].self, forKey: .indicators)
        tombstones = try c.decode([Tombstone].self, forKey: .tombstones)
        channels = try c.decodeIfPresent([Channel].self, forKey: .channels) ?? []
    }
}

/// The JSON settings every spro document uses.
public enum SproJSON {
    /// Sorted keys, no escaped slashes: stable bytes for equal content.
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
                                    : [.sortedKeys, .withoutEscapingSlashes]
        return e
    }

    public static func decoder() -> JSONDecoder { JSONDecoder() }
}

/// Instants in ISO 8601 with seconds, UTC ("2026-11-22T20:56:03Z").
public enum ISOInstant {
    public static func string(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    public static func parse(_ s: String) -> Date? {
        try? Date(s, strategy: .iso8601)
    }
}
