import Directory
import Foundation
import Geocoding
import NationalDirectory
import RegionNode
import Signing
import SproTestSupport
import Storage
import Testing
@testable import Harvest

/// The real geocoder, counting the places it locates and those whose input it fingerprints (which it does
/// for every place it decodes): a place kept by its bytes is neither.
final class TouchCountingLocator: PlaceLocator, @unchecked Sendable {
    let geocoding = GeocodingLocator(geocoder: HarvestTests.geocoder, reference: TestReference.pack)
    private let lock = NSLock()
    private var located: [String] = []
    private var fingerprinted: [String] = []

    func locate(_ place: Place) -> PlaceLocation {
        lock.withLock { located.append(place.id) }
        return geocoding.locate(place)
    }

    func inputFingerprint(_ place: Place) -> String {
        lock.withLock { fingerprinted.append(place.id) }
        return geocoding.inputFingerprint(place)
    }

    var dataVersion: String { geocoding.dataVersion }

    /// The ids located and fingerprinted since the last call, each sorted.
    func take() -> (located: [String], fingerprinted: [String]) {
        lock.withLock {
            defer { located = []; fingerprinted = [] }
            return (located.sorted(), fingerprinted.sorted())
        }
    }
}

/// A harvest costs what changed: records whose bytes are those already accepted keep their rows, and every
/// whole-export rule still holds over the whole record set.
@Suite(.serialized) struct IncrementalHarvestTests {
    let locator = TouchCountingLocator()

    func harvest(_ region: Region, into store: NationalStore, at now: Date) async throws -> RegionOutcome {
        try await Harvester(regions: [region], store: store, reference: TestReference.pack, locator: locator,
                            fetcher: ExportFetcher(limits: FetchLimits(idleTimeout: 20, totalTimeout: 60, attempts: 1)))
            .harvest(region, now: { now })
    }

    func harvestNode(_ node: TestNode, into store: NationalStore, at now: Date) async throws -> RegionOutcome {
        try await Loopback.serveNode(node.store) { url in try await harvest(node.registryEntry(url: url), into: store, at: now) }
    }

    func harvestBytes(_ body: Data, node: TestNode, into store: NationalStore, at now: Date) async throws -> RegionOutcome {
        try await Loopback.serveBytes(body: body, signature: node.key.sign(body).encoded()) { url in
            try await harvest(node.registryEntry(url: url), into: store, at: now)
        }
    }

    /// A node with the fixture dataset, harvested once (v1) at `t0` into a fresh national file.
    func baseline(placeCount: Int = 6, at t0: Date) async throws -> (TestNode, NationalStore, String) {
        let node = try TestNode()
        try await node.store.adoptCharters([Fixtures.charter()])
        try await node.store.importDataset(Fixtures.dataset(placeCount: placeCount))
        let path = temporaryDirectory("national").appendingPathComponent("national.sqlite").path
        let store = try NationalStore(path: path)
        let first = try await harvestNode(node, into: store, at: t0)
        #expect(first.status == .accepted && first.added == placeCount)
        _ = locator.take()
        return (node, store, path)
    }

    /// Each stored place's (source_version, first_harvested, last_changed), by id, read from the file.
    func rows(_ path: String) throws -> [String: [String]] {
        let db = try Database(path: path, readOnly: true)
        return Dictionary(uniqueKeysWithValues: try db.query("SELECT id, source_version, first_harvested, last_changed FROM places") {
            ($0.string(0), [String($0.int(1)), $0.string(2), $0.string(3)])
        })
    }

    /// The node's current export, decoded, for a hand-made next version re-encoded the way the node writes.
    func currentDocument(_ node: TestNode) async throws -> ExportDocument {
        try SproJSON.decoder().decode(ExportDocument.self, from: try await node.store.currentExport().body)
    }

