import CSQLite
import Foundation

// SQLITE_TRANSIENT is a C macro SQLite exposes as a function pointer cast; rebuild it for Swift.
let transientDestructor = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A connection to one SQLite file, in WAL mode with foreign keys on.
/// Not thread-safe: own it from one actor (or one task) at a time.
public final class Database {
    let handle: OpaquePointer
    public let path: String
    /// One compiled statement per SQL text, lent to one user at a time (see `prepare`).
    private var cache: [String: CompiledStatement] = [:]
    private var transactionDepth = 0

    /// Opens (creating if needed) the file at `path`.
    public init(path: String, readOnly: Bool = false) throws(SQLiteError) {
        var db: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(code: rc, message: message + " (\(path))", sql: nil)
        }
        handle = db
        self.path = path
        sqlite3_busy_timeout(db, Self.busyTimeout)
        if !readOnly {
            try execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")
        }
        try execute("PRAGMA foreign_keys = ON;")
    }

    /// How long a statement waits for another connection's lock before failing as busy, in milliseconds.
    static let busyTimeout: Int32 = 5_000

    /// Runs `body` waiting at most `milliseconds` for another connection's lock, instead of `busyTimeout`:
    /// for work that has something better to do than wait (serve what it already has).
    public func waitingForLocks<T>(atMost milliseconds: Int32, _ body: () throws -> T) rethrows -> T {
        sqlite3_busy_timeout(handle, milliseconds)
        defer { sqlite3_busy_timeout(handle, Self.busyTimeout) }
        return try body()
    }

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    func error(_ rc: Int32, _ sql: String?) -> SQLiteError {
        SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws(SQLiteError) {
        var errmsg: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errmsg)
        if rc != SQLITE_OK {
            let message = errmsg.map { String(cString: $0) } ?? "error"
            sqlite3_free(errmsg)
            throw SQLiteError(code: rc, message: message, sql: sql)
        }
    }

    /// A prepared statement for `sql`, compiled once and reused. The statement is yours until you let go
    /// of it: asking again for the same SQL meanwhile (a `query` inside another's row closure, say) gets a
    /// statement of its own, so neither resets the other mid-iteration.
    public func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        if let cached = cache[sql] {
            if !cached.isLent {
                return Statement(cached, database: self)
            }
            // In use further up the stack: compile a second one, finalized when released.
            return Statement(try CompiledStatement(database: self, sql: sql), database: self)
        }
        let compiled = try CompiledStatement(database: self, sql: sql)
        cache[sql] = compiled
        return Statement(compiled, database: self)
    }

    /// Runs a statement with parameters, returning the number of rows changed.
    @discardableResult
    public func run(_ sql: String, _ values: any SQLBindable...) throws(SQLiteError) -> Int {
        let s = try prepare(sql)
        try s.bind(values)
        try s.run()
        return Int(sqlite3_changes(handle))
    }

    /// Maps each row of a query.
    public func query<T>(_ sql: String, _ values: any SQLBindable..., map: (Row) throws -> T) throws -> [T] {
        try query(sql, arguments: values, map: map)
    }

    /// Maps each row of a query whose parameters are built at run time (a list's filters).
    public func query<T>(_ sql: String, arguments values: [any SQLBindable], map: (Row) throws -> T) throws -> [T] {
        let s = try prepare(sql)
        // Also when `map` throws: a statement left mid-iteration would hold its read snapshot open.
        defer { s.reset() }
        try s.bind(values)
        var out: [T] = []
        while try s.step() {
            out.append(try map(Row(statement: s)))
        }
        return out
    }

    /// The first row of a query, mapped, or nil.
    public func queryFirst<T>(_ sql: String, _ values: any SQLBindable..., map: (Row) throws -> T) throws -> T? {
        let s = try prepare(sql)
        try s.bind(values)
        defer { s.reset() }
        return try s.step() ? map(Row(statement: s)) : nil
    }

    /// Runs `body` in one transaction, committing on return and rolling back on throw.
    /// Nested calls become savepoints (whatever their kind: the outermost decides).
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        let depth = transactionDepth
        try execute(depth == 0 ? kind.begin : "SAVEPOINT sp\(depth)")
        transactionDepth += 1
        do {
            let result = try body()
            transactionDepth -= 1
            try execute(depth == 0 ? "COMMIT" : "RELEASE sp\(depth)")
            return result
        } catch {
            transactionDepth -= 1
            try? execute(depth == 0 ? "ROLLBACK" : "ROLLBACK TO sp\(depth); RELEASE sp\(depth)")
            throw error
        }
    }

    /// Runs `body`'s reads on one snapshot of the database (a deferred transaction): a commit by another
    /// connection lands before or after them, never between, and in WAL mode they never wait for a writer.
    /// Only for reads: a write inside may fail as busy when another connection has written since.
    public func read<T>(_ body: () throws -> T) throws -> T {
        try transaction(.deferred, body)
    }

    /// Row id of the last insert.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Applies the numbered migrations not yet applied (tracked in `PRAGMA user_version`), each in its own transaction.
    public func migrate(_ migrations: [String]) throws {
        let current = try queryFirst("PRAGMA user_version") { $0.int(0) } ?? 0
        for (i, sql) in migrations.enumerated() where i + 1 > current {
            try transaction {
                try execute(sql)
                try execute("PRAGMA user_version = \(i + 1)")
            }
        }
    }

    /// Checkpoints the WAL into the main file (used before copying a database file).
    public func checkpoint() throws(SQLiteError) {
        try execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }
}

