import Directory

/// Street-level lookup, the extension point for a BAN extract (Base Adresse Nationale, one CSV per
/// département). None is implemented yet: without one the geocoder stops at commune level.
///
/// An implementation would index the BAN rows by INSEE `citycode` (more stable than the postcode),
/// then match `StreetLine.street` (types already spelled out, SAINT unified) and the house number
/// with its suffix ("3 BIS" = "3 B"), and answer `.housenumber` or `.street`.
public protocol StreetLocator: Sendable {
    /// The position of `street` inside `commune`, or nil when the street isn't known there.
    func locate(_ street: StreetLine, in commune: CommuneCode) -> StreetMatch?
}

/// A street-level position found by a `StreetLocator`.
public struct StreetMatch: Sendable, Hashable {
    public let position: GeoPoint
    /// `.housenumber` or `.street`.
    public let precision: GeocodePrecision
    /// Confidence of the street match, 0...1.
    public let score: Double

    public init(position: GeoPoint, precision: GeocodePrecision, score: Double) {
        self.position = position
        self.precision = precision
        self.score = score
    }
}
