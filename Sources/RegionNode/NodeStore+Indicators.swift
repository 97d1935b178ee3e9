import Directory
import Foundation
import Storage

extension NodeStore {
    /// Checks one indicator value: its subject exists, its period is "YYYY", "YYYY-Qn" or "YYYY-MM", its value
    /// is a finite non-negative number (at most 100 for a percentage), and, when the validator holds the
    /// indicator catalogue, it follows its definition (unit, period, type). `record` names the row in errors.
    func validateIndicator(_ v: IndicatorValue, record: String, validator: RecordValidator) throws -> [String] {
        func fail(_ field: String, _ rule: String) -> RecordError { .invalid(record: record, field: field, rule: rule) }
        guard !v.code.isEmpty else { throw fail("code", "must not be empty") }
        if let catalogue = validator.indicators {
            guard let definition = catalogue.definition(v.code, for: region.code) else {
                throw fail("code", "\(v.code) is neither in the national CEP core set nor defined by région \(region.code) (catalogue \(catalogue.version))")
            }
            if let problem = definition.problem(with: v) { throw fail(problem.field, problem.rule) }
        }
        guard IndicatorPeriodicity(period: v.period) != nil else { throw fail("period", "\(v.period) is not YYYY, YYYY-Qn or YYYY-MM") }
        guard v.value.isFinite, v.value >= 0 else { throw fail("value", "must be a finite number, 0 or more") }
        if v.unit == "percent" && v.value > 100 { throw fail("value", "a percentage is at most 100") }
        switch v.subject {
        case .structure:
            guard try structure(v.subjectId) != nil else { throw fail("subjectId", "unknown structure \(v.subjectId)") }
            return [v.subjectId]
        case .place:
            guard let p = try place(v.subjectId) else { throw fail("subjectId", "unknown place \(v.subjectId)") }
            return p.structures.map(\.structureId)
        }
    }

    /// Stores reported indicator values in one transaction (all or none). An editor reports only for their
    /// own structure and the places it is present in. Returns how many values were stored.
    @discardableResult
    public func reportIndicators(_ values: [IndicatorValue], validator: RecordValidator = RecordValidator(),
                                 by actor: Principal, at now: Date = Date()) throws -> Int {
        try db.transaction {
            for (i, v) in values.enumerated() {
                let owners = try validateIndicator(v, record: "indicators[\(i)] (\(v.subject.rawValue) \(v.subjectId), \(v.code))",
                                                   validator: validator)
                try AccessPolicy.require(actor, .reportIndicators(kind: v.subject.rawValue, id: v.subjectId, owners: owners))
            }
            let insert = try db.prepare(
                "INSERT OR REPLACE INTO indicators (subject, subject_id, code, period, value, unit) VALUES (?, ?, ?, ?, ?, ?)")
            for v in values {
                try insert.run(v.subject.rawValue, v.subjectId, v.code, v.period, v.value, v.unit)
                try audit(actor, "indicator.report", "\(v.subject.rawValue)/\(v.subjectId)", before: nil, after: Self.json(v), at: now)
            }
            if !values.isEmpty { cached = nil }
            return values.count
        }
    }
}