    @Test func oneChangedPlaceIsTheOnlyRecordDecodedGeocodedAndWritten() async throws {
        let t0 = Date(), t1 = t0.addingTimeInterval(60)
        let (node, store, path) = try await baseline(at: t0)
        let before = try rows(path)
        var dataset = Fixtures.dataset(placeCount: 6)
        dataset.places[2].address.lines = ["3 rue Jean Jaurès"]
        try await node.store.importDataset(dataset)

        let second = try await harvestNode(node, into: store, at: t1)
        #expect(second.status == .accepted && second.versionInService == 2)
        #expect(second.added == 0 && second.updated == 1 && second.removed == 0 && second.places == 6)
        #expect(second.geocoding == GeocodingCounts(geocoded: 1, reused: 5))
        // Only the changed record was decoded (its geocoding input fingerprinted) and located.
        let touched = locator.take()
        #expect(touched.located == ["53-P2"] && touched.fingerprinted == ["53-P2"])

        let after = try rows(path)
        let stamp0 = ISOInstant.string(t0), stamp1 = ISOInstant.string(t1)
        #expect(after["53-P2"] == ["2", stamp0, stamp1])
        for id in before.keys where id != "53-P2" {
            // Kept by reference: the very row written by v1.
            #expect(after[id] == before[id], "\(id)")
            #expect(after[id] == ["1", stamp0, stamp0], "\(id)")
        }
        // What the directory serves: every record's source is the version in service, with its own dates.
        let served = try await store.directoryPlaces()
        #expect(served.count == 6 && served.allSatisfy { $0.sources.first?.exportVersion == 2 })
        #expect(served.first { $0.place.id == "53-P2" }?.place.address.lines == ["3 rue Jean Jaurès"])
        #expect(served.first { $0.place.id == "53-P2" }?.sources.first?.lastChanged == stamp1)
        #expect(served.first { $0.place.id == "53-P3" }?.sources.first?.lastChanged == stamp0)
    }

