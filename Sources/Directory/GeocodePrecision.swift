/// How precisely a position was found. Raw values are stable (CSV columns, JSON, database).
public enum GeocodePrecision: String, Sendable, Hashable, Codable, CaseIterable, CodingKeyRepresentable {
    /// The house number was found in the BAN extract (`BANIndex`); the position is the address's.
    case housenumber
    /// The street was found in the BAN extract, not the house number (or none was given); the position
    /// is a point of the street, the address nearest its centroid.
    case street
    /// The Région's own coordinates, checked: in France and near the resolved commune's centre.
    case given
    /// The commune was resolved from postcode and city name (exact, old name, or fuzzy);
    /// the position is the commune's centre.
    case commune
    /// Only the postcode resolved (it serves a single commune; the city name didn't match);
    /// the position is that commune's centre.
    case postcode
    /// Nothing usable: `reason` says why.
    case unresolved

    /// French label.
    public var label: String {
        switch self {
        case .housenumber: "Numéro de la voie (BAN)"
        case .street: "Voie (BAN)"
        case .given: "Coordonnées de la Région, vérifiées"
        case .commune: "Centre de la commune"
        case .postcode: "Centre de la commune du code postal"
        case .unresolved: "Non localisé"
        }
    }
}
