import Foundation

/// An in-memory grid index over points, for nearest-neighbour queries by great-circle distance.
/// Cells are `cellDegrees` wide; a query visits rings of cells outwards until no closer point can exist.
public struct SpatialGrid<Item: Sendable>: Sendable {
    public struct Entry: Sendable {
        public let point: GeoPoint
        public let item: Item

        @inlinable init(point: GeoPoint, item: Item) {
            self.point = point
            self.item = item
        }
    }

    // Inlinable so that callers in other modules get code specialised for their `Item` (about 3x faster).
    @usableFromInline let cellDegrees: Double
    @usableFromInline var cells: [Int64: [Entry]] = [:]
    @usableFromInline var occupied: [(i: Int, j: Int, key: Int64)] = []
    /// Number of entries.
    public var count: Int { storedCount }
    @usableFromInline var storedCount = 0

    @inlinable public init(cellDegrees: Double = 0.1) {
        self.cellDegrees = cellDegrees
    }

    @inlinable public init(_ entries: some Sequence<(GeoPoint, Item)>, cellDegrees: Double = 0.1) {
        self.init(cellDegrees: cellDegrees)
        for (p, item) in entries { insert(item, at: p) }
    }

    @inlinable func cellIndex(_ lat: Double, _ lon: Double) -> (Int, Int) {
        (Int((lat / cellDegrees).rounded(.down)), Int((lon / cellDegrees).rounded(.down)))
    }

    @inlinable static func key(_ i: Int, _ j: Int) -> Int64 { Int64(i) << 32 | Int64(UInt32(bitPattern: Int32(j))) }

    @inlinable public mutating func insert(_ item: Item, at point: GeoPoint) {
        let (i, j) = cellIndex(point.lat, point.lon)
        let key = Self.key(i, j)
        if cells[key] == nil { occupied.append((i, j, key)) }
        cells[key, default: []].append(Entry(point: point, item: item))
        storedCount += 1
    }

    /// The `k` nearest entries to `origin` within `maxDistance` metres (all if nil), nearest first,
    /// each with its distance in metres. `filter` skips entries that don't qualify.
    @inlinable public func nearest(to origin: GeoPoint, k: Int, maxDistance: Double? = nil,
                        where filter: (Item) -> Bool = { _ in true }) -> [(entry: Entry, distance: Double)] {
        guard k > 0, count > 0 else { return [] }
        let (ci, cj) = cellIndex(origin.lat, origin.lon)
        // Metres covered by one cell step, the smaller (longitude) side, to bound the search safely.
        let metresPerLatCell = cellDegrees * 111_195.0
        let cosLat = max(cos(min(abs(origin.lat) + cellDegrees * 2, 89.0) * .pi / 180), 0.01)
        let metresPerLonCell = metresPerLatCell * cosLat
        let stepMetres = min(metresPerLatCell, metresPerLonCell)
        var best: [(entry: Entry, distance: Double)] = []
        let limit = maxDistance ?? .infinity
        // The farthest ring needed: the whole world in the worst case, bounded by maxDistance.
        let maxRing = limit.isFinite ? Int((limit / stepMetres).rounded(.up)) + 1 : Int(180 / cellDegrees) + 1
        var ring = 0
        // No point is nearer than its latitude difference along a meridian (`GeoPoint.distance`'s radius):
        // once `k` are held, entries of a dense cell outside that band are passed over without the
        // haversine or the filter. The margin keeps rounding from ever dropping an entry the exact
        // comparison would keep.
        let metresPerDegreeOfLatitude = GeoPoint.earthRadiusMetres * .pi / 180
        func consider(_ bucket: [Entry]) {
                for e in bucket {
                    if best.count == k {
                        let worst = best[k - 1].distance
                        if abs(e.point.lat - origin.lat) * metresPerDegreeOfLatitude > worst * (1 + 1e-9) + 1e-6 { continue }
                    }
                    guard filter(e.item) else { continue }
                    let d = origin.distance(to: e.point)
                    guard d <= limit else { continue }
                    if best.count < k {
                        best.append((e, d))
                        if best.count == k { best.sort { $0.distance < $1.distance } }
                    } else if d < best[k - 1].distance {
                        var idx = k - 1
                        while idx > 0 && best[idx - 1].distance > d { idx -= 1 }
                        best.insert((e, d), at: idx)
                        best.removeLast()
                    }
                }
        }
        while ring <= maxRing {
            if (2 * ring + 1) * (2 * ring + 1) > occupied.count {
                // The rings walked so far hold more cells than are occupied: finish with one pass over
                // every occupied cell not visited yet, so sparse filters never walk empty space (a rare
                // filter walking rings until `8 * ring` passed the occupied count looked up ~500,000
                // empty cells per request at 8,000 places).
                for c in occupied where max(abs(c.i - ci), abs(c.j - cj)) >= ring {
                    consider(cells[c.key]!)
                }
                break
            }
            Self.forEachCell(onRing: ring, around: ci, cj) { key in
                if let bucket = cells[key] { consider(bucket) }
            }
            // Any point beyond this ring is at least `ring * stepMetres` away.
            if best.count == k, let worst = best.last?.distance, worst <= Double(ring) * stepMetres { break }
            ring += 1
        }
        if best.count < k { best.sort { $0.distance < $1.distance } }
        return best
    }

    /// Calls `visit` with the key of each cell of the square ring `r` cells around cell (ci, cj), without
    /// building the ring as an array (a query walks several rings, and coverage queries every commune).
    @inlinable static func forEachCell(onRing r: Int, around ci: Int, _ cj: Int, _ visit: (Int64) -> Void) {
        if r == 0 { return visit(key(ci, cj)) }
        for dj in -r...r {
            visit(key(ci - r, cj + dj))
            visit(key(ci + r, cj + dj))
        }
        for di in (-r + 1)..<r {
            visit(key(ci + di, cj - r))
            visit(key(ci + di, cj + r))
        }
    }
}
