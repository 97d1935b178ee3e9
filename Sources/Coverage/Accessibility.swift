import Directory
import Foundation
import PerformanceKit

/// Enhanced two-step floating catchment (E2SFCA), with distance bands as weights.
///
/// With `S_j` the weekly opening hours of place `j`, `P_i` the population of unit `i`, `d_ij` the
/// straight-line distance from the unit's centre to the place and `W` the band weight:
/// 1. each place's ratio `R_j = S_j / Σ_k P_k · W(d_kj)` over the units within the cut-off;
/// 2. each unit's accessibility `A_i = 10,000 · Σ_j R_j · W(d_ij)` over the places within the cut-off,
///    in hours per week per 10,000 inhabitants.
///
/// Places at the same position are pooled first (their supplies add up), which gives the same result
/// with fewer points. A place with no population in its catchment offers nothing to anyone (`R_j = 0`).
public enum Accessibility {
    /// The accessibility of each unit, in the order given.
    /// - Parameters:
    ///   - units: centre and population of each population unit.
    ///   - supplies: position and weekly hours of each place.
    public static func e2sfca(units: [(centre: GeoPoint, population: Int)], supplies: [(position: GeoPoint, hours: Double)],
                              parameters: AccessibilityParameters) -> [Double] {
        e2sfca(units: units, supplies: supplies.map { ($0.position, $0.hours, [true]) }, families: 1, parameters: parameters)[0]
    }

    /// The accessibility of each unit for each of `families` supply sets at once: `out[f][u]`, where only the
    /// places with `served[f]` supply family `f`. Each family is its own E2SFCA (its places' hours shared
    /// among the population in their catchments); the catchments, the same for every family, are searched once.
    /// - Parameters:
    ///   - supplies: position, weekly hours, and for each family whether the place belongs to it.
    public static func e2sfca(units: [(centre: GeoPoint, population: Int)],
                              supplies: [(position: GeoPoint, hours: Double, served: [Bool])],
                              families: Int, parameters: AccessibilityParameters) -> [[Double]] {
        let bands = parameters.bands
        let zero = [[Double]](repeating: [Double](repeating: 0, count: units.count), count: families)
        guard !bands.isEmpty, !units.isEmpty, families > 0 else { return zero }
        // Pool the supply of places sharing a position, family by family.
        var index: [GeoPoint: Int] = [:]
        var positions: [GeoPoint] = []
        var supply = [[Double]](repeating: [], count: families)
        for s in supplies where s.hours > 0 && s.served.contains(true) {
            let j: Int
            if let known = index[s.position] {
                j = known
            } else {
                j = positions.count
                index[s.position] = j
                positions.append(s.position)
                for f in 0..<families { supply[f].append(0) }
            }
            for f in 0..<families where s.served[f] { supply[f][j] += s.hours }
        }
        guard !positions.isEmpty else { return zero }
        let grid = CatchmentGrid(positions, radiusKm: parameters.cutoffKm)
        // Each band's upper bound as a haversine term, so a pair's band is found without its distance.
        let limits = bands.map { CatchmentGrid.term(km: $0.upToKm) }
        // Every (unit, position) pair within the cut-off, kept as position index and weight per unit
        // (compressed rows), so every family's two steps read the same pairs without another search. Units
        // are searched in slices of about 128 units on every core, joined in their order: the units of a dense
        // area hold many times the pairs of rural ones, and with one slice per core (or even eight) the
        // slice holding Île-de-France was left to finish alone on one core.
        let slices = try! Array(units.indices).inParallelChunks(parts: units.count / 128 + 1) { slice -> (counts: [Int], place: [Int32], weight: [Double]) in
            var counts: [Int] = [], place: [Int32] = [], weight: [Double] = []
            counts.reserveCapacity(slice.count)
            for u in slice {
                let before = place.count
                grid.forEach(near: units[u].centre) { j, term in
                    var band = 0
                    while band < limits.count && term > limits[band] { band += 1 }
                    guard band < limits.count else { return }
                    place.append(j)
                    weight.append(bands[band].weight)
                }
                counts.append(place.count - before)
            }
            return (counts, place, weight)
        }
        // The slices stay as they are (joining them copied every pair on one core); each starts at the unit
        // after the previous slice's last.
        var firstUnit = [0]
        for slice in slices { firstUnit.append(firstUnit[firstUnit.count - 1] + slice.counts.count) }
        // A position's catchment demand is the same for every family (the sum runs over the same pairs in
        // the same order), so it is summed once; it only counts where the family supplies something, and
        // there `ratio` is set. Step 2 then reads each pair once for all families (`ratio[j * families + f]`),
        // each family's sum still taken in the same order as a family-by-family pass.
        var demand = [Double](repeating: 0, count: positions.count)
        for (n, slice) in slices.enumerated() {
            var k = 0
            for (i, count) in slice.counts.enumerated() {
                let population = units[firstUnit[n] + i].population
                if population > 0 {
                    let p = Double(population)
                    for k in k..<k + count { demand[Int(slice.place[k])] += p * slice.weight[k] }
                }
                k += count
            }
        }
        // Step 1: supply per weighted inhabitant of each position's catchment.
        var ratio = [Double](repeating: 0, count: positions.count * families)
        for f in 0..<families {
            let s = supply[f]
            for j in positions.indices where s[j] > 0 && demand[j] > 0 { ratio[j * families + f] = s[j] / demand[j] }
        }
        // Step 2: what each unit can reach, weighted by distance; each unit's sums are its own, so the slices
        // are summed on every core.
        let parts = try! Array(slices.indices).inParallelChunks(parts: slices.count) { chunk -> [[Double]] in
            let units = chunk.reduce(0) { $0 + slices[$1].counts.count }
            var out = [[Double]](repeating: [Double](repeating: 0, count: units), count: families)
            var sums = [Double](repeating: 0, count: families)
            var u = 0
            ratio.withUnsafeBufferPointer { ratio in
                for n in chunk {
                    let slice = slices[n]
                    var k = 0
                    for count in slice.counts {
                        for f in 0..<families { sums[f] = 0 }
                        for k in k..<k + count {
                            let base = Int(slice.place[k]) * families
                            let w = slice.weight[k]
                            for f in 0..<families { sums[f] += ratio[base + f] * w }
                        }
                        for f in 0..<families { out[f][u] = sums[f] * 10_000 }
                        k += count
                        u += 1
                    }
                }
            }
            return out
        }
        return (0..<families).map { f in parts.count == 1 ? parts[0][f] : Array(parts.map { $0[f] }.joined()) }
    }
}

