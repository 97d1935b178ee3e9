import Directory
import Foundation
import Geocoding
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NationalDirectory
import ServerFoundation
import SproTestSupport
import Testing
@testable import NationalServer

/// The search API and pages over a real national SQLite file, filled with places located by the real geocoder.
@Suite struct NationalAppTests {
    static let geocoder = Geocoder(pack: TestReference.pack)

    /// Brest and Quimper places of several networks; one without walk-in reception, one not accessible.
    static func content() async throws -> NationalContent {
        let store = try NationalStore(path: try await storeFile().path)
        return try await NationalContent.load(from: store, resolveQuery: QueryResolution.resolver(reference: TestReference.pack, geocoder: geocoder),
                                              reference: TestReference.pack)
    }

    /// A national SQLite file holding the fixture places, as the harvester leaves it.
    static func storeFile() async throws -> URL {
        let file = temporaryDirectory("nat").appendingPathComponent("n.sqlite")
        let store = try NationalStore(path: file.path)
        let structures = [Fixtures.structure("53-ML-1"), Fixtures.structure("53-FT-1", network: .franceTravail),
                          Fixtures.structure("53-CIO-1", network: .cio, basis: .stateService)]
        var places = [
            Fixtures.place("brest-ml", structures: ["53-ML-1"], coordinates: GeoPoint(lat: 48.3904, lon: -4.4861)),
            Fixtures.place("brest-ft", structures: ["53-FT-1"], services: [.aiderEmploi, .prescrireFormations],
                           publics: [.demandeursEmploi], coordinates: GeoPoint(lat: 48.4000, lon: -4.4700)),
            Fixtures.place("quimper-cio", structures: ["53-CIO-1"], postcode: "29000", city: "Quimper", commune: "29232",
                           services: [.informerMetiers, .informerFormations], publics: [.scolaires, .tousPublics]),
            Fixtures.place("quimper-shared", structures: ["53-ML-1", "53-FT-1"], postcode: "29000", city: "Quimper", commune: nil,
                           services: [.cep1, .cep2], coordinates: GeoPoint(lat: 47.9990, lon: -4.1000)),
        ]
        places[1].receptionModes = [.surRendezVous]
        places[2].accessible = false
        places[2].openingHours = "Mo-Su 08:00-20:00"  // no "PH off": open on Sundays and public holidays
        let located = places.map { p in
            let r = geocoder.geocode(p.address, given: p.coordinates)
            return (place: p, location: PlaceLocation(commune: r.commune, zone: r.commune.flatMap { TestReference.pack.communes[$0]?.zone },
                                                      position: r.position, precision: r.precision.rawValue, score: r.score,
                                                      reason: r.reason, coordinatesFlag: r.coordinatesFlag))
        }
        try await store.replace(with: RegionSnapshot(region: Fixtures.bretagne, version: 3, contentHash: "h", etag: nil, keyId: "k",
                                                     generatedAt: ISOInstant.string(Date()), expiresAt: ISOInstant.string(Date().addingTimeInterval(3600)),
                                                     charters: [], structures: structures, places: located, indicators: [], tombstones: [],
                                                     channels: [Self.sharedLine]),
                                acceptedAt: Date())
        return file
    }

    /// The application as `spro demo` builds it, over content already loaded: the tests drive its real router.
    static func app(_ content: NationalContent) -> some ApplicationProtocol {
        NationalApp.buildApplication(TestServer(), content: content)
    }

    /// Where a test server listens (port 0: the system chooses) and how little it logs.
    struct TestServer: ServerArguments {
        var host = "127.0.0.1"
        var port = 0
        var logLevel = Logger.Level.warning
    }

    /// One phone line staffed by the mission locale and France Travail.
    static let sharedLine = Channel(id: "53-CANAL-1", name: "Numéro unique orientation Bretagne", kind: .telephone, address: "0 800 100 200",
                                    contributors: ["53-ML-1", "53-FT-1"], publics: [.jeunes], services: [.cep1])

