import Foundation
import Testing
@testable import Storage

/// The statement cache lends a compiled statement to one user at a time.
@Suite struct StatementCacheTests {
    func database() throws -> Database {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("spro-stmt-\(UUID().uuidString).sqlite").path
        let db = try Database(path: path)
        try db.execute("CREATE TABLE t (id TEXT PRIMARY KEY, grp TEXT NOT NULL)")
        for (id, grp) in [("a1", "a"), ("a2", "a"), ("a3", "a"), ("b1", "b"), ("b2", "b")] {
            try db.run("INSERT INTO t VALUES (?, ?)", id, grp)
        }
        return db
    }

    static let byGroup = "SELECT id FROM t WHERE grp = ? ORDER BY id"

    // A time limit: with one statement shared, the outer loop would restart on the inner query's rows forever.
    @Test(.timeLimit(.minutes(1)))
    func theSameQueryInsideAQuerysRowsGivesBothTheirOwnResults() throws {
        let db = try database()
        let rows = try db.query(Self.byGroup, "a") { row in
            let id = row.string(0)
            let inner = try db.query(Self.byGroup, "b") { $0.string(0) }
            let first = try db.queryFirst(Self.byGroup, "a") { $0.string(0) }
            // Read after the nested queries: the outer row must still be the outer statement's.
            return "\(id)=\(row.string(0)):\(inner.joined(separator: ",")):\(first ?? "-")"
        }
        #expect(rows == ["a1=a1:b1,b2:a1", "a2=a2:b1,b2:a1", "a3=a3:b1,b2:a1"])
        // Afterwards the cached statement serves again, from the start.
        #expect(try db.query(Self.byGroup, "b") { $0.string(0) } == ["b1", "b2"])
    }

    @Test func aHeldStatementIsNotLentToAnotherUser() throws {
        let db = try database()
        let held = try db.prepare(Self.byGroup)
        try held.bind(["a"])
        #expect(try held.step())
        // The same SQL through the convenience API while `held` sits on its first row.
        #expect(try db.query(Self.byGroup, "b") { $0.string(0) } == ["b1", "b2"])
        #expect(Row(statement: held).string(0) == "a1")
        #expect(try held.step())
        #expect(Row(statement: held).string(0) == "a2")
    }

    @Test func aQueryWhoseRowClosureThrowsGivesItsStatementBackReset() throws {
        struct Stop: Error {}
        let db = try database()
        #expect(throws: Stop.self) {
            _ = try db.query(Self.byGroup, "a") { _ -> String in throw Stop() }
        }
        #expect(try db.query(Self.byGroup, "a") { $0.string(0) } == ["a1", "a2", "a3"])
    }
}