    @Test func addedAndRemovedPlacesAreCountedAndKeptOnesUntouched() async throws {
        let t0 = Date(), t1 = t0.addingTimeInterval(60)
        let (node, store, path) = try await baseline(at: t0)
        let before = try rows(path)
        var doc = try await currentDocument(node)
        doc.version += 1
        let removed = doc.places.removeLast()
        doc.places.append(Fixtures.place("53-NEW", structures: ["53-ML-1"]))
        doc.tombstones.append(Tombstone(kind: .place, id: removed.id, withdrawnAt: "2026-11-01"))
        let outcome = try await harvestBytes(try SproJSON.encoder().encode(doc), node: node, into: store, at: t1)
        #expect(outcome.status == .accepted && outcome.added == 1 && outcome.updated == 0 && outcome.removed == 1)
        #expect(outcome.places == 6 && locator.take().located == ["53-NEW"])
        let after = try rows(path)
        #expect(after[removed.id] == nil && after["53-NEW"]?.first == "2")
        for id in before.keys where id != removed.id { #expect(after[id] == before[id], "\(id)") }
    }

    @Test func aChangedRecordBreakingAWholeExportRuleIsRefused() async throws {
        let t0 = Date(), t1 = t0.addingTimeInterval(60)
        let (node, store, _) = try await baseline(at: t0)
        let before = try await store.placeJSON(Fixtures.bretagne)
        var doc = try await currentDocument(node)
        doc.version += 1
        // One record changes and takes the id of a record kept unchanged: ids must stay unique over the whole set.
        let keptId = doc.places[0].id
        doc.places[3].id = keptId
        doc.places[3].name = "Doublon"
        let duplicate = try await harvestBytes(try SproJSON.encoder().encode(doc), node: node, into: store, at: t1)
        #expect(duplicate.status == .refused && duplicate.refusalCode == "duplicate_id", "\(duplicate.refusal ?? "")")
        #expect(duplicate.refusal?.contains(keptId) == true)
        #expect(try await store.placeJSON(Fixtures.bretagne) == before)
        #expect(try await store.acceptedState(Fixtures.bretagne)?.version == 1)

        // A structure withdrawn: the unchanged places that named it alone are judged again and refused one by one.
        var withdrawn = try await currentDocument(node)
        withdrawn.version += 1
        withdrawn.structures.removeAll { $0.id == "53-FT-1" }
        let outcome = try await harvestBytes(try SproJSON.encoder().encode(withdrawn), node: node, into: store, at: t1)
        #expect(outcome.status == .accepted)
        let orphans = outcome.anomalies.filter { $0.field == "structures" }.map(\.id).sorted()
        #expect(orphans == ["53-P1", "53-P3", "53-P5"])
        let stored = try await store.directoryPlaces()
        #expect(stored.map(\.place.id).sorted() == ["53-P0", "53-P2", "53-P4"])
        // 53-P0 listed both structures: it stays, without the withdrawn one.
        #expect(stored.first { $0.place.id == "53-P0" }?.place.structures.map(\.structureId) == ["53-ML-1"])
    }

    @Test func aRecordNotValidJSONOrRepeatingAKeyIsRefusedEvenAmongKeptOnes() async throws {
        let t0 = Date(), t1 = t0.addingTimeInterval(60)
        let (node, store, _) = try await baseline(at: t0)
        var doc = try await currentDocument(node)
        doc.version += 1
        let body = String(decoding: try SproJSON.encoder().encode(doc), as: UTF8.self)
        // A key given twice inside one place: readers could disagree on the record.
        let repeated = body.replacingOccurrences(of: #""name":"Accueil 53-P1","#, with: #""name":"Accueil 53-P1","name":"Autre","#)
        #expect(repeated != body)
        let dup = try await harvestBytes(Data(repeated.utf8), node: node, into: store, at: t1)
        #expect(dup.refusalCode == "duplicate_key", "\(dup.refusal ?? "")")
        // Bytes that are not JSON inside one place record.
        let broken = body.replacingOccurrences(of: #""name":"Accueil 53-P1","#, with: #""name":"Accueil 53-P1",,"#)
        let bad = try await harvestBytes(Data(broken.utf8), node: node, into: store, at: t1)
        #expect(bad.refusalCode == "invalid_schema", "\(bad.refusal ?? "")")
        #expect(try await store.acceptedState(Fixtures.bretagne)?.version == 1)
    }

    @Test func aFailureMidSwapLeavesThePreviousSnapshotWhole() async throws {
        let t0 = Date(), t1 = t0.addingTimeInterval(60), t2 = t0.addingTimeInterval(120)
        let (node, store, path) = try await baseline(at: t0)
        let before = try await store.placeJSON(Fixtures.bretagne)
        let beforeRows = try rows(path)
        var doc = try await currentDocument(node)
        doc.version += 1
        doc.places[1].name = "Accueil modifié"
        doc.places.removeLast()
        doc.places.append(Fixtures.place("53-NEW", structures: ["53-ML-1"]))
        let body = try SproJSON.encoder().encode(doc)
        // The disk fails as the swap writes its new place, after it has deleted and rewritten others.
        let saboteur = try Database(path: path)
        try saboteur.execute("""
            CREATE TRIGGER fail_new_place BEFORE INSERT ON places WHEN NEW.id = '53-NEW'
            BEGIN SELECT RAISE(ABORT, 'disk I/O error (simulated)'); END
            """)
        let failed = try await harvestBytes(body, node: node, into: store, at: t1)
        #expect(failed.status == .refused && failed.refusalCode == "store_error", "\(failed.refusal ?? "")")
        #expect(failed.versionInService == 1 && failed.places == 6)
        #expect(try await store.placeJSON(Fixtures.bretagne) == before)
        #expect(try rows(path) == beforeRows)
        #expect(try await store.acceptedState(Fixtures.bretagne)?.version == 1)

        // The disk back, the same export goes in whole, counted against the old snapshot still in place.
        try saboteur.execute("DROP TRIGGER fail_new_place")
        let accepted = try await harvestBytes(body, node: node, into: store, at: t2)
        #expect(accepted.status == .accepted && accepted.added == 1 && accepted.updated == 1 && accepted.removed == 1)
        let after = try rows(path)
        #expect(after[doc.places[1].id]?.last == ISOInstant.string(t2) && after[doc.places[2].id] == beforeRows[doc.places[2].id])
    }
}
