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

/// The real `spro harvest` process is killed with SIGKILL at random points; every restart must find,
/// for each region, either the old or the new snapshot whole, never a mix, and a later harvest completes.
@Suite struct HarvestCrashTests {
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

        func harvestProcess() throws -> Process {
            let p = Process()
            p.executableURL = Self.sproBinary
            p.arguments = ["harvest", "--work", work.root.path, "--reference", TestReference.directory.path,
                           "--allow-mass-deletion", "11,84,53"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            return p
        }
        var rng = SystemRandomNumberGenerator()
        var killedMidway = 0
        for round in 2...21 {
            try await publish(round)
            let p = try harvestProcess()
            try await Task.sleep(for: .milliseconds(Int.random(in: 300...3_000, using: &rng)))
            if p.isRunning { killedMidway += 1 }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            _ = try Self.checkConsistency(work.nationalDatabase.path, expectedPlaces: expected)
        }
        // A later harvest completes: every region at its newest version.
        let final = try harvestProcess()
        final.waitUntilExit()
        #expect(final.terminationStatus == 0)
        let versions = try Self.checkConsistency(work.nationalDatabase.path, expectedPlaces: expected)
        for (region, store) in stores {
            #expect(versions[region.code] == (try await store.currentExport()).version)
        }
        #expect(killedMidway >= 10, "most kills should land while the harvest runs (\(killedMidway) of 20)")
        try await fleet.stop()
    }
}
