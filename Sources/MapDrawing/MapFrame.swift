import Directory
import Foundation

/// A rectangle of an SVG drawing and the lon/lat box it shows, in an equirectangular projection whose
/// longitudes are scaled by the cosine of the box's middle latitude (true shapes at French latitudes).
/// The projection is affine in lon/lat, so a page can place points itself from `affine`.
public struct MapFrame: Sendable {
    public var x: Double, y: Double, width: Double, height: Double
    public var box: BoundingBox

    public init(x: Double, y: Double, width: Double, height: Double, box: BoundingBox) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.box = box
    }

    /// Longitude factor at the box's middle latitude.
    var lonFactor: Double { cos((box.minLat + box.maxLat) / 2 * .pi / 180) }

    /// Pixels per degree of latitude: the largest that fits the whole box in the rectangle.
    public var scale: Double {
        min(width / max((box.maxLon - box.minLon) * lonFactor, 1e-9), height / max(box.maxLat - box.minLat, 1e-9))
    }

    /// The top-left corner of the drawn box: the drawing is centred in the rectangle.
    func origin(_ k: Double, _ s: Double) -> (Double, Double) {
        let usedW = (box.maxLon - box.minLon) * k * s, usedH = (box.maxLat - box.minLat) * s
        return (x + (width - usedW) / 2, y + (height - usedH) / 2)
    }

    /// A point's position in the drawing.
    public func project(_ p: GeoPoint) -> (Double, Double) {
        let k = lonFactor, s = scale
        let (ox, oy) = origin(k, s)
        return (ox + (p.lon - box.minLon) * k * s, oy + (box.maxLat - p.lat) * s)
    }

    /// The coefficients of `project`: x = x0 + (lon − lon0)·kx, y = y0 + (lat0 − lat)·ky.
    public var affine: (x0: Double, y0: Double, lon0: Double, lat0: Double, kx: Double, ky: Double) {
        let k = lonFactor, s = scale
        let (ox, oy) = origin(k, s)
        return (ox, oy, box.minLon, box.maxLat, k * s, s)
    }

    /// The same projection with the box grown, about its centre, to exactly what the rectangle shows,
    /// so that the margins around a box of another shape get drawn too.
    public func filled() -> MapFrame {
        let k = lonFactor, s = scale
        let midLat = (box.minLat + box.maxLat) / 2, midLon = (box.minLon + box.maxLon) / 2
        let halfLat = height / s / 2, halfLon = width / (k * s) / 2
        return MapFrame(x: x, y: y, width: width, height: height,
                        box: BoundingBox(minLat: midLat - halfLat, maxLat: midLat + halfLat,
                                         minLon: midLon - halfLon, maxLon: midLon + halfLon))
    }
}
