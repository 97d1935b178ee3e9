import Directory
import Foundation
import Geocoding
import NationalDirectory
import RegionNode
import Signing
import SproTestSupport
import Testing
@testable import Harvest

/// Harvests over real HTTP on loopback, with real signatures and real SQLite files.
@Suite(.serialized) struct HarvestTests {
    static let geocoder = Geocoder(pack: TestReference.pack)

    func harvester(_ regions: [Region], store: NationalStore, limits: FetchLimits = FetchLimits(idleTimeout: 20, totalTimeout: 60, attempts: 1)) -> Harvester {
        Harvester(regions: regions, store: store, reference: TestReference.pack,
                  locator: GeocodingLocator(geocoder: Self.geocoder, reference: TestReference.pack),
                  fetcher: ExportFetcher(limits: limits))
    }

    func nationalStore() throws -> NationalStore {
        try NationalStore(path: temporaryDirectory("national").appendingPathComponent("national.sqlite").path)
    }

    func seededNode(placeCount: Int = 4) async throws -> TestNode {
        let node = try TestNode()
        try await node.store.adoptCharters([Fixtures.charter()])
        try await node.store.importDataset(Fixtures.dataset(placeCount: placeCount))
        return node
    }

    @Test func acceptedExportIsStoredWithGeocodedPlaces() async throws {
        let node = try await seededNode()
        let store = try nationalStore()
        let outcome = try await Loopback.serveNode(node.store) { url in
            try await harvester([node.registryEntry(url: url)], store: store).harvest(node.registryEntry(url: url))
        }
        #expect(outcome.status == .accepted && outcome.versionInService == 1)
        #expect(outcome.added == 4 && outcome.places == 4 && outcome.anomalies.isEmpty)
        let places = try await store.directoryPlaces()
        #expect(places.count == 4)
        let brest = try #require(places.first { $0.place.id == "53-P0" })
        #expect(brest.location.commune?.rawValue == "29019")
        #expect(brest.location.zone != nil && brest.location.position != nil)
        #expect(brest.structures.map(\.id).sorted() == ["53-FT-1", "53-ML-1"])
        #expect(try await store.acceptedState(Fixtures.bretagne)?.version == 1)
    }

    @Test func unchangedExportIsAnsweredByETag() async throws {
        let node = try await seededNode()
        let store = try nationalStore()
        let second = try await Loopback.serveNode(node.store) { url in
            let h = harvester([node.registryEntry(url: url)], store: store)
            _ = try await h.harvest(node.registryEntry(url: url))
            return try await h.harvest(node.registryEntry(url: url))
        }
        #expect(second.status == .unchanged && second.versionInService == 1 && second.places == 4)
    }

    @Test func tamperedExportIsRefusedAndLastGoodDataKept() async throws {
        let node = try await seededNode()
        let store = try nationalStore()
        _ = try await Loopback.serveNode(node.store) { url in
            try await harvester([node.registryEntry(url: url)], store: store).harvest(node.registryEntry(url: url))
        }
        let before = try await store.placeJSON(Fixtures.bretagne)
        // The node publishes v2; a man in the middle changes one byte of it.
        var changed = Fixtures.dataset()
        changed.places[0].name = "Accueil modifié"
        try await node.store.importDataset(changed)
        let v2 = try await node.store.currentExport()
        var tampered = v2.body
        let index = tampered.firstRange(of: Data("Accueil".utf8))!.lowerBound
        tampered[index] = UInt8(ascii: "X")
        let outcome = try await Loopback.serveBytes(body: tampered, signature: v2.signature) { url in
            try await harvester([node.registryEntry(url: url)], store: store).harvest(node.registryEntry(url: url))
        }
        #expect(outcome.status == .refused)
        #expect(outcome.refusalCode == "bad_signature")
        #expect(outcome.versionInService == 1)
        #expect(try await store.placeJSON(Fixtures.bretagne) == before)
        #expect(try await store.acceptedState(Fixtures.bretagne)?.version == 1)
    }

    @Test func rollbackToAnOlderVersionIsRefused() async throws {
        let node = try await seededNode()
        let store = try nationalStore()
        let v1 = try await node.store.currentExport()
        var changed = Fixtures.dataset()
        changed.places[0].name = "Accueil v2"
        try await node.store.importDataset(changed)
        let outcome = try await Loopback.serveNode(node.store) { url in
            let h = harvester([node.registryEntry(url: url)], store: store)
            let accepted = try await h.harvest(node.registryEntry(url: url))
            #expect(accepted.versionInService == 2)
            return try await Loopback.serveBytes(body: v1.body, signature: v1.signature) { oldURL in
                try await h.harvest(node.registryEntry(url: oldURL))
            }
        }
        #expect(outcome.status == .refused && outcome.refusalCode == "rollback")
        #expect(outcome.refusal?.contains("inférieure à la dernière acceptée 2") == true)
        #expect(try await store.directoryPlaces().contains { $0.place.name == "Accueil v2" })
    }

