import AddressText
import Directory
import Foundation
import Reference

/// Lookup tables the geocoder and the query resolver share, built once from the reference pack:
/// commune facts by dense index, and normalised names by postcode, by département and nationally.
final class GeocoderIndex: Sendable {
    /// Where a name comes from; decides the score of an exact match.
    enum NameSource: Int, Sendable, Comparable {
        /// INSEE (COG) name of the commune or arrondissement.
        case inseeName
        /// La Poste's name of the commune.
        case postName
        /// For an arrondissement row, its city's name ("PARIS" for 75111).
        case parentName
        /// La Poste `ligne_5`: a locality or former commune inside the commune.
        case oldName
        /// La Poste `libelle_acheminement`: the routing label.
        case routingLabel

        static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

        /// Score of an exact match with this name, given the postcode agreed.
        var score: Double {
            switch self {
            case .inseeName, .postName, .parentName: 1.0
            case .oldName: 0.95
            case .routingLabel: 0.9
            }
        }
    }

    /// One name a commune can be written with.
    struct NameEntry: Sendable {
        let key: NameKey
        let commune: Int
        let source: NameSource
    }

    struct CommuneInfo: Sendable {
        let code: CommuneCode
        let name: String
        let departement: String
        let centre: GeoPoint
        let population: Int
        let postcodes: [Postcode]
        /// For an arrondissement, the index of its city.
        let parent: Int?
        /// For Paris, Lyon and Marseille: arrondissement number -> index.
        let arrondissements: [Int: Int]
        /// How far (metres) from the centre a position given for this commune is still plausible.
        let plausibleDistance: Double
    }

    let communes: [CommuneInfo]
    let byCode: [CommuneCode: Int]
    /// Names of every commune a postcode serves (La Poste rows, plus INSEE names of those communes).
    let byPostcode: [Postcode: [NameEntry]]
    /// Names of every commune of a département, for the fuzzy fallback.
    let byDepartement: [String: [NameEntry]]
    /// Département -> key -> entries, for exact lookups.
    let exactInDepartement: [String: [String: [NameEntry]]]
    /// Key -> entries over the whole country (INSEE names, La Poste names, old names; no routing labels).
    let exactNational: [String: [NameEntry]]
    /// One entry per distinct (key, commune) over the whole country, for fuzzy search of free queries.
    let nationalNames: [NameEntry]
    /// Per entry of `nationalNames`, in contiguous arrays for a fast prefilter: key length in bytes and
    /// the set of characters it uses (bit 0-25 letters, 26-35 digits).
    let nationalLengths: [Int32]
    let nationalCharsets: [UInt64]
    /// Positions in `nationalNames` by token, for containment matches.
    let nationalByToken: [String: [Int]]

