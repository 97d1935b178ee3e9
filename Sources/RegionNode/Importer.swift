import Directory
import Foundation
import Referencing

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

    public var description: String { "\(isItem ? "élément" : "ligne") \(line) : \(record) : \(field) : \(rule)" }

    /// A row's refusal by the node's rules (a record's rule, a state the row conflicts with, the referencing
    /// rules), or nil for an error that is not about the row (the database failing), which stops the import.
    init?(_ error: any Error, line: Int, record: String, isItem: Bool) {
        switch error {
        case RecordError.invalid(let record, let field, let rule):
            self.init(line: line, record: record, field: field, rule: rule, isItem: isItem)
        case RecordError.conflict(let why):
            self.init(line: line, record: record, field: "referencing.state", rule: why, isItem: isItem)
        case RecordError.notFound(let kind, let id):
            self.init(line: line, record: record, field: "id", rule: "\(kind) \(id) introuvable", isItem: isItem)
        case let e as ReferencingError:
            self.init(line: line, record: record, field: "referencing.state", rule: e.description, isItem: isItem)
        default:
            return nil
        }
    }
}

/// One row of an import file as read: a record with its line (or item), or why it could not be read.
public enum ImportRow<Record: Sendable>: Sendable {
    case record(line: Int, Record)
    case rejected(ImportRowError)
}

/// The rows of an import file, handed over one at a time in file order, so that a file of any size is
/// imported in bounded memory. Reading throws for a file refused whole: unreadable, a required column
/// missing, a quote never closed.
public struct ImportRows<Record: Sendable>: Sendable {
    /// True when read from a JSON array (rows are items), false for a CSV (rows are lines).
    public let isJSON: Bool
    private let read: @Sendable (_ body: (ImportRow<Record>) throws -> Void) throws -> Void

    /// Rows produced by `read`, which calls its body with each row in order.
    public init(isJSON: Bool = false, read: @escaping @Sendable (_ body: (ImportRow<Record>) throws -> Void) throws -> Void) {
        self.isJSON = isJSON
        self.read = read
    }

    /// Rows already in memory and the errors found reading them, handed over in line order.
    public init(rows: [(line: Int, record: Record)], errors: [ImportRowError], isJSON: Bool = false) {
        let all = (rows.map { (line: $0.line, row: ImportRow.record(line: $0.line, $0.record)) }
                   + errors.map { (line: $0.line, row: ImportRow<Record>.rejected($0)) })
            .sorted { $0.line < $1.line }.map(\.row)
        self.init(isJSON: isJSON) { body in for row in all { try body(row) } }
    }

    /// Calls `body` with every row, reading the file as it goes.
    public func forEach(_ body: (ImportRow<Record>) throws -> Void) throws { try read(body) }
}

/// What a bulk import did.
public struct ImportReport: Sendable, Equatable, Codable {
    /// Rows stored as new or changed records.
    public var stored: Int
    /// Rows identical to what the node already holds (a re-import changes nothing).
    public var unchanged: Int
    /// Rows rejected, by line and field: the first `listedErrors`, in file order.
    public var errors: [ImportRowError]
    /// How many rows were rejected, listed or not.
    public var rejected: Int
    /// True when `--all-or-nothing` refused the whole file because of `errors`.
    public var refusedWhole: Bool

    /// At most this many rejected rows are listed (a file of a million bad rows is told in one count).
    public static let listedErrors = 1_000

    mutating func reject(_ error: ImportRowError) {
        rejected += 1
        if errors.count < Self.listedErrors { errors.append(error) }
    }
}

/// Rolls back an all-or-nothing import that met a bad row.
private struct RefusedWhole: Error {}

/// Loads records in bulk: a whole dataset, the Région's charters, and files of places, structures or
/// indicators checked row by row.
struct Importer {
    let repository: NodeRepository
    let region: RegionCode

    /// Replaces the node's charters with `charters` (each version is immutable: a changed version is refused).
    func adoptCharters(_ charters: [Charter], by actor: Principal, at now: Date) throws {
        let encoder = SproJSON.encoder()
        try repository.write {
            for c in charters {
                guard c.region == region else { throw NodeError.charterForAnotherRegion(version: c.version, region: c.region) }
                let json = String(decoding: try encoder.encode(c), as: UTF8.self)
                if let existing = try repository.charterJSON(version: c.version) {
                    guard existing == json else { throw NodeError.charterVersionIsImmutable(version: c.version) }
                    continue
                }
                try repository.insertCharter(version: c.version, json: json)
                try repository.audit(actor, "charter.adopt", "charter/\(c.version)", before: nil, after: json, at: now)
            }
        }
    }

