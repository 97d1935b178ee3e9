import Directory
import Federation
import Foundation
import NationalDirectory
import RegionNode
import SproTestSupport
import Storage
import Testing

/// `spro national serve --harvest-every` killed with SIGKILL while it harvests and swaps, 20 times: each
/// restart finds the file whole, the Région's last accepted snapshot complete and never set back, and
/// serves it.
@Suite(.serialized) struct ServingCrashTests {
    @Test(.timeLimit(.minutes(15)))
    func killedWhileHarvestingAndSwappingTheServerRestartsOnTheLastCompleteSnapshot() async throws {
        let (work, store) = try await CommandLineTests.nodeWorkspace()
        defer { try? FileManager.default.removeItem(at: work.root) }
        let registryFile = work.registryFile(RegionCode(unchecked: "53"))
        let keyed = try Region.load(from: registryFile)
        let region = RegionCode(unchecked: "53")
        try await Loopback.serveNode(store) { url in
            var entry = keyed
            entry.nodeURL = url
            try entry.write(to: registryFile)
            // Places per export version, as the node publishes them.
            var published: [Int: Int] = [:]
            func publish(_ round: Int) async throws {
                try await store.importDataset(LiveServiceTests.dataset(inParis: round % 2 == 0, placeCount: 3 + round % 4))
                let export = try await store.currentExport()
                published[export.version] = try SproJSON.decoder().decode(ExportDocument.self, from: export.body).places.count
            }
            let probe = try Database(path: work.nationalDatabase.path)
            try probe.execute("PRAGMA busy_timeout = 0")
            var accepted = 0
            var killedWriting = 0
            for round in 1...20 {
                try await publish(round)
                let server = try await LiveServiceTests.Server.start(work, extra: ["--harvest-every", "1s"])
                // Half the kills with a write open (a Région's swap, the run's record, the coverage archive), the
                // others once the Région's outcome is printed, a little later each round: while the run is recorded,
                // the content rebuilt and swapped, the coverage archived.
                let deadline = ContinuousClock.now + .seconds(120)
                if round % 2 == 0 {
                    while server.process.isRunning && ContinuousClock.now < deadline && !HarvestCrashTests.writeInProgress(probe) {
                        try await Task.sleep(for: .milliseconds(1))
                    }
                    killedWriting += 1
                } else {
                    _ = await server.output.wait(for: "53 Bretagne: ")
                    try await Task.sleep(for: .milliseconds(150 * (round % 11)))
                }
                kill(server.process.processIdentifier, SIGKILL)
                server.process.waitUntilExit()

                let db = try Database(path: work.nationalDatabase.path)
                #expect(try db.queryFirst("PRAGMA integrity_check") { $0.string(0) } == "ok")
                let state = try await NationalStore(path: work.nationalDatabase.path).acceptedState(region)
                let version = state?.version ?? 0
                // Never set back; the version in service stored whole.
                #expect(version >= accepted)
                if version > 0 {
                    let places = try db.queryFirst("SELECT count(*) FROM places WHERE region = '53'") { $0.int(0) }
                    #expect(places == published[version], "round \(round): v\(version) has \(places ?? -1) places, published \(published[version] ?? -1)")
                }
                accepted = version
            }
            #expect(accepted > 0, "no harvest finished in 20 rounds")
            // The next start serves the last complete snapshot.
            let server = try await LiveServiceTests.Server.start(work)
            #expect(try await server.eventually("/readyz") { $0 == "ok" })
            let stats = try await server.get("/api/v1/stats").body
            #expect(stats.contains("\"places\":\(published[accepted] ?? -1)"), "\(stats)")
            #expect(await server.stop() == 0)
            print("ServingCrashTests: 20 kills (\(killedWriting) aimed at an open write), v\(accepted) in service at the end")
        }
    }
}
