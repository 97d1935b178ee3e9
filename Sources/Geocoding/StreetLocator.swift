import AddressText
import Directory

/// Street-level lookup: the extension point for a BAN extract (Base Adresse Nationale, one CSV per
/// département). `BANIndex` is the implementation; without a locator the geocoder stops at commune level.
///
/// A locator matches `StreetLine.street` (types already spelled out, SAINT unified) inside one INSEE
/// commune (more stable than the postcode) and the house number with its suffix ("3 BIS" = "3 B"),
/// and answers `.housenumber` or `.street`.
public protocol StreetLocator: Sendable {
    /// The position of `street` inside `commune`, or nil when the street isn't known there.
    func locate(_ street: StreetLine, in commune: CommuneCode) -> StreetMatch?

    /// Whether the locator knows any street of `commune`, so that a miss can be explained as
    /// "street not found" rather than "no addresses loaded for this commune".
    func covers(_ commune: CommuneCode) -> Bool

    /// Names the data the locator answers from (a BAN index: its files and their fingerprints). When it
    /// changes, places located before may be located differently, so a harvest geocodes them again.
    var dataVersion: String { get }
}

extension StreetLocator {
    /// By default a locator claims every commune: a miss reads "street not found".
    public func covers(_ commune: CommuneCode) -> Bool { true }

    /// By default, the locator's type.
    public var dataVersion: String { String(describing: Self.self) }
}

/// A street-level position found by a `StreetLocator`.
public struct StreetMatch: Sendable, Hashable {
    public let position: GeoPoint
    /// `.housenumber` or `.street`.
    public let precision: GeocodePrecision
    /// Confidence of the street match, 0...1.
    public let score: Double
    /// What was approximated, when something was: a street name read despite a typo, a house number
    /// missing from the BAN. Added to the result's `reason`.
    public let note: String?
    /// The street's name as the locator spells it ("Rue de Siam"), when it has one.
    public let label: String?

    public init(position: GeoPoint, precision: GeocodePrecision, score: Double, note: String? = nil, label: String? = nil) {
        self.position = position
        self.precision = precision
        self.score = score
        self.note = note
        self.label = label
    }
}
