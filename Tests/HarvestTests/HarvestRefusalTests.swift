import Directory
import Foundation
import Geocoding
import Hummingbird
import NationalDirectory
import RegionNode
import Signing
import SproTestSupport
import Testing
@testable import Harvest

/// Every refusal keeps the region's previous data in service, unchanged.
// Serialized: each test runs loopback servers and harvests; 2 cores shared with every other suite.
@Suite(.serialized) struct HarvestRefusalTests {
    static let geocoder = Geocoder(pack: TestReference.pack)

    func harvester(_ region: Region, store: NationalStore, limits: FetchLimits = FetchLimits(idleTimeout: 20, totalTimeout: 60, attempts: 1)) -> Harvester {
        Harvester(regions: [region], store: store, reference: TestReference.pack,
                  locator: GeocodingLocator(geocoder: Self.geocoder, reference: TestReference.pack), fetcher: ExportFetcher(limits: limits))
    }

    /// A node harvested once (v1 accepted), and the national store holding it.
    func acceptedBaseline(placeCount: Int = 4) async throws -> (TestNode, NationalStore, [String: String]) {
        let node = try TestNode()
        try await node.store.adoptCharters([Fixtures.charter()])
        try await node.store.importDataset(Fixtures.dataset(placeCount: placeCount))
        let store = try NationalStore(path: temporaryDirectory("national").appendingPathComponent("n.sqlite").path)
        let outcome = try await Loopback.serveNode(node.store) { url in
            try await harvester(node.registryEntry(url: url), store: store).harvest(node.registryEntry(url: url))
        }
        #expect(outcome.status == .accepted)
        return (node, store, try await store.placeJSON(Fixtures.bretagne))
    }

    /// Serves hand-made bytes and checks the refusal code and that nothing stored changed.
    func expectRefusal(_ code: String, body: Data, signature: Data, node: TestNode, store: NationalStore,
                       before: [String: String], registry: Region? = nil, now: Date = Date(),
                       sourceLocation: SourceLocation = #_sourceLocation) async throws -> RegionOutcome {
        let outcome = try await Loopback.serveBytes(body: body, signature: signature) { url in
            var region = registry ?? node.region
            region.nodeURL = url
            return try await harvester(region, store: store).harvest(region, now: { now })
        }
        #expect(outcome.status == .refused, sourceLocation: sourceLocation)
        #expect(outcome.refusalCode == code, "\(outcome.refusal ?? "")", sourceLocation: sourceLocation)
        #expect(try await store.placeJSON(Fixtures.bretagne) == before, sourceLocation: sourceLocation)
        return outcome
    }

    func document(_ node: TestNode, version: Int, places: [Place], tombstones: [Tombstone] = [],
                  expiresIn: TimeInterval = 86_400) -> ExportDocument {
        ExportDocument(region: Fixtures.bretagne, version: version, generatedAt: Date(), expiresAt: Date().addingTimeInterval(expiresIn),
                       keyId: node.key.keyId, charters: [Fixtures.charter()],
                       structures: [Fixtures.structure("53-ML-1"), Fixtures.structure("53-FT-1", network: .franceTravail)],
                       places: places, indicators: [], tombstones: tombstones)
    }

    @Test func sameVersionWithOtherBytesIsRefused() async throws {
        let (node, store, before) = try await acceptedBaseline()
        let body = try SproJSON.encoder().encode(document(node, version: 1, places: [Fixtures.place("53-X", structures: ["53-ML-1"])]))
        let o = try await expectRefusal("same_version_different_bytes", body: body, signature: node.key.sign(body).encoded(),
                                        node: node, store: store, before: before)
        #expect(o.versionInService == 1)
    }