    @Test func channelsAreServedOnceWithTheirContributorsAndFiltered() async throws {
        struct Entry: Decodable {
            struct C: Decodable { let id: String; let contributors: [String] }
            struct S: Decodable { let id: String; let name: String }
            let region: String
            let channel: C
            let contributors: [S]
        }
        let app = Self.app(try await Self.content())
        try await app.test(.router) { client in
            let all = try await get(client, "/api/v1/channels", as: [Entry].self)
            #expect(all.count == 1 && all[0].channel.id == "53-CANAL-1" && all[0].region == "53")
            #expect(all[0].contributors.map(\.id) == ["53-ML-1", "53-FT-1"])
            #expect(try await get(client, "/api/v1/channels?region=53&public=jeunes_16_25&service=cep_niveau_1", as: [Entry].self).count == 1)
            #expect(try await get(client, "/api/v1/channels?region=84", as: [Entry].self).isEmpty)
            #expect(try await get(client, "/api/v1/channels?service=vae", as: [Entry].self).isEmpty)
            let bad = try await get(client, "/api/v1/channels?service=astrologie", as: ErrorBody.self, status: .badRequest)
            #expect(bad.code == "bad_request" && bad.field == "service" && bad.message.contains("astrologie"))
            #expect(try await get(client, "/api/v1/channels?region=999", as: ErrorBody.self, status: .badRequest).field == "region")
            let unknown = try await get(client, "/api/v1/channels?colour=red", as: ErrorBody.self, status: .badRequest)
            #expect(unknown.code == "bad_request" && unknown.field == "colour" && unknown.message.contains("colour"))
        }
    }

    struct Result: Decodable {
        struct Hit: Decodable {
            let id: String
            let distanceMetres: Int?
            let approximate: Bool
            let precision: String
            let lat: Double
            let lon: Double
            let sourceVersion: Int
            let stale: Bool
            let structures: [S]
            struct S: Decodable { let id: String }
        }
        struct Origin: Decodable { let lat: Double; let lon: Double; let label: String? }
        let origin: Origin
        let count: Int
        let results: [Hit]
    }

    func get<T: Decodable>(_ client: some TestClientProtocol, _ uri: String, as: T.Type, status: HTTPResponse.Status = .ok,
                           sourceLocation: SourceLocation = #_sourceLocation) async throws -> T {
        try await client.execute(uri: uri, method: .get) { response in
            #expect(response.status == status, "\(uri)", sourceLocation: sourceLocation)
            return try JSONDecoder().decode(T.self, from: Data(buffer: response.body))
        }
    }

    @Test func nearestIsOrderedByDistanceConsistentWithPositions() async throws {
        let app = Self.app(try await Self.content())
        try await app.test(.router) { client in
            let r = try await get(client, "/api/v1/places/nearest?lat=48.39&lon=-4.49&limit=10", as: Result.self)
            #expect(r.count == 4)
            #expect(r.results.map(\.id) == ["53/brest-ml", "53/brest-ft", "53/quimper-shared", "53/quimper-cio"])
            let origin = GeoPoint(lat: 48.39, lon: -4.49)
            for hit in r.results {
                // A distance only to a precise position; a commune's centre is said to be approximate instead.
                if hit.approximate {
                    #expect(hit.distanceMetres == nil && hit.precision == "commune", "\(hit.id)")
                } else {
                    let d = try #require(hit.distanceMetres, "\(hit.id)")
                    #expect(abs(Double(d) - origin.distance(to: GeoPoint(lat: hit.lat, lon: hit.lon))) <= 1)
                }
                #expect(hit.sourceVersion == 3 && !hit.stale)
            }
            #expect(r.results.map(\.approximate) == [false, false, false, true])
            let ranks = r.results.map { origin.distance(to: GeoPoint(lat: $0.lat, lon: $0.lon)) }
            #expect(ranks == ranks.sorted())
            let two = try await get(client, "/api/v1/places/nearest?lat=48.39&lon=-4.49&limit=2", as: Result.self)
            #expect(two.results.count == 2)
            let near = try await get(client, "/api/v1/places/nearest?lat=48.39&lon=-4.49&radius_km=10", as: Result.self)
            #expect(near.results.map(\.id) == ["53/brest-ml", "53/brest-ft"])
        }
    }

