import Directory

/// The outcome of geocoding one address.
///
/// `score` (0...1) says how much to trust the commune:
/// - 1.0 postcode + exact city name (INSEE or La Poste name), 0.95 by an old commune name (`ligne_5`),
///   0.9 by La Poste's routing label;
/// - 0.9 / 0.85 exact name found in the postcode's département (CEDEX or wrong postcode);
/// - about 0.7-0.85 fuzzy name within the postcode, 0.6-0.75 fuzzy name within the département;
/// - 0.6 exact name in another département, or the Région's INSEE code used alone;
/// - 0.5 postcode alone; 0 unresolved.
/// With a BAN extract the score is the lower of the commune's and the street's: 1.0 house number on an
/// exactly named street, x 0.95 when only the number with another suffix exists, x 0.9 at street
/// precision, times the name similarity (0.8...1) when the street was matched despite a typo.
/// Like data·inclusion, a consumer may treat anything under 0.75 as worth a human look.
public struct GeocodeResult: Sendable, Hashable, Codable {
    /// The commune, or the arrondissement for Paris, Lyon and Marseille when it is known.
    public var commune: CommuneCode?
    public var position: GeoPoint?
    public var precision: GeocodePrecision
    public var score: Double
    /// Why a fallback was taken, or why nothing resolved; nil for a clean match.
    public var reason: String?
    /// Why the Région's coordinates were not used, when they were given and refused.
    public var coordinatesFlag: String?

    public init(commune: CommuneCode?, position: GeoPoint?, precision: GeocodePrecision, score: Double,
                reason: String? = nil, coordinatesFlag: String? = nil) {
        self.commune = commune
        self.position = position
        self.precision = precision
        self.score = score
        self.reason = reason
        self.coordinatesFlag = coordinatesFlag
    }

    /// Whether a commune was found.
    public var isResolved: Bool { commune != nil }
}