    init(pack: ReferencePack) {
        var communes: [CommuneInfo] = []
        var byCode: [CommuneCode: Int] = [:]
        communes.reserveCapacity(pack.communeList.count)
        let radii = Self.plausibleDistances(pack)
        // Parents first so arrondissements can point to them.
        for c in pack.communeList {
            byCode[c.code] = byCode.count
        }
        var arrondissements: [CommuneCode: [Int: Int]] = [:]
        for c in pack.communeList where c.kind == .arrondissement {
            guard let parent = c.parent, let number = Self.arrondissementNumber(c.code) else { continue }
            arrondissements[parent, default: [:]][number] = byCode[c.code]
        }
        for c in pack.communeList {
            let parentRadius = c.parent.flatMap { radii[$0] }
            communes.append(CommuneInfo(
                code: c.code, name: c.name, departement: c.departement.rawValue, centre: c.centre,
                population: c.population, postcodes: c.postcodes,
                parent: c.parent.flatMap { byCode[$0] },
                arrondissements: arrondissements[c.code] ?? [:],
                plausibleDistance: parentRadius ?? radii[c.code] ?? Self.minimumPlausibleDistance))
        }

        // Every name, deduplicated per (key, commune), keeping the strongest source.
        var keyCache: [String: NameKey] = [:]
        var rawCache: [String: NameKey?] = [:]
        func nameKey(_ raw: String) -> NameKey? {
            if let cached = rawCache[raw] { return cached }
            let k = AddressNormalizer.cityKey(raw)
            var nk: NameKey?
            if !k.isEmpty {
                nk = keyCache[k] ?? NameKey(k)
                keyCache[k] = nk
            }
            rawCache[raw] = nk
            return nk
        }
        struct Pair: Hashable { let key: String; let commune: Int }
        func add(_ e: NameEntry, to list: inout [NameEntry], seen: inout [Pair: Int]) {
            let p = Pair(key: e.key.text, commune: e.commune)
            if let i = seen[p] {
                if e.source < list[i].source { list[i] = e }
            } else {
                seen[p] = list.count
                list.append(e)
            }
        }

        var postcodeLists: [Postcode: [NameEntry]] = [:]
        var depLists: [String: [NameEntry]] = [:]
        var depSeen: [String: [Pair: Int]] = [:]
        var national: [NameEntry] = []
        var nationalSeen: [Pair: Int] = [:]

        for (i, c) in communes.enumerated() {
            guard let key = nameKey(c.name) else { continue }
            let e = NameEntry(key: key, commune: i, source: .inseeName)
            add(e, to: &depLists[c.departement, default: []], seen: &depSeen[c.departement, default: [:]])
            add(e, to: &national, seen: &nationalSeen)
        }
        for (postcode, rows) in pack.postcodes {
            var list: [NameEntry] = []
            var seen: [Pair: Int] = [:]
            for row in rows {
                guard let i = byCode[row.commune] else { continue }
                let dep = communes[i].departement
                var names: [(String, NameSource)] = [(communes[i].name, .inseeName), (row.name, .postName),
                                                      (row.libelleAcheminement, .routingLabel)]
                if let l5 = row.ligne5 { names.append((l5, .oldName)) }
                if let p = communes[i].parent { names.append((communes[p].name, .parentName)) }
                for (raw, source) in names {
                    guard let key = nameKey(raw) else { continue }
                    let e = NameEntry(key: key, commune: i, source: source)
                    add(e, to: &list, seen: &seen)
                    if source != .parentName {
                        add(e, to: &depLists[dep, default: []], seen: &depSeen[dep, default: [:]])
                    }
                    if source != .routingLabel && source != .parentName {
                        add(e, to: &national, seen: &nationalSeen)
                    }
                }
            }
            postcodeLists[postcode] = list
        }
        // Dictionary iteration order varies between runs: sort so ties always break the same way.
        func sorted(_ list: [NameEntry]) -> [NameEntry] {
            list.sorted { ($0.commune, $0.source, $0.key.text) < ($1.commune, $1.source, $1.key.text) }
        }
        var exactDep: [String: [String: [NameEntry]]] = [:]
        for (dep, list) in depLists {
            let s = sorted(list)
            depLists[dep] = s
            exactDep[dep] = Dictionary(grouping: s, by: { $0.key.text })
        }
        for (p, list) in postcodeLists { postcodeLists[p] = sorted(list) }
        let nationalSorted = sorted(national)

        self.communes = communes
        self.byCode = byCode
        self.byPostcode = postcodeLists
        self.byDepartement = depLists
        self.exactInDepartement = exactDep
        self.exactNational = Dictionary(grouping: nationalSorted, by: { $0.key.text })
        self.nationalNames = nationalSorted
        var byToken: [String: [Int]] = [:]
        for (i, e) in nationalSorted.enumerated() {
            for t in e.key.tokens { byToken[t, default: []].append(i) }
        }
        self.nationalLengths = nationalSorted.map { Int32($0.key.bytes.count) }
        self.nationalCharsets = nationalSorted.map { Self.charset($0.key.bytes) }
        self.nationalByToken = byToken
    }

    // MARK: - Plausible distance of given coordinates

    /// No commune gets a tolerance under 10 km: centres of area are rough, and a place on the edge of
    /// a small commune may sit a few kilometres beyond its neighbours' centres.
    static let minimumPlausibleDistance = 10_000.0
    /// Nor over 150 km (the largest communes of Guyane).
    static let maximumPlausibleDistance = 150_000.0

    /// Tolerance per commune, scaled to its size. The pack has no areas, so size is estimated from the
    /// distance to the third-nearest other commune centre (d3): on a roughly regular tiling it is about
    /// twice the commune's radius, so 1.5 x d3 is about three radii, clamped to 10-150 km. On the
    /// town halls of `mairies.csv` this keeps Kourou (29 km), Maripasoula (81 km) or Arles (15 km) and
    /// flags the misplaced ones (sign-flipped longitudes, wrong commune). Arrondissements use their city's.
    static func plausibleDistances(_ pack: ReferencePack) -> [CommuneCode: Double] {
        let towns = pack.communeList.filter { $0.kind == .commune }
        let d3 = thirdNearestDistances(towns.map(\.centre))
        var out: [CommuneCode: Double] = [:]
        out.reserveCapacity(towns.count)
        for (c, d) in zip(towns, d3) {
            out[c.code] = min(max(1.5 * d, minimumPlausibleDistance), maximumPlausibleDistance)
        }
        return out
    }

