import Directory
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Signing
import SproTestSupport
import Testing
@testable import RegionNode

@Suite struct NodeStoreTests {
    @Test func exportIsSignedOverExactBytesAndHoldsOnlyPublicRecords() async throws {
        let node = try TestNode()
        try await node.store.adoptCharters([Fixtures.charter()])
        try await node.store.importDataset(Fixtures.dataset())
        let export = try await node.store.currentExport()
        try TrustPolicy(region: node.region).verify(export.body, signature: SignatureFile.decode(export.signature), at: Date())
        let doc = try SproJSON.decoder().decode(ExportDocument.self, from: export.body)
        #expect(doc.format == "spro-export/1" && doc.version == 1 && doc.region == Fixtures.bretagne)
        #expect(doc.keyId == node.key.keyId)
        // The Information Jeunesse structure only applied: neither it nor its only place is public.
        #expect(doc.structures.map(\.id) == ["53-FT-1", "53-ML-1"])
        #expect(!doc.places.contains { $0.id == "53-IJ-P" })
        #expect(doc.places.count == 4)
        #expect(doc.charters.map(\.version) == [1])
        #expect(ISOInstant.parse(doc.expiresAt)! > ISOInstant.parse(doc.generatedAt)!)
    }

    /// The body is assembled from records encoded once; it must be byte for byte what `JSONEncoder` writes
    /// for the whole document, and the content hash what it writes for the payload.
    @Test func theAssembledBodyIsWhatJSONEncoderWrites() async throws {
        let node = try TestNode()
        try await node.store.adoptCharters([Fixtures.charter()])
        var dataset = Fixtures.dataset(placeCount: 4)
        dataset.places[0].name = "Cité des métiers \"L'Avenir\" / Espace 1\u{00E9}"
        dataset.channels = [Channel(id: "53-CH-1", name: "Numéro unique régional", kind: .telephone, address: "0 800 12 34 56",
                                    contributors: dataset.structures.map(\.id))]
        try await node.store.importDataset(dataset)
        _ = try await node.store.currentExport()
        dataset.places.removeAll { $0.id == "53-P3" }  // one tombstone
        try await node.store.importDataset(dataset)
        let export = try await node.store.currentExport()
        let doc = try SproJSON.decoder().decode(ExportDocument.self, from: export.body)
        #expect(!doc.tombstones.isEmpty && !doc.indicators.isEmpty && !doc.charters.isEmpty && !doc.channels.isEmpty, "\(doc.tombstones.count) \(doc.indicators.count) \(doc.charters.count) \(doc.channels.count)")
        #expect(try SproJSON.encoder().encode(doc) == export.body)
        let payload = ExportPayload(charters: doc.charters, structures: doc.structures, places: doc.places,
                                    indicators: doc.indicators, tombstones: doc.tombstones, channels: doc.channels)
        let expected = sha256Hex(try SproJSON.encoder().encode(payload))
        #expect(try EncodedPayload(payload).contentHash == expected)
        #expect(export.contentHash == expected)
    }

    @Test func versionChangesOnlyWhenContentChanges() async throws {
        let node = try TestNode()
        try await node.store.adoptCharters([Fixtures.charter()])
        try await node.store.importDataset(Fixtures.dataset())
        let first = try await node.store.currentExport()
        try await node.store.importDataset(Fixtures.dataset())  // same content again
        let same = try await node.store.currentExport()
        #expect(same.version == first.version && same.body == first.body)
        var changed = Fixtures.dataset()
        changed.places[1].name = "Nouveau nom"
        try await node.store.importDataset(changed)
        let second = try await node.store.currentExport()
        #expect(second.version == first.version + 1)
    }

    @Test func aPlaceThatLeavesTheExportBecomesATombstone() async throws {
        let node = try TestNode()
        try await node.store.adoptCharters([Fixtures.charter()])
        try await node.store.importDataset(Fixtures.dataset(placeCount: 4))
        _ = try await node.store.currentExport()
        try await node.store.importDataset(Fixtures.dataset(placeCount: 3))
        let doc = try SproJSON.decoder().decode(ExportDocument.self, from: try await node.store.currentExport().body)
        #expect(doc.tombstones.map(\.id) == ["53-P3"])
        #expect(doc.tombstones.first?.kind == .place)
        #expect(!doc.places.contains { $0.id == "53-P3" })
        // Re-adding the place lifts its tombstone.
        try await node.store.importDataset(Fixtures.dataset(placeCount: 4))
        let again = try SproJSON.decoder().decode(ExportDocument.self, from: try await node.store.currentExport().body)
        #expect(again.tombstones.isEmpty && again.places.contains { $0.id == "53-P3" })
    }

    @Test func anAdoptedCharterVersionCannotChange() async throws {
        let node = try TestNode()
        try await node.store.adoptCharters([Fixtures.charter(1)])
        var altered = Fixtures.charter(1)
        altered.referencingValidityMonths = 12
        await #expect(throws: NodeError.charterVersionIsImmutable(version: 1)) { try await node.store.adoptCharters([altered, Fixtures.charter(2)]) }
        // Nothing from the refused adoption was stored, not even v2.
        let doc = try SproJSON.decoder().decode(ExportDocument.self, from: try await node.store.currentExport().body)
        #expect(doc.charters == [Fixtures.charter(1)])
    }

    @Test func aDatasetForAnotherRegionIsRefused() async throws {
        let node = try TestNode()
        var other = Fixtures.dataset()
        other.region = RegionCode(unchecked: "11")
        await #expect(throws: NodeError.datasetForAnotherRegion(RegionCode(unchecked: "11"))) { try await node.store.importDataset(other) }
        #expect(try await node.store.counts().places == 0)
    }

    @Test func httpServesExportWithETagAndNotModified() async throws {
        let node = try TestNode()
        try await node.store.adoptCharters([Fixtures.charter()])
        try await node.store.importDataset(Fixtures.dataset())
        let app = Application(router: NodeServer.buildRouter(store: node.store))
        try await app.test(.router) { client in
            let etag = try await client.execute(uri: "/export.json", method: .get) { response in
                #expect(response.status == .ok)
                let doc = try SproJSON.decoder().decode(ExportDocument.self, from: Data(buffer: response.body))
                #expect(doc.version == 1)
                return try #require(response.headers[.eTag])
            }
            try await client.execute(uri: "/export.json", method: .get, headers: [.ifNoneMatch: etag]) { response in
                #expect(response.status == .notModified)
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(uri: "/export.json.sig", method: .get) { response in
                let sig = try SignatureFile.decode(Data(buffer: response.body))
                #expect(sig.keyId == node.key.keyId && sig.algorithm == "Ed25519")
            }
        }
    }
}
