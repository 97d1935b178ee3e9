import Directory
import Foundation
import NationalDirectory
import RegionNode
import Signing
import SproTestSupport
import Storage
import Testing
@testable import Harvest

/// Nothing one Région sends, and no failure of the store while taking it, stops the harvest of the others.
extension HarvestRefusalTests {
    /// Pays de la Loire, healthy, harvested in the same run as the Breton node under test.
    func healthyPaysDeLaLoire() async throws -> TestNode {
        let other = try TestNode(region: RegionCode(unchecked: "52"))
        try await other.store.importDataset(RegionDataset(
            region: other.region.code, structures: [Fixtures.structure("52-ML-1")],
            places: [Fixtures.place("52-P0", structures: ["52-ML-1"], postcode: "72000", city: "Le Mans", commune: "72181")],
            indicators: []))
        return other
    }

    /// One run over the Breton bytes and the healthy node, through `Harvester.run` (which records it).
    func runWithHealthyNeighbour(body: Data, signature: Data, node: TestNode, store: NationalStore) async throws -> HarvestReport {
        let other = try await healthyPaysDeLaLoire()
        return try await Loopback.serveBytes(body: body, signature: signature) { brokenURL in
            try await Loopback.serveNode(other.store) { otherURL in
                try await Harvester(regions: [node.registryEntry(url: brokenURL), other.registryEntry(url: otherURL)], store: store,
                                    reference: TestReference.pack,
                                    locator: GeocodingLocator(geocoder: Self.geocoder, reference: TestReference.pack),
                                    fetcher: ExportFetcher(limits: FetchLimits(idleTimeout: 5, totalTimeout: 20, attempts: 1))).run()
            }
        }
    }

    @Test(arguments: [ExportRefused.RecordKind.place, .structure, .channel, .charter])
    func aDuplicateIdRefusesItsRegionOnlyAndTheRunIsRecorded(kind: ExportRefused.RecordKind) async throws {
        let (node, store, before) = try await acceptedBaseline()
        var doc = document(node, version: 2, places: [Fixtures.place("53-P0", structures: ["53-ML-1"]),
                                                      Fixtures.place("53-P1", structures: ["53-FT-1"])])
        let channel = Channel(id: "53-CANAL-1", name: "Numéro unique", kind: .telephone, address: "02 99 00 00 00",
                              contributors: ["53-ML-1"])
        let duplicated: String
        switch kind {
        case .place:
            doc.places.append(Fixtures.place("53-P1", structures: ["53-ML-1"], postcode: "29000", city: "Quimper", commune: "29232"))
            duplicated = "53-P1"
        case .structure:
            doc.structures.append(Fixtures.structure("53-ML-1", network: .cio))
            duplicated = "53-ML-1"
        case .channel:
            doc.channels = [channel, channel]
            duplicated = "53-CANAL-1"
        case .charter:
            doc.charters.append(Fixtures.charter(1))
            duplicated = "1"
        }
        let body = try SproJSON.encoder().encode(doc)
        let report = try await runWithHealthyNeighbour(body: body, signature: node.key.sign(body).encoded(), node: node, store: store)

        let breton = try #require(report.regions.first { $0.region == Fixtures.bretagne })
        #expect(breton.status == .refused && breton.refusalCode == "duplicate_id", "\(breton.refusal ?? "")")
        #expect(breton.refusal?.contains("\(kind.french) « \(duplicated) »") == true, "\(breton.refusal ?? "")")
        #expect(breton.versionInService == 1)
        #expect(try await store.placeJSON(Fixtures.bretagne) == before)
        #expect(report.regions.first { $0.region.rawValue == "52" }?.status == .accepted)
        #expect(try await store.placeIds(RegionCode(unchecked: "52")) == ["52-P0"])
        // The run is recorded with both outcomes.
        let recorded = try #require(try await store.latestReport())
        #expect(recorded.regions.map { "\($0.region) \($0.status.rawValue) \($0.refusalCode ?? "-")" }
                == ["52 accepted -", "53 refused duplicate_id"])
    }

    // The national file is write-locked by another connection: storing waits for SQLite's busy timeout (5 s),
    // then fails. That failure is the Région's refusal, not the harvest's end.
    @Test func aStoreFailureRefusesTheRegionInsteadOfStoppingTheHarvest() async throws {
        let (node, store, before) = try await acceptedBaseline()
        var changed = Fixtures.dataset()
        changed.places[0].name = "Accueil renommé"
        try await node.store.importDataset(changed)
        let lock = try Database(path: store.path)
        try lock.execute("BEGIN IMMEDIATE")
        let outcome = try await Loopback.serveNode(node.store) { url in
            try await harvester(node.registryEntry(url: url), store: store).harvest(node.registryEntry(url: url))
        }
        try lock.execute("ROLLBACK")
        #expect(outcome.status == .refused && outcome.refusalCode == "store_error", "\(outcome.refusal ?? "")")
        #expect(outcome.refusal?.contains("SQLite error 5") == true, "\(outcome.refusal ?? "")")
        #expect(outcome.refusal?.contains("les données précédentes restent en service") == true)
        #expect(outcome.versionInService == 1 && outcome.offeredVersion == 2)
        #expect(try await store.placeJSON(Fixtures.bretagne) == before)
        // Once the lock is gone, the same export is taken.
        let retried = try await Loopback.serveNode(node.store) { url in
            try await harvester(node.registryEntry(url: url), store: store).harvest(node.registryEntry(url: url))
        }
        #expect(retried.status == .accepted && retried.versionInService == 2)
    }
}
