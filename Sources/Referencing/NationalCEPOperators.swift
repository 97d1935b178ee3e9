import Directory

/// The national reference table of networks designated by law as operators of the conseil en
/// évolution professionnelle (L6111-6). Versioned: a node records which version it checked against.
public struct NationalCEPOperators: Sendable, Equatable {
    public let version: String
    public let source: String
    public let networks: Set<Network>

    /// The table in force: France Travail, Apec, Missions locales, Cap emploi (L6111-6), and the
    /// operators for employees selected by France compétences, recorded here as Transitions Pro.
    public static let current = NationalCEPOperators(
        version: "2020-01",
        source: "Code du travail L6111-6 ; opérateurs CEP des actifs occupés désignés par France compétences (2020)",
        networks: [.franceTravail, .apec, .missionLocale, .capEmploi, .transitionsPro])

    /// Whether `network` may claim the national CEP operator basis.
    public func lists(_ network: Network) -> Bool { networks.contains(network) }
}
