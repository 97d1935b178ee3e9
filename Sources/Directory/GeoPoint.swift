import Foundation

/// A WGS84 position. Encoded with 6 decimals (about 10 cm), so exports are stable byte for byte.
public struct GeoPoint: Hashable, Sendable, Codable, CustomStringConvertible {
    public let lat: Double
    public let lon: Double

    /// Builds a point, rounding to 6 decimals.
    public init(lat: Double, lon: Double) {
        self.lat = (lat * 1e6).rounded() / 1e6
        self.lon = (lon * 1e6).rounded() / 1e6
    }

    /// Validates the ranges of a user-given position.
    public static func validated(lat: Double, lon: Double) throws(CodeError) -> GeoPoint {
        guard lat.isFinite, (-90...90).contains(lat) else {
            throw CodeError(kind: "latitude", value: "\(lat)", rule: "doit être comprise entre -90 et 90")
        }
        guard lon.isFinite, (-180...180).contains(lon) else {
            throw CodeError(kind: "longitude", value: "\(lon)", rule: "doit être comprise entre -180 et 180")
        }
        return GeoPoint(lat: lat, lon: lon)
    }

    public var description: String { String(format: "%.6f,%.6f", lat, lon) }

    /// The mean Earth radius `distance(to:)` uses.
    public static let earthRadiusMetres = 6_371_008.8

    /// Great-circle distance in metres (haversine, mean Earth radius).
    public func distance(to other: GeoPoint) -> Double {
        let r = Self.earthRadiusMetres
        let φ1 = lat * .pi / 180, φ2 = other.lat * .pi / 180
        let dφ = φ2 - φ1
        let dλ = (other.lon - lon) * .pi / 180
        let a = sin(dφ / 2) * sin(dφ / 2) + cos(φ1) * cos(φ2) * sin(dλ / 2) * sin(dλ / 2)
        return 2 * r * asin(min(1, a.squareRoot()))
    }

    /// Whether the point lies in one of the boxes around metropolitan France, Corsica and the overseas
    /// départements. A coarse test: the region's territory check is finer.
    public var isInFrance: Bool {
        Self.franceBoxes.contains { $0.contains(self) }
    }

    static let franceBoxes: [BoundingBox] = [
        BoundingBox(minLat: 41.3, maxLat: 51.2, minLon: -5.3, maxLon: 9.7),     // metropolitan + Corsica
        BoundingBox(minLat: 15.8, maxLat: 16.6, minLon: -61.9, maxLon: -60.9),  // Guadeloupe
        BoundingBox(minLat: 14.3, maxLat: 14.9, minLon: -61.3, maxLon: -60.7),  // Martinique
        BoundingBox(minLat: 2.0, maxLat: 5.9, minLon: -54.7, maxLon: -51.5),    // Guyane
        BoundingBox(minLat: -21.5, maxLat: -20.8, minLon: 55.1, maxLon: 55.9),  // La Réunion
        BoundingBox(minLat: -13.1, maxLat: -12.6, minLon: 44.9, maxLon: 45.4),  // Mayotte
    ]
}

/// A latitude/longitude box.
public struct BoundingBox: Hashable, Sendable {
    public var minLat: Double, maxLat: Double, minLon: Double, maxLon: Double

    public init(minLat: Double, maxLat: Double, minLon: Double, maxLon: Double) {
        self.minLat = minLat
        self.maxLat = maxLat
        self.minLon = minLon
        self.maxLon = maxLon
    }

    public func contains(_ p: GeoPoint) -> Bool {
        p.lat >= minLat && p.lat <= maxLat && p.lon >= minLon && p.lon <= maxLon
    }
}
