import Coverage
import Directory
import Federation
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Geocoding
import Harvest
import NationalDirectory
import OpenData
import Reference
import RegionNode
import SproTestSupport
import Testing

/// The whole federation on this machine, as `spro demo --once` runs it: real nodes on loopback,
/// real signatures, real SQLite files, the real reference pack.
@Suite struct DemoTests {
    @Test func demoHarvestsEighteenRegionsAndWritesCoverage() async throws {
        let work = temporaryDirectory("demo")
        var options = Demo.Options(
            workspace: Workspace(root: work), referenceDirectory: TestReference.directory,
            repository: RepositoryData(regions: TestReference.repositoryRoot.appendingPathComponent("Regions"),
                                       charters: TestReference.repositoryRoot.appendingPathComponent("Charters")))
        options.once = true
        options.ephemeralPorts = true
        let lines = LineCollector()
        options.log = { lines.append($0) }
        let summary = try await Demo(options: options).run()

        #expect(summary.regions == 18 && summary.regionsVerified == 18)
        #expect((7_500...9_000).contains(summary.places))
        #expect(summary.byPrecision.values.reduce(0, +) == summary.places)  // every place has a precision
        #expect(summary.placesWithPosition >= summary.places - 10)
        #expect(summary.zones == 306)
        #expect(lines.text.contains("Regions harvested with valid signatures: 18 of 18"))
        // Each bassin d'emploi straddling Régions has one lieu listed by each of them: stored per Région, merged once.
        let straddling = TestReference.pack.zones.values.filter { $0.regions.count > 1 }
        #expect(summary.mergedPlaces == straddling.reduce(0) { $0 + $1.regions.count - 1 } && summary.mergedPlaces > 0)
        #expect(summary.mergedStructures == 2 * summary.mergedPlaces)
        #expect(lines.text.contains("Listed by several Régions, merged: \(summary.mergedPlaces) place records"))

        let coverage = try JSONSerialization.jsonObject(with: Data(contentsOf: work.appendingPathComponent("coverage/coverage.json"))) as? [String: Any]
        #expect((coverage?["zones"] as? [Any])?.count == 306)
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("coverage/coverage.csv").path))
        let store = try NationalStore(path: work.appendingPathComponent("national.sqlite").path)
        #expect(try await store.totals().places == summary.places)
        #expect(try await store.acceptedStates().count == 18)
        // Shared channels travel from the nodes to the national directory with their contributors.
        let channels = try await store.channels()
        #expect(channels.filter { $0.channel.isShared }.count >= 18)
        #expect(channels.allSatisfy { $0.contributors.count == $0.channel.contributors.count && !$0.contributors.isEmpty })
        // Private keys are owner-only.
        let attrs = try FileManager.default.attributesOfItem(atPath: work.appendingPathComponent("keys/53.key").path)
        #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        try await theReleaseVerifiesAndIsValid(work: work, places: summary.places - summary.mergedPlaces)

        // A second run on the same work directory reuses keys: every region is unchanged, nothing is lost.
        let again = try await Demo(options: options).run()
        #expect(again.regionsVerified == 18 && again.places == summary.places)
        #expect(again.report.regions.allSatisfy { $0.status == .unchanged })

        try await closingOneNetworkInOneZoneMakesItsGapAppear(work: work, options: options)
    }

    /// The demo's open-data release: `spro export verify` checks its signature and every file; Frictionless
    /// finds its data package valid over the whole sample; it lists every place once.
    func theReleaseVerifiesAndIsValid(work: URL, places: Int) async throws {
        let releases = work.appendingPathComponent("donnees")
        let folder = releases.appendingPathComponent(try #require(try OpenDataRelease.releaseFolders(in: releases).first))
        let verified = try await CommandLineTests.spro(["export", "verify", folder.appendingPathComponent("release.json").path,
                                                        "--registry", work.appendingPathComponent("registry").path])
        #expect(verified.code == 0, "\(verified.all)")
        #expect(verified.stdout.contains("publication nationale"))
        #expect(verified.stdout.contains("\(places) lieux"))
        #expect(try runProcess("frictionless", ["validate", "datapackage.json"], in: folder).status == 0)
        // With one file changed, the same command refuses the release.
        let csv = folder.appendingPathComponent("canaux.csv")
        try (try String(contentsOf: csv, encoding: .utf8) + "\r\n").write(to: csv, atomically: true, encoding: .utf8)
        let refused = try await CommandLineTests.spro(["export", "verify", folder.appendingPathComponent("release.json").path,
                                                       "--registry", work.appendingPathComponent("registry").path])
        #expect(refused.code != 0)
        #expect(refused.stderr.contains("canaux.csv"))
    }

    /// After the demo: every place of one network in one zone is closed through its Région's admin API,
    /// the region is harvested again over HTTP, and the next coverage report shows the zone's gap for a
    /// service of that network, which the comparison lists as appeared. The demo's stale records show too.
    func closingOneNetworkInOneZoneMakesItsGapAppear(work: URL, options: Demo.Options) async throws {
        let ws = options.workspace
        let pack = try ReferencePack.load(from: TestReference.directory)
        let national = try NationalStore(path: ws.nationalDatabase.path)
        let places = try await national.directoryPlaces()
        let before = try SproJSON.decoder().decode(CoverageReport.self, from: Data(contentsOf: ws.coverage.appendingPathComponent("coverage.json")))
        // The sample's confirmation dates travel from the nodes' exports to the report's stale-data gaps.
        #expect(places.allSatisfy { $0.place.lastConfirmed != nil })
        #expect(before.gaps.contains { $0.kind == .staleData })

        // A zone where one network alone offers one of its services: closing its places there should open a gap.
        let calculator = CoverageCalculator(reference: pack)
        let existing = Set(before.gaps.map(\.identity))
        var choice: (zone: ZoneEmploiCode, network: Network, family: CoverageFamily, closed: [DirectoryPlace])?
        let families = CoverageFamily.standard.filter { if case .service = $0 { true } else { false } }
        let byZone = Dictionary(grouping: places.filter { $0.location.zone != nil }) { $0.location.zone! }
        let candidates = byZone.keys.sorted { (before.zone($0)?.population ?? 0, $0) < (before.zone($1)?.population ?? 0, $1) }
        var tries = 0
        search: for zone in candidates where tries < 8 {
            let zp = byZone[zone]!
            for family in families {
                let serving = zp.filter { family.isServed(by: $0.place) }
                guard let network = serving.first?.structures.first?.network,
                      serving.allSatisfy({ $0.networks == [network] }),
                      !existing.contains("\(GapKind.familyBeyondThreshold.rawValue)/\(zone.rawValue)/\(family.key)") else { continue }
                let closed = zp.filter { $0.networks.contains(network) }
                guard closed.allSatisfy({ $0.networks == [network] }) else { continue }  // no lieu mutualisé to split
                tries += 1
                let ids = Set(closed.map { "\($0.region)/\($0.place.id)" })
                let predicted = calculator.compute(places: places.filter { !ids.contains("\($0.region)/\($0.place.id)") })
                if predicted.gaps.contains(where: { $0.kind == .familyBeyondThreshold && $0.zone == zone && $0.family == family }) {
                    choice = (zone, network, family, closed)
                    break search
                }
            }
        }
        let picked = try #require(choice, "no zone where one network alone offers a service")

        // Close them through each Région's node, over HTTP, as its team would.
        let regionCodes = Set(picked.closed.map(\.region))
        let registry = try Region.loadAll(from: ws.registry).filter { regionCodes.contains($0.code) }
        let keyed = try KeyRing.prepare(regions: registry, workspace: ws, now: Date())
        var stores: [(region: Region, store: NodeStore)] = []
        for (region, key) in keyed {
            stores.append((region, try NodeStore(region: region, databasePath: ws.nodeDatabase(region.code).path, key: key)))
        }
        let fleet = try await NodeFleet.start(stores, ephemeralPorts: true)
        do {
            for (region, store) in stores {
                let token = try await store.issueToken(name: "equipe-spro-\(region.code)", role: .admin)
                let base = try #require(fleet.regions.first { $0.code == region.code }?.nodeURL)
                for p in picked.closed where p.region == region.code {
                    var request = URLRequest(url: URL(string: base + "/api/v1/places/\(p.place.id)/close")!)
                    request.httpMethod = "POST"
                    request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
                    request.httpBody = Data(#"{"motive":"fermeture du réseau dans le bassin"}"#.utf8)
                    let (_, response) = try await URLSession.shared.data(for: request)
                    #expect((response as? HTTPURLResponse)?.statusCode == 200)
                }
            }
            for r in fleet.regions { try r.write(to: ws.registryFile(r.code)) }
            let harvester = Harvester(regions: try Region.loadAll(from: ws.registry).filter { regionCodes.contains($0.code) },
                                      store: national, reference: pack,
                                      locator: GeocodingLocator(geocoder: Geocoder(pack: pack), reference: pack))
            let report = try await harvester.run()
            #expect(report.regions.allSatisfy { $0.status == .accepted && $0.removed >= 1 })
            try await fleet.stop()
        } catch {
            try? await fleet.stop()
            throw error
        }

        // The next report shows the gap, and the comparison lists it as appeared and the zone as worse.
        let after = calculator.compute(places: try await national.directoryPlaces())
        let gap = after.gaps.first { $0.kind == .familyBeyondThreshold && $0.zone == picked.zone && $0.family == picked.family }
        #expect(gap != nil, "no gap for \(picked.family.key) in zone \(picked.zone) after closing \(picked.network) there")
        #expect(after.zone(picked.zone)?.places == (before.zone(picked.zone)?.places ?? 0) - picked.closed.count)
        let comparison = CoverageComparison(before: before, after: after)
        #expect(comparison.gapsAppeared.contains { $0.identity == gap?.identity })
        #expect(comparison.changes.contains { $0.zone == picked.zone && $0.family == picked.family && $0.verdict == .worsened })
        #expect(comparison.zones.first { $0.zone == picked.zone }.map { $0.gapsAppeared >= 1 } == true)
    }

    @Test func unknownRegionCodeNamesTheKnownOnes() {
        let error = #expect(throws: FederationError.self) {
            try Region.find("99", in: TestReference.repositoryRoot.appendingPathComponent("Regions"))
        }
        #expect(error?.description.contains("unknown region code \"99\"") == true)
        #expect(error?.description.contains("53") == true)
    }
}

/// Collects log lines from a concurrent context.
final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ s: String) { lock.withLock { lines.append(s) } }
    var text: String { lock.withLock { lines.joined(separator: "\n") } }
}
