import Foundation

/// A Région's cahier des charges, from which it draws its normes de qualité (L6111-5).
/// Identified by region and version; immutable once adopted.
public struct Charter: Hashable, Codable, Sendable {
    public var region: RegionCode
    public var version: Int
    public var title: String
    /// Adoption date, YYYY-MM-DD.
    public var adoptedOn: String
    /// Where the text comes from (deliberation, press dossier...).
    public var source: String
    /// Values the charter states: gratuité, neutralité, confidentialité...
    public var values: [String]
    public var criteria: [Criterion]
    public var requiredIndicators: [RequiredIndicator]
    /// How long a referencing granted under this charter lasts, in months.
    public var referencingValidityMonths: Int
    /// Whether the charter asks for one all-public lieu mutualisé per bassin d'emploi.
    public var requiresLieuMutualisePerBassin: Bool

    public init(region: RegionCode, version: Int, title: String, adoptedOn: String, source: String,
                values: [String], criteria: [Criterion], requiredIndicators: [RequiredIndicator],
                referencingValidityMonths: Int, requiresLieuMutualisePerBassin: Bool) {
        self.region = region
        self.version = version
        self.title = title
        self.adoptedOn = adoptedOn
        self.source = source
        self.values = values
        self.criteria = criteria
        self.requiredIndicators = requiredIndicators
        self.referencingValidityMonths = referencingValidityMonths
        self.requiresLieuMutualisePerBassin = requiresLieuMutualisePerBassin
    }
}

/// One requirement of a charter.
public struct Criterion: Hashable, Codable, Sendable {
    public enum Kind: String, Codable, Sendable {
        /// Checked automatically from declared data.
        case checkable
        /// A reviewer records the evidence.
        case attested
    }

    /// Stable identifier within the charter, e.g. "gratuite".
    public var id: String
    /// French wording, from the regional text.
    public var label: String
    public var kind: Kind
    /// For a checkable criterion: which check applies.
    public var check: Check?
    /// Threshold for checks that take one (hours per week).
    public var threshold: Double?
    /// For `reports_required_indicators`: how many consecutive complete periods before the review day
    /// (at each indicator's periodicity) must each have been reported. Absent: `defaultRecentPeriods`.
    public var recentPeriods: Int?

    /// The recency when a charter does not state one: the last complete period.
    public static let defaultRecentPeriods = 1
    /// The longest recency a charter may ask for.
    public static let maxRecentPeriods = 24

    public init(id: String, label: String, kind: Kind, check: Check? = nil, threshold: Double? = nil, recentPeriods: Int? = nil) {
        self.id = id
        self.label = label
        self.kind = kind
        self.check = check
        self.threshold = threshold
        self.recentPeriods = recentPeriods
    }

    /// The automatic checks a criterion may name.
    public enum Check: String, Codable, Sendable, CaseIterable {
        case freeOfCharge = "free_of_charge"
        case minHoursPerWeek = "min_hours_per_week"
        case minWalkInHoursPerWeek = "min_walk_in_hours_per_week"
        case accessiblePlace = "accessible_place"
        case firstLevelReception = "first_level_reception"
        case servesAllPublicsOrRefers = "serves_all_publics_or_refers"
        case reportsRequiredIndicators = "reports_required_indicators"

        /// Whether the check needs a numeric threshold.
        public var needsThreshold: Bool { self == .minHoursPerWeek || self == .minWalkInHoursPerWeek }
    }
}

/// An indicator a charter requires referenced structures to report.
public struct RequiredIndicator: Hashable, Codable, Sendable {
    public var code: String
    public var label: String
    public var unit: String
    public var periodicity: IndicatorPeriodicity

    public init(code: String, label: String, unit: String, periodicity: IndicatorPeriodicity) {
        self.code = code
        self.label = label
        self.unit = unit
        self.periodicity = periodicity
    }
}

/// A charter file that does not follow the rules, naming the file and field.
public struct CharterError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let field: String
    public let rule: String

    public init(file: String, field: String, rule: String) {
        self.file = file
        self.field = field
        self.rule = rule
    }

    public var description: String { "\(file): \(field): \(rule)" }
}

extension Charter {
    /// Checks the rules a JSON schema cannot express; `file` names the source in errors.
    public func validate(file: String) throws(CharterError) {
        func fail(_ field: String, _ rule: String) -> CharterError { CharterError(file: file, field: field, rule: rule) }
        guard version >= 1 else { throw fail("version", "doit valoir 1 ou plus") }
        guard ISODay.parse(adoptedOn) != nil else { throw fail("adoptedOn", "doit être une date AAAA-MM-JJ") }
        guard !title.isEmpty else { throw fail("title", "ne doit pas être vide") }
        guard !criteria.isEmpty else { throw fail("criteria", "un cahier des charges a au moins un critère") }
        guard referencingValidityMonths > 0 else { throw fail("referencingValidityMonths", "doit être positif") }
        var seen = Set<String>()
        for (i, c) in criteria.enumerated() {
            let field = "criteria[\(i)] (\(c.id))"
            guard seen.insert(c.id).inserted else { throw fail(field, "identifiant de critère en double") }
            switch c.kind {
            case .checkable:
                guard let check = c.check else { throw fail(field + ".check", "un critère vérifiable nomme sa vérification") }
                if check.needsThreshold && c.threshold == nil {
                    throw fail(field + ".threshold", "la vérification \(check.rawValue) demande un seuil")
                }
                if let n = c.recentPeriods {
                    guard check == .reportsRequiredIndicators else {
                        throw fail(field + ".recentPeriods", "seule la vérification reports_required_indicators porte sur des périodes récentes")
                    }
                    guard (1...Criterion.maxRecentPeriods).contains(n) else {
                        throw fail(field + ".recentPeriods", "doit valoir de 1 à \(Criterion.maxRecentPeriods)")
                    }
                }
            case .attested:
                guard c.check == nil else { throw fail(field + ".check", "un critère attesté n'a pas de vérification automatique") }
                guard c.recentPeriods == nil else { throw fail(field + ".recentPeriods", "un critère attesté n'a pas de vérification automatique") }
            }
        }
    }

    /// Loads and validates a charter file.
    public static func load(from url: URL) throws -> Charter {
        let data = try Data(contentsOf: url)
        let charter: Charter
        do {
            charter = try JSONDecoder().decode(Charter.self, from: data)
        } catch let error as DecodingError {
            throw CharterError(file: url.path, field: error.fieldPath, rule: error.plainDescription)
        }
        try charter.validate(file: url.path)
        return charter
    }
}
