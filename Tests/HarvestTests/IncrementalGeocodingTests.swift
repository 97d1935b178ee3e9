import Directory
import Foundation
import Geocoding
import NationalDirectory
import RegionNode
import SproTestSupport
import Testing
@testable import Harvest

/// The real geocoder, counting the places it is asked to locate; the scores of the ids in `lowScore`
/// are lowered to 0.5, as for a place found by its postcode alone.
final class CountingLocator: PlaceLocator, @unchecked Sendable {
    let geocoding = GeocodingLocator(geocoder: HarvestTests.geocoder, reference: TestReference.pack)
    let lowScore: Set<String>
    private let lock = NSLock()
    private var located: [String] = []

    init(lowScore: Set<String> = []) { self.lowScore = lowScore }

    func locate(_ place: Place) -> PlaceLocation {
        lock.withLock { located.append(place.id) }
        var location = geocoding.locate(place)
        if lowScore.contains(place.id) { location.score = 0.5 }
        return location
    }

    func inputFingerprint(_ place: Place) -> String { geocoding.inputFingerprint(place) }

    /// The ids located since the last call, sorted.
    func take() -> [String] {
        lock.withLock {
            defer { located = [] }
            return located.sorted()
        }
    }
}

/// Re-geocoding is incremental: only places whose input changed or whose score is low.
@Suite(.serialized) struct IncrementalGeocodingTests {
    func harvest(_ node: TestNode, into store: NationalStore, locator: CountingLocator,
                 reuseScore: Double? = 0.75) async throws -> RegionOutcome {
        try await Loopback.serveNode(node.store) { url in
            var h = Harvester(regions: [node.registryEntry(url: url)], store: store, reference: TestReference.pack, locator: locator,
                              fetcher: ExportFetcher(limits: FetchLimits(idleTimeout: 20, totalTimeout: 60, attempts: 1)))
            h.reuseScore = reuseScore
            return try await h.harvest(node.registryEntry(url: url))
        }
    }

    func setUp(_ dataset: RegionDataset) async throws -> (TestNode, NationalStore) {
        let node = try TestNode()
        try await node.store.adoptCharters([Fixtures.charter()])
        try await node.store.importDataset(dataset)
        let store = try NationalStore(path: temporaryDirectory("national").appendingPathComponent("national.sqlite").path)
        return (node, store)
    }

    @Test func aNewVersionWithTheSameAddressesGeocodesNothingAndAChangedAddressAlone() async throws {
        var dataset = Fixtures.dataset(placeCount: 4)
        let (node, store) = try await setUp(dataset)
        let locator = CountingLocator()
        let first = try await harvest(node, into: store, locator: locator)
        let ids = try await store.placeIds(Fixtures.bretagne).sorted()
        #expect(first.status == .accepted && ids.count == 4)
        #expect(locator.take() == ids)
        #expect(first.geocoding == GeocodingCounts(geocoded: 4, reused: 0))
        let firstLocations = try await store.directoryPlaces().map(\.location)

        // v2: names and hours change, no address: every location is the stored one.
        for i in dataset.places.indices { dataset.places[i].name += " (rénové)"; dataset.places[i].openingHours = "Mo-Fr 10:00-12:00" }
        try await node.store.importDataset(dataset)
        let second = try await harvest(node, into: store, locator: locator)
        #expect(second.status == .accepted && second.versionInService == 2 && second.updated == 4)
        #expect(locator.take().isEmpty)
        #expect(second.geocoding == GeocodingCounts(geocoded: 0, reused: 4))
        #expect(try await store.directoryPlaces().map(\.location) == firstLocations)

        // v3: one place moves from Quimper to Brest; only it is geocoded, and it is in Brest now.
        let moved = try #require(dataset.places.firstIndex { $0.address.city == "Quimper" })
        dataset.places[moved].address = Address(lines: ["3 rue Jean Jaurès"], postcode: Postcode(unchecked: "29200"), city: "Brest",
                                                communeCode: CommuneCode(unchecked: "29019"))
        try await node.store.importDataset(dataset)
        let third = try await harvest(node, into: store, locator: locator)
        #expect(locator.take() == [dataset.places[moved].id])
        #expect(third.geocoding == GeocodingCounts(geocoded: 1, reused: 3))
        let stored = try #require(try await store.directoryPlaces().first { $0.place.id == dataset.places[moved].id })
        #expect(stored.location.commune?.rawValue == "29019")

        // Given coordinates are input too.
        dataset.places[0].coordinates = GeoPoint(lat: 48.3904, lon: -4.4861)
        try await node.store.importDataset(dataset)
        #expect(try await harvest(node, into: store, locator: locator).geocoding == GeocodingCounts(geocoded: 1, reused: 3))
        #expect(locator.take() == [dataset.places[0].id])
    }

    @Test func aLowScorePlaceIsGeocodedAtEveryHarvest() async throws {
        var dataset = Fixtures.dataset(placeCount: 3)
        let (node, store) = try await setUp(dataset)
        let low = dataset.places[1].id
        let locator = CountingLocator(lowScore: [low])
        _ = try await harvest(node, into: store, locator: locator)
        #expect(locator.take().count == 3)
        for round in 1...2 {
            dataset.places[0].name = "Accueil, version \(round + 1)"
            try await node.store.importDataset(dataset)
            let outcome = try await harvest(node, into: store, locator: locator)
            #expect(outcome.status == .accepted)
            #expect(locator.take() == [low], "round \(round)")
            #expect(outcome.geocoding == GeocodingCounts(geocoded: 1, reused: 2))
        }
    }

    @Test func withoutReuseEveryPlaceIsGeocoded() async throws {
        var dataset = Fixtures.dataset(placeCount: 3)
        let (node, store) = try await setUp(dataset)
        let locator = CountingLocator()
        _ = try await harvest(node, into: store, locator: locator)
        _ = locator.take()
        dataset.places[0].name = "Accueil v2"
        try await node.store.importDataset(dataset)
        let outcome = try await harvest(node, into: store, locator: locator, reuseScore: nil)
        #expect(locator.take().count == 3 && outcome.geocoding == GeocodingCounts(geocoded: 3, reused: 0))
    }

    @Test func theFingerprintCoversTheAddressTheCoordinatesAndTheGeocodersData() {
        let place = Fixtures.place("53-A", structures: ["53-ML-1"])
        let base = GeocodingInput(place).fingerprint(dataVersion: "commune")
        var renamed = place
        renamed.name = "Autre nom"
        renamed.phone = "02 98 00 00 00"
        #expect(GeocodingInput(renamed).fingerprint(dataVersion: "commune") == base)
        var changes: [Place] = []
        for change in 0..<5 {
            var p = place
            switch change {
            case 0: p.address.lines = ["14 rue de Siam"]
            case 1: p.address.postcode = Postcode(unchecked: "29000")
            case 2: p.address.city = "Quimper"
            case 3: p.address.communeCode = nil
            default: p.coordinates = GeoPoint(lat: 48.39, lon: -4.49)
            }
            changes.append(p)
        }
        let fingerprints = changes.map { GeocodingInput($0).fingerprint(dataVersion: "commune") }
        #expect(Set(fingerprints).count == 5 && !fingerprints.contains(base))
        // A line break moved between lines is another input.
        var split = place
        split.address.lines = ["12 rue", "de Siam"]
        #expect(GeocodingInput(split).fingerprint(dataVersion: "commune") != base)
        // A BAN extract added: every place is geocoded again.
        #expect(GeocodingInput(place).fingerprint(dataVersion: "street: BAN adresses-29.csv:1:ab") != base)
    }
}
