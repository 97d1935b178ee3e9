import Directory
import Foundation
import MapDrawing
import Reference
import SafeHTML

/// What the search page's map is drawn from: the départements' outlines, and the communes it may name.
public struct SearchMapBackground: Sendable {
    public let outlines: Outlines
    /// Communes by decreasing population: the largest in view are named on the map.
    let towns: [(name: String, centre: GeoPoint, population: Int)]

    public init(outlines: Outlines, communes: [Commune]) {
        self.outlines = outlines
        towns = communes.filter { $0.kind == .commune }.sorted { $0.population > $1.population }.map { ($0.name, $0.centre, $0.population) }
    }

    /// The pack's département outlines and communes.
    public static func load(from pack: ReferencePack) throws(ReferenceError) -> SearchMapBackground {
        SearchMapBackground(outlines: try Outlines.load(.departements, from: pack.directory), communes: pack.communeList)
    }
}

/// The background of the search page's map, served at `/carte.svg?bbox=minLon,minLat,maxLon,maxLat`:
/// the départements around the results, clipped to the view, and the names of the largest communes in
/// it, with no external resource.
///
/// The page draws the searched point and the numbered results over it itself, from the very JSON its
/// list shows, so dots and list cannot disagree. It places them with the projection written in
/// `data-projection` ("x0 y0 lon0 lat0 kx ky": x = x0 + (lon − lon0)·kx, y = y0 + (lat0 − lat)·ky);
/// the projection itself stays here, in `MapFrame`, shared with the coverage map.
enum SearchMap {
    /// About the size it is shown at, beside the list or across a phone, so its text needs no scaling.
    static let width = 360.0, height = 270.0
    /// The widest area drawn, in degrees (a limitless search around a remote point spans a few degrees),
    /// and the narrowest, below which a box is widened about its centre.
    static let maxSpan = 12.0, minSpan = 0.01
    static let label = "Carte des environs du point recherché"
    /// At most this many communes are named, the largest first, none over another.
    static let namedTowns = 8

    /// Parses `bbox` ("minLon,minLat,maxLon,maxLat", as in WMS and GeoJSON).
    static func box(_ value: String?) throws(NationalAPIError) -> BoundingBox {
        let parts = (value ?? "").split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 4, let minLon = parts[0], let minLat = parts[1], let maxLon = parts[2], let maxLat = parts[3],
              [minLon, minLat, maxLon, maxLat].allSatisfy(\.isFinite) else {
            throw .badParameter("bbox", message: "bbox vaut « lonMin,latMin,lonMax,latMax », ex. -4.2,47.9,-4.0,48.1 "
                                 + "(got « \(value ?? "") »)")
        }
        guard (-90...90).contains(minLat), (-90...90).contains(maxLat), (-180...180).contains(minLon), (-180...180).contains(maxLon),
              minLat <= maxLat, minLon <= maxLon else {
            throw .badParameter("bbox", message: "bbox : il faut lonMin ≤ lonMax, latMin ≤ latMax, latitudes entre -90 et 90, "
                                 + "longitudes entre -180 et 180 (min must not exceed max)")
        }
        guard maxLat - minLat <= maxSpan, maxLon - minLon <= maxSpan else {
            throw .badParameter("bbox", message: "bbox couvre au plus \(Int(maxSpan))° de côté (at most \(Int(maxSpan))° wide)")
        }
        func widened(_ lo: Double, _ hi: Double) -> (Double, Double) {
            hi - lo >= minSpan ? (lo, hi) : ((lo + hi - minSpan) / 2, (lo + hi + minSpan) / 2)
        }
        let (la0, la1) = widened(minLat, maxLat), (lo0, lo1) = widened(minLon, maxLon)
        return BoundingBox(minLat: la0, maxLat: la1, minLon: lo0, maxLon: lo1)
    }

    /// The SVG document: a background, one `<path data-code>` per département in view, then the names.
    static func svg(_ background: SearchMapBackground, box: BoundingBox) -> String {
        drawing(background, box: box).rendered
    }

    /// The SVG as markup. SVG is XML, and the same escaping makes codes and names plain text in it.
    static func drawing(_ background: SearchMapBackground, box: BoundingBox) -> HTML {
        let outlines = background.outlines
        let frame = MapFrame(x: 0, y: 0, width: width, height: height, box: box).filled()
        let view = frame.box
        // A little beyond the view, so the clipped edges never show as strokes.
        let clip = OutlinePath.Rect(minX: -4, minY: -4, maxX: width + 4, maxY: height + 4)
        let a = frame.affine
        let projection = [a.x0, a.y0, a.lon0, a.lat0, a.kx, a.ky].map { String(format: "%.6f", $0) }.joined(separator: " ")
        let paths = outlines.features.filter { f in
            f.box.minLon <= view.maxLon && f.box.maxLon >= view.minLon && f.box.minLat <= view.maxLat && f.box.maxLat >= view.minLat
        }.html { f -> HTML in
            let d = OutlinePath.d(f, in: frame, clip: clip)
            return d.isEmpty ? HTML() : "<path data-code=\"\(f.code)\" d=\"\(d)\"/>"
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" "
            + "aria-label=\"\(label)\" class=\"carte\" data-projection=\"\(projection)\">"
            + "<title>\(label)</title>"
            + "<rect class=\"mer\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"#dce8f3\"/>"
            + "<g class=\"fond\" fill=\"#f7f4ec\" stroke=\"#a39b88\" stroke-width=\"1\" stroke-linejoin=\"round\" fill-rule=\"evenodd\">"
            + "\(paths)</g>\(towns(background, in: frame))</svg>"
    }

    /// The largest communes in view, each a dot and its name, skipping a name that would cover another.
    static func towns(_ background: SearchMapBackground, in frame: MapFrame) -> HTML {
        var placed: [(x0: Double, y0: Double, x1: Double, y1: Double)] = []
        var names: [HTML] = []
        for town in background.towns where placed.count < namedTowns && frame.box.contains(town.centre) {
            let (x, y) = frame.project(town.centre)
            let size = town.population >= 20_000 ? 13.0 : 11.0
            // No font metrics on the server: an average glyph is about 0.6 em wide.
            let textWidth = Double(town.name.count) * size * 0.6
            let toTheLeft = x + 5 + textWidth > width - 2
            let x0 = toTheLeft ? x - 5 - textWidth : x - 3, x1 = toTheLeft ? x + 3 : x + 5 + textWidth
            let box = (x0: x0, y0: y - size, x1: x1, y1: y + 4)
            guard box.x0 >= 2, box.y0 >= 2, box.y1 <= height - 2,
                  !placed.contains(where: { $0.x0 < box.x1 && box.x0 < $0.x1 && $0.y0 < box.y1 && box.y0 < $0.y1 }) else { continue }
            placed.append(box)
            let fmt = OutlinePath.fmt
            let anchor: HTML = toTheLeft ? " text-anchor=\"end\"" : ""
            names.append("<circle cx=\"\(fmt(x))\" cy=\"\(fmt(y))\" r=\"2.5\"/>"
                + "<text x=\"\(fmt(toTheLeft ? x - 5 : x + 5))\" y=\"\(fmt(y + 4))\" font-size=\"\(Int(size))\"\(anchor)"
                + " stroke=\"#f7f4ec\" stroke-width=\"3\" paint-order=\"stroke\">\(town.name)</text>")
        }
        return "<g class=\"communes\" font-family=\"system-ui, sans-serif\" fill=\"#3d3d3d\">\(names)</g>"
    }
}
