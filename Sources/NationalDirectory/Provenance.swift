import Directory

/// Where one national record comes from: a Région's record, the export that carried it, and when the
/// national directory saw it.
public struct RecordSource: Sendable, Hashable, Codable {
    public var region: RegionCode
    /// The record's id in its Région's export.
    public var id: String
    /// The version of the Région's export now in service.
    public var exportVersion: Int
    /// When the Région's node generated that export (ISO 8601).
    public var generatedAt: String
    /// When the national directory first accepted the record (ISO 8601).
    public var firstHarvested: String
    /// When an accepted export last brought the record with other content (ISO 8601): its first
    /// harvest, or a later change. A reconfirmation alone (`lastConfirmed`) is not a change.
    public var lastChanged: String

    public init(region: RegionCode, id: String, exportVersion: Int, generatedAt: String, firstHarvested: String, lastChanged: String) {
        self.region = region
        self.id = id
        self.exportVersion = exportVersion
        self.generatedAt = generatedAt
        self.firstHarvested = firstHarvested
        self.lastChanged = lastChanged
    }
}

/// What identifies a structure across Régions: its SIRET; without one, its Région and id, so that a
/// structure without a SIRET is never merged with another Région's.
public enum StructureKey: Hashable, Sendable, Comparable {
    case siret(String)
    case local(region: String, id: String)

    public init(_ structure: Structure, region: RegionCode) {
        self = structure.siret.map { .siret($0.rawValue) } ?? .local(region: region.rawValue, id: structure.id)
    }
}

/// A structure as the national directory serves it: one record per SIRET, with every Région listing it.
public struct NationalStructure: Sendable {
    public var key: StructureKey
    /// The record shown: the one harvested first (then the lowest Région code), so it stays put from
    /// one harvest to the next.
    public var region: RegionCode
    public var structure: Structure
    /// Every Région's record, by Région code.
    public var sources: [RecordSource]
}

/// Provenance dates of a record being swapped in, from the stored record it replaces.
struct ProvenanceDates {
    var firstHarvested: String
    var lastChanged: String

    /// `previous` is the stored record's content and dates; records compare without `lastConfirmed`.
    static func next<T: Equatable>(_ new: T, previous: (content: T, dates: ProvenanceDates)?, at now: String) -> ProvenanceDates {
        guard let previous else { return ProvenanceDates(firstHarvested: now, lastChanged: now) }
        return ProvenanceDates(firstHarvested: previous.dates.firstHarvested,
                               lastChanged: previous.content == new ? previous.dates.lastChanged : now)
    }
}

extension Place {
    /// The record without the Région's confirmation date: what "changed" compares.
    var content: Place {
        var p = self
        p.lastConfirmed = nil
        return p
    }
}

extension Structure {
    /// The record without the Région's confirmation date: what "changed" compares.
    var content: Structure {
        var s = self
        s.lastConfirmed = nil
        return s
    }
}
