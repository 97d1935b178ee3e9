import AddressText
import Directory

/// Builds the national view from the Régions' records, which stay stored apart (each Région's snapshot
/// is the source of truth and is swapped whole). Computed when the directory is read, so it can never
/// disagree with the snapshots in service.
///
/// Rules, preferring a missed duplicate to a false merge:
/// - structures with the same SIRET are one national structure, with every Région's record as a source;
///   a structure without a SIRET is never merged;
/// - places of different Régions are one place when they have the same structures (compared by SIRET,
///   since ids differ between Régions) and the same normalised address, or positions within
///   `nearMetres` of each other when both positions are precise (the Région's checked coordinates or
///   a BAN house number: commune centres are shared by every place of a commune);
/// - places of the same Région are never merged with each other;
/// - the record shown is the one harvested first (then the lowest Région code), so a merged place keeps
///   its id from one harvest to the next.
public enum DirectoryMerge {
    /// How close two precisely placed records must be to be the same place.
    public static let nearMetres = 25.0
    /// Geocoding precisions whose position is the place's own.
    static let precise: Set<String> = [GeocodePrecision.given.rawValue, GeocodePrecision.housenumber.rawValue]

    /// Merges places listed by several Régions; each input carries its one source.
    /// The output keeps the input's order of the records shown.
    public static func places(_ records: [DirectoryPlace]) -> [DirectoryPlace] {
        struct Group {
            var members: [Int]
            var regions: Set<RegionCode>
        }
        // Candidates share the same structures; within a bucket, the first harvested come first.
        var buckets: [[StructureKey]: [Int]] = [:]
        for (i, r) in records.enumerated() { buckets[r.structureKeys.sorted(), default: []].append(i) }
        var shownBy: [Int: [Int]] = [:]  // shown record -> members, in merge order
        // Address keys only where records of two Régions meet: one Région's records are never merged together.
        var addressKeys = [String](repeating: "", count: records.count)
        for var bucket in buckets.values {
            guard bucket.count > 1, bucket.contains(where: { records[$0].region != records[bucket[0]].region }) else {
                for i in bucket { shownBy[i] = [i] }
                continue
            }
            for i in bucket { addressKeys[i] = addressKey(records[i].place.address) }
            bucket.sort { order(records[$0], records[$1]) }
            var groups: [Group] = []
            for i in bucket {
                let match = groups.firstIndex { g in
                    !g.regions.contains(records[i].region)
                        && g.members.contains { samePlace(records[i], addressKeys[i], records[$0], addressKeys[$0]) }
                }
                if let match {
                    groups[match].members.append(i)
                    groups[match].regions.insert(records[i].region)
                } else {
                    groups.append(Group(members: [i], regions: [records[i].region]))
                }
            }
            for g in groups { shownBy[g.members[0]] = g.members }
        }
        return records.indices.compactMap { i in
            guard let members = shownBy[i] else { return nil }
            var shown = records[i]
            shown.sources = members.flatMap { records[$0].sources }.sorted { $0.region < $1.region }
            return shown
        }
    }

    /// Groups structures by SIRET; the input is every Région's records with their one source.
    public static func structures(_ records: [(structure: Structure, source: RecordSource)]) -> [NationalStructure] {
        var byKey: [StructureKey: [Int]] = [:]
        var keys: [StructureKey] = []
        for (i, r) in records.enumerated() {
            let key = StructureKey(r.structure, region: r.source.region)
            if byKey[key] == nil { keys.append(key) }
            byKey[key, default: []].append(i)
        }
        return keys.map { key in
            let members = byKey[key]!
            let shown = members.min { a, b in
                let x = records[a].source, y = records[b].source
                return (x.firstHarvested, x.region.rawValue, x.id) < (y.firstHarvested, y.region.rawValue, y.id)
            }!
            return NationalStructure(key: key, region: records[shown].source.region, structure: records[shown].structure,
                                     sources: members.map { records[$0].source }.sorted { $0.region < $1.region })
        }
    }

    /// Which record is shown when several are the same place: first harvested, then lowest Région code.
    static func order(_ a: DirectoryPlace, _ b: DirectoryPlace) -> Bool {
        let x = a.sources.first?.firstHarvested ?? "", y = b.sources.first?.firstHarvested ?? ""
        return (x, a.region.rawValue, a.place.id) < (y, b.region.rawValue, b.place.id)
    }

    static func samePlace(_ a: DirectoryPlace, _ aKey: String, _ b: DirectoryPlace, _ bKey: String) -> Bool {
        if aKey == bKey { return true }
        guard precise.contains(a.location.precision), precise.contains(b.location.precision),
              let p = a.location.position, let q = b.location.position else { return false }
        return p.distance(to: q) <= nearMetres
    }

    /// The address compared: each line's street key, the postcode and the city key
    /// ("12 r. de Siam", "12 RUE DE SIAM" are one).
    static func addressKey(_ a: Address) -> String {
        (a.lines.map(AddressNormalizer.streetKey) + [a.postcode.rawValue, AddressNormalizer.cityKey(a.city)]).joined(separator: "|")
    }
}
