import Directory
import Foundation
import PerformanceKit
import Referencing
import Signing
import ServerFoundation
import Storage

/// Everything a region node keeps in its SQLite file, and nothing else: rows in, records out. No
/// permission, workflow or publication rule lives here; the services built on it (`ReferencingWorkflow`,
/// `EditQueue`, `Importer`, `IndicatorReports`, `QualityReview`, `TokenRegistry`, `Publisher`) decide those.
/// Not `Sendable`: the `NodeStore` actor owns the one instance and the connection under it.
final class NodeRepository {
    private let db: Database

    /// Opens (creating and migrating if needed) the node's database.
    init(path: String) throws {
        db = try Database(path: path)
        try db.migrate(NodeSchema.migrations)
        try fillListColumns()
    }

    /// Computes the list columns of rows written before they existed (migration 4), once.
    private func fillListColumns() throws {
        func fill<T: ListedRecord>(_ table: String, _: T.Type) throws {
            let rows = try db.query("SELECT id, json FROM \(table) WHERE name_key IS NULL") { ($0.string(0), $0.string(1)) }
            guard !rows.isEmpty else { return }
            let decoder = SproJSON.decoder()
            try db.transaction(.immediate) {
                for (id, json) in rows {
                    let r = try decoder.decode(T.self, from: Data(json.utf8))
                    try db.run("UPDATE \(table) SET name_key = ?, facets = ? WHERE id = ?", r.nameKey, r.facetText, id)
                }
            }
        }
        try fill("structures", Structure.self)
        try fill("places", Place.self)
        try fill("channels", Channel.self)
    }

    /// Runs `body` as one write transaction: every change in it lands, or none.
    func write<T>(_ body: () throws -> T) throws -> T { try db.transaction(.immediate, body) }

    /// Runs `write` as one write transaction, failing as busy after `milliseconds` if another connection
    /// (an import from the command line, say) holds the database.
    func write<T>(waitingAtMost milliseconds: Int32, _ body: () throws -> T) throws -> T {
        try db.waitingForLocks(atMost: milliseconds) { try db.transaction(.immediate, body) }
    }

    /// Runs `body` on one consistent snapshot, without taking the write lock.
    func read<T>(_ body: () throws -> T) throws -> T { try db.read(body) }

    /// `value` as the JSON text stored in the audit log and the edit queue.
    static func json<T: Encodable>(_ value: T?) -> String? {
        value.flatMap { try? SproJSON.encoder().encode($0) }.map { String(decoding: $0, as: UTF8.self) }
    }

    // MARK: - Records

    func structure(_ id: String) throws -> Structure? { try record("structures", id) }
    func place(_ id: String) throws -> Place? { try record("places", id) }
    func channel(_ id: String) throws -> Channel? { try record("channels", id) }

    /// One stored record, its confirmation day (the row's `updated_at`) left out: it is derived, never stored.
    private func record<T: Decodable>(_ table: String, _ id: String) throws -> T? {
        try db.queryFirst("SELECT json FROM \(table) WHERE id = ?", id) { try SproJSON.decoder().decode(T.self, from: Data($0.string(0).utf8)) }
    }

    func structureIds() throws -> Set<String> { Set(try db.query("SELECT id FROM structures") { $0.string(0) }) }

    /// The stored structures whose JSON contains `text` (a SIRET, say), decoded; the caller checks the field.
    func structures(containing text: String) throws -> [Structure] {
        try db.query("SELECT json FROM structures WHERE instr(json, ?) > 0", text) { try SproJSON.decoder().decode(Structure.self, from: Data($0.string(0).utf8)) }
    }

    /// Stores a structure; `now` is its confirmation date.
    func writeStructure(_ s: Structure, at now: Date) throws {
        var s = s
        s.lastConfirmed = nil
        try upsert("structures", s.id, s, confirmed: ISOInstant.string(now))
    }

    /// Stores a place; `now` is its confirmation date. Language codes are kept as `LanguageCode` writes them
    /// (lower case), however they came (API, page, file).
    func writePlace(_ p: Place, at now: Date) throws {
        var p = p
        p.lastConfirmed = nil
        p.languages = p.languages.map { (try? LanguageCode($0))?.rawValue ?? $0 }
        try upsert("places", p.id, p, confirmed: ISOInstant.string(now))
    }

