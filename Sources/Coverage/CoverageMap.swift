import Directory
import Foundation
import MapDrawing
import Reference
import SafeHTML

/// Draws the zones d'emploi as an inline SVG map: metropolitan France in an equirectangular
/// projection scaled by cos(46.5°), the overseas départements in small insets on the left
/// (projection and path simplification: `MapDrawing`). Each zone is one `<path data-zone="…">`.
enum CoverageMap {
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
    /// SVG inline in HTML is parsed as HTML: names and codes go in escaped like any other text.
    static func svg(outlines: Outlines, fill: (String) -> (colour: String, title: String)?) -> HTML {
        let insetW = 120.0, insetH = 112.0, gap = 12.0
        let mainFrame = MapFrame(x: insetW + 2 * gap, y: gap, width: width - insetW - 3 * gap, height: height - 2 * gap,
                              box: metropolitan)
        var frames: [String: MapFrame] = [:]
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
            frames[name] = MapFrame(x: gap, y: gap + Double(i) * (insetH + gap) + 14, width: insetW, height: insetH - 14, box: box)
        }
        let fmt = OutlinePath.fmt
        let insets = names.html { name -> HTML in
            let f = frames[name]!
            return "<rect class=\"encart\" x=\"\(fmt(f.x - 2))\" y=\"\(fmt(f.y - 16))\" width=\"\(fmt(f.width + 4))\" height=\"\(fmt(f.height + 18))\"/>"
                + "<text class=\"encart-nom\" x=\"\(fmt(f.x + 2))\" y=\"\(fmt(f.y - 4))\">\(name)</text>\n"
        }
        func draw(_ feature: Outlines.Feature, in frame: MapFrame) -> HTML {
            let (colour, title) = fill(feature.code) ?? (MapIndicator.noData, feature.name)
            // The link's title names it by its zone and value, for a screen reader as for a mouse's tooltip.
            return "<a href=\"#ze-\(feature.code)\"><title>\(title)</title><path data-zone=\"\(feature.code)\" "
                + "fill=\"\(colour)\" d=\"\(OutlinePath.d(feature, in: frame))\"/></a>\n"
        }
        let zones = metro.html { draw($0, in: mainFrame) } + names.html { name in groups[name]!.html { draw($0, in: frames[name]!) } }
        // A group of links, not an image: an image's content is hidden from assistive technologies, and
        // every zone of this map is a named link to its details. The inset names are decoration there.
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" "
            + "role=\"group\" aria-label=\"Carte des zones d'emploi\" class=\"carte\">\n<g aria-hidden=\"true\">\(insets)</g>\(zones)</svg>"
    }
}
