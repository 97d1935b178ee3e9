import Foundation

/// What an indicator's value measures, and so which values are possible.
public enum IndicatorType: String, Vocabulary {
    /// A whole number of people, visits or staff (0 or more).
    case count
    /// A share, 0 to 100.
    case percent
    /// A duration (days, hours), 0 or more.
    case duration

    public var label: String {
        switch self {
        case .count: "Effectif"
        case .percent: "Pourcentage"
        case .duration: "Durée"
        }
    }
}

/// Who defines an indicator: the national core set of the CEP (socle national d'indicateurs), or one Région.
public enum IndicatorOwner: Hashable, Sendable, Codable, CustomStringConvertible {
    case nationalCEP
    case region(RegionCode)

    /// "socle_national_cep", or the Région's code.
    public var description: String {
        switch self {
        case .nationalCEP: "socle_national_cep"
        case .region(let code): code.rawValue
        }
    }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        if raw == "socle_national_cep" { self = .nationalCEP; return }
        do {
            self = .region(try RegionCode(raw))
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "« \(raw) » n'est ni socle_national_cep ni un code de région"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// The definition of one quality indicator: what a reported value must look like.
public struct IndicatorDefinition: Hashable, Codable, Sendable {
    public var code: String
    /// French label.
    public var label: String
    public var owner: IndicatorOwner
    /// Unit of every value ("persons", "percent", "days", "hours_per_week", "count").
    public var unit: String
    /// The finest period values are collected for; a coarser one (a year for quarterly data) is allowed too.
    public var periodicity: IndicatorPeriodicity
    public var type: IndicatorType

    public init(code: String, label: String, owner: IndicatorOwner, unit: String, periodicity: IndicatorPeriodicity, type: IndicatorType) {
        self.code = code
        self.label = label
        self.owner = owner
        self.unit = unit
        self.periodicity = periodicity
        self.type = type
    }

    /// Why `value` does not fit this definition, as (field, rule), or nil when it does.
    public func problem(with value: IndicatorValue) -> (field: String, rule: String)? {
        guard value.unit == unit else { return ("unit", "\(code) se mesure en \(unit), pas en \(value.unit)") }
        guard let period = IndicatorPeriodicity(period: value.period) else {
            return ("period", "\(value.period) n'est pas de la forme AAAA, AAAA-Tn (AAAA-Qn) ou AAAA-MM")
        }
        guard period.isAtLeast(periodicity) else {
            return ("period", "\(code) se relève par \(periodicity.french) ou plus ; \(value.period) est \(period.frenchArticle)")
        }
        guard value.value.isFinite, value.value >= 0 else { return ("value", "doit être un nombre fini, positif ou nul") }
        switch type {
        case .percent where value.value > 100: return ("value", "un pourcentage vaut au plus 100")
        case .count where value.value.rounded() != value.value: return ("value", "\(code) est un effectif : un nombre entier est attendu")
        default: return nil
        }
    }
}

extension IndicatorPeriodicity {
    /// The periodicity of a period written "YYYY", "YYYY-Qn" or "YYYY-MM"; nil when malformed.
    public init?(period s: String) {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard let year = parts.first, year.count == 4, Int(year) != nil else { return nil }
        switch parts.count {
        case 1: self = .year
        case 2:
            let p = parts[1]
            if p.first == "Q" {
                guard p.count == 2, ["1", "2", "3", "4"].contains(String(p.dropFirst())) else { return nil }
                self = .quarter
            } else {
                guard p.count == 2, let m = Int(p), (1...12).contains(m) else { return nil }
                self = .month
            }
        default: return nil
        }
    }

    /// Whether this period is as long as `other` or longer (a year covers quarters and months).
    public func isAtLeast(_ other: IndicatorPeriodicity) -> Bool { rank >= other.rank }

    private var rank: Int {
        switch self {
        case .month: 0
        case .quarter: 1
        case .year: 2
        }
    }
}

/// The indicator definitions in force: the national CEP core set and each Région's own, kept as data
/// (`Charters/indicators.json`) and versioned.
public struct IndicatorCatalogue: Hashable, Codable, Sendable {
    public var version: String
    public var source: String
    public var definitions: [IndicatorDefinition]

    public init(version: String, source: String, definitions: [IndicatorDefinition]) {
        self.version = version
        self.source = source
        self.definitions = definitions
    }

    /// Loads and checks a catalogue file: codes unique per owner, national codes not redefined by a Région.
    public static func load(from url: URL) throws -> IndicatorCatalogue {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CharterError(file: url.path, field: "-", rule: "illisible : \(error.localizedDescription)")
        }
        let catalogue: IndicatorCatalogue
        do { catalogue = try SproJSON.decoder().decode(IndicatorCatalogue.self, from: data) } catch let e as DecodingError {
            throw CharterError(file: url.path, field: e.fieldPath, rule: e.plainDescription)
        }
        var seen = Set<String>()
        let national = Set(catalogue.definitions.filter { $0.owner == .nationalCEP }.map(\.code))
        for (i, d) in catalogue.definitions.enumerated() {
            guard seen.insert("\(d.owner)/\(d.code)").inserted else {
                throw CharterError(file: url.path, field: "definitions[\(i)].code", rule: "\(d.code) est défini deux fois pour \(d.owner)")
            }
            if d.owner != .nationalCEP && national.contains(d.code) {
                throw CharterError(file: url.path, field: "definitions[\(i)].code",
                                   rule: "\(d.code) appartient au socle national du CEP ; une Région ne peut pas le redéfinir")
            }
        }
        return catalogue
    }

    /// The definition a Région's node applies to `code`: the national one, or the Région's own.
    public func definition(_ code: String, for region: RegionCode) -> IndicatorDefinition? {
        definitions.first { $0.code == code && $0.owner == .nationalCEP }
            ?? definitions.first { $0.code == code && $0.owner == .region(region) }
    }

    /// Why a charter's required indicators do not match the catalogue, as (field, rule) pairs.
    public func problems(in charter: Charter) -> [(field: String, rule: String)] {
        charter.requiredIndicators.enumerated().compactMap { i, r in
            let field = "requiredIndicators[\(i)]"
            guard let d = definition(r.code, for: charter.region) else {
                return (field + ".code", "\(r.code) n'est ni dans le socle national du CEP ni défini par la région \(charter.region)")
            }
            guard d.unit == r.unit else { return (field + ".unit", "\(r.code) se mesure en \(d.unit), pas en \(r.unit)") }
            guard r.periodicity.isAtLeast(d.periodicity) else {
                return (field + ".periodicity", "\(r.code) se relève au mieux par \(d.periodicity.french), pas par \(r.periodicity.french)")
            }
            return nil
        }
    }
}