/// How a transaction begins.
public enum TransactionKind: Sendable {
    /// `BEGIN IMMEDIATE`: takes the write lock at once (waiting up to the busy timeout for another writer),
    /// so a change never fails halfway for want of it.
    case immediate
    /// `BEGIN DEFERRED`: takes no lock until the first statement; the first read fixes the snapshot that
    /// every later read of the transaction sees.
    case deferred

    var begin: String {
        switch self {
        case .immediate: "BEGIN IMMEDIATE"
        case .deferred: "BEGIN DEFERRED"
        }
    }
}

/// A compiled SQLite statement, owned by the connection's cache (or, when the cached one was busy, by
/// the one `Statement` it was compiled for).
final class CompiledStatement {
    let pointer: OpaquePointer
    let sql: String
    /// Whether a `Statement` holds it now.
    var isLent = false

    init(database: Database, sql: String) throws(SQLiteError) {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(database.handle, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw database.error(rc, sql) }
        pointer = stmt
        self.sql = sql
    }

    deinit { sqlite3_finalize(pointer) }
}

/// A prepared statement, lent by `Database.prepare` to one user until released; it keeps its
/// connection open meanwhile.
public final class Statement {
    private let compiled: CompiledStatement
    let database: Database
    var pointer: OpaquePointer { compiled.pointer }
    var sql: String { compiled.sql }

    init(_ compiled: CompiledStatement, database: Database) {
        compiled.isLent = true
        self.compiled = compiled
        self.database = database
    }

    // Given back reset, so that the next user starts afresh and no read snapshot stays open.
    deinit {
        reset()
        compiled.isLent = false
    }

    func reset() {
        sqlite3_reset(pointer)
        sqlite3_clear_bindings(pointer)
    }

    /// Binds parameters by position (1-based in SQL, in order here).
    public func bind(_ values: [any SQLBindable]) throws(SQLiteError) {
        sqlite3_reset(pointer)
        for (i, v) in values.enumerated() {
            let idx = Int32(i + 1)
            let rc: Int32
            switch v.sqlValue {
            case .null: rc = sqlite3_bind_null(pointer, idx)
            case .integer(let n): rc = sqlite3_bind_int64(pointer, idx, n)
            case .real(let d): rc = sqlite3_bind_double(pointer, idx, d)
            case .text(let s): rc = sqlite3_bind_text(pointer, idx, s, -1, transientDestructor)
            case .blob(let d):
                rc = d.withUnsafeBytes { sqlite3_bind_blob(pointer, idx, $0.baseAddress, Int32($0.count), transientDestructor) }
            }
            guard rc == SQLITE_OK else { throw database.error(rc, sql) }
        }
    }

    /// Advances to the next row; false when done.
    public func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(pointer)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let e = database.error(rc, sql)
            sqlite3_reset(pointer)
            throw e
        }
    }

    /// Runs to completion, ignoring rows.
    public func run() throws(SQLiteError) {
        while try step() {}
        sqlite3_reset(pointer)
    }

    /// Binds then runs.
    public func run(_ values: any SQLBindable...) throws(SQLiteError) {
        try bind(values)
        try run()
    }
}

/// The current row of a statement; valid only until the next step.
public struct Row {
    let statement: Statement

    public func isNull(_ i: Int32) -> Bool { sqlite3_column_type(statement.pointer, i) == SQLITE_NULL }
    public func int(_ i: Int32) -> Int { Int(sqlite3_column_int64(statement.pointer, i)) }
    public func double(_ i: Int32) -> Double { sqlite3_column_double(statement.pointer, i) }
    public func string(_ i: Int32) -> String {
        guard let p = sqlite3_column_text(statement.pointer, i) else { return "" }
        return String(cString: p)
    }
    public func optionalString(_ i: Int32) -> String? { isNull(i) ? nil : string(i) }
    public func optionalDouble(_ i: Int32) -> Double? { isNull(i) ? nil : double(i) }
    public func optionalInt(_ i: Int32) -> Int? { isNull(i) ? nil : int(i) }
    public func data(_ i: Int32) -> Data {
        let n = Int(sqlite3_column_bytes(statement.pointer, i))
        guard n > 0, let p = sqlite3_column_blob(statement.pointer, i) else { return Data() }
        return Data(bytes: p, count: n)
    }
}
