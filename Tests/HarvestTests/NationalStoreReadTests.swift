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
}