    @Test func invalidSchemaIsRefused() async throws {
        let (node, store, before) = try await acceptedBaseline()
        let body = Data(#"{"format":"spro-export/1","region":"53","version":7}"#.utf8)
        let o = try await expectRefusal("invalid_schema", body: body, signature: node.key.sign(body).encoded(), node: node, store: store, before: before)
        #expect(o.refusal?.contains("generatedAt") == true)
    }

    @Test func expiredExportIsRefusedAndDataServedMarkedStale() async throws {
        let (node, store, before) = try await acceptedBaseline()
        let body = try SproJSON.encoder().encode(document(node, version: 2, places: [Fixtures.place("53-P0", structures: ["53-ML-1"])], expiresIn: 60))
        // Eight days later: the new export expired long ago, and so has v1 (7-day lifetime).
        let later = Date().addingTimeInterval(8 * 86_400)
        var registry = node.region
        registry.keys[0].validUntil = ISOInstant.string(later.addingTimeInterval(86_400))
        let o = try await expectRefusal("expired", body: body, signature: node.key.sign(body).encoded(), node: node, store: store,
                                        before: before, registry: registry, now: later)
        #expect(o.stale)
        #expect(try await store.acceptedState(Fixtures.bretagne)?.isStale(at: later) == true)
    }

    @Test func massDeletionWithoutTombstonesIsRefusedUnlessAnOperatorAllowsIt() async throws {
        let (node, store, before) = try await acceptedBaseline(placeCount: 24)
        #expect(before.count == 24)
        let kept = (0..<5).map { Fixtures.place("53-P\($0)", structures: [$0 % 2 == 0 ? "53-ML-1" : "53-FT-1"]) }
        let body = try SproJSON.encoder().encode(document(node, version: 2, places: kept))
        let sig = node.key.sign(body).encoded()
        let o = try await expectRefusal("mass_deletion", body: body, signature: sig, node: node, store: store, before: before)
        #expect(o.refusal?.contains("19 des 24") == true)
        // The same export with tombstones for what it removes is accepted.
        let tombstones = (5..<24).map { Tombstone(kind: .place, id: "53-P\($0)", withdrawnAt: "2026-11-01T00:00:00Z") }
        let withTombstones = try SproJSON.encoder().encode(document(node, version: 2, places: kept, tombstones: tombstones))
        let accepted = try await Loopback.serveBytes(body: withTombstones, signature: node.key.sign(withTombstones).encoded()) { url in
            try await harvester(node.registryEntry(url: url), store: store).harvest(node.registryEntry(url: url))
        }
        #expect(accepted.status == .accepted && accepted.removed == 19)
        // Or, without tombstones, when an operator lifts the guard for one harvest.
        let (node2, store2, _) = try await acceptedBaseline(placeCount: 24)
        let body2 = try SproJSON.encoder().encode(document(node2, version: 2, places: kept))
        let allowed = try await Loopback.serveBytes(body: body2, signature: node2.key.sign(body2).encoded()) { url in
            var h = harvester(node2.registryEntry(url: url), store: store2)
            h.allowMassDeletion = [Fixtures.bretagne: "fermetures annoncées par la Région"]
            return try await h.harvest(node2.registryEntry(url: url))
        }
        #expect(allowed.status == .accepted && allowed.places == 5)
    }

    @Test func keyRotationOldKeyUntilItsEndNextKeyFromItsStartRevokedNever() async throws {
        let (node, store, _) = try await acceptedBaseline()
        let t0 = Date()
        let next = SigningKey(region: Fixtures.bretagne, keyId: "53-next")
        // The old key ends in 2 h; the next key is announced from t0 + 1 h.
        var current = node.region
        current.keys[0].validUntil = ISOInstant.string(t0.addingTimeInterval(7200))
        let registry = try KeyRotation.announce(next, to: current, from: t0.addingTimeInterval(3600), until: t0.addingTimeInterval(86_400 * 30))
        // The node switches to the next key: same database, new signer, new content.
        let rotated = try NodeStore(region: node.region, databasePath: node.databasePath, key: next)
        var changed = Fixtures.dataset()
        changed.places[0].name = "Accueil après rotation"
        try await rotated.importDataset(changed)

        func harvestRotated(at now: Date) async throws -> RegionOutcome {
            try await Loopback.serveNode(rotated) { url in
                var r = registry
                r.nodeURL = url
                return try await harvester(r, store: store).harvest(r, now: { now })
            }
        }
        let early = try await harvestRotated(at: t0.addingTimeInterval(1800))
        #expect(early.refusalCode == "key_not_yet_valid")
        let onTime = try await harvestRotated(at: t0.addingTimeInterval(3700))
        #expect(onTime.status == .accepted && onTime.versionInService == 2)

        // An export still signed with the old key stays accepted until the old key's end, not after.
        let old = try SproJSON.encoder().encode(document(node, version: 3, places: [Fixtures.place("53-P0", structures: ["53-ML-1"])]))
        let oldSig = node.key.sign(old).encoded()
        let beforeExpiry = try await Loopback.serveBytes(body: old, signature: oldSig) { url in
            var r = registry
            r.nodeURL = url
            var h = harvester(r, store: store)
            h.allowMassDeletion = [Fixtures.bretagne: "fermetures annoncées par la Région"]
            return try await h.harvest(r, now: { t0.addingTimeInterval(7000) })
        }
        #expect(beforeExpiry.status == .accepted && beforeExpiry.versionInService == 3, "\(beforeExpiry.refusal ?? "")")
        let afterState = try await store.placeJSON(Fixtures.bretagne)
        let old4 = try SproJSON.encoder().encode(document(node, version: 4, places: [Fixtures.place("53-P1", structures: ["53-ML-1"])]))
        _ = try await expectRefusal("key_expired", body: old4, signature: node.key.sign(old4).encoded(), node: node, store: store,
                                    before: afterState, registry: registry, now: t0.addingTimeInterval(7300))

        // After revocation, the next key is refused from the revocation instant.
        let revoked = try KeyRotation.revoke("53-next", in: registry, at: t0.addingTimeInterval(7400))
        let v5 = try SproJSON.encoder().encode(document(node, version: 5, places: [Fixtures.place("53-P1", structures: ["53-ML-1"])]))
        _ = try await expectRefusal("key_revoked", body: v5, signature: next.sign(v5).encoded(), node: node, store: store,
                                    before: afterState, registry: revoked, now: t0.addingTimeInterval(7500))
    }

    @Test func oversizedGarbageStreamIsCutOffAtTheLimit() async throws {
        let (node, store, before) = try await acceptedBaseline()
        // A node gone mad streams up to 5 GB of garbage; the harvester stops reading at 1 MB.
        actor Sent { var chunks = 0; func add() { chunks += 1 } }
        let sent = Sent()
        let router = Router()
        router.get("/export.json") { _, _ in
            Response(status: .ok, body: ResponseBody { writer in
                let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 1 << 20)
                for _ in 0..<5_000 {
                    try await writer.write(chunk)
                    await sent.add()
                }
                try await writer.finish(nil)
            })
        }
        let outcome = try await Loopback.serve(router) { url in
            try await harvester(node.registryEntry(url: url), store: store,
                                limits: FetchLimits(idleTimeout: 5, totalTimeout: 20, maxBytes: 1 << 20, attempts: 1))
                .harvest(node.registryEntry(url: url))
        }
        #expect(outcome.refusalCode == "too_large")
        // The harvester hung up: the node never got to stream the whole 5 GB (timing stays out of unit tests).
        let chunks = await sent.chunks
        #expect(chunks < 5_000, "\(chunks) MB sent")
        #expect(try await store.placeJSON(Fixtures.bretagne) == before)
    }

