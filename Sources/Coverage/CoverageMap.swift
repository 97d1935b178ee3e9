import Directory
import Foundation
import Reference

/// Draws the zones d'emploi as an inline SVG map: metropolitan France in an equirectangular
/// projection scaled by cos(46.5°), the overseas départements in small insets on the left.
/// Each zone is one `<path data-zone="…">`, simplified by dropping points closer than a pixel.
enum CoverageMap {
    /// A rectangle of the drawing and the lon/lat box it shows.
    struct Frame {
        var x: Double, y: Double, width: Double, height: Double
        var box: BoundingBox
        var label: String?

        /// Pixels per degree of latitude, and the longitude factor at the box's centre.
        var scale: Double {
            let k = cos((box.minLat + box.maxLat) / 2 * .pi / 180)
            return min(width / max((box.maxLon - box.minLon) * k, 1e-9), height / max(box.maxLat - box.minLat, 1e-9))
        }

        func project(_ p: GeoPoint) -> (Double, Double) {
            let k = cos((box.minLat + box.maxLat) / 2 * .pi / 180)
            let s = scale
            // Centre the drawing in the frame.
            let usedW = (box.maxLon - box.minLon) * k * s, usedH = (box.maxLat - box.minLat) * s
            let ox = x + (width - usedW) / 2, oy = y + (height - usedH) / 2
            return (ox + (p.lon - box.minLon) * k * s, oy + (box.maxLat - p.lat) * s)
        }
    }

    static let width = 760.0, height = 640.0
    static let metropolitan = BoundingBox(minLat: 41.3, maxLat: 51.15, minLon: -5.2, maxLon: 9.6)
    /// Overseas départements, in the order of the insets.
    static let overseas: [(name: String, box: BoundingBox)] = [
        ("Guadeloupe", BoundingBox(minLat: 15.8, maxLat: 16.6, minLon: -61.9, maxLon: -60.9)),
        ("Martinique", BoundingBox(minLat: 14.3, maxLat: 14.9, minLon: -61.3, maxLon: -60.7)),
        ("Guyane", BoundingBox(minLat: 2.0, maxLat: 5.9, minLon: -54.7, maxLon: -51.5)),
        ("La Réunion", BoundingBox(minLat: -21.5, maxLat: -20.8, minLon: 55.1, maxLon: 55.9)),
        ("Mayotte", BoundingBox(minLat: -13.1, maxLat: -12.6, minLon: 44.9, maxLon: 45.4)),
    ]

    /// The SVG element. `fill` gives a zone's colour and tooltip from its code (nil: grey, its name).
    static func svg(outlines: Outlines, fill: (String) -> (colour: String, title: String)?) -> String {
        let insetW = 120.0, insetH = 112.0, gap = 12.0
        let mainFrame = Frame(x: insetW + 2 * gap, y: gap, width: width - insetW - 3 * gap, height: height - 2 * gap,
                              box: metropolitan, label: nil)
        var frames: [String: Frame] = [:]
        var groups: [String: [Outlines.Feature]] = [:]
        var metro: [Outlines.Feature] = []
        for f in outlines.features {
            let centre = GeoPoint(lat: (f.box.minLat + f.box.maxLat) / 2, lon: (f.box.minLon + f.box.maxLon) / 2)
            if metropolitan.contains(centre) { metro.append(f); continue }
            let name = overseas.first { $0.box.contains(centre) }?.name ?? "Autres"
            groups[name, default: []].append(f)
        }
        let names = overseas.map(\.name).filter { groups[$0] != nil } + (groups["Autres"] != nil ? ["Autres"] : [])
        for (i, name) in names.enumerated() {
            let fs = groups[name]!
            let box = BoundingBox(minLat: fs.map(\.box.minLat).min()!, maxLat: fs.map(\.box.maxLat).max()!,
                                  minLon: fs.map(\.box.minLon).min()!, maxLon: fs.map(\.box.maxLon).max()!)
            frames[name] = Frame(x: gap, y: gap + Double(i) * (insetH + gap) + 14, width: insetW, height: insetH - 14, box: box, label: name)
        }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" "
            + "role=\"img\" aria-label=\"Carte des zones d'emploi\" class=\"carte\">\n"
        for name in names {
            let f = frames[name]!
            out += "<rect class=\"encart\" x=\"\(fmt(f.x - 2))\" y=\"\(fmt(f.y - 16))\" width=\"\(fmt(f.width + 4))\" height=\"\(fmt(f.height + 18))\"/>"
            out += "<text class=\"encart-nom\" x=\"\(fmt(f.x + 2))\" y=\"\(fmt(f.y - 4))\">\(CoverageHTML.escape(name))</text>\n"
        }
        func draw(_ feature: Outlines.Feature, in frame: Frame) {
            let (colour, title) = fill(feature.code) ?? (MapIndicator.noData, feature.name)
            out += "<a href=\"#ze-\(CoverageHTML.escape(feature.code))\"><path data-zone=\"\(CoverageHTML.escape(feature.code))\" "
                + "fill=\"\(colour)\" d=\"\(path(feature, frame))\"><title>\(CoverageHTML.escape(title))</title></path></a>\n"
        }
        for f in metro { draw(f, in: mainFrame) }
        for name in names { for f in groups[name]! { draw(f, in: frames[name]!) } }
        out += "</svg>"
        return out
    }

    /// The path data of a feature: every ring, simplified to about a pixel, closed.
    static func path(_ feature: Outlines.Feature, _ frame: Frame) -> String {
        var d = ""
        for polygon in feature.polygons {
            for ring in polygon {
                let pts = simplify(ring.map(frame.project))
                guard pts.count >= 3 else { continue }
                d += "M" + pts.map { fmt($0.0) + " " + fmt($0.1) }.joined(separator: "L") + "Z"
            }
        }
        if d.isEmpty, let ring = feature.polygons.first?.first {
            // A zone smaller than a pixel still gets drawn, unsimplified.
            d = "M" + ring.map(frame.project).map { fmt($0.0) + " " + fmt($0.1) }.joined(separator: "L") + "Z"
        }
        return d
    }

    /// Drops points closer than `minDistance` pixels to the last kept one.
    static func simplify(_ pts: [(Double, Double)], minDistance: Double = 1) -> [(Double, Double)] {
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

    static func fmt(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
    }
}
