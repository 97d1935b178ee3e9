import Foundation
import Testing
@testable import Storage

/// `Database.read`: a snapshot that another connection's write transaction neither blocks nor changes.
@Suite struct ReadTransactionTests {
    /// A file with committed rows "a" and "b", and a second connection to it.
    func twoConnections() throws -> (reader: Database, writer: Database) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("spro-read-\(UUID().uuidString).sqlite").path
        let writer = try Database(path: path)
        try writer.execute("CREATE TABLE t (id TEXT PRIMARY KEY)")
        try writer.run("INSERT INTO t VALUES (?)", "a")
        try writer.run("INSERT INTO t VALUES (?)", "b")
        return (try Database(path: path), writer)
    }

    @Test func aReadDuringAnotherConnectionsWriteSeesTheLastCommittedData() throws {
        let (reader, writer) = try twoConnections()
        // A harvest-like swap, held open: the write lock taken, the rows replaced, nothing committed.
        try writer.execute("BEGIN IMMEDIATE")
        try writer.run("DELETE FROM t")
        try writer.run("INSERT INTO t VALUES (?)", "new")
        // Waiting for the write lock would end in SQLITE_BUSY after the busy timeout, since it is never released here.
        let seen = try reader.read { try reader.query("SELECT id FROM t ORDER BY id") { $0.string(0) } }
        #expect(seen == ["a", "b"])
        try writer.execute("COMMIT")
        #expect(try reader.read { try reader.query("SELECT id FROM t ORDER BY id") { $0.string(0) } } == ["new"])
    }

    @Test func aCommitDuringAReadLandsAfterAllOfItsStatements() throws {
        let (reader, writer) = try twoConnections()
        let (before, count) = try reader.read {
            let before = try reader.query("SELECT id FROM t ORDER BY id") { $0.string(0) }
            // Another connection swaps the rows between the read's two statements.
            try writer.transaction {
                try writer.run("DELETE FROM t")
                try writer.run("INSERT INTO t VALUES (?)", "new")
            }
            return (before, try reader.queryFirst("SELECT count(*) FROM t") { $0.int(0) })
        }
        #expect(before == ["a", "b"])
        #expect(count == 2)  // the snapshot of the first statement, not the committed swap
        #expect(try reader.query("SELECT id FROM t") { $0.string(0) } == ["new"])
    }

    @Test func aFailedReadEndsItsSnapshot() throws {
        let (reader, writer) = try twoConnections()
        #expect(throws: CancellationError.self) {
            try reader.read {
                _ = try reader.query("SELECT id FROM t") { $0.string(0) }
                throw CancellationError()
            }
        }
        try writer.run("INSERT INTO t VALUES (?)", "c")
        #expect(try reader.query("SELECT id FROM t ORDER BY id") { $0.string(0) } == ["a", "b", "c"])
    }
}
