import Directory
import Foundation
import Geocoding
import NationalDirectory
import SproTestSupport
import Storage
import Testing
@testable import Harvest

/// The national store's readers (search, coverage, the server) against a harvest in another process.
@Suite(.serialized) struct NationalStoreReadTests {
    /// A national store holding one Région's four places, harvested from a node on loopback.
    static func harvestedStore() async throws -> NationalStore {
        let node = try TestNode()
        try await node.store.adoptCharters([Fixtures.charter()])
        try await node.store.importDataset(Fixtures.dataset(placeCount: 4))
        let store = try NationalStore(path: temporaryDirectory("national").appendingPathComponent("n.sqlite").path)
        let locator = GeocodingLocator(geocoder: Geocoder(pack: TestReference.pack), reference: TestReference.pack)
        let outcome = try await Loopback.serveNode(node.store) { url in
            try await Harvester(regions: [node.registryEntry(url: url)], store: store, reference: TestReference.pack, locator: locator,
                                fetcher: ExportFetcher(limits: FetchLimits(idleTimeout: 20, totalTimeout: 60, attempts: 1)))
                .harvest(node.registryEntry(url: url))
        }
        #expect(outcome.status == .accepted)
        return store
    }

    @Test func readsDuringAnotherConnectionsOpenSwapReturnTheLastCommittedData() async throws {
        let store = try await Self.harvestedStore()
        let places = try await store.directoryPlaces().map(\.place.id).sorted()
        let totals = try await store.totals()
        let structures = try await store.nationalStructures().map(\.key)
        #expect(places.count == 4 && totals.places == 4)

        // `spro harvest` swapping the region in its own process: write lock taken, rows gone, nothing committed.
        let harvest = try Database(path: store.path)
        try harvest.execute("BEGIN IMMEDIATE")
        for table in ["charters", "structures", "places", "place_structures", "indicators", "tombstones", "channels",
                      "place_geocode_inputs", "region_snapshots"] {
            try harvest.run("DELETE FROM \(table) WHERE region = ?", Fixtures.bretagne.rawValue)
        }
        // The lock is held throughout: a reader waiting for it would fail as busy after its busy timeout.
        #expect(try await store.directoryPlaces().map(\.place.id).sorted() == places)
        #expect(try await store.totals() == totals)
        #expect(try await store.nationalStructures().map(\.key) == structures)
        try harvest.execute("COMMIT")
        #expect(try await store.directoryPlaces().isEmpty)
    }

    @Test func storedRecordsListEachPlacesStructuresEvenBesideALinkToNoPlace() async throws {
        let store = try await Self.harvestedStore()
        let expected = Dictionary(uniqueKeysWithValues: try await store.directoryPlaces().map { ($0.place.id, $0.place.structures.map(\.structureId).sorted()) })
        #expect(expected.count == 4 && expected.values.allSatisfy { !$0.isEmpty })
        func links() async throws -> [String: [String]] { try await store.storedRecords(Fixtures.bretagne).places.mapValues { $0.structureIds.sorted() } }
        #expect(try await links() == expected)
        // A link to no place, as a file edited without foreign keys could hold, sorted before every place: the
        // side-by-side walk stops there, and the links are read by place instead.
        let other = try Database(path: store.path)
        try other.execute("PRAGMA foreign_keys = OFF")
        try other.run("INSERT INTO place_structures (region, place_id, structure_id, is_host) VALUES (?, ?, ?, 0)",
                      Fixtures.bretagne.rawValue, "0-nowhere", "53-S1")
        #expect(try await links() == expected)
    }

    @Test func aReadReusingDecodedRecordsDecodesOnlyTheRecordsWrittenAnew() async throws {
        let store = try await Self.harvestedStore()
        let cache = DecodedRecords()
        let plain = try await store.directoryPlaces()
        let cached = try await store.directoryPlaces(reusing: cache)
        #expect(cached.map(\.place) == plain.map(\.place))
        let first = cache.decodes
        #expect(cache.counts.places == 4 && first == 4 + cache.counts.structures)

        // Nothing written anew: nothing decoded, the same records.
        let again = try await store.directoryPlaces(reusing: cache)
        #expect(again.map(\.place) == plain.map(\.place))
        let structures = try await store.nationalStructures(reusing: cache).map(\.key)
        let freshKeys = try await store.nationalStructures().map(\.key)
        #expect(structures == freshKeys)
        #expect(cache.decodes == first)

        // One place written anew (as a harvest writes a changed record: new bytes, new hash), one whose JSON changed
        // without a hash (a row from before hashes were kept): both read as stored now.
        let other = try Database(path: store.path)
        let ids = plain.map(\.place.id)
        for (id, hash, name) in [(ids[0], "changed" as String?, "Accueil renommé"), (ids[1], nil, "Sans empreinte")] {
            var place = plain[0 ..< 2].first { $0.place.id == id }!.place
            place.name = name
            try other.run("UPDATE places SET json = ?, record_hash = ? WHERE id = ?",
                          String(decoding: try SproJSON.encoder().encode(place), as: UTF8.self), hash, id)
        }
        let read = try await store.directoryPlaces(reusing: cache)
        let fresh = try await store.directoryPlaces()
        #expect(read.map(\.place) == fresh.map(\.place))
        #expect(read.first { $0.place.id == ids[0] }?.place.name == "Accueil renommé")
        #expect(read.first { $0.place.id == ids[1] }?.place.name == "Sans empreinte")
        #expect(cache.decodes == first + 1)
        #expect(cache.counts.places == 3)  // the unhashed row is not kept
    }
}