/// A fixed-radius neighbour index for the catchments: points bucketed in cells of about the radius,
/// a query reads the 3 × 3 (or a few more, where longitude degrees shrink) cells around the origin.
///
/// `SpatialGrid` answers nearest-k queries and sorts what it returns; a catchment needs every point
/// within the cut-off, unsorted, for each of the 35,000 communes, where that sort and the generic
/// calls across modules dominated the run time (see `docs/coverage.md`).
struct CatchmentGrid {
    private let points: [GeoPoint]
    /// The cosine of each point's latitude, computed once instead of once per pair.
    private let cosLat: [Double]
    private let radius: Double
    private let radiusTerm: Double
    private let cellDegrees: Double
    private var cells: [Int64: [Int32]] = [:]

    init(_ points: [GeoPoint], radiusKm: Double) {
        self.points = points
        cosLat = points.map { cos($0.lat * .pi / 180) }
        radius = radiusKm * 1000
        radiusTerm = Self.term(km: radiusKm)
        // One degree of latitude is about 111.2 km; never finer than 0.05° so cells stay few.
        cellDegrees = max(radiusKm / 111.195, 0.05)
        for (i, p) in points.enumerated() {
            cells[key(cell(p.lat), cell(p.lon)), default: []].append(Int32(i))
        }
    }

    /// The haversine term `a = sin²(Δφ/2) + cos φ1 · cos φ2 · sin²(Δλ/2)` of a distance of `km`, the
    /// value `GeoPoint.distance` turns into metres as `2R · asin(√a)`. That grows with `a`, so a pair
    /// lies within `km` exactly when its term is at most `term(km:)`: compared this way, a pair costs
    /// two sines instead of two cosines, two sines, a square root and an arcsine.
    static func term(km: Double) -> Double {
        let s = sin(min(km * 1000 / (2 * GeoPoint.earthRadiusMetres), .pi / 2))
        return s * s
    }

    private func cell(_ degrees: Double) -> Int { Int((degrees / cellDegrees).rounded(.down)) }
    private func key(_ i: Int, _ j: Int) -> Int64 { Int64(i) << 32 | Int64(UInt32(bitPattern: Int32(truncatingIfNeeded: j))) }

    /// Calls `body` with the index and haversine term (`term(km:)`) of every point within the radius of
    /// `origin`. Points outside the box of `latSpan` × `lonSpan` degrees around the origin are skipped before
    /// the term is computed; the spans are widened by a thousandth so that no point within the radius is
    /// ever skipped.
    func forEach(near origin: GeoPoint, _ body: (Int32, Double) -> Void) {
        let latSpan = radius / 111_195 * 1.001 + 1e-9
        let cosOrigin = cos(origin.lat * .pi / 180)
        let cosLimit = max(cos(min(abs(origin.lat) + latSpan, 89) * .pi / 180), 0.01)
        let lonSpan = latSpan / cosLimit
        let φ1 = origin.lat * .pi / 180
        for i in cell(origin.lat - latSpan)...cell(origin.lat + latSpan) {
            for j in cell(origin.lon - lonSpan)...cell(origin.lon + lonSpan) {
                guard let bucket = cells[key(i, j)] else { continue }
                for k in bucket {
                    let p = points[Int(k)]
                    guard abs(p.lat - origin.lat) <= latSpan, abs(p.lon - origin.lon) <= lonSpan else { continue }
                    let sφ = sin((p.lat * .pi / 180 - φ1) / 2)
                    let sλ = sin((p.lon - origin.lon) * .pi / 180 / 2)
                    let a = sφ * sφ + cosOrigin * cosLat[Int(k)] * sλ * sλ
                    if a <= radiusTerm { body(k, a) }
                }
            }
        }
    }
}
