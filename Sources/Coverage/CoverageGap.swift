import Directory

/// What kind of gap a zone has.
public enum GapKind: String, Codable, Sendable, CaseIterable, Comparable {
    /// A significant share of the population is beyond the threshold from any place of a family.
    case familyBeyondThreshold = "famille_eloignee"
    /// No place at all in the zone.
    case noPlace = "aucun_lieu"
    /// Many networks close together and no lieu mutualisé among them.
    case overConcentration = "surconcentration"
    /// Places whose data has not been updated for too long.
    case staleData = "donnees_perimees"
    /// A first-level place with no level-2 route for one of its publics in the zone.
    case twoDoors = "deux_portes"
    /// The Région's charter asks for an all-public lieu mutualisé per bassin, and the zone has none.
    case missingLieuMutualise = "lieu_mutualise_manquant"

    /// French label.
    public var label: String {
        switch self {
        case .familyBeyondThreshold: "Population éloignée d'un service ou d'un public"
        case .noPlace: "Aucun lieu d'accueil"
        case .overConcentration: "Réseaux concentrés sans lieu mutualisé"
        case .staleData: "Données non mises à jour"
        case .twoDoors: "Règle des « deux portes » non tenue"
        case .missingLieuMutualise: "Lieu mutualisé tous publics manquant"
        }
    }

    public static func < (a: GapKind, b: GapKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// How serious a gap is; zones are ranked by the sum of their gaps' `weight`.
public enum GapSeverity: Int, Codable, Sendable, CaseIterable, Comparable {
    case low = 1, medium, high, critical

    /// French label.
    public var label: String {
        switch self {
        case .low: "faible"
        case .medium: "modérée"
        case .high: "élevée"
        case .critical: "critique"
        }
    }

    /// Ranking weight: each level counts three times the one below, so one gap outweighs two of the
    /// level below it.
    public var weight: Int {
        switch self {
        case .low: 1
        case .medium: 3
        case .high: 9
        case .critical: 27
        }
    }

    public static func < (a: GapSeverity, b: GapSeverity) -> Bool { a.rawValue < b.rawValue }
}

/// One gap in one zone, with a short explanation in French.
public struct CoverageGap: Codable, Sendable, Hashable {
    public var kind: GapKind
    public var zone: ZoneEmploiCode
    public var zoneName: String
    /// The family concerned (a service or a public), for `familyBeyondThreshold` and `twoDoors`.
    public var family: CoverageFamily?
    public var severity: GapSeverity
    /// Short explanation in French.
    public var message: String
    /// People concerned, where it can be counted.
    public var population: Int?
    /// The measured value behind the gap (a share, a count of networks or places), if any.
    public var value: Double?
    /// Places involved (at most 20 ids, "region/id").
    public var places: [String]

    public init(kind: GapKind, zone: ZoneEmploiCode, zoneName: String, family: CoverageFamily? = nil, severity: GapSeverity,
                message: String, population: Int? = nil, value: Double? = nil, places: [String] = []) {
        self.kind = kind
        self.zone = zone
        self.zoneName = zoneName
        self.family = family
        self.severity = severity
        self.message = message
        self.population = population
        self.value = value
        self.places = places
    }

    /// Identifies the same gap across two reports: kind, zone and family.
    public var identity: String { [kind.rawValue, zone.rawValue, family?.key ?? ""].joined(separator: "/") }
}