    /// Stores a channel; `now` is its confirmation date.
    func writeChannel(_ c: Channel, at now: Date) throws {
        var c = c
        c.lastConfirmed = nil
        try upsert("channels", c.id, c, confirmed: ISOInstant.string(now))
    }

    /// Writes a record with its list columns; its version goes up by one when its content changes.
    private func upsert<T: ListedRecord>(_ table: String, _ id: String, _ record: T, confirmed: String) throws {
        try db.run("""
            INSERT INTO \(table) (id, json, updated_at, name_key, facets) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET version = version + (json IS NOT excluded.json), json = excluded.json,
                updated_at = excluded.updated_at, name_key = excluded.name_key, facets = excluded.facets
            """, id, String(decoding: try SproJSON.encoder().encode(record), as: UTF8.self), confirmed, record.nameKey, record.facetText)
    }

    /// A record's current version (its ETag), or nil if there is no such record.
    func version(_ kind: RecordKind, _ id: String) throws -> Int? {
        try db.queryFirst("SELECT version FROM \(kind.table) WHERE id = ?", id) { $0.int(0) }
    }

    /// One record with its version, its confirmation day stamped as `loadAll` does.
    func versioned<T: ListedRecord>(_ kind: RecordKind, _ id: String, as _: T.Type) throws -> Versioned<T>? {
        try db.queryFirst("SELECT json, version FROM \(kind.table) WHERE id = ?", id) {
            Versioned(record: try SproJSON.decoder().decode(T.self, from: Data($0.string(0).utf8)), version: $0.int(1))
        }
    }

