import Directory
import Foundation
import Reference

/// Choosing where places go: larger communes first, weighted by population.
extension RegionBuilder {
    /// Lowers a size threshold at larger scales, so more (and smaller) communes get places.
    func lower(_ threshold: Int) -> Int {
        scale > 1 ? max(150, Int(Double(threshold) / scale)) : threshold
    }

    /// The extra-places multiplier for networks whose structures stay fixed as the scale grows: at scale
    /// `s` a structure with `extras` antennes and permanences on average has s times as many places.
    func extraFactor(_ extras: Double) -> Double {
        scale > 1 ? (scale * (1 + extras) - 1) / extras : 1
    }

    /// Units of `base` (default: the whole région, most populous first) within the bounds; if fewer
    /// than `atLeast` qualify, the most populous units of `base` that pass the other filters.
    func pool(_ base: [Int]? = nil, minCity: Int = 0, maxCity: Int = .max, minPop: Int = 0, maxPop: Int = .max,
              townHall: Bool = false, excluding: Set<Int> = [], atLeast: Int = 1) -> [Int] {
        let all = base ?? Array(geo.units.indices)
        let usable = all.filter { !excluding.contains($0) && (!townHall || context.townHalls[geo.units[$0].code] != nil) }
        let fit = usable.filter {
            let u = geo.units[$0]
            return u.cityPopulation >= minCity && u.cityPopulation < maxCity && u.population >= minPop && u.population < maxPop
        }
        if fit.count >= atLeast { return fit }
        let bigger = usable.filter { geo.units[$0].cityPopulation < maxCity && geo.units[$0].population < maxPop }
        return Array((bigger.isEmpty ? usable : bigger).prefix(max(atLeast, 1)))
    }

    /// `k` draws with probability proportional to `weight` (systematic sampling over a shuffled pool):
    /// a unit weighing more than one step is drawn several times. Sorted, most populous first.
    func pps(_ pool: [Int], count k: Int, weight: (Unit) -> Double, _ rng: inout SeededRandom) -> [Int] {
        guard k > 0, !pool.isEmpty else { return [] }
        var order = pool
        rng.shuffle(&order)
        let weights = order.map { max(weight(geo.units[$0]), 1e-9) }
        let step = weights.reduce(0, +) / Double(k)
        var next = rng.unit() * step
        var cumulative = 0.0
        var out: [Int] = []
        out.reserveCapacity(k)
        for (i, u) in order.enumerated() {
            cumulative += weights[i]
            while next < cumulative && out.count < k {
                out.append(u)
                next += step
            }
        }
        while out.count < k { out.append(pool[0]) }
        return out.sorted()
    }

    /// `k` distinct units drawn with probability proportional to `weight` (Efraimidis-Spirakis); when the
    /// pool is too small, all of it and then repeats. Sorted, most populous first.
    func distinct(_ pool: [Int], count k: Int, weight: (Unit) -> Double, _ rng: inout SeededRandom) -> [Int] {
        guard k > 0, !pool.isEmpty else { return [] }
        if k >= pool.count {
            return (pool + (k > pool.count ? distinct(pool, count: k - pool.count, weight: weight, &rng) : [])).sorted()
        }
        var keyed: [(key: Double, unit: Int)] = []
        keyed.reserveCapacity(pool.count)
        for u in pool {
            keyed.append((log(rng.unit() + 1e-300) / max(weight(geo.units[u]), 1e-9), u))
        }
        keyed.sort { $0.key != $1.key ? $0.key > $1.key : $0.unit < $1.unit }
        return keyed.prefix(k).map(\.unit).sorted()
    }

    /// Labels for sorted draws: the unit's name, with a quarter when one unit is drawn several times
    /// ("Toulouse Nord", "Toulouse Rangueil").
    func labels(_ picks: [Int], _ rng: inout SeededRandom) -> [String] {
        var out: [String] = []
        var i = 0
        while i < picks.count {
            var j = i
            while j < picks.count && picks[j] == picks[i] { j += 1 }
            let name = geo.units[picks[i]].shortName
            if j - i == 1 {
                out.append(name)
            } else {
                var quarters = Streets.quarters
                rng.shuffle(&quarters)
                for n in 0..<(j - i) {
                    out.append(n < quarters.count ? "\(name) \(quarters[n])" : "\(name) \(n + 1)")
                }
            }
            i = j
        }
        return out
    }

    /// The structure of `network` nearest to a unit, preferring its département.
    func nearest(_ network: Network, to unit: Int, sameDepartement: Bool = true) -> Int? {
        guard let list = byNetwork[network], !list.isEmpty else { return nil }
        let target = geo.units[unit]
        var best: Int?
        var bestDistance = Double.infinity
        for s in list {
            let home = geo.units[homes[s]]
            if sameDepartement && home.departement != target.departement { continue }
            let d = approximateDistance(home.commune.centre, target.commune.centre)
            if d < bestDistance {
                bestDistance = d
                best = s
            }
        }
        if best == nil && sameDepartement { return nearest(network, to: unit, sameDepartement: false) }
        return best
    }

    /// Squared equirectangular distance: enough to compare nearby points.
    func approximateDistance(_ a: GeoPoint, _ b: GeoPoint) -> Double {
        let dLat = a.lat - b.lat
        let dLon = (a.lon - b.lon) * cos(a.lat * Double.pi / 180)
        return dLat * dLat + dLon * dLon
    }
}
