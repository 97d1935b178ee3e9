import Directory
import Federation
import Foundation
import Harvest
import NationalDirectory
import RegionNode
import SproTestSupport
import Storage
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The national directory as a running service, with the real `spro` processes: a change at a node reaches
/// the public API, the Région's anomaly page and coverage, harvested by a separate `spro harvest` or by the
/// server itself (`--harvest-every`), without a restart; SIGTERM stops the server cleanly.
@Suite(.serialized) struct LiveServiceTests {
    /// A `spro national serve` process and its port, read from its first line.
    struct Server {
        let process: Process
        let output: HarvestEveryTests.Output
        let port: Int

        static func start(_ work: Workspace, extra: [String] = []) async throws -> Server {
            let output = HarvestEveryTests.Output()
            let pipe = Pipe()
            pipe.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                if data.isEmpty { output.continuation.finish() } else { output.append(data) }
            }
            let process = Process()
            process.executableURL = HarvestCrashTests.sproBinary
            process.arguments = ["national", "serve", "--work", work.root.path, "--reference", TestReference.directory.path,
                                 "--port", "0", "--log-level", "warning"] + extra
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            #expect(await output.wait(for: "National directory: http://"))
            let line = output.text.withLock { $0 }
            let port = line.firstMatch(of: /127\.0\.0\.1:(\d+)\//).flatMap { Int($0.1) }
            return Server(process: process, output: output, port: try #require(port))
        }

        func get(_ path: String) async throws -> (status: Int, body: String) {
            let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
        }

        /// Polls `path` until `done` holds (the server picked the change up); false after about 90 s.
        func eventually(_ path: String, _ done: (String) -> Bool) async throws -> Bool {
            for _ in 0..<900 {
                if let (status, body) = try? await get(path), status == 200, done(body) { return true }
                try await Task.sleep(for: .milliseconds(100))
            }
            return false
        }

        /// SIGTERM, then the exit status once the process has finished its requests and stopped.
        func stop() async -> Int32 {
            process.terminate()
            while process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
            return process.terminationStatus
        }
    }

    static func anomalies(_ body: String) throws -> [(kind: String, id: String)] {
        struct Report: Decodable {
            struct A: Decodable { let kind: String; let id: String? }
            let anomalies: [A]
        }
        return try JSONDecoder().decode(Report.self, from: Data(body.utf8)).anomalies.map { ($0.kind, $0.id ?? "") }
    }

    static func nationalPlaces(_ body: String) -> Int? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["nationalPlaces"] as? Int
    }

    /// The fixture dataset with `53-P1` (Quimper) given coordinates: `inParis` puts them in Paris (set aside,
    /// an anomaly), otherwise at Quimper (kept); `extra` places more.
    static func dataset(inParis: Bool, placeCount: Int) -> RegionDataset {
        var d = Fixtures.dataset(placeCount: placeCount)
        let i = d.places.firstIndex { $0.id == "53-P1" }!
        d.places[i].coordinates = inParis ? GeoPoint(lat: 48.8566, lon: 2.3522) : GeoPoint(lat: 47.9960, lon: -4.1020)
        return d
    }

    @Test(.timeLimit(.minutes(10)))
    func aChangeAtANodeIsServedAfterEachHarvestWithoutARestart() async throws {
        let (work, store) = try await CommandLineTests.nodeWorkspace()
        defer { try? FileManager.default.removeItem(at: work.root) }
        try await store.importDataset(Self.dataset(inParis: false, placeCount: 4))
        let registryFile = work.registryFile(RegionCode(unchecked: "53"))
        let keyed = try Region.load(from: registryFile)
        try await Loopback.serveNode(store) { url in
            var region = keyed
            region.nodeURL = url
            try region.write(to: registryFile)
            let harvest = ["harvest", "--work", work.root.path, "--reference", TestReference.directory.path]

            // 1. A server started on an empty national file, and `spro harvest` as a separate process.
            var server = try await Server.start(work)
            #expect(try await server.eventually("/readyz") { $0 == "ok" })
            #expect(try await server.get("/api/v1/stats").body.contains("\"places\":0"))
            #expect(try await CommandLineTests.spro(harvest).code == 0)
            #expect(try await server.eventually("/api/v1/places/nearest?q=Quimper&limit=10") { $0.contains("53-P1") })
            #expect(try await server.eventually("/api/v1/coverage") { Self.nationalPlaces($0) == 4 })
            let before = try Self.anomalies(try await server.get("/api/v1/harvest/53/anomalies").body)
            #expect(!before.contains { $0.id == "53-P1" && $0.kind == "coordinates_set_aside" })

            // 2. The Région moves 53-P1 to Paris by mistake and adds a place; a separate harvest brings both.
            try await store.importDataset(Self.dataset(inParis: true, placeCount: 5))
            #expect(try await CommandLineTests.spro(harvest).code == 0)
            #expect(try await server.eventually("/api/v1/harvest/53/anomalies") { body in
                (try? Self.anomalies(body))?.contains { $0.id == "53-P1" && $0.kind == "coordinates_set_aside" } == true
            })
            #expect(try await server.eventually("/api/v1/coverage") { Self.nationalPlaces($0) == 5 })
            #expect(try await server.get("/moissonnage/53").body.contains("Coordonnées écartées"))
            // The report file tells the Région too.
            let report = try SproJSON.decoder().decode(HarvestReport.self, from: Data(contentsOf: work.harvestReport))
            #expect(report.regions.first { $0.region.rawValue == "53" }?.flagged?
                .contains { $0.id == "53-P1" && $0.kind == .coordinatesSetAside && $0.message.contains("écartées") } == true)
            #expect(await server.stop() == 0)

            // 3. The same, harvested by the server itself: the Région fixes 53-P1 and the anomaly clears.
            server = try await Server.start(work, extra: ["--harvest-every", "1s"])
            #expect(try await server.eventually("/readyz") { $0 == "ok" })
            try await store.importDataset(Self.dataset(inParis: false, placeCount: 6))
            #expect(try await server.eventually("/api/v1/coverage") { Self.nationalPlaces($0) == 6 })
            let after = try Self.anomalies(try await server.get("/api/v1/harvest/53/anomalies").body)
            #expect(!after.contains { $0.id == "53-P1" && $0.kind == "coordinates_set_aside" })
            #expect(try await server.get("/api/v1/places/nearest?q=Brest&limit=20").body.contains("53-P5"))
            #expect(await server.stop() == 0)
        }
        // Every content generation's coverage archived, the file whole.
        let national = try NationalStore(path: work.nationalDatabase.path)
        let runs = try await national.coverageRuns()
        #expect(Set(runs.map(\.places)).isSuperset(of: [4, 5, 6]))
        let db = try Database(path: work.nationalDatabase.path)
        #expect(try db.queryFirst("PRAGMA integrity_check") { $0.string(0) } == "ok")
    }
}
