import Directory
import Foundation

/// Polygon outlines from the pack's GeoJSON (zones d'emploi, départements, régions), keyed by code.
/// Rings are arrays of points; a feature may have several polygons, each with holes.
public struct Outlines: Sendable {
    public struct Feature: Sendable {
        public let code: String
        public let name: String
        /// Polygons, each as [outer ring, holes...].
        public let polygons: [[[GeoPoint]]]
        public let box: BoundingBox
    }

    public let features: [Feature]

    /// Which outline file to read.
    public enum Layer: String, Sendable {
        case zonesEmploi = "zones_emploi", departements, regions
        var codeKey: String { self == .zonesEmploi ? "ze2020" : "code" }
        var nameKey: String { self == .zonesEmploi ? "libze2020" : "nom" }
    }

    /// Loads `geo/<layer>.geojson` from the pack directory.
    public static func load(_ layer: Layer, from directory: URL) throws(ReferenceError) -> Outlines {
        let url = directory.appendingPathComponent("geo/\(layer.rawValue).geojson")
        guard let data = try? Data(contentsOf: url) else {
            throw ReferenceError(file: url.path, line: nil, field: nil, problem: "outline file is missing or unreadable")
        }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let features = root["features"] as? [[String: Any]] else {
            throw ReferenceError(file: url.path, line: nil, field: "features", problem: "not a GeoJSON FeatureCollection")
        }
        var out: [Feature] = []
        for (i, f) in features.enumerated() {
            guard let props = f["properties"] as? [String: Any],
                  let code = props[layer.codeKey].map({ "\($0)" }),
                  let geometry = f["geometry"] as? [String: Any],
                  let type = geometry["type"] as? String,
                  let coords = geometry["coordinates"] as? [Any] else {
                throw ReferenceError(file: url.path, line: nil, field: "features[\(i)]", problem: "feature lacks properties or geometry")
            }
            let rawPolygons: [Any] = type == "MultiPolygon" ? coords : [coords]
            let polygons: [[[GeoPoint]]] = rawPolygons.compactMap { poly in
                (poly as? [Any])?.compactMap { ring in
                    (ring as? [[Double]])?.compactMap { $0.count >= 2 ? GeoPoint(lat: $0[1], lon: $0[0]) : nil }
                }
            }
            let all = polygons.flatMap { $0.first ?? [] }
            guard !all.isEmpty else {
                throw ReferenceError(file: url.path, line: nil, field: "features[\(i)].geometry", problem: "empty geometry")
            }
            let box = BoundingBox(minLat: all.map(\.lat).min()!, maxLat: all.map(\.lat).max()!,
                                  minLon: all.map(\.lon).min()!, maxLon: all.map(\.lon).max()!)
            out.append(Feature(code: code, name: props[layer.nameKey] as? String ?? code, polygons: polygons, box: box))
        }
        return Outlines(features: out)
    }
}

extension Outlines.Feature {
    /// Even-odd point-in-polygon over every polygon (holes excluded).
    public func contains(_ p: GeoPoint) -> Bool {
        guard box.contains(p) else { return false }
        for polygon in polygons {
            guard let outer = polygon.first, Self.ringContains(outer, p) else { continue }
            if !polygon.dropFirst().contains(where: { Self.ringContains($0, p) }) { return true }
        }
        return false
    }

    static func ringContains(_ ring: [GeoPoint], _ p: GeoPoint) -> Bool {
        var inside = false
        var j = ring.count - 1
        for i in 0..<ring.count {
            let a = ring[i], b = ring[j]
            if (a.lat > p.lat) != (b.lat > p.lat),
               p.lon < (b.lon - a.lon) * (p.lat - a.lat) / (b.lat - a.lat) + a.lon {
                inside.toggle()
            }
            j = i
        }
        return inside
    }
}
