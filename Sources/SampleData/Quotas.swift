import Directory

/// Networks or kinds of structure whose count is shared out between régions by population.
enum QuotaKey: String, CaseIterable, Sendable {
    case franceTravail, missionLocale, cio, informationJeunesse, apec, scuio, afpa, e2c, epide, prcVAE
    case mife, plie, maisonEmploi, citeDesMetiers, franceServices, otherLocal

    /// National count at scale 1, the minimum per région, whether it grows with the scale, and whether
    /// overseas régions take part.
    var target: (national: Double, minimum: Int, scales: Bool, overseas: Bool) {
        switch self {
        case .franceTravail: (900, 4, true, true)
        case .missionLocale: (440, 2, false, true)  // structures; their antennes and permanences grow instead
        case .cio: (425, 3, true, true)
        case .informationJeunesse: (1_350, 5, true, true)
        case .apec: (45, 1, true, true)
        case .scuio: (72, 1, true, true)
        case .afpa: (110, 1, true, true)
        case .e2c: (55, 1, true, true)
        case .epide: (20, 0, true, false)
        case .prcVAE: (460, 2, true, true)
        case .mife: (30, 0, true, true)
        case .plie: (150, 1, true, true)
        case .maisonEmploi: (110, 1, true, true)
        case .citeDesMetiers: (30, 0, true, true)
        case .franceServices: (320, 3, true, true)
        case .otherLocal: (230, 2, true, true)
        }
    }
}

/// The networks whose establishments share one national SIREN, numbered across régions.
let sharedSIRENNetworks: [(network: Network, key: QuotaKey)] = [
    (.franceTravail, .franceTravail), (.apec, .apec), (.afpa, .afpa), (.epide, .epide),
]

/// How many structures of each kind a région gets, and where its shared-SIREN numbering starts.
struct RegionQuotas: Sendable {
    var counts: [QuotaKey: Int] = [:]
    /// Establishments numbered before this région's, per shared-SIREN network.
    var sharedOffsets: [QuotaKey: Int] = [:]

    subscript(_ key: QuotaKey) -> Int { counts[key] ?? 0 }

    /// Shares the national targets out by population, in région code order, so each région's numbers
    /// do not depend on which régions are generated.
    static func compute(_ regions: [RegionGeography], scale: Double) -> [RegionCode: RegionQuotas] {
        let total = Double(regions.reduce(0) { $0 + $1.population })
        let metro = Double(regions.filter { !$0.isOverseas }.reduce(0) { $0 + $1.population })
        var out: [RegionCode: RegionQuotas] = [:]
        var running: [QuotaKey: Int] = [:]
        for geo in regions {  // already sorted by code
            var q = RegionQuotas()
            for key in QuotaKey.allCases {
                let t = key.target
                if geo.isOverseas && !t.overseas {
                    q.counts[key] = 0
                    continue
                }
                let base = t.overseas ? total : metro
                let national = t.national * (t.scales ? scale : 1)
                let share = base > 0 ? Double(geo.population) / base : 0
                q.counts[key] = max(t.minimum, Int((national * share).rounded()))
            }
            for (_, key) in sharedSIRENNetworks {
                q.sharedOffsets[key] = running[key, default: 0]
                running[key, default: 0] += q[key]
            }
            out[geo.code] = q
        }
        return out
    }
}
