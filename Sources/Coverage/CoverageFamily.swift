import Directory

/// A family of places whose distance the report measures: every place, the places offering one
/// service, or the places receiving one public.
///
/// Encoded as a stable key: `"ensemble"`, `"service:cep_niveau_1"`, `"public:jeunes_16_25"`.
public enum CoverageFamily: Hashable, Sendable, Comparable {
    /// Any place at all.
    case overall
    /// Places that list this service.
    case service(Service)
    /// Places that receive this public; a `tous_publics` place receives every public.
    case `public`(Public)

    /// The families the report measures by default: every place, the six AIO missions, CEP level 1,
    /// and the three publics that most need a place nearby.
    public static let standard: [CoverageFamily] =
        [.overall] + (Service.aioMissions + [.cep1]).map { .service($0) }
            + [Public.jeunes, .personnesHandicapees, .demandeursEmploi].map { .public($0) }

    /// Stable identifier used in JSON, CSV and HTML.
    public var key: String {
        switch self {
        case .overall: "ensemble"
        case .service(let s): "service:" + s.rawValue
        case .public(let p): "public:" + p.rawValue
        }
    }

    /// Parses a key written by `key`.
    public init?(key: String) {
        if key == "ensemble" { self = .overall; return }
        let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        switch parts[0] {
        case "service": guard let s = Service(rawValue: parts[1]) else { return nil }; self = .service(s)
        case "public": guard let p = Public(rawValue: parts[1]) else { return nil }; self = .public(p)
        default: return nil
        }
    }

    /// French label for reports.
    public var label: String {
        switch self {
        case .overall: "Tout lieu d'accueil"
        case .service(let s): s.label
        case .public(let p): "Public : " + p.label
        }
    }

    /// Short label for column headers.
    public var shortLabel: String {
        switch self {
        case .overall: "Tout lieu"
        case .service(let s):
            switch s {
            case .accompagnerProjets: "Projets"
            case .accompagnerInsertion: "Insertion"
            case .aiderEmploi: "Emploi"
            case .informerMetiers: "Métiers"
            case .informerFormations: "Formations"
            case .prescrireFormations: "Prescription"
            case .cep1: "CEP 1"
            case .cep2: "CEP 2"
            case .cep3: "CEP 3"
            case .vae: "VAE"
            case .bilanCompetences: "Bilan"
            case .creationEntreprise: "Création"
            }
        case .public(let p): p.label
        }
    }

    /// Whether a place belongs to the family.
    public func isServed(by place: Place) -> Bool {
        switch self {
        case .overall: true
        case .service(let s): place.services.contains(s)
        case .public(let p): place.publics.contains(p) || place.publics.contains(.tousPublics)
        }
    }

    public var isService: Bool { if case .service = self { true } else { false } }
    public var isPublic: Bool { if case .public = self { true } else { false } }

    public static func < (a: CoverageFamily, b: CoverageFamily) -> Bool { a.key < b.key }
}

extension CoverageFamily: Codable {
    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let family = CoverageFamily(key: raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "unknown coverage family \"\(raw)\""))
        }
        self = family
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(key)
    }
}
