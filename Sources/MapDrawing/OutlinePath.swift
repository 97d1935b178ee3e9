import Directory
import Foundation
import Reference

/// SVG path data of the pack's outlines in a `MapFrame`: every ring projected, optionally clipped to a
/// rectangle, and simplified by dropping points closer than a pixel.
public enum OutlinePath {
    /// An axis-aligned rectangle in drawing coordinates.
    public struct Rect: Sendable {
        public var minX: Double, minY: Double, maxX: Double, maxY: Double
        public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
            self.minX = minX
            self.minY = minY
            self.maxX = maxX
            self.maxY = maxY
        }
    }

    /// The path data of a feature: every ring closed. With `clip`, rings are cut to the rectangle first,
    /// which keeps a zoomed map small: the parts of a département far outside the view cost nothing.
    public static func d(_ feature: Outlines.Feature, in frame: MapFrame, clip: Rect? = nil) -> String {
        var d = ""
        for polygon in feature.polygons {
            for ring in polygon {
                var pts = ring.map(frame.project)
                if let clip { pts = clipped(pts, to: clip) }
                pts = simplify(pts)
                guard pts.count >= 3 else { continue }
                d += "M" + pts.map { fmt($0.0) + " " + fmt($0.1) }.joined(separator: "L") + "Z"
            }
        }
        if d.isEmpty, clip == nil, let ring = feature.polygons.first?.first {
            // A zone smaller than a pixel still gets drawn, unsimplified.
            d = "M" + ring.map(frame.project).map { fmt($0.0) + " " + fmt($0.1) }.joined(separator: "L") + "Z"
        }
        return d
    }

    /// Sutherland–Hodgman clipping of a closed ring to a rectangle. The result may run along the
    /// rectangle's edges, which is right for a filled shape drawn inside it.
    static func clipped(_ ring: [(Double, Double)], to r: Rect) -> [(Double, Double)] {
        typealias P = (Double, Double)
        func cut(_ pts: [P], inside: (P) -> Bool, cross: (P, P) -> P) -> [P] {
            guard let last = pts.last else { return [] }
            var out: [P] = []
            var prev = last
            for p in pts {
                switch (inside(prev), inside(p)) {
                case (true, true): out.append(p)
                case (true, false): out.append(cross(prev, p))
                case (false, true): out.append(cross(prev, p)); out.append(p)
                case (false, false): break
                }
                prev = p
            }
            return out
        }
        func atX(_ x: Double) -> (P, P) -> P { { a, b in (x, a.1 + (b.1 - a.1) * (x - a.0) / (b.0 - a.0)) } }
        func atY(_ y: Double) -> (P, P) -> P { { a, b in (a.0 + (b.0 - a.0) * (y - a.1) / (b.1 - a.1), y) } }
        var pts = ring
        pts = cut(pts, inside: { $0.0 >= r.minX }, cross: atX(r.minX))
        pts = cut(pts, inside: { $0.0 <= r.maxX }, cross: atX(r.maxX))
        pts = cut(pts, inside: { $0.1 >= r.minY }, cross: atY(r.minY))
        pts = cut(pts, inside: { $0.1 <= r.maxY }, cross: atY(r.maxY))
        return pts
    }

    /// Drops points closer than `minDistance` pixels to the last kept one.
    public static func simplify(_ pts: [(Double, Double)], minDistance: Double = 1) -> [(Double, Double)] {
        guard var last = pts.first else { return [] }
        var out = [last]
        for p in pts.dropFirst() {
            let dx = p.0 - last.0, dy = p.1 - last.1
            if dx * dx + dy * dy >= minDistance * minDistance {
                out.append(p)
                last = p
            }
        }
        return out
    }

    /// A coordinate to a tenth of a pixel, without a trailing ".0".
    public static func fmt(_ x: Double) -> String {
        // In tenths, as integers: `String(format:)` was most of a coverage map's cost (a path per zone, redrawn
        // after every harvest).
        let tenths = Int((x * 10).rounded())
        let whole = String(tenths / 10)
        guard tenths % 10 != 0 else { return whole }
        return (tenths < 0 && tenths > -10 ? "-" : "") + whole + "." + String(abs(tenths % 10))
    }
}
