import Directory
import Federation
import Foundation
import NationalDirectory
import Reference
import RegionNode
import SampleData
import Signing
import SproTestSupport
import Storage
import Testing

/// The real `spro harvest` process is killed with SIGKILL at points it reports reaching; every restart must
/// find, for each region, either the old or the new snapshot whole, never a mix, no accepted region lost or
/// set back, and a later harvest completes.
@Suite struct HarvestCrashTests {
    /// Where a round's harvest is killed. Points the harvest reaches, rather than delays, so that kills
    /// land mid-harvest on a fast machine as on a slow one.
    enum KillPoint {
        /// As soon as a write transaction is seen open on the national file (a swap, a migration, the run's record).
        case writing
        /// Once this many regions have printed their outcome, the others still in flight.
        case reported(Int)
    }

    /// The `spro` executable built beside the test bundle.
    static var sproBinary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("spro")
    }

    /// Region datasets whose content changes with `version`: names carry it and the place count varies.
    static func dataset(_ base: RegionDataset, version: Int) -> RegionDataset {
        var d = base
        let keep = d.places.count - (version % 5) * 3
        d.places = Array(d.places.prefix(keep)).map { p in
            var p = p
            p.name += " (v\(version))"
            return p
        }
        return d
    }

    /// For each region: every stored place comes from the accepted version, and the count is that version's.
    static func checkConsistency(_ databasePath: String, expectedPlaces: [RegionCode: [Int: Int]]) throws -> [RegionCode: Int] {
        let db = try Database(path: databasePath)
        var versions: [RegionCode: Int] = [:]
        // A kill before the first migration committed leaves no schema at all: nothing accepted yet.
        let hasSchema = try db.queryFirst("SELECT count(*) FROM sqlite_master WHERE name = 'region_snapshots'") { $0.int(0) } ?? 0
        guard hasSchema == 1 else {
            let tables = try db.queryFirst("SELECT count(*) FROM sqlite_master WHERE type = 'table'") { $0.int(0) } ?? -1
            #expect(tables == 0, "a partial schema was left behind")
            return versions
        }
        for (region, version) in try db.query("SELECT region, version FROM region_snapshots", map: { ($0.string(0), $0.int(1)) }) {
            let code = RegionCode(unchecked: region)
            let mixed = try db.queryFirst("SELECT count(*) FROM places WHERE region = ? AND source_version <> ?", region, version) { $0.int(0) } ?? -1
            #expect(mixed == 0, "region \(region): places from another version than the accepted \(version)")
            let count = try db.queryFirst("SELECT count(*) FROM places WHERE region = ?", region) { $0.int(0) } ?? -1
            #expect(count == expectedPlaces[code]?[version], "region \(region) v\(version): \(count) places")
            let orphans = try db.queryFirst("""
                SELECT count(*) FROM place_structures ps LEFT JOIN places p ON p.region = ps.region AND p.id = ps.place_id
                WHERE p.id IS NULL
                """) { $0.int(0) } ?? -1
            #expect(orphans == 0)
            versions[code] = version
        }
        return versions
    }

    @Test(.timeLimit(.minutes(10)))
    func killedHarvestsLeaveWholeSnapshots() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.sproBinary.path), "build spro first (swift test builds it)")
        let work = Workspace(root: temporaryDirectory("crash"))
        try work.create()
        let pack = TestReference.pack
        let codes = ["11", "84", "53"].map(RegionCode.init(unchecked:))
        let townHalls = try TownHall.load(from: TestReference.directory)
        let generator = SampleGenerator(reference: pack, townHalls: townHalls, seed: 7)
        let bases = Dictionary(uniqueKeysWithValues: codes.map { ($0, generator.generate(region: $0)) })
        let regions = try Region.loadAll(from: TestReference.repositoryRoot.appendingPathComponent("Regions")).filter { codes.contains($0.code) }
        let keyed = try KeyRing.prepare(regions: regions, workspace: work, now: Date())
        var stores: [(region: Region, store: NodeStore)] = []
        for (region, key) in keyed {
            stores.append((region, try NodeStore(region: region, databasePath: work.nodeDatabase(region.code).path, key: key)))
        }
        // Places per (region, export version), as the node publishes them.
        var expected: [RegionCode: [Int: Int]] = [:]
        func publish(_ round: Int) async throws {
            for (region, store) in stores {
                try await store.importDataset(Self.dataset(bases[region.code]!, version: round))
                let export = try await store.currentExport()
                let doc = try SproJSON.decoder().decode(ExportDocument.self, from: export.body)
                expected[region.code, default: [:]][export.version] = doc.places.count
            }
        }
        try await publish(1)
        let fleet = try await NodeFleet.start(stores, ephemeralPorts: true)
        for r in fleet.regions { try r.write(to: work.registryFile(r.code)) }

        func harvestProcess(output: Pipe? = nil) throws -> Process {
            let p = Process()
            p.executableURL = Self.sproBinary
            p.arguments = ["harvest", "--work", work.root.path, "--reference", TestReference.directory.path,
                           "--allow-mass-deletion", "11,84,53", "--reason", "test de reprise après arrêt brutal"]
            p.standardOutput = output ?? FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            return p
        }
        // Sees another process's write lock: BEGIN IMMEDIATE fails at once as busy instead of waiting for it.
        let probe = try Database(path: work.nationalDatabase.path)
        try probe.execute("PRAGMA busy_timeout = 0")
        var killed = (writing: 0, reported: 0, finishedFirst: 0)
        var accepted: [RegionCode: Int] = [:]
        for round in 2...21 {
            try await publish(round)
            let point: KillPoint = [.writing, .reported(1), .reported(2)][round % 3]
            if try await Self.harvest(harvestProcess, killedAt: point, probe: probe) {
                switch point {
                case .writing: killed.writing += 1
                case .reported: killed.reported += 1
                }
            } else {
                killed.finishedFirst += 1
            }
            let versions = try Self.checkConsistency(work.nationalDatabase.path, expectedPlaces: expected)
            // Nothing lost: a region once accepted keeps a snapshot, never an older one.
            for (region, version) in accepted {
                #expect((versions[region] ?? 0) >= version, "region \(region) went from v\(version) to \(versions[region].map { "v\($0)" } ?? "nothing")")
            }
            accepted = versions
        }
        // A later harvest completes: every region at its newest version.
        let final = try harvestProcess()
        final.waitUntilExit()
        #expect(final.terminationStatus == 0)
        let versions = try Self.checkConsistency(work.nationalDatabase.path, expectedPlaces: expected)
        for (region, store) in stores {
            #expect(versions[region.code] == (try await store.currentExport()).version)
        }
        // How the kills fell depends on the machine; what must hold whatever they were is checked above.
        print("HarvestCrashTests: killed \(killed.writing) times with a write open, \(killed.reported) times between regions; "
              + "\(killed.finishedFirst) harvests finished first")
        try await fleet.stop()
    }

    /// Runs a harvest and kills it at `point`; false when it exited before reaching it.
    static func harvest(_ start: (Pipe?) throws -> Process, killedAt point: KillPoint, probe: Database) async throws -> Bool {
        let output = Pipe()
        let (chunks, continuation) = AsyncStream<Data>.makeStream()
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                continuation.finish()
            } else {
                continuation.yield(data)
            }
        }
        let p = try start(output)
        defer {
            p.waitUntilExit()
            output.fileHandleForReading.readabilityHandler = nil
        }
        switch point {
        case .reported(let regions):
            // One line per region, printed as it finishes.
            var lines = 0
            for await chunk in chunks {
                lines += chunk.filter { $0 == UInt8(ascii: "\n") }.count
                if lines >= regions { break }
            }
        case .writing:
            while p.isRunning {
                if Self.writeInProgress(probe) { break }
                // Polling: another process's lock is no event this process can await.
                try await Task.sleep(for: .milliseconds(1))
            }
        }
        guard p.isRunning else { return false }
        kill(p.processIdentifier, SIGKILL)
        return true
    }

    /// Whether another connection holds the file's write lock now.
    static func writeInProgress(_ probe: Database) -> Bool {
        do {
            try probe.execute("BEGIN IMMEDIATE")
            try probe.execute("ROLLBACK")
            return false
        } catch {
            return error.code & 0xff == 5  // SQLITE_BUSY
        }
    }
}
