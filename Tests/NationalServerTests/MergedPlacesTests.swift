import Coverage
import Directory
import Foundation
import Geocoding
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NationalDirectory
import SproTestSupport
import Testing
@testable import NationalServer

/// Places listed by two Régions, stored apart in a real national file, served and counted once.
/// Normandie (28) and Pays de la Loire (52) share the bassin d'emploi of Alençon (0051).
@Suite struct MergedPlacesTests {
    static let geocoder = Geocoder(pack: TestReference.pack)
    static let normandie = RegionCode(unchecked: "28"), paysDeLaLoire = RegionCode(unchecked: "52")
    static let alenconZone = ZoneEmploiCode(unchecked: "0051")

    /// A structure with the SIRET of `sameAs` (ids differ between Régions, SIRETs don't).
    static func structure(_ id: String, sameAs: String, network: Network = .maisonEmploi) -> Structure {
        var s = Fixtures.structure(id, network: network)
        s.siret = Fixtures.structure(sameAs).siret
        return s
    }

    static func alencon(_ id: String, structures: [String], line: String = "12 rue de Siam", at position: GeoPoint? = nil) -> Place {
        var p = Fixtures.place(id, structures: structures, postcode: "61000", city: "Alençon", commune: "61001", coordinates: position)
        p.address.lines = [line]
        return p
    }

    /// Stores a Région's snapshot as the harvester would, places located by the real geocoder.
    static func store(_ store: NationalStore, _ region: RegionCode, version: Int = 1, structures: [Structure], places: [Place],
                      at accepted: Date = Date()) async throws {
        let located = places.map { p in
            let r = geocoder.geocode(p.address, given: p.coordinates)
            return (place: p, location: PlaceLocation(commune: r.commune, zone: r.commune.flatMap { TestReference.pack.communes[$0]?.zone },
                                                      position: r.position, precision: r.precision.rawValue, score: r.score,
                                                      reason: r.reason, coordinatesFlag: r.coordinatesFlag))
        }
        try await store.replace(with: RegionSnapshot(region: region, version: version, contentHash: "h\(version)", etag: nil, keyId: "k",
                                                     generatedAt: "2026-11-30T08:00:00Z", expiresAt: ISOInstant.string(Date().addingTimeInterval(3600)),
                                                     charters: [], structures: structures, places: located, indicators: [], tombstones: []),
                                acceptedAt: accepted)
    }

    static func nationalStore() throws -> NationalStore {
        try NationalStore(path: temporaryDirectory("nat").appendingPathComponent("n.sqlite").path)
    }

    struct Result: Decodable {
        struct Hit: Decodable {
            struct Source: Decodable {
                let region: String
                let id: String
                let exportVersion: Int
                let generatedAt: String
                let firstHarvested: String
                let lastChanged: String
            }
            let id: String
            let region: String
            let sourceVersion: Int
            let lieuMutualise: Bool
            let sources: [Source]
        }
        let count: Int
        let results: [Hit]
    }