    // The time limit bounds the test should the fetch's own limit fail: the node would never answer.
    @Test(.timeLimit(.minutes(1)))
    func aHangingNodeTimesOutAtTheIdleLimit() async throws {
        let (node, store, before) = try await acceptedBaseline()
        // The node takes the connection and the request, and never answers; the test server closes the
        // connection as it stops, without waiting for anyone.
        let outcome = try await RawHTTP.serve(reply: { _ in nil }) { url in
            try await harvester(node.registryEntry(url: url), store: store,
                                limits: FetchLimits(idleTimeout: 0.5, totalTimeout: 600, attempts: 1))
                .harvest(node.registryEntry(url: url))
        }
        #expect(outcome.refusalCode == "timeout")
        #expect(outcome.refusal == "téléchargement impossible : rien reçu pendant 0.5 s")
        #expect(try await store.placeJSON(Fixtures.bretagne) == before)
    }

    @Test func aRedirectToAnotherHostIsRefusedNamingIt() async throws {
        let (node, store, before) = try await acceptedBaseline()
        let router = Router()
        router.get("/export.json") { _, _ in
            Response(status: .found, headers: [.location: "http://exports.example.org/53/export.json"])
        }
        let outcome = try await Loopback.serve(router) { url in
            try await harvester(node.registryEntry(url: url), store: store).harvest(node.registryEntry(url: url))
        }
        #expect(outcome.refusalCode == "redirect")
        #expect(outcome.refusal?.contains("http://exports.example.org/53/export.json") == true, "\(outcome.refusal ?? "")")
        #expect(try await store.placeJSON(Fixtures.bretagne) == before)
    }

