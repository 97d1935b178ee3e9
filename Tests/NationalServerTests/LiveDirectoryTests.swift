import Directory
import Foundation
import Harvest
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NationalDirectory
import OpenData
import ServerFoundation
import Signing
import Storage
import SproTestSupport
import Testing
@testable import NationalServer

extension TestClientProtocol {
    /// Waits until `/readyz` answers 200 (the first content loaded); fails the test after about 3 minutes (a loaded CI machine).
    func waitUntilReady() async throws {
        for _ in 0..<3600 {
            if try await execute(uri: "/readyz", method: .get).status == .ok { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("/readyz never answered 200")
    }

    /// Polls `uri` until `done` holds for its body (the server picked a change up); false after about 3 minutes.
    func eventually(_ uri: String, _ done: (String) throws -> Bool) async throws -> Bool {
        for _ in 0..<3600 {
            let response = try await execute(uri: uri, method: .get)
            if response.status == .ok, try done(String(buffer: response.body)) { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}

/// `spro national serve` follows the national file: a harvest recorded by any process is served without a
/// restart, whole, and a reload that fails keeps what is served.
@Suite struct LiveDirectoryTests {
    static func options(_ file: URL) -> NationalServerOptions {
        NationalServerOptions(nationalDatabase: file, referenceDirectory: TestReference.directory)
    }

    /// A new Bretagne snapshot with one place more (`extra`), and its harvest run recorded, as a harvest leaves them.
    static func harvest(_ store: NationalStore, version: Int, extra: Int) async throws {
        let structures = [Fixtures.structure("53-ML-1")]
        let places = (0..<(1 + extra)).map { i in
            (place: Fixtures.place("live-\(i)", structures: ["53-ML-1"], coordinates: GeoPoint(lat: 48.39 + Double(i) * 0.001, lon: -4.48)),
             location: PlaceLocation(commune: CommuneCode(unchecked: "29019"), zone: TestReference.pack.communes[CommuneCode(unchecked: "29019")]?.zone,
                                     position: GeoPoint(lat: 48.39 + Double(i) * 0.001, lon: -4.48), precision: "given", score: 1,
                                     reason: nil, coordinatesFlag: nil))
        }
        try await store.replace(with: RegionSnapshot(region: Fixtures.bretagne, version: version, contentHash: "h\(version)", etag: nil, keyId: "k",
                                                     generatedAt: ISOInstant.string(Date()), expiresAt: ISOInstant.string(Date().addingTimeInterval(86_400)),
                                                     charters: [], structures: structures, places: places, indicators: [], tombstones: []),
                                acceptedAt: Date())
        try await recordRun(store, version: version)
    }

    static func recordRun(_ store: NationalStore, version: Int) async throws {
        let outcome = RegionOutcome(region: Fixtures.bretagne, name: "Bretagne", status: .accepted, versionInService: version, offeredVersion: version,
                                    refusal: nil, refusalCode: nil, added: 0, updated: 0, removed: 0, places: 0, unresolvedPlaces: [],
                                    anomalies: [], durationSeconds: 0, stale: false)
        let report = HarvestReport(startedAt: ISOInstant.string(Date()), finishedAt: ISOInstant.string(Date()), durationSeconds: Double(version),
                                   regions: [outcome])
        try await store.recordRun(startedAt: Date(), finishedAt: Date(),
                                  reportJSON: String(decoding: try SproJSON.encoder().encode(report), as: UTF8.self))
    }

    static func places(_ body: String) throws -> Int {
        try JSONDecoder().decode(DirectoryTotals.self, from: Data(body.utf8)).places
    }

    @Test func aHarvestRecordedByAnotherConnectionIsServedWithoutARestart() async throws {
        let file = temporaryDirectory("live").appendingPathComponent("n.sqlite")
        // The harvester's own connection, as `spro harvest` beside the server or `--harvest-every` in it.
        let harvester = try NationalStore(path: file.path)
        try await Self.harvest(harvester, version: 1, extra: 0)
        let app = try await NationalApp.buildApplication(Self.options(file), pollInterval: .milliseconds(20))
        try await app.test(.router) { client in
            try await client.waitUntilReady()
            try await client.execute(uri: "/api/v1/stats", method: .get) { response in
                let n = try Self.places(String(buffer: response.body))
                #expect(n == 1)
            }
            try await client.execute(uri: "/api/v1/coverage", method: .get) { response in
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect(body?["nationalPlaces"] as? Int == 1)
            }

            try await Self.harvest(harvester, version: 2, extra: 2)
            #expect(try await client.eventually("/api/v1/stats") { try Self.places($0) == 3 })
            // What a reload cost, for operators: its duration and its CPU time, both above zero.
            #expect(try await client.eventually("/metrics") { page in
                ["spro_national_reload_cpu_seconds", "spro_national_reload_duration_seconds"].allSatisfy { name in
                    page.split(separator: "\n").contains { $0.hasPrefix(name + " ") && (Double($0.split(separator: " ").last ?? "") ?? 0) > 0 }
                }
            })
            // Everything moved together: search, coverage, harvest report.
            try await client.execute(uri: "/api/v1/places/nearest?lat=48.39&lon=-4.48&limit=10", method: .get) { response in
                #expect(String(buffer: response.body).contains("live-2"))
            }
            try await client.execute(uri: "/api/v1/coverage", method: .get) { response in
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect(body?["nationalPlaces"] as? Int == 3)
            }
            try await client.execute(uri: "/api/v1/harvest/report", method: .get) { response in
                let report = try SproJSON.decoder().decode(HarvestReport.self, from: Data(buffer: response.body))
                #expect(report.regions.first?.versionInService == 2)
            }
        }
        // Each content generation's coverage archived, dated, with the places it counted.
        let runs = try await harvester.coverageRuns()
        #expect(runs.map(\.places) == [1, 3])
        #expect(runs.map(\.harvestRun) == [1, 2])
        #expect(try await harvester.coverageReportJSON(run: runs[1].id)?.contains("\"nationalPlaces\":3") == true)
    }

    /// The served report follows the archived runs: after a second harvest it shows the evolution and the
    /// places behind it, links each Région to its scorecard, and after a restart the run already archived is
    /// its latest point, not a third one.
    @Test func theServedCoverageReportShowsTheEvolutionSinceThePreviousHarvest() async throws {
        let file = temporaryDirectory("live").appendingPathComponent("n.sqlite")
        let harvester = try NationalStore(path: file.path)
        try await Self.harvest(harvester, version: 1, extra: 0)
        let first = try await NationalApp.buildApplication(Self.options(file), pollInterval: .milliseconds(20))
        try await first.test(.router) { client in
            try await client.waitUntilReady()
            try await client.execute(uri: "/couverture", method: .get) { response in
                let page = String(buffer: response.body)
                #expect(!page.contains("id=\"evolution\""), "one run: nothing to compare")
                #expect(page.contains("<a href=\"/couverture/regions/53\">Tableau de bord de la région Bretagne</a>"))
            }
            try await Self.harvest(harvester, version: 2, extra: 2)
            #expect(try await client.eventually("/couverture") { $0.contains("id=\"evolution\"") })
            try await client.execute(uri: "/couverture", method: .get) { response in
                let page = String(buffer: response.body)
                #expect(page.contains("sur les 2 dernières exécutions"))
                #expect(page.contains("Lieu ajouté : Accueil live-2"), "the place added is the cause")
            }
        }
        #expect(try await harvester.coverageRuns().count == 2)
        let restarted = try await NationalApp.buildApplication(Self.options(file), pollInterval: .milliseconds(20))
        try await restarted.test(.router) { client in
            try await client.waitUntilReady()
            try await client.execute(uri: "/couverture", method: .get) { response in
                let page = String(buffer: response.body)
                #expect(page.contains("sur les 2 dernières exécutions"))
                #expect(!page.contains("sur les 3 dernières exécutions"))
            }
        }
    }

    /// With the national key, each harvest that changed the places gets its signed release, once, listed at
    /// `/donnees` with the place count of that harvest; a run that changed nothing gets none.
    @Test func eachHarvestThatChangedThePlacesIsPublishedAsOpenData() async throws {
        let file = temporaryDirectory("live").appendingPathComponent("n.sqlite")
        let releases = temporaryDirectory("donnees")
        let key = SigningKey(nationalKeyId: "national-live")
        var options = Self.options(file)
        options.openData = OpenDataOptions(directory: releases, key: key)
        let harvester = try NationalStore(path: file.path)
        try await Self.harvest(harvester, version: 1, extra: 0)
        let app = try await NationalApp.buildApplication(options, pollInterval: .milliseconds(20))
        try await app.test(.router) { client in
            try await client.waitUntilReady()
            #expect(try await client.eventually("/donnees") { $0.contains("1 points d'accueil") })
            try await Self.harvest(harvester, version: 2, extra: 2)
            #expect(try await client.eventually("/donnees") { $0.contains("3 points d'accueil") && $0.contains("Publications précédentes") })
            // A run that changed no place (its report says 3 seconds): served, not published.
            try await Self.recordRun(harvester, version: 3)
            #expect(try await client.eventually("/api/v1/harvest/report") { $0.contains("\"durationSeconds\":3") })
            let served = try await client.execute(uri: "/donnees/derniere/lieux.csv", method: .get)
            #expect(String(buffer: served.body).contains("53/live-2"))
        }
        // One release per harvest that changed the places (runs 1 and 2), none for run 3; each verifies.
        let folders = try OpenDataRelease.releaseFolders(in: releases)
        #expect(folders.count == 2)
        #expect(folders.first?.hasSuffix("-v2") == true)
        let trust = NationalPublisher(keys: [key.publicEntry(validFrom: Date().addingTimeInterval(-600), validUntil: Date().addingTimeInterval(600))])
        for folder in folders {
            _ = try OpenDataRelease.verify(manifestAt: releases.appendingPathComponent("\(folder)/release.json"), trust: trust)
        }
    }

    @Test func aRunThatChangedNoPlaceReplacesOnlyTheReportAndArchivesNothing() async throws {
        let file = temporaryDirectory("live").appendingPathComponent("n.sqlite")
        let harvester = try NationalStore(path: file.path)
        try await Self.harvest(harvester, version: 1, extra: 1)
        let app = try await NationalApp.buildApplication(Self.options(file), pollInterval: .milliseconds(20))
        try await app.test(.router) { client in
            try await client.waitUntilReady()
            // A round in which the Région was unchanged: a new run, the same snapshot.
            try await Self.recordRun(harvester, version: 7)
            #expect(try await client.eventually("/api/v1/harvest/report") { body in
                try SproJSON.decoder().decode(HarvestReport.self, from: Data(body.utf8)).durationSeconds == 7
            })
            try await client.execute(uri: "/api/v1/stats", method: .get) { response in
                let n = try Self.places(String(buffer: response.body))
                #expect(n == 2)
            }
            // A round refusing the Région's new export: same places, and the refusal among its anomalies.
            let refused = RegionOutcome(region: Fixtures.bretagne, name: "Bretagne", status: .refused, versionInService: 1, offeredVersion: 2,
                                        refusal: "signature invalide", refusalCode: "signature", added: 0, updated: 0, removed: 0, places: 2,
                                        unresolvedPlaces: [], anomalies: [], durationSeconds: 8, stale: false)
            let report = HarvestReport(startedAt: ISOInstant.string(Date()), finishedAt: ISOInstant.string(Date()), durationSeconds: 8,
                                       regions: [refused])
            try await harvester.recordRun(startedAt: Date(), finishedAt: Date(),
                                          reportJSON: String(decoding: try SproJSON.encoder().encode(report), as: UTF8.self))
            #expect(try await client.eventually("/api/v1/harvest/53/anomalies") { $0.contains("export_refused") && $0.contains("signature invalide") })
        }
        #expect(try await harvester.coverageRuns().count == 1)
    }

    @Test func aReloadThatFailsKeepsTheContentInService() async throws {
        let file = temporaryDirectory("live").appendingPathComponent("n.sqlite")
        let harvester = try NationalStore(path: file.path)
        try await Self.harvest(harvester, version: 1, extra: 1)
        let app = try await NationalApp.buildApplication(Self.options(file), pollInterval: .milliseconds(20))
        try await app.test(.router) { client in
            try await client.waitUntilReady()
            // A run whose report cannot be read: the reload fails, the content in service stays.
            try await harvester.recordRun(startedAt: Date(), finishedAt: Date(), reportJSON: "{pas du JSON")
            #expect(try await client.eventually("/metrics") { $0.contains("spro_national_reload_failures_total") })
            try await client.execute(uri: "/api/v1/stats", method: .get) { response in
                #expect(response.status == .ok)
                let n = try Self.places(String(buffer: response.body))
                #expect(n == 2)
            }
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
            // The next good harvest is picked up.
            try await Self.harvest(harvester, version: 2, extra: 3)
            #expect(try await client.eventually("/api/v1/stats") { try Self.places($0) == 4 })
        }
    }

    @Test func noRequestFailsWhileContentIsSwappedUnderLoad() async throws {
        let file = temporaryDirectory("live").appendingPathComponent("n.sqlite")
        let harvester = try NationalStore(path: file.path)
        try await Self.harvest(harvester, version: 1, extra: 0)
        let app = try await NationalApp.buildApplication(Self.options(file), pollInterval: .milliseconds(5))
        try await app.test(.live) { client in
            try await client.waitUntilReady()
            var seen = Set<Int>()
            // Harvests land one after the other while the client asks again and again.
            let harvests = Task {
                for version in 2...4 { try await Self.harvest(harvester, version: version, extra: version % 3) }
            }
            for _ in 0..<300 {
                let response = try await client.execute(uri: "/api/v1/stats", method: .get)
                #expect(response.status == .ok)
                let n = try Self.places(String(buffer: response.body))
                // Each answer comes from one whole snapshot: 1, 2 or 3 places, never another count.
                #expect((1...3).contains(n))
                seen.insert(n)
            }
            try await harvests.value
            // The last harvest (version 4) has 2 places.
            #expect(try await client.eventually("/api/v1/stats") { try Self.places($0) == 2 })
            #expect(!seen.isEmpty)
        }
    }

    /// The read side scaled out: a replica serves its own file, into which the primary's file is copied with
    /// the online backup API after each harvest (`spro backup`); the replica's server picks it up.
    @Test func aSnapshotCopiedIntoAReplicasLiveFileIsServed() async throws {
        let dir = temporaryDirectory("replica")
        let primaryFile = dir.appendingPathComponent("primary.sqlite"), replicaFile = dir.appendingPathComponent("replica.sqlite")
        let primary = try NationalStore(path: primaryFile.path)
        try await Self.harvest(primary, version: 1, extra: 0)
        try Database(path: primaryFile.path, readOnly: true).backup(to: replicaFile.path)
        let app = try await NationalApp.buildApplication(Self.options(replicaFile), pollInterval: .milliseconds(20))
        try await app.test(.router) { client in
            try await client.waitUntilReady()
            #expect(try await client.eventually("/api/v1/stats") { try Self.places($0) == 1 })
            try await Self.harvest(primary, version: 2, extra: 4)
            // Shipped while the replica serves from the file.
            try Database(path: primaryFile.path, readOnly: true).backup(to: replicaFile.path)
            #expect(try await client.eventually("/api/v1/stats") { try Self.places($0) == 5 })
        }
        let check = try Database(path: replicaFile.path)
        #expect(try check.queryFirst("PRAGMA integrity_check") { $0.string(0) } == "ok")
    }

    @Test func whileLoadingOnlyTheProbesAnswerAndEverythingElseIs503WithRetryAfter() async throws {
        let app = Application(router: NationalApp.buildLoadingRouter())
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .serviceUnavailable) }
            try await client.execute(uri: "/api/v1/places/nearest?q=Brest", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "5")
                let body = try JSONDecoder().decode(ErrorBody.self, from: Data(buffer: response.body))
                #expect(body.code == "not_ready")
                #expect(body.message.contains("en cours de chargement"))
            }
            try await client.execute(uri: "/metrics", method: .get) { #expect($0.status == .ok) }
        }
    }
}
