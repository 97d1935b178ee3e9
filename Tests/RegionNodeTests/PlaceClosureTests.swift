import Directory
import Foundation
import SproTestSupport
import Testing
@testable import RegionNode

/// Closing a place over the admin API, and the confirmation dates the export carries.
@Suite struct PlaceClosureTests {
    typealias Client = ReferencingLifecycleTests.Client
    static let ml = "53-ML-1"
    static let cio = "53-CIO-1"

    /// A node with two referenced structures and three places, one of them a lieu mutualisé.
    static func node(now: Date = Date()) async throws -> TestNode {
        let node = try TestNode()
        try await node.store.importDataset(RegionDataset(
            region: Fixtures.bretagne,
            structures: [Fixtures.structure(ml), Fixtures.structure(cio, network: .cio, basis: .stateService)],
            places: [Fixtures.place("53-P-ML", structures: [ml]), Fixtures.place("53-P-CIO", structures: [cio]),
                     Fixtures.place("53-P-BOTH", structures: [ml, cio])],
            indicators: [IndicatorValue(subject: .place, subjectId: "53-P-ML", code: "personnes_accueillies", period: "2025", value: 120, unit: "personnes")]),
            at: now)
        return node
    }

    @Test func anAdminClosesAPlaceWhichBecomesATombstoneWithItsMotive() async throws {
        let node = try await Self.node()
        let admin = try await node.store.issueToken(name: "region-admin", role: .admin)
        try await Loopback.serveNode(node.store) { base in
            let api = Client(base: base)
            let before = try await api.export()
            #expect(before.places.map(\.id).contains("53-P-ML"))
            let (status, body, _) = try await api.call("POST", "/api/v1/places/53-P-ML/close", token: admin,
                                                       json: ["motive": "permanence fermée au 1er janvier"])
            #expect(status == 200 && body["status"] as? String == "published")
            let after = try await api.export()
            #expect(after.version == before.version + 1)
            #expect(!after.places.map(\.id).contains("53-P-ML"))
            let tombstone = after.tombstones.first { $0.id == "53-P-ML" }
            #expect(tombstone?.kind == .place && tombstone?.motive == "permanence fermée au 1er janvier")
            #expect(!after.indicators.contains { $0.subjectId == "53-P-ML" })  // its indicators leave with it
            #expect(after.structures.count == 2)  // the structure stays referenced
            // Audited, with the place as it was.
            let log = try await node.store.auditLog(target: "place/53-P-ML")
            #expect(log.last?.action == "place.close" && log.last?.before?.contains("Accueil 53-P-ML") == true)
            // Closing it again: it is gone.
            let (again, _, _) = try await api.call("POST", "/api/v1/places/53-P-ML/close", token: admin, json: ["motive": "x"])
            #expect(again == 404)
        }
    }

    @Test func anEditorsClosureWaitsForTheRegionAndIsLimitedToTheirPlaces() async throws {
        let node = try await Self.node()
        let admin = try await node.store.issueToken(name: "region-admin", role: .admin)
        let editor = try await node.store.issueToken(name: "cio-editor", role: .editor, structureId: Self.cio)
        try await Loopback.serveNode(node.store) { base in
            let api = Client(base: base)
            let v0 = try await api.export().version
            // Not one of the CIO's places: refused, nothing queued.
            var (status, body, _) = try await api.call("POST", "/api/v1/places/53-P-ML/close", token: editor, json: ["motive": "fermé"])
            #expect(status == 403 && (body["message"] as? String)?.contains("53-P-ML") == true)
            // No motive: refused.
            (status, body, _) = try await api.call("POST", "/api/v1/places/53-P-CIO/close", token: editor, json: ["motive": "  "])
            #expect(status == 422 && (body["message"] as? String)?.contains("motive") == true)
            #expect(try await node.store.edits(for: .system).isEmpty)
            // Its own place: queued, still published until the Région decides.
            (status, body, _) = try await api.call("POST", "/api/v1/places/53-P-CIO/close", token: editor, json: ["motive": "déménagement"])
            #expect(status == 202 && body["status"] as? String == "pending")
            let editId = try #require((body["editId"] as? String).flatMap(Int.init))
            let pending = try await api.export()
            #expect(pending.version == v0 && pending.places.map(\.id).contains("53-P-CIO"))
            (status, _, _) = try await api.call("POST", "/api/v1/edits/\(editId)/approve", token: editor)
            #expect(status == 403)
            (status, _, _) = try await api.call("POST", "/api/v1/edits/\(editId)/approve", token: admin)
            #expect(status == 200)
            let closed = try await api.export()
            #expect(!closed.places.map(\.id).contains("53-P-CIO"))
            #expect(closed.tombstones.first { $0.id == "53-P-CIO" }?.motive == "déménagement")
        }
    }

    @Test func theExportCarriesEachRecordsConfirmationDay() async throws {
        let now = Date()
        let old = now.addingTimeInterval(-300 * 86_400)
        let node = try TestNode()
        var s = Fixtures.structure(Self.ml)
        s.lastConfirmed = ISODay.string(old)
        var stale = Fixtures.place("53-P-OLD", structures: [Self.ml])
        stale.lastConfirmed = ISODay.string(old)
        var future = Fixtures.place("53-P-FUTURE", structures: [Self.ml])
        future.lastConfirmed = ISODay.string(now.addingTimeInterval(40 * 86_400))  // not trusted: confirmed at import
        let fresh = Fixtures.place("53-P-NEW", structures: [Self.ml])  // no date: confirmed at import
        try await node.store.importDataset(RegionDataset(region: Fixtures.bretagne, structures: [s], places: [stale, future, fresh], indicators: []), at: now)
        let admin = try await node.store.issueToken(name: "region-admin", role: .admin)
        let storedStale = stale
        try await Loopback.serveNode(node.store) { base in
            let api = Client(base: base)
            let export = try await api.export()
            let days = Dictionary(uniqueKeysWithValues: export.places.map { ($0.id, $0.lastConfirmed) })
            #expect(days["53-P-OLD"] == ISODay.string(old))
            #expect(days["53-P-FUTURE"] == ISODay.string(now) && days["53-P-NEW"] == ISODay.string(now))
            #expect(export.structures.first?.lastConfirmed == ISODay.string(old))
            // The quality view agrees: the old place is overdue.
            let quality = try await node.store.quality(for: .system, now: now)
            #expect(quality.first { $0.id == "53-P-OLD" }?.freshness == .updateRequired)
            // Confirming it moves its day to today, in the next export.
            let (status, _, _) = try await api.call("POST", "/api/v1/places/53-P-OLD/confirm", token: admin)
            #expect(status == 200)
            let next = try await api.export()
            #expect(next.version == export.version + 1)
            #expect(next.places.first { $0.id == "53-P-OLD" }?.lastConfirmed == ISODay.string(Date()))
            // A record sent with its own date does not set it: the node does.
            var edited = storedStale
            edited.name = "Accueil renommé"
            edited.lastConfirmed = "2001-01-01"
            let (put, _, _) = try await api.call("PUT", "/api/v1/places/53-P-OLD", token: admin, json: edited)
            #expect(put == 200)
            #expect(try await api.export().places.first { $0.id == "53-P-OLD" }?.lastConfirmed == ISODay.string(Date()))
        }
    }
}
