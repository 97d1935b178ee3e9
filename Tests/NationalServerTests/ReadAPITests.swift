import Directory
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NationalDirectory
import SproTestSupport
import Testing
@testable import NationalServer

/// The read API (`/api/v1/places`, `/api/v1/structures`) over a real national file holding two Régions,
/// one place listed by both (Alençon), one structure by both (same SIRET).
@Suite struct ReadAPITests {
    static let normandie = RegionCode(unchecked: "28"), paysDeLaLoire = RegionCode(unchecked: "52")

    struct Page: Decodable {
        struct Record: Decodable {
            struct Source: Decodable { let region: String; let id: String; let firstHarvested: String; let lastChanged: String }
            struct Member: Decodable { let id: String }
            let id: String
            let name: String
            let region: String
            let sources: [Source]
            let departement: String?
            let zoneEmploi: String?
            let precision: String?
            let lat: Double?
            let lastChanged: String
            let structures: [Member]?
            let places: [String]?
            let siret: String?
        }
        let count: Int
        let total: Int
        let next: String?
        let results: [Record]
    }

    /// Normandie on 1 January, Pays de la Loire now.
    static func content() async throws -> NationalContent {
        let store = try MergedPlacesTests.nationalStore()
        var rouen = Fixtures.place("28-P-ROUEN", structures: ["28-FT-1"], postcode: "76000", city: "Rouen", commune: "76540", publics: [.cadres])
        rouen.name = "Agence France Travail Rouen"
        try await MergedPlacesTests.store(store, normandie, structures: [
            MergedPlacesTests.structure("28-ML-1", sameAs: "52-ML-1", network: .missionLocale), Fixtures.structure("28-FT-1", network: .franceTravail),
        ], places: [
            MergedPlacesTests.alencon("28-P-ALE", structures: ["28-ML-1"]),
            Fixtures.place("28-P-CAEN", structures: ["28-ML-1"], postcode: "14000", city: "Caen", commune: "14118"),
            rouen,
        ], at: ISOInstant.parse("2026-01-01T00:00:00Z")!)
        try await MergedPlacesTests.store(store, paysDeLaLoire, structures: [
            Fixtures.structure("52-ML-1", network: .missionLocale), Fixtures.structure("52-CIO-1", network: .cio),
        ], places: [
            MergedPlacesTests.alencon("52-P-ALE", structures: ["52-ML-1"]),
            Fixtures.place("52-P-NANTES", structures: ["52-ML-1"], postcode: "44000", city: "Nantes", commune: "44109", services: [.cep3]),
            Fixtures.place("52-P-ANGERS", structures: ["52-CIO-1"], postcode: "49000", city: "Angers", commune: "49007"),
        ])
        return try await NationalContent.load(from: store, resolveQuery: { _ in .failure(QueryProblem("-")) })
    }

    static func get<T: Sendable>(_ content: NationalContent, _ uri: String, headers: HTTPFields = [:],
                                 _ check: @escaping @Sendable (TestResponse) throws -> T) async throws -> T {
        try await NationalAppTests.app(content).test(.router) { client in
            try await client.execute(uri: uri, method: .get, headers: headers) { try check($0) }
        }
    }

    static func page(_ content: NationalContent, _ uri: String) async throws -> Page {
        try await get(content, uri) { response in
            guard response.status == .ok else { throw TestFailure("\(uri): \(response.status) \(String(buffer: response.body))") }
            return try JSONDecoder().decode(Page.self, from: Data(buffer: response.body))
        }
    }

    struct TestFailure: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    @Test func everyPlaceIsListedOnceInIdOrderWithItsProvenance() async throws {
        let content = try await Self.content()
        let page = try await Self.page(content, "/api/v1/places")
        #expect(page.total == 5)
        #expect(page.count == 5)
        #expect(page.next == nil)
        #expect(page.results.map(\.id) == page.results.map(\.id).sorted())
        #expect(Set(page.results.map(\.id)).count == 5)
        let alencon = try #require(page.results.first { $0.name.contains("ALE") })
        #expect(Set(alencon.sources.map(\.region)) == ["28", "52"])
        #expect(alencon.departement == "61")
        #expect(alencon.zoneEmploi == MergedPlacesTests.alenconZone.rawValue)
        #expect(alencon.lat != nil)
        // Its structure is named by the one national record of its SIRET, whichever Région's place is shown.
        let structures = try await Self.page(content, "/api/v1/structures")
        let mission = try #require(structures.results.first { Set($0.sources.map(\.region)) == ["28", "52"] })
        #expect(alencon.structures?.map(\.id) == [mission.id])
        #expect(mission.places?.contains(alencon.id) == true)
    }