    func nearest(_ store: NationalStore) async throws -> Result {
        let content = try await NationalContent.load(from: store, resolveQuery: { _ in .failure(QueryProblem("-")) })
        let app = NationalAppTests.app(content)
        return try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/places/nearest?lat=48.4314&lon=0.0917&limit=20&radius_km=5", method: .get) { response in
                #expect(response.status == .ok)
                return try JSONDecoder().decode(Result.self, from: Data(buffer: response.body))
            }
        }
    }

    @Test func aPlaceListedByTwoRegionsIsReturnedOnceWithBothSourcesAndCountedOnceByCoverage() async throws {
        let store = try Self.nationalStore()
        let t0 = Date(timeIntervalSince1970: 1_790_000_000), t1 = t0.addingTimeInterval(3600)
        try await Self.store(store, Self.normandie, version: 4,
                             structures: [Self.structure("28-ME-1", sameAs: "ME"), Self.structure("28-PLIE-1", sameAs: "PLIE", network: .plie)],
                             places: [Self.alencon("28-LIEU", structures: ["28-ME-1", "28-PLIE-1"])], at: t0)
        try await Self.store(store, Self.paysDeLaLoire, version: 9,
                             structures: [Self.structure("52-ME-7", sameAs: "ME"), Self.structure("52-PLIE-3", sameAs: "PLIE", network: .plie)],
                             places: [Self.alencon("52-LIEU", structures: ["52-PLIE-3", "52-ME-7"], line: "12, Rue de Siam"),
                                      // The Maison de l'emploi's antenne, listed by Pays de la Loire only.
                                      Self.alencon("52-ANTENNE", structures: ["52-ME-7"], line: "40 Grande Rue")], at: t1)
        let r = try await nearest(store)
        #expect(r.count == 2)
        let hit = try #require(r.results.first { $0.lieuMutualise })
        // The record harvested first is shown; both are listed with their versions and dates.
        #expect(hit.id == "28/28-LIEU" && hit.region == "28" && hit.sourceVersion == 4 && hit.lieuMutualise)
        #expect(hit.sources.map(\.region) == ["28", "52"] && hit.sources.map(\.id) == ["28-LIEU", "52-LIEU"])
        #expect(hit.sources.map(\.exportVersion) == [4, 9])
        #expect(hit.sources.map(\.firstHarvested) == [ISOInstant.string(t0), ISOInstant.string(t1)])
        #expect(hit.sources.map(\.lastChanged) == [ISOInstant.string(t0), ISOInstant.string(t1)])
        #expect(hit.sources.allSatisfy { $0.generatedAt == "2026-11-30T08:00:00Z" })

        let coverage = CoverageCalculator(reference: TestReference.pack).compute(places: try await store.directoryPlaces())
        let zone = try #require(coverage.zones.first { $0.code == Self.alenconZone })
        // Two places; two structures, each listed by both Régions under their own ids.
        #expect(zone.places == 2)
        #expect(zone.lieuxMutualises == 1)
        #expect(zone.structures == 2)
        #expect(coverage.nationalPlaces == 2)
    }

    @Test func placesOfOneRegionAtTheSameAddressAreNotMerged() async throws {
        let store = try Self.nationalStore()
        try await Self.store(store, Self.normandie, structures: [Self.structure("28-ME-1", sameAs: "ME")],
                             places: [Self.alencon("28-A", structures: ["28-ME-1"]), Self.alencon("28-B", structures: ["28-ME-1"])])
        let r = try await nearest(store)
        #expect(r.results.map(\.id).sorted() == ["28/28-A", "28/28-B"])
        #expect(r.results.allSatisfy { $0.sources.count == 1 })
    }

    @Test func placesWhoseStructuresDifferAreNotMerged() async throws {
        let store = try Self.nationalStore()
        try await Self.store(store, Self.normandie,
                             structures: [Self.structure("28-ME-1", sameAs: "ME"), Self.structure("28-PLIE-1", sameAs: "PLIE", network: .plie)],
                             places: [Self.alencon("28-LIEU", structures: ["28-ME-1", "28-PLIE-1"])])
        // Same address, but the PLIE is not there according to Pays de la Loire.
        try await Self.store(store, Self.paysDeLaLoire, structures: [Self.structure("52-ME-7", sameAs: "ME")],
                             places: [Self.alencon("52-LIEU", structures: ["52-ME-7"])])
        let r = try await nearest(store)
        #expect(r.results.map(\.id).sorted() == ["28/28-LIEU", "52/52-LIEU"])
    }

    @Test func precisePositionsWithin25MetresMergeCommuneCentresDoNot() async throws {
        let store = try Self.nationalStore()
        let near = GeoPoint(lat: 48.4320, lon: 0.0920), tenMetres = GeoPoint(lat: 48.43209, lon: 0.0920)
        let far = GeoPoint(lat: 48.4300, lon: 0.0900), sixtyMetres = GeoPoint(lat: 48.43055, lon: 0.0900)
        try await Self.store(store, Self.normandie, structures: [Self.structure("28-ME-1", sameAs: "ME")], places: [
            Self.alencon("28-NEAR", structures: ["28-ME-1"], line: "Espace emploi, 2 place Foch", at: near),
            Self.alencon("28-FAR", structures: ["28-ME-1"], line: "1 rue des Tisons", at: far),
            Self.alencon("28-CENTRE", structures: ["28-ME-1"], line: "5 rue du Pont Neuf"),
        ])
        try await Self.store(store, Self.paysDeLaLoire, structures: [Self.structure("52-ME-7", sameAs: "ME")], places: [
            Self.alencon("52-NEAR", structures: ["52-ME-7"], line: "Place Foch", at: tenMetres),
            Self.alencon("52-FAR", structures: ["52-ME-7"], line: "3 rue des Tisons", at: sixtyMetres),
            // Another address placed at the commune's centre, like 28-CENTRE: not the same place.
            Self.alencon("52-CENTRE", structures: ["52-ME-7"], line: "40 Grande Rue"),
        ])
        let r = try await nearest(store)
        #expect(r.count == 5)
        let merged = r.results.filter { $0.sources.count == 2 }
        #expect(merged.map(\.id) == ["28/28-NEAR"])
        #expect(merged.first?.sources.map(\.id) == ["28-NEAR", "52-NEAR"])
    }

    @Test func theNearestAnswerWithSourcesIsByteForByteWhatJSONEncoderWrites() async throws {
        let store = try Self.nationalStore()
        try await Self.store(store, Self.normandie, structures: [Self.structure("28-ME-1", sameAs: "ME")],
                             places: [Self.alencon("28-LIEU", structures: ["28-ME-1"])])
        try await Self.store(store, Self.paysDeLaLoire, structures: [Self.structure("52-ME-7", sameAs: "ME")],
                             places: [Self.alencon("52-LIEU", structures: ["52-ME-7"])])
        let search = PlaceSearch(places: try await store.directoryPlaces())
        let hits = search.nearest(to: GeoPoint(lat: 48.43, lon: 0.09), limit: 5)
        #expect(hits.count == 1 && hits[0].place.sources.count == 2)
        let origin = SearchOrigin(position: GeoPoint(lat: 48.43, lon: 0.09), label: nil)
        let now = Date()
        let expected = try NearestResponse.encoded(origin: origin, radiusKm: nil, hits: hits, expiry: [:], now: now, moments: SearchMoment.instant(now).moments)
        let written = NearestAnswer.jsonBytes(origin: origin, radiusKm: nil, hits: hits, search: search, fragments: WrittenPlaces().pieces(search).map(\.fragments),
                                              expiry: [:], now: now, moments: SearchMoment.instant(now).moments)
        #expect(String(decoding: written, as: UTF8.self) == expected)
        #expect(expected.contains("\"sources\":[{\"exportVersion\":1,"))
    }
}