    @Test func aTruncatedBodyIsRefusedItsRegionKeptAndTheOthersHarvested() async throws {
        let (node, store, before) = try await acceptedBaseline()
        // Pays de la Loire, healthy, is harvested in the same run.
        let other = try TestNode(region: RegionCode(unchecked: "52"))
        try await other.store.importDataset(RegionDataset(
            region: other.region.code, structures: [Fixtures.structure("52-ML-1")],
            places: [Fixtures.place("52-P0", structures: ["52-ML-1"], postcode: "72000", city: "Le Mans", commune: "72181")],
            indicators: []))
        // The Breton node announces 100,000 bytes, sends 1,000 and hangs up.
        let truncated: @Sendable (String) -> [UInt8] = { path in
            guard path == "/export.json" else { return Array("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".utf8) }
            return Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n".utf8)
                + Array(repeating: UInt8(ascii: "x"), count: 1_000)
        }
        let report = try await RawHTTP.serve(reply: truncated) { brokenURL in
            try await Loopback.serveNode(other.store) { otherURL in
                try await Harvester(regions: [node.registryEntry(url: brokenURL), other.registryEntry(url: otherURL)], store: store,
                                    reference: TestReference.pack,
                                    locator: GeocodingLocator(geocoder: Self.geocoder, reference: TestReference.pack),
                                    fetcher: ExportFetcher(limits: FetchLimits(idleTimeout: 5, totalTimeout: 20, attempts: 1))).run()
            }
        }
        let breton = try #require(report.regions.first { $0.region == Fixtures.bretagne })
        #expect(breton.status == .refused && breton.refusalCode == "truncated", "\(breton.refusal ?? "")")
        #expect(breton.refusal?.contains("1000 octets sur 100000") == true)
        #expect(breton.versionInService == 1)
        #expect(try await store.placeJSON(Fixtures.bretagne) == before)
        #expect(report.regions.first { $0.region.rawValue == "52" }?.status == .accepted)
        #expect(try await store.placeIds(RegionCode(unchecked: "52")) == ["52-P0"])
    }

    @Test func serverErrorIsRetriedThenRefused() async throws {
        let (node, store, before) = try await acceptedBaseline()
        let hits = Counter()
        let router = Router()
        router.get("/export.json") { _, _ -> Response in
            hits.increment()
            return Response(status: .internalServerError)
        }
        let outcome = try await Loopback.serve(router) { url in
            try await harvester(node.registryEntry(url: url), store: store,
                                limits: FetchLimits(idleTimeout: 20, totalTimeout: 60, attempts: 3, backoff: 0.01))
                .harvest(node.registryEntry(url: url))
        }
        #expect(outcome.refusalCode == "http_status")
        #expect(hits.value == 3)
        #expect(try await store.placeJSON(Fixtures.bretagne) == before)
    }
}

/// A thread-safe counter for request handlers.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func increment() { lock.withLock { n += 1 } }
    var value: Int { lock.withLock { n } }
}
