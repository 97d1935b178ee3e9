import Directory
import PerformanceKit

/// Distance from each population unit to the nearest place of each family, in km.
///
/// One `SpatialGrid` per family, built over the distinct positions of that family's places, so every
/// query is filter-free (a filtered query on one shared grid walks far for rare families).
/// `.infinity` stands for "no place of that family anywhere".
///
/// The grid of all places carries, at each position, the set of families found there. A unit's `probe`
/// nearest positions of all are read first: the first of them a family is found at is the family's
/// nearest, and only the families found at none of them query their own grid (with places offering
/// several services, few do).
struct NearestDistances {
    /// `km[f][u]`: family `f` (index into the families), unit `u`.
    let km: [[Double]]

    /// - Parameters:
    ///   - positions: each place's position, nil for a place without one (it is in no distance).
    ///   - served: `served[f][i]`, whether place `i` belongs to family `f`.
    init(units: [GeoPoint], positions: [GeoPoint?], served: [[Bool]]) {
        let families = served.count
        // Families present at each distinct position, as bits (families beyond the 64th are always queried).
        var masks: [GeoPoint: UInt64] = [:]
        var perFamily = [[GeoPoint]](repeating: [], count: families)
        for i in positions.indices {
            guard let position = positions[i] else { continue }
            var mask: UInt64 = masks[position] ?? 0
            for f in 0..<families where served[f][i] {
                let bit: UInt64 = f < 64 ? 1 << UInt64(f) : 0
                if f >= 64 || mask & bit == 0 { perFamily[f].append(position) }
                mask |= bit
            }
            masks[position] = mask
        }
        let all = SpatialGrid(masks.map { ($0.key, $0.value) }, cellDegrees: Self.cellDegrees(masks.count))
        let grids = perFamily.map { points in
            SpatialGrid(Set(points).map { ($0, true) }, cellDegrees: Self.cellDegrees(points.count))
        }
        // Units in slices of about 512 on every core (many slices: some walk further than others).
        let slices = try! units.inParallelChunks(parts: units.count / 512 + 1) { slice -> [[Double]] in
            var km = [[Double]](repeating: [Double](repeating: .infinity, count: slice.count), count: families)
            for (u, centre) in slice.enumerated() {
                let nearest = all.nearest(to: centre, k: Self.probe)
                guard !nearest.isEmpty else { break }
                // Nearest first: the first of these positions a family is found at is its nearest.
                var found: UInt64 = 0
                for hit in nearest where hit.entry.item & ~found != 0 {
                    var newly = hit.entry.item & ~found
                    found |= newly
                    while newly != 0 {
                        km[newly.trailingZeroBitCount][u] = hit.distance / 1000
                        newly &= newly - 1
                    }
                }
                for f in 0..<families where grids[f].count > 0 && (f >= 64 || found & (1 << UInt64(f)) == 0) {
                    if let hit = grids[f].nearest(to: centre, k: 1).first { km[f][u] = hit.distance / 1000 }
                }
            }
            return km
        }
        km = (0..<families).map { f in slices.count == 1 ? slices[0][f] : Array(slices.map { $0[f] }.joined()) }
    }

    /// How many of a unit's nearest positions of all are read before the families' own grids: 4 made the
    /// distances of 8,000 places to every commune (11 families) 45 % faster than 1; 8 gained less.
    static let probe = 4

    /// A cell size giving about one point per cell over metropolitan France (about 63 square
    /// degrees at its latitude), so that rare families don't make every query walk many empty rings.
    static func cellDegrees(_ n: Int) -> Double {
        min(max((63 / Double(max(n, 1))).squareRoot(), 0.05), 1.0)
    }
}
