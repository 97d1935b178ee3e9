import Foundation
import Testing
@testable import Storage

@Suite struct DatabaseTests {
    func tempPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("spro-db-\(UUID().uuidString).sqlite").path
    }

    @Test func migrationsRunOnceAndInOrder() throws {
        let path = tempPath()
        let migrations = ["CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)", "ALTER TABLE t ADD COLUMN n REAL"]
        do {
            let db = try Database(path: path)
            try db.migrate(migrations)
            try db.run("INSERT INTO t (name, n) VALUES (?, ?)", "a", 1.5)
        }
        let db = try Database(path: path)
        try db.migrate(migrations)  // no-op the second time, data kept
        let rows = try db.query("SELECT name, n FROM t") { ($0.string(0), $0.double(1)) }
        #expect(rows.count == 1 && rows[0].0 == "a" && rows[0].1 == 1.5)
        #expect(try db.queryFirst("PRAGMA journal_mode") { $0.string(0) } == "wal")
    }

    @Test func failedTransactionLeavesNothing() throws {
        let db = try Database(path: tempPath())
        try db.execute("CREATE TABLE t (id TEXT PRIMARY KEY)")
        try db.run("INSERT INTO t VALUES (?)", "kept")
        #expect(throws: SQLiteError.self) {
            try db.transaction {
                try db.run("INSERT INTO t VALUES (?)", "new")
                try db.run("INSERT INTO t VALUES (?)", "kept")  // unique violation
            }
        }
        let ids = try db.query("SELECT id FROM t ORDER BY id") { $0.string(0) }
        #expect(ids == ["kept"])
    }

    @Test func nestedTransactionRollsBackOnlyInner() throws {
        let db = try Database(path: tempPath())
        try db.execute("CREATE TABLE t (id TEXT PRIMARY KEY)")
        try db.transaction {
            try db.run("INSERT INTO t VALUES (?)", "outer")
            try? db.transaction {
                try db.run("INSERT INTO t VALUES (?)", "inner")
                throw CancellationError()
            }
        }
        #expect(try db.query("SELECT id FROM t") { $0.string(0) } == ["outer"])
    }

    @Test func bindsNullsBlobsAndReportsConstraintErrors() throws {
        let db = try Database(path: tempPath())
        try db.execute("CREATE TABLE t (a TEXT, b BLOB, c INTEGER NOT NULL)")
        let blob = Data([0, 1, 2, 255])
        try db.run("INSERT INTO t VALUES (?, ?, ?)", Optional<String>.none, blob, 7)
        let row = try db.queryFirst("SELECT a, b, c FROM t") { ($0.optionalString(0), $0.data(1), $0.int(2)) }
        #expect(row?.0 == nil && row?.1 == blob && row?.2 == 7)
        let e = #expect(throws: SQLiteError.self) {
            try db.run("INSERT INTO t VALUES (?, ?, ?)", "x", blob, Optional<Int>.none)
        }
        #expect(e?.isConstraint == true)
        #expect(e?.description.contains("INSERT INTO t") == true)
    }
}
