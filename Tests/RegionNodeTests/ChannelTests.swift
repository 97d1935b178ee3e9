import Directory
import Foundation
import SproTestSupport
import Testing
@testable import RegionNode

/// Shared channels: one phone number or chat staffed by several structures, published as one entry point.
@Suite struct ChannelTests {
    typealias Client = ReferencingLifecycleTests.Client

    /// A regional phone line staffed by the mission locale, France Travail and the (not yet referenced) IJ.
    static let line = Channel(id: "53-CANAL-1", name: "Numéro unique orientation Bretagne", kind: .telephone, address: "0 800 100 200",
                              contributors: ["53-ML-1", "53-FT-1", "53-IJ-1"], openingHours: "Mo-Fr 09:00-18:00; PH off",
                              publics: [.tousPublics], services: [.informerMetiers, .cep1])

    @Test func aSharedChannelIsPublishedOnceWithItsPublicContributors() async throws {
        let node = try TestNode()
        try await node.store.importDataset(Fixtures.dataset())
        let admin = try await node.store.issueToken(name: "region-admin", role: .admin)
        let mlEditor = try await node.store.issueToken(name: "ml-editor", role: .editor, structureId: "53-ML-1")
        let cioEditor = try await node.store.issueToken(name: "other-editor", role: .editor, structureId: "53-IJ-9")
        try await Loopback.serveNode(node.store) { base in
            let api = Client(base: base)
            var (status, body, _) = try await api.call("PUT", "/api/v1/channels/53-CANAL-1", token: admin, json: Self.line)
            #expect(status == 200, "\(body)")
            let export = try await api.export()
            let published = try #require(export.channels.first)
            #expect(export.channels.count == 1 && published.isShared)
            // The IJ is only applying: it is not public, so it is not listed as a contributor.
            #expect(published.contributors == ["53-ML-1", "53-FT-1"])
            #expect(published.lastConfirmed == ISODay.string(Date()))

            // Refusals name the record and field, and change nothing.
            var bad = Self.line
            bad.address = "appelez-nous"
            (status, body, _) = try await api.call("PUT", "/api/v1/channels/53-CANAL-1", token: admin, json: bad)
            #expect(status == 422 && (body["message"] as? String)?.contains("canal 53-CANAL-1 : address") == true, "\(body)")
            bad = Self.line
            bad.contributors = ["53-ML-1", "53-XX-1"]
            (status, body, _) = try await api.call("PUT", "/api/v1/channels/53-CANAL-1", token: admin, json: bad)
            #expect(status == 422 && (body["message"] as? String)?.contains("structure inconnue 53-XX-1") == true, "\(body)")
            bad = Self.line
            bad.kind = .tchat
            (status, body, _) = try await api.call("PUT", "/api/v1/channels/53-CANAL-1", token: admin, json: bad)
            #expect(status == 422 && (body["message"] as? String)?.contains("https://") == true, "\(body)")
            (status, _, _) = try await api.call("PUT", "/api/v1/channels/53-CANAL-1", token: cioEditor, json: Self.line)
            #expect(status == 403)
            #expect(try await api.export().version == export.version)

            // A contributor's editor proposes new hours: pending until the Région validates.
            var edited = Self.line
            edited.openingHours = "Mo-Fr 09:00-19:00; PH off"
            (status, body, _) = try await api.call("PUT", "/api/v1/channels/53-CANAL-1", token: mlEditor, json: edited)
            #expect(status == 202)
            let editId = try #require((body["editId"] as? String).flatMap(Int.init))
            #expect(try await api.export().channels.first?.openingHours == Self.line.openingHours)
            (status, _, _) = try await api.call("POST", "/api/v1/edits/\(editId)/approve", token: admin)
            #expect(status == 200)
            #expect(try await api.export().channels.first?.openingHours == "Mo-Fr 09:00-19:00; PH off")

            // Closing it leaves a tombstone with the motive.
            (status, _, _) = try await api.call("POST", "/api/v1/channels/53-CANAL-1/close", token: mlEditor, json: ["motive": "fin"])
            #expect(status == 403)
            (status, _, _) = try await api.call("POST", "/api/v1/channels/53-CANAL-1/close", token: admin, json: ["motive": "fin de la plateforme"])
            #expect(status == 200)
            let closed = try await api.export()
            #expect(closed.channels.isEmpty)
            #expect(closed.tombstones.contains { $0.kind == .channel && $0.id == "53-CANAL-1" && $0.motive == "fin de la plateforme" })
        }
    }

    @Test func aChannelWithNoPublicContributorIsNotPublished() async throws {
        let node = try TestNode()
        try await node.store.importDataset(Fixtures.dataset())
        var solo = Self.line
        solo.contributors = ["53-IJ-1"]
        #expect(try await node.store.submitChannel(solo, validator: RecordValidator(), by: .system) == .published)
        let export = try SproJSON.decoder().decode(ExportDocument.self, from: try await node.store.currentExport().body)
        #expect(export.channels.isEmpty)
    }

    @Test func exportsWrittenBeforeChannelsStillDecode() throws {
        let node = try SproJSON.encoder().encode(ExportDocument(region: Fixtures.bretagne, version: 1, generatedAt: Date(), expiresAt: Date(),
                                                                keyId: "k", charters: [], structures: [], places: [], indicators: [], tombstones: []))
        var object = try #require(try JSONSerialization.jsonObject(with: node) as? [String: Any])
        object.removeValue(forKey: "channels")
        let old = try JSONSerialization.data(withJSONObject: object)
        #expect(try SproJSON.decoder().decode(ExportDocument.self, from: old).channels == [])
    }
}
