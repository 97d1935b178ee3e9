import Directory
import Foundation
import Storage

extension NodeStore {
    /// Checks one indicator value: its subject exists, its period is "YYYY", "YYYY-Qn" or "YYYY-MM", its value
    /// is a finite non-negative number (at most 100 for a percentage). `index` names the row in errors.
    func validateIndicator(_ v: IndicatorValue, index: Int) throws -> [String] {
        let record = "indicators[\(index)] (\(v.subject.rawValue) \(v.subjectId), \(v.code))"
        func fail(_ field: String, _ rule: String) -> AdminError { .invalid(record: record, field: field, rule: rule) }
        guard !v.code.isEmpty else { throw fail("code", "must not be empty") }
        guard Self.isPeriod(v.period) else { throw fail("period", "\(v.period) is not YYYY, YYYY-Qn or YYYY-MM") }
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

    static func isPeriod(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard let year = parts.first, year.count == 4, Int(year) != nil else { return false }
        switch parts.count {
        case 1: return true
        case 2:
            let p = parts[1]
            if p.first == "Q" { return p.count == 2 && ["1", "2", "3", "4"].contains(String(p.dropFirst())) }
            return p.count == 2 && (Int(p).map { (1...12).contains($0) } ?? false)
        default: return false
        }
    }

    /// Stores reported indicator values in one transaction (all or none). An editor reports only for their
    /// own structure and the places it is present in. Returns how many values were stored.
    @discardableResult
    public func reportIndicators(_ values: [IndicatorValue], by actor: Principal, at now: Date = Date()) throws -> Int {
        try db.transaction {
            for (i, v) in values.enumerated() {
                let owners = try validateIndicator(v, index: i)
                guard actor.role == .admin || owners.contains(actor.structureId ?? "") else {
                    throw AdminError.forbidden("\(actor.name) reports for structure \(actor.structureId ?? "?") only, not \(v.subject.rawValue) \(v.subjectId)")
                }
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
