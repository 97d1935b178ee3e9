import Directory
import Federation
import Foundation
import RegionNode
import SproTestSupport
import Storage
import Testing

/// The real `spro node import` is killed with SIGKILL at random points: the node's database then holds
/// either the whole import or none of it, and a later import completes.
@Suite struct NodeImportCrashTests {
    static let rows = 20_000

    static func csv(round: Int) -> Data {
        var lines = ["id,name,structure_ids,address,postcode,city,commune_code,opening_hours"]
        for i in 0..<rows {
            lines.append("53-IMP-\(i),Permanence \(i) r\(round),53-ML-1,\(i) rue de Siam,29200,Brest,29019,Mo-Fr 09:00-12:00")
        }
        return Data(lines.joined(separator: "\n").utf8)
    }

    /// Rounds whose names the imported places carry (one round only, when the import is whole).
    static func importedRounds(_ databasePath: String) throws -> (count: Int, rounds: Set<String>) {
        let db = try Database(path: databasePath)
        let names = try db.query("SELECT json_extract(json, '$.name') FROM places WHERE id LIKE '53-IMP-%'") { $0.string(0) }
        let rounds = Set(names.compactMap { $0.split(separator: " ").last.map(String.init) })
        return (names.count, rounds)
    }

    @Test(.timeLimit(.minutes(10)))
    func killedImportsLeaveAllOrNothing() async throws {
        let work = Workspace(root: temporaryDirectory("import-crash"))
        try work.create()
        let region = try Region.loadAll(from: TestReference.repositoryRoot.appendingPathComponent("Regions")).first { $0.code.rawValue == "53" }!
        let keyed = try KeyRing.prepare(regions: [region], workspace: work, now: Date())
        try FileManager.default.createDirectory(at: work.nodeDatabase(region.code).deletingLastPathComponent(), withIntermediateDirectories: true)
        let store = try NodeStore(region: keyed[0].region, databasePath: work.nodeDatabase(region.code).path, key: keyed[0].key)
        try await store.importDataset(Fixtures.dataset())
        let csv = work.root.appendingPathComponent("lieux.csv")

        func importProcess() throws -> Process {
            let p = Process()
            p.executableURL = HarvestCrashTests.sproBinary
            p.arguments = ["node", "import", "--region", "53", "--work", work.root.path, "--reference", TestReference.directory.path,
                           "--places", csv.path]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            return p
        }
        var killedMidway = 0
        var lastWhole: String? = nil
        for round in 1...8 {
            try Self.csv(round: round).write(to: csv)
            let p = try importProcess()
            try await Task.sleep(for: .milliseconds(Int.random(in: 200...2_500)))
            if p.isRunning { killedMidway += 1 }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let (count, rounds) = try Self.importedRounds(work.nodeDatabase(region.code).path)
            #expect(count == 0 || count == Self.rows, "round \(round): \(count) places, a partial import")
            #expect(rounds.count <= 1, "round \(round): places from several imports \(rounds)")
            if let r = rounds.first { lastWhole = r }
        }
        // A later import completes whole.
        try Self.csv(round: 99).write(to: csv)
        let final = try importProcess()
        final.waitUntilExit()
        #expect(final.terminationStatus == 0)
        let (count, rounds) = try Self.importedRounds(work.nodeDatabase(region.code).path)
        #expect(count == Self.rows && rounds == ["r99"])
        #expect(killedMidway >= 4, "most kills should land while the import runs (\(killedMidway) of 8; last whole: \(lastWhole ?? "none"))")
    }
}
