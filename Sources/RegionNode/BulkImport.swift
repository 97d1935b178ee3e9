import Directory
import Foundation

/// One rejected row of a bulk import: where it is in the file, the record and the field at fault.
public struct ImportRowError: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The CSV line, or the 1-based position of the item in a JSON array.
    public let line: Int
    public let record: String
    public let field: String
    public let rule: String
    /// True for a JSON file, whose rows are items rather than lines.
    public var isItem = false

    public init(line: Int, record: String, field: String, rule: String, isItem: Bool = false) {
        self.line = line
        self.record = record
        self.field = field
        self.rule = rule
        self.isItem = isItem
    }

    public var description: String { "\(isItem ? "item" : "line") \(line): \(record): \(field): \(rule)" }
}

/// The records read from an import file, each with its line (or item), and the rows that could not be read.
public struct ImportRows<Record: Sendable>: Sendable {
    public var rows: [(line: Int, record: Record)]
    public var errors: [ImportRowError]
    /// True when read from a JSON array (rows are items), false for a CSV (rows are lines).
    public var isJSON: Bool

    public init(rows: [(line: Int, record: Record)], errors: [ImportRowError], isJSON: Bool = false) {
        self.rows = rows
        self.errors = errors
        self.isJSON = isJSON
    }
}

/// What a bulk import did.
public struct ImportReport: Sendable, Equatable, Codable {
    /// Rows stored as new or changed records.
    public var stored: Int
    /// Rows identical to what the node already holds (a re-import changes nothing).
    public var unchanged: Int
    /// Rows rejected, by line and field.
    public var errors: [ImportRowError]
    /// True when `--all-or-nothing` refused the whole file because of `errors`.
    public var refusedWhole: Bool
}

extension NodeStore {
    /// The skeleton every bulk import follows: each row is checked (`check` throws `RecordError.invalid`)
    /// and a key seen twice is refused; then, unless `allOrNothing` and any row is bad, the valid rows are
    /// stored in one transaction, `store` answering whether a row changed anything (false: unchanged).
    func bulkImport<Record>(_ input: ImportRows<Record>, allOrNothing: Bool, by actor: Principal, what: String,
                            key: (Record) -> String, check: (Record) throws -> Void,
                            store: (Record) throws -> Bool) throws -> ImportReport {
        try AccessPolicy.require(actor, .importRecords(what))
        var errors = input.errors
        var valid: [Record] = []
        var seen: [String: Int] = [:]
        let isItem = input.isJSON
        for (line, record) in input.rows {
            do {
                try check(record)
                if let first = seen[key(record)] {
                    throw RecordError.invalid(record: key(record), field: "id", rule: "already on \(isItem ? "item" : "line") \(first)")
                }
                seen[key(record)] = line
                valid.append(record)
            } catch let RecordError.invalid(record, field, rule) {
                errors.append(ImportRowError(line: line, record: record, field: field, rule: rule, isItem: isItem))
            }
        }
        errors.sort { $0.line < $1.line }
        if allOrNothing && !errors.isEmpty {
            return ImportReport(stored: 0, unchanged: 0, errors: errors, refusedWhole: true)
        }
        return try db.transaction {
            var stored = 0, unchanged = 0
            for record in valid {
                if try store(record) { stored += 1 } else { unchanged += 1 }
            }
            if stored > 0 { cached = nil }
            return ImportReport(stored: stored, unchanged: unchanged, errors: errors, refusedWhole: false)
        }
    }

    /// Imports places. A place must name structures the node knows; a re-import of the same place changes nothing.
    public func importPlaces(_ input: ImportRows<Place>, validator: RecordValidator, allOrNothing: Bool,
                             by actor: Principal, at now: Date = Date()) throws -> ImportReport {
        let known = Set(try db.query("SELECT id FROM structures") { $0.string(0) })
        return try bulkImport(input, allOrNothing: allOrNothing, by: actor, what: "places", key: { "place \($0.id)" }) { place in
            try validator.validate(place)
            if let unknown = place.structures.first(where: { !known.contains($0.structureId) }) {
                throw RecordError.invalid(record: "place \(place.id)", field: "structure_ids", rule: "unknown structure \(unknown.structureId)")
            }
        } store: { place in
            let existing = try self.place(place.id)
            guard existing != place else { return false }
            try writePlace(place, at: now)
            try audit(actor, "place.import", "place/\(place.id)", before: Self.json(existing), after: Self.json(place), at: now)
            return true
        }
    }

    /// Imports structures. A new one enters the referencing workflow as an application (or, for a network
    /// taking part by law, as referenced on that basis), with its history event; a known one has its details
    /// updated, keeping its referencing and basis, which only the workflow changes.
    public func importStructures(_ input: ImportRows<Structure>, validator: RecordValidator, allOrNothing: Bool,
                                 by actor: Principal, at now: Date = Date()) throws -> ImportReport {
        try bulkImport(input, allOrNothing: allOrNothing, by: actor, what: "structures", key: { "structure \($0.id)" }) { s in
            try validator.validate(s)
            if let existing = try structure(s.id) {
                var kept = s
                kept.basis = existing.basis
                try validator.validate(kept)
            }
        } store: { s in
            guard let existing = try structure(s.id) else {
                try apply(s, places: [], validator: validator, by: actor, motive: "candidature (import)", at: now)
                return true
            }
            var updated = s
            updated.referencing = existing.referencing
            updated.basis = existing.basis
            guard updated != existing else { return false }
            try writeStructure(updated, at: now)
            try audit(actor, "structure.import", "structure/\(s.id)", before: Self.json(existing), after: Self.json(updated), at: now)
            return true
        }
    }

    /// Imports indicator values, each checked like a reported one; a value already stored unchanged is not rewritten.
    public func importIndicators(_ input: ImportRows<IndicatorValue>, validator: RecordValidator, allOrNothing: Bool,
                                 by actor: Principal, at now: Date = Date()) throws -> ImportReport {
        func name(_ v: IndicatorValue) -> String { "indicator \(v.code) \(v.period) of \(v.subject.rawValue) \(v.subjectId)" }
        return try bulkImport(input, allOrNothing: allOrNothing, by: actor, what: "indicators", key: name) { v in
            _ = try validateIndicator(v, record: name(v), validator: validator)
        } store: { v in
            let existing = try db.queryFirst(
                "SELECT value, unit FROM indicators WHERE subject = ? AND subject_id = ? AND code = ? AND period = ?",
                v.subject.rawValue, v.subjectId, v.code, v.period) { ($0.double(0), $0.string(1)) }
            if let existing, existing.0 == v.value, existing.1 == v.unit { return false }
            try db.run("INSERT OR REPLACE INTO indicators (subject, subject_id, code, period, value, unit) VALUES (?, ?, ?, ?, ?, ?)",
                       v.subject.rawValue, v.subjectId, v.code, v.period, v.value, v.unit)
            try audit(actor, "indicator.import", "\(v.subject.rawValue)/\(v.subjectId)", before: nil, after: Self.json(v), at: now)
            return true
        }
    }
}
