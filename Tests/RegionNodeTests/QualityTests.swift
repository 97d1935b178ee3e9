import Directory
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SproTestSupport
import Testing
@testable import RegionNode

/// Freshness (180 / 240 days since last confirmation) and data-quality score per record.
@Suite struct QualityTests {
    static let day: TimeInterval = 86_400

    @Test func freshnessFollowsTheConfirmationDateAndScoresNameTheMissingData() async throws {
        let node = try TestNode()
        let now = Date()
        try await node.store.importDataset(Fixtures.dataset(), at: now.addingTimeInterval(-250 * Self.day))
        var recent = Fixtures.place("53-P0", structures: ["53-ML-1", "53-FT-1"])
        recent.phone = "02 98 00 00 01"
        recent.coordinates = GeoPoint(lat: 48.39, lon: -4.49)
        recent.freeOfCharge = true
        _ = try await node.store.submitPlace(recent, validator: RecordValidator(), by: .system, at: now.addingTimeInterval(-10 * Self.day))
        _ = try await node.store.submitPlace(Fixtures.place("53-P1", structures: ["53-FT-1"], postcode: "29000", city: "Quimper", commune: "29232"),
                                             validator: RecordValidator(), by: .system, at: now.addingTimeInterval(-179 * Self.day))
        _ = try await node.store.submitPlace(Fixtures.place("53-P2", structures: ["53-ML-1"]),
                                             validator: RecordValidator(), by: .system, at: now.addingTimeInterval(-180.5 * Self.day))
        let report = try await node.store.quality(for: .system, now: now)
        let byId = Dictionary(uniqueKeysWithValues: report.map { ($0.id, $0) })
        #expect(byId["53-P0"]?.freshness == .fresh && byId["53-P0"]?.daysSinceConfirmed == 10)
        #expect(byId["53-P1"]?.freshness == .fresh, "179 days is still fresh")
        #expect(byId["53-P2"]?.freshness == .updateNeeded, "180 days: update needed")
        #expect(byId["53-P3"]?.freshness == .updateRequired && byId["53-P3"]?.daysSinceConfirmed == 250)
        #expect(byId["53-ML-1"]?.freshness == .updateRequired && byId["53-ML-1"]?.kind == .structure)
        // The complete place scores 1; the fixture places lack coordinates, phone and declared fees.
        #expect(byId["53-P0"]?.score == 1)
        let missing = byId["53-P3"]?.checks.filter { !$0.passed }.map(\.id)
        #expect(missing == ["coordonnees", "telephone", "gratuite"])
        #expect(byId["53-P3"].map { abs($0.score - 6.0 / 9.0) < 1e-9 } == true)
        // Most urgent first: required updates, then due ones, fresh ones last.
        #expect(report.map(\.freshness) == report.map(\.freshness).sorted(by: >))
        #expect(report.last?.freshness == .fresh)
    }

    @Test func confirmingResetsFreshnessOnlyForOwnRecordsAndIsAudited() async throws {
        let node = try TestNode()
        try await node.store.importDataset(Fixtures.dataset(), at: Date().addingTimeInterval(-300 * Self.day))
        let admin = try await node.store.issueToken(name: "admin", role: .admin)
        let editor = try await node.store.issueToken(name: "ml-editor", role: .editor, structureId: "53-ML-1")
        let app = Application(router: NodeServer.buildRouter(store: node.store))
        try await app.test(.router) { client in
            // 53-P1 belongs to France Travail only: the Mission locale's editor may not confirm it.
            try await client.execute(uri: "/api/v1/places/53-P1/confirm", method: .post, headers: [.authorization: "Bearer \(editor)"]) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/api/v1/places/53-P2/confirm", method: .post, headers: [.authorization: "Bearer \(editor)"]) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/api/v1/places/nope/confirm", method: .post, headers: [.authorization: "Bearer \(admin)"]) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/v1/quality", method: .get, headers: [.authorization: "Bearer \(editor)"]) { response in
                #expect(response.status == .ok)
                let rows = try SproJSON.decoder().decode([RecordQuality].self, from: Data(buffer: response.body))
                // The editor sees their structure and the places it is present in, nothing else.
                #expect(Set(rows.map(\.id)) == ["53-ML-1", "53-P0", "53-P2"])
                #expect(rows.first { $0.id == "53-P2" }?.freshness == .fresh)
                #expect(rows.first { $0.id == "53-P0" }?.freshness == .updateRequired)
            }
        }
        #expect(try await node.store.auditLog(target: "place/53-P2").map(\.action) == ["place.confirm"])
        #expect(try await node.store.auditLog(target: "place/53-P1").isEmpty)
    }

    /// A shared channel is kept up to date like a place: by the Région or any structure staffing it.
    @Test func aSharedChannelHasItsFreshnessAndScoreAndItsContributorsConfirmIt() async throws {
        let node = try TestNode()
        var dataset = Fixtures.dataset()
        dataset.channels = [Channel(id: "53-CH-1", name: "Numéro unique orientation", kind: .telephone, address: "0 800 00 53 53",
                                    contributors: ["53-FT-1", "53-ML-1"], openingHours: "Mo-Fr 09:00-17:00", publics: [.tousPublics]),
                            Channel(id: "53-CH-2", name: "Tchat France Travail", kind: .tchat, address: "https://tchat.example/53",
                                    contributors: ["53-FT-1"])]
        try await node.store.importDataset(dataset, at: Date().addingTimeInterval(-200 * Self.day))
        let shared = try #require(try await node.store.quality(for: .system).first { $0.kind == .channel && $0.id == "53-CH-1" })
        #expect(shared.freshness == .updateNeeded && shared.structureId == "53-FT-1")
        #expect(shared.checks.filter { !$0.passed }.map(\.id) == ["canal_services"] && abs(shared.score - 0.75) < 1e-9)
        let editor = try await node.store.issueToken(name: "ml-editor", role: .editor, structureId: "53-ML-1")
        let app = Application(router: NodeServer.buildRouter(store: node.store))
        try await app.test(.router) { client in
            // The Mission locale staffs the shared line, not France Travail's chat.
            try await client.execute(uri: "/api/v1/channels/53-CH-2/confirm", method: .post, headers: [.authorization: "Bearer \(editor)"]) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/api/v1/channels/53-CH-1/confirm", method: .post, headers: [.authorization: "Bearer \(editor)"]) { response in
                #expect(response.status == .ok)
            }
        }
        let mine = try await node.store.quality(for: Principal(name: "ml-editor", role: .editor, structureId: "53-ML-1"))
        #expect(mine.filter { $0.kind == .channel }.map(\.id) == ["53-CH-1"])
        #expect(mine.first { $0.id == "53-CH-1" }?.freshness == .fresh)
        #expect(try await node.store.quality(for: .system).first { $0.id == "53-CH-2" }?.freshness == .updateNeeded)
        // The confirmation day is published with the channel.
        let doc = try SproJSON.decoder().decode(ExportDocument.self, from: try await node.store.currentExport().body)
        #expect(doc.channels.first { $0.id == "53-CH-1" }?.lastConfirmed == ISODay.string(Date()))
    }
}