    /// Imports a whole dataset as the node's current records, in one transaction: records absent from
    /// the dataset are removed (and become tombstones at the next publication). Every record is first
    /// checked as the other writes check it (`check`); one refusal refuses the whole dataset
    /// (`NodeError.datasetRefused`, every record at fault listed) and nothing changes.
    func importDataset(_ dataset: RegionDataset, validator: RecordValidator, at now: Date) throws {
        guard dataset.region == region else { throw NodeError.datasetForAnotherRegion(dataset.region) }
        try Self.check(dataset, validator: validator)
        // A record's stated confirmation day is kept (a Région's list knows when each line was checked);
        // otherwise, and never in the future, the import confirms it.
        func stamp(_ day: String?) -> String {
            guard let day, let date = ISODay.parse(day), date <= now else { return ISOInstant.string(now) }
            return ISOInstant.string(date)
        }
        try repository.write {
            try repository.replaceAll(
                structures: dataset.structures.map { ($0, stamp($0.lastConfirmed)) },
                places: dataset.places.map { ($0, stamp($0.lastConfirmed)) },
                channels: dataset.channels.map { ($0, stamp($0.lastConfirmed)) },
                indicators: dataset.indicators)
        }
    }

    /// The entry rules over a whole dataset, as the node's other writes apply them: `validator` (with the
    /// node's Région: ids and their prefix, texts, hours, designations; the territory when it has the
    /// reference data), the impartiality rule, ids unique per kind, one SIRET per structure, and places',
    /// channels' structures and têtes de réseau within the dataset. Throws `NodeError.datasetRefused`
    /// listing every record at fault by kind and position (the first `ImportReport.listedErrors`).
    static func check(_ dataset: RegionDataset, validator: RecordValidator) throws {
        var errors: [ImportRowError] = []
        var rejected = 0
        func note(_ index: Int, _ record: String, _ body: () throws -> Void) throws {
            do { try body() } catch {
                guard let e = ImportRowError(error, line: index + 1, record: record, isItem: true) else { throw error }
                rejected += 1
                if errors.count < ImportReport.listedErrors { errors.append(e) }
            }
        }
        func unique(_ ids: [String], _ noun: String) throws {
            var seen: [String: Int] = [:]
            for (i, id) in ids.enumerated() {
                try note(i, "\(noun) \(id)") {
                    if let first = seen[id] { throw RecordError.invalid(record: "\(noun) \(id)", field: "id", rule: "déjà à l'élément \(first + 1)") }
                    seen[id] = i
                }
            }
        }
        try unique(dataset.structures.map(\.id), "structure")
        try unique(dataset.places.map(\.id), "lieu")
        try unique(dataset.channels.map(\.id), "canal")
        let structures = Dictionary(dataset.structures.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var sirets: [SIRET: Structure] = [:]
        for (i, s) in dataset.structures.enumerated() {
            try note(i, "structure \(s.id)") {
                try validator.validate(s)
                try ReferencingWorkflow.requireImpartiality(s)
                if let siret = s.siret, !UniqueSIRET.releasedBy.contains(s.referencing.state) {
                    if let other = sirets[siret], other.id != s.id { throw UniqueSIRET.refusal(s, holder: other.id, holderName: other.name) }
                    sirets[siret] = s
                }
                try NetworkHeads.check(s, in: nil, pending: structures)
            }
        }
        for (i, p) in dataset.places.enumerated() {
            try note(i, "lieu \(p.id)") {
                try validator.validate(p)
                if let unknown = p.structures.first(where: { structures[$0.structureId] == nil }) {
                    throw RecordError.invalid(record: "lieu \(p.id)", field: "structures", rule: "structure inconnue \(unknown.structureId)")
                }
            }
        }
        for (i, c) in dataset.channels.enumerated() {
            try note(i, "canal \(c.id)") {
                try validator.validate(c)
                if let unknown = c.contributors.first(where: { structures[$0] == nil }) {
                    throw RecordError.invalid(record: "canal \(c.id)", field: "contributors", rule: "structure inconnue \(unknown)")
                }
            }
        }
        if rejected > 0 { throw NodeError.datasetRefused(errors, rejected: rejected) }
    }

    /// The skeleton every bulk import follows, one row at a time as the file is read, in one transaction:
    /// each row is checked (`check` throws `RecordError.invalid`) and a key seen twice is refused; a valid
    /// row is stored at once, `store` answering whether it changed anything (false: unchanged). Each row
    /// runs in its own savepoint, so a row refused half-way through its writes (a rule that needs the
    /// node's records, met in `store`) leaves nothing behind and is reported like any other. Under
    /// `allOrNothing`, nothing is stored past the first bad row, the rest of the file is still checked so
    /// that every bad row is reported, and the transaction is rolled back.
    func bulkImport<Record>(_ input: ImportRows<Record>, allOrNothing: Bool, by actor: Principal, what: String,
                            key: (Record) -> String, check: (Record) throws -> Void,
                            store: (Record) throws -> Bool) throws -> ImportReport {
        try AccessPolicy.require(actor, .importRecords(what))
        var report = ImportReport(stored: 0, unchanged: 0, errors: [], rejected: 0, refusedWhole: false)
        var seen: [String: Int] = [:]
        let isItem = input.isJSON
        do {
            try repository.write {
                try input.forEach { row in
                    switch row {
                    case .rejected(let error):
                        report.reject(error)
                    case .record(let line, let record):
                        do {
                            try repository.write {
                                try check(record)
                                let name = key(record)
                                if let first = seen[name] {
                                    throw RecordError.invalid(record: name, field: "id", rule: "déjà \(isItem ? "à l'élément" : "à la ligne") \(first)")
                                }
                                seen[name] = line
                                guard !(allOrNothing && report.rejected > 0) else { return }
                                if try store(record) { report.stored += 1 } else { report.unchanged += 1 }
                            }
                        } catch {
                            guard let rowError = ImportRowError(error, line: line, record: key(record), isItem: isItem) else { throw error }
                            report.reject(rowError)
                        }
                    }
                }
                if allOrNothing && report.rejected > 0 { throw RefusedWhole() }
            }
        } catch is RefusedWhole {
            report.stored = 0
            report.unchanged = 0
            report.refusedWhole = true
        }
        return report
    }

    /// Imports places. A place must name structures the node knows; a re-import of the same place changes nothing.
    func importPlaces(_ input: ImportRows<Place>, validator: RecordValidator, allOrNothing: Bool,
                             by actor: Principal, at now: Date = Date()) throws -> ImportReport {
        let known = try repository.structureIds()
        return try bulkImport(input, allOrNothing: allOrNothing, by: actor, what: "places", key: { "lieu \($0.id)" }) { place in
            try validator.validate(place)
            if let unknown = place.structures.first(where: { !known.contains($0.structureId) }) {
                throw RecordError.invalid(record: "lieu \(place.id)", field: "structure_ids", rule: "structure inconnue \(unknown.structureId)")
            }
        } store: { place in
            let existing = try repository.place(place.id)
            guard existing != place else { return false }
            try repository.writePlace(place, at: now)
            try repository.audit(actor, "place.import", "place/\(place.id)", before: NodeRepository.json(existing), after: NodeRepository.json(place), at: now)
            return true
        }
    }

    /// Imports structures. A new one enters the referencing workflow as an application (or, for a network
    /// taking part by law, as referenced on that basis), with its history event; a known one has its details
    /// updated, keeping its referencing and basis, which only the workflow changes.
    func importStructures(_ input: ImportRows<Structure>, validator: RecordValidator, allOrNothing: Bool,
                                 by actor: Principal, at now: Date = Date()) throws -> ImportReport {
        // The SIRETs of the file's rows so far, with the row's structure: one SIRET, one structure, within the file too.
        var siretsInFile: [SIRET: (id: String, name: String)] = [:]
        // The file's structures checked so far, so that one may name a tête de réseau a few lines up.
        var inFile: [String: Structure] = [:]
        return try bulkImport(input, allOrNothing: allOrNothing, by: actor, what: "structures", key: { "structure \($0.id)" }) { s in
            try validator.validate(s)
            if let siret = s.siret {
                if let other = siretsInFile[siret], other.id != s.id { throw UniqueSIRET.refusal(s, holder: other.id, holderName: other.name) }
                try UniqueSIRET.check(s, in: repository)
                siretsInFile[siret] = (s.id, s.name)
            }
            try NetworkHeads.check(s, in: repository, pending: inFile)
            var kept = s
            if let existing = try repository.structure(s.id) {
                kept.basis = existing.basis
                try validator.validate(kept)
                kept.referencing = existing.referencing
            }
            // As it will be stored (a known structure keeps its referencing): a head withdrawn stays withdrawn.
            inFile[s.id] = kept
        } store: { s in
            guard let existing = try repository.structure(s.id) else {
                try ReferencingWorkflow(repository: repository).apply(s, places: [], validator: validator, by: actor,
                                                                     motive: "candidature (import)", at: now)
                return true
            }
            var updated = s
            updated.referencing = existing.referencing
            updated.basis = existing.basis
            try ReferencingWorkflow.requireImpartiality(updated)
            guard updated != existing else { return false }
            try repository.writeStructure(updated, at: now)
            try repository.audit(actor, "structure.import", "structure/\(s.id)", before: NodeRepository.json(existing), after: NodeRepository.json(updated), at: now)
            return true
        }
    }

    /// Imports indicator values, each checked like a reported one; a value already stored unchanged is not rewritten.
    func importIndicators(_ input: ImportRows<IndicatorValue>, validator: RecordValidator, allOrNothing: Bool,
                                 by actor: Principal, at now: Date = Date()) throws -> ImportReport {
        func name(_ v: IndicatorValue) -> String { "indicateur \(v.code) \(v.period) \(v.subject == .place ? "du lieu" : "de la structure") \(v.subjectId)" }
        return try bulkImport(input, allOrNothing: allOrNothing, by: actor, what: "indicators", key: name) { v in
            _ = try IndicatorReports(repository: repository, region: region).validate(v, record: name(v), validator: validator, at: now)
        } store: { v in
            let existing = try repository.indicator(v)
            if let existing, existing.0 == v.value, existing.1 == v.unit { return false }
            try repository.writeIndicator(v)
            try repository.audit(actor, "indicator.import", "\(v.subject.rawValue)/\(v.subjectId)", before: nil, after: NodeRepository.json(v), at: now)
            return true
        }
    }
}
