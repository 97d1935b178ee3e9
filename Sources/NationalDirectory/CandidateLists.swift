import Directory

/// The located places offering each filter value, in index order: a filtered search that few places pass
/// scans the shortest list its filter names (the places open this minute among them) instead of walking
/// the grid outward until enough places pass, which meant looking at every place when none does
/// (issue 12: a rare service with "open now" at night). Its work is bounded by that list's length.
struct CandidateLists: Sendable {
    private let services: [[Int32]]
    /// Per public, the places serving it or "tous publics" (what the filter asks).
    private let publics: [[Int32]]
    private let networks: [[Int32]]
    /// Per CEP level (1, 2, 3...), the places offering a service of that level.
    private let cepLevels: [Int: [Int32]]
    private let sansRendezVous: [Int32]
    private let accessible: [Int32]

    init(traits: [PlaceTraits], located: [Bool]) {
        func lists(_ count: Int, _ bits: (PlaceTraits) -> UInt64) -> [[Int32]] {
            var out = Array(repeating: [Int32](), count: count)
            for (i, t) in traits.enumerated() where located[i] {
                var set = bits(t)
                while set != 0 {
                    let bit = set.trailingZeroBitCount
                    if bit < count { out[bit].append(Int32(i)) }
                    set &= set - 1
                }
            }
            return out
        }
        services = lists(Service.allCases.count) { $0.services }
        let everyone = Public.tousPublics.bit
        publics = lists(Public.allCases.count) { $0.publics & everyone != 0 ? ~0 : $0.publics }
        networks = lists(Network.allCases.count) { $0.networks }
        cepLevels = Dictionary(grouping: traits.indices.filter { located[$0] }.flatMap { i in
            (0..<64).filter { traits[i].cepLevels & (1 << UInt64($0)) != 0 }.map { (level: $0, index: Int32(i)) }
        }, by: \.level).mapValues { $0.map(\.index) }
        sansRendezVous = traits.indices.filter { located[$0] && traits[$0].sansRendezVous }.map(Int32.init)
        accessible = traits.indices.filter { located[$0] && traits[$0].accessible }.map(Int32.init)
    }

    /// The shortest list of places that may pass `filter`, or nil when the filter names none (no condition,
    /// or only "false" ones, which most places pass). `open`, the places open this minute, competes too.
    func shortest(for filter: SearchFilter, open: [Int32]?) -> [Int32]? {
        var candidates: [[Int32]] = []
        if let s = filter.service { candidates.append(services[s.bitIndex]) }
        if let p = filter.publicServed { candidates.append(publics[p.bitIndex]) }
        if let n = filter.network { candidates.append(networks[n.bitIndex]) }
        if let level = filter.cepLevel { candidates.append(cepLevels[level] ?? []) }
        if filter.sansRendezVous == true { candidates.append(sansRendezVous) }
        if filter.accessible == true { candidates.append(accessible) }
        if let open { candidates.append(open) }
        return candidates.min { $0.count < $1.count }
    }
}

extension Vocabulary {
    /// This value's position in its vocabulary: its bit in a `PlaceTraits` set.
    var bitIndex: Int { Self.allCases.firstIndex(of: self)! }
}