    @Test func queryByPostcodeCommuneOrAddress() async throws {
        let app = Self.app(try await Self.content())
        try await app.test(.router) { client in
            let byPostcode = try await get(client, "/api/v1/places/nearest?q=29200&limit=1", as: Result.self)
            #expect(byPostcode.origin.label?.contains("Brest") == true && byPostcode.results.first?.id.hasPrefix("53/brest") == true)
            let byName = try await get(client, "/api/v1/places/nearest?q=Quimper&limit=2", as: Result.self)
            #expect(Set(byName.results.map(\.id)) == ["53/quimper-cio", "53/quimper-shared"])
            // A name several communes bear: around the most populous, the others named with a query for each.
            struct Ambiguous: Decodable {
                struct Origin: Decodable { struct H: Decodable { let label: String; let q: String }; let label: String; let homonyms: [H]? }
                let origin: Origin
            }
            let saintDenis = try await get(client, "/api/v1/places/nearest?q=Saint-Denis&limit=1", as: Ambiguous.self)
            #expect(saintDenis.origin.homonyms?.contains { $0.label == "Saint-Denis (Seine-Saint-Denis)" && $0.q == "Saint-Denis 93" } == true,
                    "\(saintDenis.origin)")
            #expect(try await get(client, "/api/v1/places/nearest?q=Brest&limit=1", as: Ambiguous.self).origin.homonyms == nil)
            let byAddress = try await get(client, "/api/v1/places/nearest?q=12%20rue%20de%20Siam%2029200%20Brest&limit=1", as: Result.self)
            #expect(byAddress.origin.label?.contains("Brest") == true)
            #expect(byAddress.results.first?.id.hasPrefix("53/brest") == true)
        }
    }

    /// The BAN fixture of the geocoder's tests: streets of Brest and Quimper.
    static let banFixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("GeocodingTests/Fixtures/adresses-29.csv")

    @Test func anAddressQueryStartsFromTheStreetWhenABANExtractIsConfigured() async throws {
        let (ban, _) = try BANIndex.open(Self.banFixture, index: temporaryDirectory("ban").appendingPathComponent("ban.sqlite"))
        var content = try await Self.content()
        let plain = Self.app(content)
        content.resolveQuery = QueryResolution.resolver(reference: TestReference.pack,
                                                        geocoder: Geocoder(pack: TestReference.pack, streetLocator: ban))
        let withBAN = Self.app(content)
        let query = "/api/v1/places/nearest?q=12%20rue%20de%20Siam%2029200%20Brest&limit=10"
        let centre = try #require(Self.geocoder.centre(of: CommuneCode("29019")))

        let r = try await withBAN.test(.router) { client in try await get(client, query, as: Result.self) }
        let siam12 = GeoPoint(lat: 48.386220, lon: -4.490620)  // the fixture's row
        #expect(GeoPoint(lat: r.origin.lat, lon: r.origin.lon) == siam12)
        #expect(r.origin.label == "12 Rue de Siam, Brest (29200)")
        #expect(siam12.distance(to: centre) > 100)
        #expect(r.results.map(\.id) == ["53/brest-ml", "53/brest-ft", "53/quimper-shared", "53/quimper-cio"])
        for hit in r.results where !hit.approximate {
            #expect(abs(Double(hit.distanceMetres ?? -9) - siam12.distance(to: GeoPoint(lat: hit.lat, lon: hit.lon))) <= 1, "\(hit.id)")
        }

        // Without the BAN, as before: the commune's centre.
        let p = try await plain.test(.router) { client in try await get(client, query, as: Result.self) }
        #expect(GeoPoint(lat: p.origin.lat, lon: p.origin.lon) == centre)
        #expect(p.origin.label == "Brest (29200)")
        #expect(p.results.first.map { abs(Double($0.distanceMetres ?? -9) - centre.distance(to: GeoPoint(lat: $0.lat, lon: $0.lon))) <= 1 } == true)
    }

    @Test func eachFilterNarrowsTheResults() async throws {
        let app = Self.app(try await Self.content())
        try await app.test(.router) { client async throws in
            func ids(_ query: String) async throws -> Set<String> {
                Set(try await get(client, "/api/v1/places/nearest?lat=48.39&lon=-4.49&limit=10&" + query, as: Result.self).results.map(\.id))
            }
            #expect(try await ids("network=france_travail") == ["53/brest-ft", "53/quimper-shared"])
            #expect(try await ids("network=cio") == ["53/quimper-cio"])
            #expect(try await ids("service=informer_metiers") == ["53/quimper-cio"])
            #expect(try await ids("cep_level=2") == ["53/quimper-shared"])
            // A place for every public (tous_publics) serves demandeurs d'emploi too.
            #expect(try await ids("public=demandeurs_emploi") == ["53/brest-ft", "53/quimper-cio"])
            #expect(try await ids("sans_rdv=true") == ["53/brest-ml", "53/quimper-cio", "53/quimper-shared"])
            #expect(try await ids("accessible=true") == ["53/brest-ml", "53/brest-ft", "53/quimper-shared"])
        }
    }

    @Test func openAtFollowsWeekdaysLunchBreaksSundaysAndPublicHolidays() async throws {
        let app = Self.app(try await Self.content())
        try await app.test(.router) { client async throws in
            func open(_ at: String) async throws -> Set<String> {
                let r = try await get(client, "/api/v1/places/nearest?lat=48.39&lon=-4.49&limit=10&open_at=" + at, as: Result.self)
                return Set(r.results.map(\.id))
            }
            let all: Set<String> = ["53/brest-ml", "53/brest-ft", "53/quimper-cio", "53/quimper-shared"]
            #expect(try await open("2026-07-07T10:00:00%2B02:00") == all)              // a Tuesday morning
            #expect(try await open("2026-07-07T12:45") == ["53/quimper-cio"])          // lunch break, Paris time
            #expect(try await open("2026-07-12T10:00") == ["53/quimper-cio"])          // a Sunday
            #expect(try await open("2026-07-14T10:00") == ["53/quimper-cio"])          // 14 July, PH off
            #expect(try await open("2026-07-07T08:00:00Z") == all)                     // 10:00 in Paris (summer time)
            let r = try await get(client, "/api/v1/places/nearest?lat=48.39&lon=-4.49&limit=1&open_at=2026-07-14T10:00", as: Today.self)
            #expect(r.results.first?.today?.contains("Fête nationale") == true || r.results.first?.openNow == true)
        }
    }

    struct Today: Decodable {
        struct Hit: Decodable { let today: String?; let openNow: Bool? }
        let results: [Hit]
    }

    @Test func badParametersAre400WithAMessageNever500() async throws {
        let app = Self.app(try await Self.content())
        try await app.test(.router) { client in
            let cases: [(String, String)] = [
                ("lat=200&lon=2", "lat"), ("lat=48&lon=abc", "lon"), ("lat=48", "lon"), ("", "q"),
                ("lat=48&lon=2&service=foo", "service"), ("lat=48&lon=2&public=martiens", "public"),
                ("lat=48&lon=2&limit=0", "limit"), ("lat=48&lon=2&colour=red", "colour"), ("q=zzzzqqq", "q"),
                ("lat=48&lon=2&sans_rdv=peut-etre", "sans_rdv"), ("lat=48&lon=2&radius_km=-3", "radius_km"),
                ("lat=48&lon=2&open_at=demain", "open_at"), ("lat=48&lon=2&open_now=maybe", "open_now"),
            ]
            for (query, parameter) in cases {
                let p = try await get(client, "/api/v1/places/nearest?" + query, as: ErrorBody.self, status: .badRequest)
                #expect(p.code == "bad_request" && p.field == parameter, "\(query)")
                #expect(!p.message.isEmpty)
            }
        }
    }

    @Test func harvestPageIsInFrenchEvenBeforeAnyHarvest() async throws {
        let app = Self.app(try await Self.content())
        try await app.test(.router) { client in
            try await client.execute(uri: "/moissonnage", method: .get) { response in
                #expect(response.status == .ok)
                let page = String(buffer: response.body)
                #expect(page.contains("<html lang=\"fr\">") && page.contains("Rapport de moissonnage"))
                #expect(page.contains("Aucun moissonnage"))
            }
        }
    }
}
