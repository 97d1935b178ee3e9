import Directory
import Foundation

/// Quality indicators reported by the Région and its structures, each checked against the indicator
/// catalogue and its subject.
struct IndicatorReports {
    let repository: NodeRepository
    let region: RegionCode

    /// Checks one indicator value: its subject exists, its period is "YYYY", "YYYY-Qn" or "YYYY-MM", its value
    /// is a finite non-negative number (at most 100 for a percentage), and, when the validator holds the
    /// indicator catalogue, it follows its definition (unit, period, type). `record` names the row in errors.
    /// A period that starts after `now`'s day is refused; one under way may be reported (a running figure,
    /// replaced when the same period is reported again).
    func validate(_ v: IndicatorValue, record: String, validator: RecordValidator, at now: Date = Date()) throws -> [String] {
        func fail(_ field: String, _ rule: String) -> RecordError { .invalid(record: record, field: field, rule: rule) }
        guard !v.code.isEmpty else { throw fail("code", "ne doit pas être vide") }
        if let catalogue = validator.indicators {
            guard let definition = catalogue.definition(v.code, for: region) else {
                throw fail("code", "\(v.code) n'est ni dans le socle national du CEP ni défini par la région \(region) (catalogue \(catalogue.version))")
            }
            if let problem = definition.problem(with: v) { throw fail(problem.field, problem.rule) }
        }
        guard IndicatorPeriodicity(period: v.period) != nil else { throw fail("period", "\(v.period) n'est pas de la forme AAAA, AAAA-Tn (AAAA-Qn) ou AAAA-MM") }
        if let start = Self.firstDay(of: v.period), start > ISODay.string(now) {
            throw fail("period", "la période \(v.period) commence le \(start), après aujourd'hui (\(ISODay.string(now))) : on ne déclare pas une période à venir")
        }
        guard v.value.isFinite, v.value >= 0 else { throw fail("value", "doit être un nombre fini, positif ou nul") }
        if v.unit == "percent" && v.value > 100 { throw fail("value", "un pourcentage vaut au plus 100") }
        switch v.subject {
        case .structure:
            guard try repository.structure(v.subjectId) != nil else { throw fail("subjectId", "structure inconnue \(v.subjectId)") }
            return [v.subjectId]
        case .place:
            guard let p = try repository.place(v.subjectId) else { throw fail("subjectId", "lieu inconnu \(v.subjectId)") }
            return p.structures.map(\.structureId)
        }
    }

    /// Stores reported indicator values in one transaction (all or none). An editor reports only for their
    /// own structure and the places it is present in. Returns how many values were stored.
    @discardableResult
    func report(_ values: [IndicatorValue], validator: RecordValidator, by actor: Principal, at now: Date) throws -> Int {
        try repository.write {
            for (i, v) in values.enumerated() {
                let owners = try validate(v, record: "indicators[\(i)] (\(v.subject.rawValue) \(v.subjectId), \(v.code))",
                                          validator: validator, at: now)
                try AccessPolicy.require(actor, .reportIndicators(kind: v.subject == .place ? "le lieu" : "la structure", id: v.subjectId, owners: owners))
            }
            for v in values {
                try repository.writeIndicator(v)
                try repository.audit(actor, "indicator.report", "\(v.subject.rawValue)/\(v.subjectId)", before: nil, after: NodeRepository.json(v), at: now)
            }
            return values.count
        }
    }

    /// The first day ("YYYY-MM-DD") of a period "YYYY", "YYYY-Qn" or "YYYY-MM"; nil when malformed.
    static func firstDay(of period: String) -> String? {
        let parts = period.split(separator: "-")
        guard let year = parts.first, year.count == 4 else { return nil }
        guard parts.count == 2 else { return parts.count == 1 ? "\(year)-01-01" : nil }
        let p = parts[1]
        if p.first == "Q", let q = Int(p.dropFirst()), (1...4).contains(q) {
            let month = (q - 1) * 3 + 1
            return "\(year)-\(month < 10 ? "0" : "")\(month)-01"
        }
        guard p.count == 2, let m = Int(p), (1...12).contains(m) else { return nil }
        return "\(year)-\(p)-01"
    }
}