    @Test func badRecordIsRejectedAloneAndListedAsAnomaly() async throws {
        let node = try TestNode()
        // A signed export whose one place carries an impossible postcode: rejected alone.
        var doc = ExportDocument(region: Fixtures.bretagne, version: 1, generatedAt: Date(), expiresAt: Date().addingTimeInterval(3600),
                                 keyId: node.key.keyId, charters: [Fixtures.charter()],
                                 structures: [Fixtures.structure("53-ML-1")],
                                 places: [Fixtures.place("53-A", structures: ["53-ML-1"]), Fixtures.place("53-B", structures: ["53-ML-1"])],
                                 indicators: [], tombstones: [])
        doc.places[1].address.postcode = Postcode(unchecked: "2920X")
        let body = try SproJSON.encoder().encode(doc)
        let store = try nationalStore()
        let outcome = try await Loopback.serveBytes(body: body, signature: node.key.sign(body).encoded()) { url in
            try await harvester([node.registryEntry(url: url)], store: store).harvest(node.registryEntry(url: url))
        }
        #expect(outcome.status == .accepted && outcome.places == 1)
        #expect(outcome.anomalies == [Anomaly(kind: "place", id: "53-B", field: "address.postcode",
                                              rule: "code postal invalide « 2920X » : 5 chiffres attendus")])
    }

    @Test func malformedOpeningHoursRejectTheirPlaceOnly() async throws {
        let node = try TestNode()
        var bad = Fixtures.place("53-H", structures: ["53-ML-1"])
        bad.openingHours = "Mo-Fr 9h-12h"
        let doc = ExportDocument(region: Fixtures.bretagne, version: 1, generatedAt: Date(), expiresAt: Date().addingTimeInterval(3600),
                                 keyId: node.key.keyId, charters: [], structures: [Fixtures.structure("53-ML-1")],
                                 places: [Fixtures.place("53-OK", structures: ["53-ML-1"]), bad], indicators: [], tombstones: [])
        let body = try SproJSON.encoder().encode(doc)
        let store = try nationalStore()
        let outcome = try await Loopback.serveBytes(body: body, signature: node.key.sign(body).encoded()) { url in
            try await harvester([node.registryEntry(url: url)], store: store).harvest(node.registryEntry(url: url))
        }
        #expect(outcome.status == .accepted && outcome.places == 1)
        #expect(outcome.anomalies.map(\.id) == ["53-H"])
        #expect(outcome.anomalies.first?.field == "openingHours")
        #expect(outcome.anomalies.first?.rule.contains("9h-12h") == true)
    }

    @Test func aPlaceOutsideTheRegionsTerritoryRefusesTheExport() async throws {
        let node = try TestNode()
        let doc = ExportDocument(region: Fixtures.bretagne, version: 1, generatedAt: Date(), expiresAt: Date().addingTimeInterval(3600),
                                 keyId: node.key.keyId, charters: [], structures: [Fixtures.structure("53-ML-1")],
                                 places: [Fixtures.place("53-PARIS", structures: ["53-ML-1"], postcode: "75011", city: "Paris", commune: nil)],
                                 indicators: [], tombstones: [])
        let body = try SproJSON.encoder().encode(doc)
        let store = try nationalStore()
        let outcome = try await Loopback.serveBytes(body: body, signature: node.key.sign(body).encoded()) { url in
            try await harvester([node.registryEntry(url: url)], store: store).harvest(node.registryEntry(url: url))
        }
        #expect(outcome.refusalCode == "outside_territory")
        #expect(try await store.directoryPlaces().isEmpty)
    }

    @Test func aDownNodeDoesNotStopTheOthers() async throws {
        let node = try await seededNode()
        let store = try nationalStore()
        // Nothing listens on port 9 of loopback (discard is not served here).
        let down = Fixtures.region(RegionCode(unchecked: "11"), url: "http://127.0.0.1:9")
        let report = try await Loopback.serveNode(node.store) { url in
            try await harvester([node.registryEntry(url: url), down], store: store).run()
        }
        #expect(report.regions.count == 2)
        #expect(report.regions.first { $0.region == Fixtures.bretagne }?.status == .accepted)
        let failed = try #require(report.regions.first { $0.region.rawValue == "11" })
        #expect(failed.status == .refused && failed.refusalCode == "unreachable")
        #expect(report.verifiedCount == 1)
    }
}