    @Test func filtersNarrowTheListAndCombine() async throws {
        let content = try await Self.content()
        func ids(_ query: String) async throws -> Set<String> {
            Set(try await Self.page(content, "/api/v1/places?" + query).results.map(\.id))
        }
        #expect(try await ids("region=52").count == 3)
        #expect(try await ids("region=28").count == 3)
        #expect(try await ids("region=28&region=52").count == 5)
        #expect(try await ids("departement=44") == ["52/52-P-NANTES"])
        #expect(try await ids("commune=49007") == ["52/52-P-ANGERS"])
        #expect(try await ids("zone_emploi=\(MergedPlacesTests.alenconZone.rawValue)").count == 1)
        #expect(try await ids("network=cio") == ["52/52-P-ANGERS"])
        #expect(try await ids("service=cep_niveau_3") == ["52/52-P-NANTES"])
        #expect(try await ids("public=cadres") == ["28/28-P-ROUEN"])
        #expect(try await ids("public=cadres&region=52").isEmpty)
        #expect(try await ids("q=france%20travail%20rouen") == ["28/28-P-ROUEN"])
        #expect(try await ids("q=nantes&network=mission_locale") == ["52/52-P-NANTES"])
        // Normandie's records changed on 1 January; Alençon, listed by both, changed later in Pays de la Loire.
        let recent = try await ids("updated_since=2026-06-01")
        #expect(recent.count == 3)
        #expect(!recent.contains("28/28-P-CAEN"))
        #expect(try await ids("updated_since=2025-12-31T23:00:00Z").count == 5)
        #expect(try await Self.page(content, "/api/v1/structures?network=cio").results.map(\.id) == ["52/52-CIO-1"])
        #expect(try await Self.page(content, "/api/v1/structures?departement=14").total == 1)
    }

    @Test func pagesFollowTheirCursorsToTheEndWithoutRepeats() async throws {
        let content = try await Self.content()
        var seen: [String] = []
        var uri = "/api/v1/places?limit=2"
        var pages = 0
        while true {
            let page = try await Self.page(content, uri)
            #expect(page.total == 5)
            seen += page.results.map(\.id)
            pages += 1
            guard let next = page.next else { break }
            #expect(page.count == 2)
            uri = "/api/v1/places?limit=2&cursor=" + next
        }
        #expect(pages == 3)
        #expect(seen == seen.sorted())
        #expect(Set(seen).count == 5)
        let link = try await Self.get(content, "/api/v1/places?limit=2&region=52") { $0.headers[HTTPField.Name("Link")!] }
        #expect(link?.hasPrefix("</api/v1/places?") == true)
        #expect(link?.contains("region=52") == true)
        #expect(link?.hasSuffix("; rel=\"next\"") == true)
    }

    @Test func anETagAnswers304UntilThePageChanges() async throws {
        let content = try await Self.content()
        let etag = try #require(try await Self.get(content, "/api/v1/places?limit=2") { $0.headers[.eTag] })
        let again = try await Self.get(content, "/api/v1/places?limit=2", headers: [.ifNoneMatch: etag]) { ($0.status, $0.body.readableBytes) }
        #expect(again.0 == .notModified)
        #expect(again.1 == 0)
        let other = try await Self.get(content, "/api/v1/places?limit=3", headers: [.ifNoneMatch: etag]) { ($0.status, $0.headers[.eTag]) }
        #expect(other.0 == .ok)
        #expect(other.1 != etag)
        let one = try #require(try await Self.get(content, "/api/v1/places/52/52-P-NANTES") { $0.headers[.eTag] })
        #expect(try await Self.get(content, "/api/v1/places/52/52-P-NANTES", headers: [.ifNoneMatch: "\"x\", " + one]) { $0.status } == .notModified)
        let channels = try #require(try await Self.get(content, "/api/v1/channels") { $0.headers[.eTag] })
        #expect(try await Self.get(content, "/api/v1/channels", headers: [.ifNoneMatch: channels]) { $0.status } == .notModified)
    }

    @Test func oneRecordIsFoundByAnyRegionsIdOfIt() async throws {
        let content = try await Self.content()
        let byNormandie = try await Self.get(content, "/api/v1/places/28/28-P-ALE") { String(buffer: $0.body) }
        let byLoire = try await Self.get(content, "/api/v1/places/52/52-P-ALE") { String(buffer: $0.body) }
        #expect(byNormandie == byLoire)
        #expect(byNormandie.contains("\"sources\""))
        let structure = try await Self.get(content, "/api/v1/structures/52/52-ML-1") { String(buffer: $0.body) }
        #expect(try await Self.get(content, "/api/v1/structures/28/28-ML-1") { String(buffer: $0.body) } == structure)
        let missing = try await Self.get(content, "/api/v1/places/52/52-P-NULLE") { ($0.status, String(buffer: $0.body)) }
        #expect(missing.0 == .notFound)
        #expect(missing.1.contains("aucun lieu « 52/52-P-NULLE »"))
        #expect(missing.1.contains("\"field\":\"id\""))
    }

    @Test(arguments: [
        ("region=999", "region"), ("departement=00", "departement"), ("commune=ABC", "commune"), ("zone_emploi=1", "zone_emploi"),
        ("network=astrologie", "network"), ("service=x", "service"), ("public=y", "public"), ("limit=0", "limit"),
        ("limit=1001", "limit"), ("cursor=%25%25", "cursor"), ("updated_since=hier", "updated_since"), ("tri=nom", "tri"),
    ])
    func badParametersAreRefusedNamingTheField(query: String, field: String) async throws {
        let content = try await Self.content()
        let answer = try await Self.get(content, "/api/v1/places?" + query) { ($0.status, String(buffer: $0.body)) }
        #expect(answer.0 == .badRequest)
        #expect(answer.1.contains("\"field\":\"\(field)\""))
    }
}