    /// For each point, the distance (metres) to the third-nearest other point, or +infinity when
    /// there are not three within 100 km.
    /// A grid of 0.1 degree cells searched ring by ring (the shared `SpatialGrid` is generic across
    /// modules and several times slower for these 35,000 queries at start-up).
    static func thirdNearestDistances(_ points: [GeoPoint]) -> [Double] {
        let cell = 0.1
        func key(_ i: Int, _ j: Int) -> Int64 { Int64(i) << 32 | Int64(UInt32(bitPattern: Int32(j))) }
        func cellOf(_ p: GeoPoint) -> (Int, Int) { (Int((p.lat / cell).rounded(.down)), Int((p.lon / cell).rounded(.down))) }
        var grid: [Int64: [Int]] = [:]
        for (n, p) in points.enumerated() {
            let (i, j) = cellOf(p)
            grid[key(i, j), default: []].append(n)
        }
        let metresPerCell = cell * 111_195.0
        return points.enumerated().map { n, p in
            let (ci, cj) = cellOf(p)
            // Smallest distance a point `ring` cells away can be at (longitude cells shrink with latitude).
            let step = metresPerCell * max(cos(min(abs(p.lat) + 1, 89) * .pi / 180), 0.01)
            var best = [Double.infinity, .infinity, .infinity]
            // Beyond this the tolerance is clamped to the maximum anyway.
            let maxRing = Int(maximumPlausibleDistance / 1.5 / step) + 1
            var ring = 0
            while ring <= maxRing, Double(ring - 1) * step < best[2] {
                for i in (ci - ring)...(ci + ring) {
                    for j in (cj - ring)...(cj + ring) where max(abs(i - ci), abs(j - cj)) == ring {
                        for m in grid[key(i, j)] ?? [] where m != n {
                            let d = p.distance(to: points[m])
                            if d < best[2] {
                                best[2] = d
                                best.sort()
                            }
                        }
                    }
                }
                ring += 1
            }
            return best[2]
        }
    }

    /// 75111 -> 11, 69383 -> 3, 13216 -> 16.
    static func arrondissementNumber(_ code: CommuneCode) -> Int? {
        let raw = code.rawValue
        if raw.hasPrefix("751") || raw.hasPrefix("132") { return Int(raw.suffix(2)) }
        if raw.hasPrefix("6938") { return Int(raw.suffix(1)) }
        return nil
    }

    // MARK: - Helpers

    /// The départements a postcode points to: its prefix (20 -> 2A and 2B, 97x -> 97x) and those of
    /// the communes La Poste says it serves (a few postcodes cross a département border).
    func departements(for postcode: Postcode?, entries: [NameEntry]) -> [String] {
        var deps: [String] = []
        if let postcode {
            let prefix = postcode.departementPrefix
            if prefix == "20" {
                deps = ["2A", "2B"]
            } else {
                deps = [prefix]
            }
        }
        for e in entries where !deps.contains(communes[e.commune].departement) {
            deps.append(communes[e.commune].departement)
        }
        return deps.filter { byDepartement[$0] != nil }
    }

    /// Positions in `nationalNames` that could reach `minimum` similarity with `probe`.
    func nationalCandidates(for probe: NameKey, minimum: Double) -> [Int] {
        var seen = [Bool](repeating: false, count: nationalNames.count)
        var out: [Int] = []
        // Edit ratio: within k = (1 - minimum) x the longer length edits, the lengths differ by at most k,
        // and each name uses at most k characters the other doesn't (an edit adds or removes one).
        let n = Int(probe.bytes.count)
        let mask = Self.charset(probe.bytes)
        let slack = 1 - minimum + 1e-9
        for i in 0..<nationalLengths.count {
            let length = Int(nationalLengths[i])
            let k = Int((slack * Double(max(n, length))).rounded(.down))
            guard abs(length - n) <= k else { continue }
            let c = nationalCharsets[i]
            guard (mask & ~c).nonzeroBitCount <= k, (c & ~mask).nonzeroBitCount <= k else { continue }
            seen[i] = true
            out.append(i)
        }
        // Containment: a shared significant token.
        for t in probe.tokens where !NameSimilarity.minorWords.contains(t) {
            for i in nationalByToken[t] ?? [] where !seen[i] {
                seen[i] = true
                out.append(i)
            }
        }
        return out
    }

    static func charset(_ bytes: [UInt8]) -> UInt64 {
        var m: UInt64 = 0
        for b in bytes {
            if b >= 65 && b <= 90 { m |= 1 << UInt64(b - 65) } else if b >= 48 && b <= 57 { m |= 1 << UInt64(26 + b - 48) }
        }
        return m
    }

    /// "Brest", or "Paris 11e Arrondissement".
    func name(_ i: Int) -> String { communes[i].name }
}