    /// A page of `kind`'s records matching `query`, in id order, with how many match in all.
    func list<T: ListedRecord>(_ kind: RecordKind, _ query: NodeListQuery, visibleTo owners: String?, as _: T.Type) throws
        -> (page: [Versioned<T>], total: Int, next: String?) {
        var conditions: [String] = []
        var arguments: [any SQLBindable] = []
        for anyOf in query.facets {
            conditions.append("(" + anyOf.map { _ in "instr(facets, ?) > 0" }.joined(separator: " OR ") + ")")
            arguments += anyOf.map { " \($0) " }
        }
        if let owners {
            // An editor's lists: their structure's records (a structure's own record is keyed by its id).
            conditions.append(kind == .structure ? "id = ?" : "instr(facets, ?) > 0")
            arguments.append(kind == .structure ? owners : " structure=\(owners) ")
        }
        if let text = query.text {
            conditions.append("instr(' ' || name_key || ' ', ?) > 0")
            arguments.append(" " + text)
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let total = try db.query("SELECT count(*) FROM \(kind.table)" + filter, arguments: arguments) { $0.int(0) }.first ?? 0
        let paged = filter.isEmpty ? " WHERE id > ?" : filter + " AND id > ?"
        let rows = try db.query("SELECT json, updated_at, version FROM \(kind.table)\(paged) ORDER BY id LIMIT ?",
                                arguments: arguments + [query.after ?? "", query.limit + 1]) { ($0.string(0), $0.string(1), $0.int(2)) }
        let decoder = SproJSON.decoder()
        var page = try rows.prefix(query.limit).map { row in
            Versioned(record: try decoder.decode(T.self, from: Data(row.0.utf8)), version: row.2)
        }
        // The confirmation day is the row's, as everywhere else on the node.
        for i in page.indices { page[i].record.lastConfirmed = String(rows[i].1.prefix(10)) }
        return (page, total, rows.count > query.limit ? page.last.map { PageCursor.encode($0.record.id) } : nil)
    }

    /// Marks a record as confirmed at `now` without changing it.
    func confirm(_ kind: RecordKind, _ id: String, at now: Date) throws {
        try db.run("UPDATE \(kind.table) SET updated_at = ? WHERE id = ?", ISOInstant.string(now), id)
    }

    /// Removes a place and its indicators, leaving a tombstone with the closure's motive.
    func removePlace(_ closure: PlaceClosure, at now: Date) throws {
        try db.run("DELETE FROM places WHERE id = ?", closure.placeId)
        try db.run("DELETE FROM indicators WHERE subject = 'place' AND subject_id = ?", closure.placeId)
        try addTombstone(kind: "place", id: closure.placeId, at: now, motive: closure.motive, replacing: true)
    }

    /// Removes a channel, leaving a tombstone with the motive.
    func removeChannel(_ id: String, motive: String, at now: Date) throws {
        try db.run("DELETE FROM channels WHERE id = ?", id)
        try addTombstone(kind: "channel", id: id, at: now, motive: motive, replacing: true)
    }

    /// Records as `(id, json)` rows.
    func rowsWithIds(_ kind: RecordKind) throws -> [(id: String, json: String)] {
        try db.query("SELECT id, json FROM \(kind.table)") { ($0.string(0), $0.string(1)) }
    }

    /// Records with their confirmation days, as `(json, updated_at)` rows, by id.
    func rows(_ kind: RecordKind) throws -> [(json: String, updatedAt: String)] {
        try db.query("SELECT json, updated_at FROM \(kind.table) ORDER BY id") { ($0.string(0), $0.string(1)) }
    }

    /// Replaces every structure, place, channel and indicator at once (a whole dataset's import).
    func replaceAll(structures: [(Structure, String)], places: [(Place, String)], channels: [(Channel, String)],
                    indicators: [IndicatorValue]) throws {
        // Records kept by id, so that their versions go on counting (a client's If-Match stays meaningful).
        func keepOnly(_ table: String, _ ids: [String]) throws {
            let keep = Set(ids)
            for id in try db.query("SELECT id FROM \(table)", map: { $0.string(0) }) where !keep.contains(id) {
                try db.run("DELETE FROM \(table) WHERE id = ?", id)
            }
        }
        try keepOnly("structures", structures.map(\.0.id))
        try keepOnly("places", places.map(\.0.id))
        try keepOnly("channels", channels.map(\.0.id))
        try db.execute("DELETE FROM indicators;")
        for (s, confirmed) in structures { try upsert("structures", s.id, s, confirmed: confirmed) }
        for (p, confirmed) in places { try upsert("places", p.id, p, confirmed: confirmed) }
        for (c, confirmed) in channels { try upsert("channels", c.id, c, confirmed: confirmed) }
        for i in indicators { try writeIndicator(i) }
    }

    /// Counts of stored records.
    func counts() throws -> (structures: Int, places: Int, indicators: Int) {
        (try db.queryFirst("SELECT count(*) FROM structures") { $0.int(0) } ?? 0,
         try db.queryFirst("SELECT count(*) FROM places") { $0.int(0) } ?? 0,
         try db.queryFirst("SELECT count(*) FROM indicators") { $0.int(0) } ?? 0)
    }

    /// Every record of the node, each with its confirmation day.
    func loadAll() throws -> NodeRecords {
        let decoder = SproJSON.decoder()
        // A record's confirmation day is its row's `updated_at` (an ISO instant: its first ten characters).
        // Rows are read here, then decoded on every core: decoding is most of the cost.
        let structures = try Self.decodeConfirmed(rows(.structure)) { (s: inout Structure, day) in s.lastConfirmed = day }
        let places = try Self.decodeConfirmed(rows(.place)) { (p: inout Place, day) in p.lastConfirmed = day }
        let channels = try rows(.channel).map { row in
            var c = try decoder.decode(Channel.self, from: Data(row.json.utf8))
            c.lastConfirmed = String(row.updatedAt.prefix(10))
            return c
        }
        return NodeRecords(charters: try charters(), structures: structures, places: places, indicators: try indicators(),
                           tombstones: try tombstones(), channels: channels)
    }

    /// Records decoded from `(json, updated_at)` rows in parallel, each stamped with its confirmation day.
    private static func decodeConfirmed<T: Decodable & Sendable>(_ rows: [(json: String, updatedAt: String)],
                                                                 stamp: (inout T, String) -> Void) throws -> [T] {
        try rows.inParallelChunks { chunk in
            let decoder = SproJSON.decoder()
            return try chunk.map { row in
                var record = try decoder.decode(T.self, from: Data(row.json.utf8))
                stamp(&record, String(row.updatedAt.prefix(10)))
                return record
            }
        }.flatMap { $0 }
    }

    // MARK: - Charters

    func charters() throws -> [Charter] {
        let decoder = SproJSON.decoder()
        return try db.query("SELECT json FROM charters ORDER BY version") { try decoder.decode(Charter.self, from: Data($0.string(0).utf8)) }
    }

    /// The stored JSON of a charter version, if adopted.
    func charterJSON(version: Int) throws -> String? {
        try db.queryFirst("SELECT json FROM charters WHERE version = ?", version) { $0.string(0) }
    }

    func insertCharter(version: Int, json: String) throws {
        try db.run("INSERT INTO charters (version, json) VALUES (?, ?)", version, json)
    }

    // MARK: - Indicators

    func indicators() throws -> [IndicatorValue] {
        try db.query("SELECT subject, subject_id, code, period, value, unit FROM indicators") {
            IndicatorValue(subject: IndicatorValue.Subject(rawValue: $0.string(0)) ?? .place, subjectId: $0.string(1),
                           code: $0.string(2), period: $0.string(3), value: $0.double(4), unit: $0.string(5))
        }
    }

    /// A page of indicator values in (subject, subject id, code, period) order, after `after` (that key, or
    /// nil), filtered by subject, subject id, code and period (nil: any), with how many match in all. For an
    /// editor (`owner`), only the values of their structure and of the places it staffs.
    func indicators(subject: IndicatorValue.Subject?, subjectId: String?, code: String?, period: String?,
                    owner: String?, after: [String]?, limit: Int) throws -> (page: [IndicatorValue], total: Int) {
        var filter = " WHERE (? IS NULL OR subject = ?) AND (? IS NULL OR subject_id = ?) AND (? IS NULL OR code = ?)"
            + " AND (? IS NULL OR period = ?)"
        var arguments: [any SQLBindable] = [subject?.rawValue, subject?.rawValue, subjectId, subjectId, code, code, period, period]
        if let owner {
            filter += " AND ((subject = 'structure' AND subject_id = ?)"
                + " OR (subject = 'place' AND subject_id IN (SELECT id FROM places WHERE instr(facets, ?) > 0)))"
            arguments += [owner, " structure=\(owner) "]
        }
        let total = try db.query("SELECT count(*) FROM indicators" + filter, arguments: arguments) { $0.int(0) }.first ?? 0
        let key = after ?? ["", "", "", ""]
        let page = try db.query("""
            SELECT subject, subject_id, code, period, value, unit FROM indicators\(filter)
            AND (subject, subject_id, code, period) > (?, ?, ?, ?) ORDER BY subject, subject_id, code, period LIMIT ?
            """, arguments: arguments + key.map { $0 as any SQLBindable } + [limit]) {
            IndicatorValue(subject: IndicatorValue.Subject(rawValue: $0.string(0)) ?? .place, subjectId: $0.string(1),
                           code: $0.string(2), period: $0.string(3), value: $0.double(4), unit: $0.string(5))
        }
        return (page, total)
    }

    /// The stored value and unit of one indicator for one subject and period.
    func indicator(_ v: IndicatorValue) throws -> (value: Double, unit: String)? {
        try db.queryFirst("SELECT value, unit FROM indicators WHERE subject = ? AND subject_id = ? AND code = ? AND period = ?",
                          v.subject.rawValue, v.subjectId, v.code, v.period) { ($0.double(0), $0.string(1)) }
    }

    func writeIndicator(_ v: IndicatorValue) throws {
        try db.run("INSERT OR REPLACE INTO indicators (subject, subject_id, code, period, value, unit) VALUES (?, ?, ?, ?, ?, ?)",
                   v.subject.rawValue, v.subjectId, v.code, v.period, v.value, v.unit)
    }

    // MARK: - Referencing history

    /// Every transition of a structure's referencing, oldest first.
    func events(_ structureId: String) throws -> [ReferencingEvent] {
        try db.query("SELECT json FROM referencing_events WHERE structure_id = ? ORDER BY seq", structureId) {
            try SproJSON.decoder().decode(ReferencingEvent.self, from: Data($0.string(0).utf8))
        }
    }

    func appendEvent(_ e: ReferencingEvent) throws {
        try db.run("INSERT INTO referencing_events (structure_id, effective_on, json) VALUES (?, ?, ?)",
                   e.structureId, e.effectiveOn, String(decoding: try SproJSON.encoder().encode(e), as: UTF8.self))
    }

    // MARK: - Edit queue

    /// Queues an edit and returns its id.
    /// Queues an edit proposed on the record's `baseVersion` (nil: a new record) and returns its id.
    func queueEdit(_ kind: PendingEdit.Kind, recordId: String, structureId: String, json: String, baseVersion: Int?,
                   by actor: String, at now: Date) throws -> Int {
        try db.run("INSERT INTO pending_edits (kind, record_id, structure_id, json, base_version, submitted_by, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   kind.rawValue, recordId, structureId, json, baseVersion, actor, ISOInstant.string(now))
        return Int(db.lastInsertRowID)
    }

    private static let editColumns = "id, kind, record_id, structure_id, submitted_by, submitted_at, status, json, base_version, reason, decided_by, decided_at"

    /// A page of edits in id order, filtered by status, structure and kind (nil: any), with the count of all that match.
    func edits(status: PendingEdit.Status?, structureId: String?, kind: PendingEdit.Kind?, after: Int, limit: Int) throws
        -> (page: [PendingEdit], total: Int) {
        let filter = " WHERE (? IS NULL OR status = ?) AND (? IS NULL OR structure_id = ?) AND (? IS NULL OR kind = ?)"
        let arguments: [any SQLBindable] = [status?.rawValue, status?.rawValue, structureId, structureId, kind?.rawValue, kind?.rawValue]
        let total = try db.query("SELECT count(*) FROM pending_edits" + filter, arguments: arguments) { $0.int(0) }.first ?? 0
        let page = try db.query("SELECT \(Self.editColumns) FROM pending_edits" + filter + " AND id > ? ORDER BY id LIMIT ?",
                                arguments: arguments + [after, limit], map: Self.pendingEdit)
        return (page, total)
    }

    private static func pendingEdit(_ row: Row) -> PendingEdit {
        PendingEdit(id: row.int(0), kind: PendingEdit.Kind(rawValue: row.string(1)) ?? .place, recordId: row.string(2),
                    structureId: row.string(3), submittedBy: row.string(4), submittedAt: row.string(5),
                    status: PendingEdit.Status(rawValue: row.string(6)) ?? .pending, json: row.string(7),
                    baseVersion: row.optionalInt(8), reason: row.optionalString(9), decidedBy: row.optionalString(10),
                    decidedAt: row.optionalString(11))
    }

    func edit(_ id: Int) throws -> PendingEdit? {
        try db.queryFirst("SELECT \(Self.editColumns) FROM pending_edits WHERE id = ?", id, map: Self.pendingEdit)
    }

    func decideEdit(_ id: Int, status: PendingEdit.Status, reason: String?, by actor: String, at now: Date) throws {
        try db.run("UPDATE pending_edits SET status = ?, reason = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                   status.rawValue, reason, actor, ISOInstant.string(now), id)
    }

    // MARK: - Documents

    /// Stores a document once (a second upload of the same bytes keeps the first name and uploader).
    func storeDocument(_ bytes: Data, ref: DocumentRef, by actor: String, at now: Date) throws {
        try db.run("INSERT OR IGNORE INTO documents (sha256, name, media_type, size, bytes, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   ref.sha256, ref.name, ref.mediaType, ref.size, bytes, actor, ISOInstant.string(now))
    }

    func documentRef(_ sha256: String) throws -> DocumentRef? {
        try db.queryFirst("SELECT sha256, name, media_type, size FROM documents WHERE sha256 = ?", sha256) {
            DocumentRef(sha256: $0.string(0), name: $0.string(1), mediaType: $0.string(2), size: $0.int(3))
        }
    }

    func documentBytes(_ sha256: String) throws -> Data? {
        try db.queryFirst("SELECT bytes FROM documents WHERE sha256 = ?", sha256) { $0.data(0) }
    }

    // MARK: - Conventions

    func convention(_ id: String) throws -> Convention? {
        try db.queryFirst("SELECT json FROM conventions WHERE id = ?", id) { try SproJSON.decoder().decode(Convention.self, from: Data($0.string(0).utf8)) }
    }

    func conventions() throws -> [Convention] {
        try db.query("SELECT json FROM conventions ORDER BY id") { try SproJSON.decoder().decode(Convention.self, from: Data($0.string(0).utf8)) }
    }

    func insertConvention(_ c: Convention) throws {
        try db.run("INSERT INTO conventions (id, json) VALUES (?, ?)", c.id, String(decoding: try SproJSON.encoder().encode(c), as: UTF8.self))
    }

    // MARK: - Tokens

    func tokenExists(name: String) throws -> Bool {
        try db.queryFirst("SELECT 1 FROM tokens WHERE name = ?", name) { $0.int(0) } != nil
    }

    func insertToken(hash: String, name: String, role: Principal.Role, structureId: String?, at now: Date) throws {
        try db.run("INSERT INTO tokens (token_hash, name, role, structure_id, created_at) VALUES (?, ?, ?, ?, ?)",
                   hash, name, role.rawValue, structureId, ISOInstant.string(now))
    }

    func deleteToken(name: String) throws {
        try db.run("DELETE FROM tokens WHERE name = ?", name)
    }

    func principal(forTokenHash hash: String) throws -> Principal? {
        try db.queryFirst("SELECT name, role, structure_id FROM tokens WHERE token_hash = ?", hash) {
            Principal(name: $0.string(0), role: Principal.Role(rawValue: $0.string(1)) ?? .editor, structureId: $0.optionalString(2))
        }
    }

    // MARK: - Audit log

    /// Appends to the audit log; call inside the write's transaction so both land or neither.
    func audit(_ actor: Principal, _ action: String, _ target: String, before: String?, after: String?, at now: Date) throws {
        try db.run("INSERT INTO audit_log (at, actor, action, target, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?)",
                   ISOInstant.string(now), actor.name, action, target, before, after)
    }

    /// The audit log, newest last, optionally for one target ("structure/53-ML-1").
    func auditLog(target: String?) throws -> [AuditEntry] {
        let sql = "SELECT seq, at, actor, action, target, before_json, after_json FROM audit_log"
            + (target == nil ? " WHERE ? = ''" : " WHERE target = ?") + " ORDER BY seq"
        return try db.query(sql, target ?? "") {
            AuditEntry(seq: $0.int(0), at: $0.string(1), actor: $0.string(2), action: $0.string(3), target: $0.string(4),
                       before: $0.optionalString(5), after: $0.optionalString(6))
        }
    }

    // MARK: - Publication

    func tombstones() throws -> [Tombstone] {
        try db.query("SELECT kind, id, withdrawn_at, motive FROM tombstones") {
            Tombstone(kind: Tombstone.Kind(rawValue: $0.string(0)) ?? .place, id: $0.string(1),
                      withdrawnAt: $0.string(2), motive: $0.optionalString(3))
        }
    }

    /// Adds a tombstone; `replacing` overwrites an existing one (a closure's motive), otherwise the first stays.
    func addTombstone(kind: String, id: String, at now: Date, motive: String, replacing: Bool = false) throws {
        try db.run("INSERT OR \(replacing ? "REPLACE" : "IGNORE") INTO tombstones (kind, id, withdrawn_at, motive) VALUES (?, ?, ?, ?)",
                   kind, id, ISOInstant.string(now), motive)
    }

    /// The records the last export published, as `(kind, id)`.
    func published() throws -> [(kind: String, id: String)] {
        try db.query("SELECT kind, id FROM published") { ($0.string(0), $0.string(1)) }
    }

    func replacePublished(_ records: [(kind: String, id: String)]) throws {
        try db.execute("DELETE FROM published")
        let insert = try db.prepare("INSERT INTO published (kind, id) VALUES (?, ?)")
        for r in records { try insert.run(r.kind, r.id) }
    }

    func lastExport() throws -> PublishedExport? {
        try db.queryFirst("SELECT version, body, signature, content_hash, generated_at, expires_at, key_id FROM exports ORDER BY version DESC LIMIT 1") {
            PublishedExport(version: $0.int(0), body: $0.data(1), signature: $0.data(2), contentHash: $0.string(3),
                            generatedAt: ISOInstant.parse($0.string(4)) ?? .distantPast,
                            expiresAt: ISOInstant.parse($0.string(5)) ?? .distantPast, keyId: $0.string(6))
        }
    }

    /// Stores a published export, keeping the last `keep` versions only: the history of records lives in
    /// the records' own tables.
    func insertExport(_ e: PublishedExport, keep: Int = 6) throws {
        try db.run("INSERT INTO exports (version, content_hash, generated_at, expires_at, key_id, body, signature) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   e.version, e.contentHash, ISOInstant.string(e.generatedAt), ISOInstant.string(e.expiresAt), e.keyId, e.body, e.signature)
        try db.run("DELETE FROM exports WHERE version < ?", e.version - (keep - 1))
    }
}

/// Every record of a node, as read at one moment.
struct NodeRecords {
    var charters: [Charter]
    var structures: [Structure]
    var places: [Place]
    var indicators: [IndicatorValue]
    var tombstones: [Tombstone]
    var channels: [Channel]
}
