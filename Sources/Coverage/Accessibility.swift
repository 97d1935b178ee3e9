import Directory
import Foundation

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
        let bands = parameters.bands
        guard !bands.isEmpty, !units.isEmpty else { return [Double](repeating: 0, count: units.count) }
        // Pool the supply of places sharing a position.
        var index: [GeoPoint: Int] = [:]
        var positions: [GeoPoint] = []
        var supply: [Double] = []
        for s in supplies where s.hours > 0 {
            if let i = index[s.position] {
                supply[i] += s.hours
            } else {
                index[s.position] = positions.count
                positions.append(s.position)
                supply.append(s.hours)
            }
        }
        guard !positions.isEmpty else { return [Double](repeating: 0, count: units.count) }
        let grid = CatchmentGrid(positions, radiusKm: parameters.cutoffKm)
        // Every (unit, place) pair within the cut-off, kept as place index and band index per unit
        // (compressed rows), so both steps read the same pairs without a second search.
        var rowStart = [Int](repeating: 0, count: units.count + 1)
        var pairPlace: [Int32] = []
        var pairBand: [UInt8] = []
        var demand = [Double](repeating: 0, count: positions.count)
        for (u, unit) in units.enumerated() {
            grid.forEach(near: unit.centre) { j, metres in
                let km = metres / 1000
                guard let band = bands.firstIndex(where: { km <= $0.upToKm }) else { return }
                pairPlace.append(j)
                pairBand.append(UInt8(band))
                demand[Int(j)] += Double(unit.population) * bands[band].weight
            }
            rowStart[u + 1] = pairPlace.count
        }
        // Step 1: supply per weighted inhabitant of each place's catchment.
        var ratio = [Double](repeating: 0, count: positions.count)
        for j in positions.indices where demand[j] > 0 { ratio[j] = supply[j] / demand[j] }
        // Step 2: what each unit can reach, weighted by distance.
        var out = [Double](repeating: 0, count: units.count)
        for u in units.indices {
            var a = 0.0
            for k in rowStart[u]..<rowStart[u + 1] { a += ratio[Int(pairPlace[k])] * bands[Int(pairBand[k])].weight }
            out[u] = a * 10_000
        }
        return out
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
    private let radius: Double
    private let cellDegrees: Double
    private var cells: [Int64: [Int32]] = [:]

    init(_ points: [GeoPoint], radiusKm: Double) {
        self.points = points
        radius = radiusKm * 1000
        // One degree of latitude is about 111.2 km; never finer than 0.05° so cells stay few.
        cellDegrees = max(radiusKm / 111.195, 0.05)
        for (i, p) in points.enumerated() {
            cells[key(cell(p.lat), cell(p.lon)), default: []].append(Int32(i))
        }
    }

    private func cell(_ degrees: Double) -> Int { Int((degrees / cellDegrees).rounded(.down)) }
    private func key(_ i: Int, _ j: Int) -> Int64 { Int64(i) << 32 | Int64(UInt32(bitPattern: Int32(truncatingIfNeeded: j))) }

    /// Calls `body` with the index and distance in metres of every point within the radius of `origin`.
    func forEach(near origin: GeoPoint, _ body: (Int32, Double) -> Void) {
        let latSpan = radius / 111_195 + 1e-9
        let cosLat = max(cos(min(abs(origin.lat) + latSpan, 89) * .pi / 180), 0.01)
        let lonSpan = latSpan / cosLat
        for i in cell(origin.lat - latSpan)...cell(origin.lat + latSpan) {
            for j in cell(origin.lon - lonSpan)...cell(origin.lon + lonSpan) {
                guard let bucket = cells[key(i, j)] else { continue }
                for k in bucket {
                    let d = origin.distance(to: points[Int(k)])
                    if d <= radius { body(k, d) }
                }
            }
        }
    }
}
