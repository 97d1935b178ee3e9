import Directory
import Foundation
import NationalDirectory
import SproTestSupport
import Testing
@testable import Harvest

/// The mass-deletion guard over a window of harvests: steps each under the per-export guard do not add up to
/// more than half of what the Région had 30 days ago, unless the national operator lifts it with a reason.
extension HarvestRefusalTests {
    func places(_ range: Range<Int>) -> [Place] {
        range.map { Fixtures.place("53-P\($0)", structures: [$0 % 2 == 0 ? "53-ML-1" : "53-FT-1"]) }
    }

    func harvestBytes(_ node: TestNode, store: NationalStore, version: Int, keep: Range<Int>,
                      override: String? = nil) async throws -> RegionOutcome {
        let body = try SproJSON.encoder().encode(document(node, version: version, places: places(keep)))
        return try await Loopback.serveBytes(body: body, signature: node.key.sign(body).encoded()) { url in
            var h = harvester(node.registryEntry(url: url), store: store)
            if let override { h.allowMassDeletion = [Fixtures.bretagne: override] }
            return try await h.harvest(node.registryEntry(url: url))
        }
    }

    @Test func stepsUnderThePerExportGuardAreRefusedPastHalfOverTheWindowUnlessTheOperatorLiftsIt() async throws {
        let (node, store, _) = try await acceptedBaseline(placeCount: 24)
        // -25 %, then -28 %: each under the 30 % per-export guard, 11 of 24 over the window.
        #expect(try await harvestBytes(node, store: store, version: 2, keep: 0..<18).status == .accepted)
        #expect(try await harvestBytes(node, store: store, version: 3, keep: 0..<13).status == .accepted)
        let before = try await store.placeJSON(Fixtures.bretagne)
        // -23 %: under the per-export guard, but 14 of the 24 places of 30 days ago would be gone.
        let refused = try await harvestBytes(node, store: store, version: 4, keep: 0..<10)
        #expect(refused.status == .refused && refused.refusalCode == "cumulative_deletion", "\(refused.refusal ?? "")")
        #expect(refused.refusal?.contains("14 des 24 lieux qu'elle avait il y a 30 jours") == true, "\(refused.refusal ?? "")")
        #expect(refused.versionInService == 3)
        #expect(try await store.placeJSON(Fixtures.bretagne) == before)

        // The operator lifts the guard for this harvest, saying why: accepted, the reason kept in the outcome.
        let reason = "fermeture de 14 antennes annoncée par la Région le 2 décembre"
        let lifted = try await harvestBytes(node, store: store, version: 4, keep: 0..<10, override: reason)
        #expect(lifted.status == .accepted && lifted.places == 10 && lifted.deletionGuardLifted == reason, "\(lifted.refusal ?? "")")
        // What the operator accepted no longer counts: the next small step passes without an override.
        let next = try await harvestBytes(node, store: store, version: 5, keep: 0..<8)
        #expect(next.status == .accepted && next.deletionGuardLifted == nil, "\(next.refusal ?? "")")
    }
}

/// The history the cumulative guard reads, written by each swap.
@Suite struct DeletionHistoryTests {
    func snapshot(version: Int, ids: Range<Int>, tombstones: [String] = [], acknowledged: Bool = false) -> RegionSnapshot {
        let location = PlaceLocation(commune: nil, zone: nil, position: nil, precision: "none", score: 0, reason: "test",
                                     coordinatesFlag: nil)
        var s = RegionSnapshot(region: Fixtures.bretagne, version: version, contentHash: "h\(version)", etag: nil, keyId: "k",
                               generatedAt: "2026-01-01T00:00:00Z", expiresAt: "2026-01-08T00:00:00Z", charters: [],
                               structures: [Fixtures.structure("53-ML-1")],
                               places: ids.map { (Fixtures.place("53-P\($0)", structures: ["53-ML-1"]), location) }, indicators: [],
                               tombstones: tombstones.map { Tombstone(kind: .place, id: $0, withdrawnAt: "2026-01-01T00:00:00Z") })
        s.acknowledgesRemovals = acknowledged
        return s
    }

    @Test func theWindowStartsAtTheLastCountBeforeItAndRemovalsLastUntilBackTombstonedOrAcknowledged() async throws {
        let store = try NationalStore(path: temporaryDirectory("national").appendingPathComponent("n.sqlite").path)
        let now = Date()
        func daysAgo(_ d: Double) -> Date { now.addingTimeInterval(-d * 86_400) }
        try await store.replace(with: snapshot(version: 1, ids: 0..<24), acceptedAt: daysAgo(40))
        try await store.replace(with: snapshot(version: 2, ids: 0..<12), acceptedAt: daysAgo(35))
        try await store.replace(with: snapshot(version: 3, ids: 0..<9), acceptedAt: daysAgo(10))
        // 30 days ago the region had 12 places; 9, 10 and 11 went since (0 to 11 went before the window).
        #expect(try await store.deletionHistory(Fixtures.bretagne, since: daysAgo(30))
                == DeletionHistory(baseline: 12, removedSince: ["53-P9", "53-P10", "53-P11"]))
        // One comes back, one is tombstoned: one removal left.
        try await store.replace(with: snapshot(version: 4, ids: 0..<10, tombstones: ["53-P10"]), acceptedAt: daysAgo(5))
        #expect(try await store.deletionHistory(Fixtures.bretagne, since: daysAgo(30)).removedSince == ["53-P11"])
        // An operator's override acknowledges every removal so far.
        try await store.replace(with: snapshot(version: 5, ids: 0..<6, acknowledged: true), acceptedAt: daysAgo(1))
        #expect(try await store.deletionHistory(Fixtures.bretagne, since: daysAgo(30)).removedSince.isEmpty)
        // A window older than every count starts at the oldest.
        #expect(try await store.deletionHistory(Fixtures.bretagne, since: daysAgo(60)).baseline == 24)
    }
}
