import AddressText
import Directory
import Geocoding
import Testing

@Suite struct QueryResolverTests {
    func resolve(_ q: String) throws -> ResolvedQuery {
        try QueryResolver(geocoder: ReferenceFixture.get().geocoder).resolve(q)
    }

    @Test func postcode() throws {
        let r = try resolve("29200")
        #expect(r.commune?.rawValue == "29019")
        #expect(r.label == "Brest (29200)")
        #expect(r.precision == .commune)
        #expect(r.alternatives.isEmpty)
    }

    @Test func postcodeServingSeveralCommunesGivesTheMostPopulous() throws {
        let r = try resolve("29800")
        #expect(r.commune?.rawValue == "29103")  // Landerneau
        #expect(r.precision == .postcode)
        #expect(!r.alternatives.isEmpty)
        #expect(r.alternatives.allSatisfy { $0.label.hasSuffix("(29800)") })
    }

    @Test(arguments: [("Brest", "29019"), ("quimper", "29232"), ("St-Brieuc", "22278"), ("Saint-Brieuc", "22278"),
                      ("st brieuc", "22278"), ("Paris 11e", "75111"), ("Saint-Denis 974", "97411"), ("29019", "29019"),
                      ("QUIMPRE", "29232"), ("mairie de Brest", "29019")])
    func communeNames(query: String, expected: String) throws {
        #expect(try resolve(query).commune?.rawValue == expected)
    }

    @Test func ambiguousNameGivesAlternatives() throws {
        let r = try resolve("Saint-Denis")
        #expect(r.commune?.rawValue == "97411")  // La Réunion's is the most populous
        #expect(r.alternatives.contains { $0.commune.rawValue == "93066" })
        #expect(r.label == "Saint-Denis (974)")
    }

    @Test func addressWithPostcode() throws {
        let r = try resolve("12 rue de Siam 29200 Brest")
        #expect(r.commune?.rawValue == "29019")
        #expect(r.label == "Brest (29200)")
        #expect(r.precision == .commune)
        #expect(try resolve("Quimper 29000").commune?.rawValue == "29232")
    }

    @Test func garbageIsAnError() throws {
        let resolver = try QueryResolver(geocoder: ReferenceFixture.get().geocoder)
        #expect(throws: QueryError.noMatch(query: "zzzz")) { try resolver.resolve("zzzz") }
        #expect(throws: QueryError.empty) { try resolver.resolve("   ") }
        #expect(throws: QueryError.unknownPostcode("99999")) { try resolver.resolve("99999") }
        do {
            _ = try resolver.resolve("1 rue X 99999 Zzyzx")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("99999"))
        }
    }
    @Test func addressWithABANExtractIsPlacedAtTheHouseNumberOrTheStreet() throws {
        let resolver = try QueryResolver(geocoder: BANFixture.get().geocoder)
        let siam12 = GeoPoint(lat: 48.386220, lon: -4.490620)
        let r = try resolver.resolve("12 rue de Siam 29200 Brest")
        #expect(r.commune?.rawValue == "29019")
        #expect(r.precision == .housenumber && r.position == siam12 && r.score == 1)
        #expect(r.label == "12 Rue de Siam, Brest (29200)")
        // The city before the postcode, a suffix spelled out, no number.
        let before = try resolver.resolve("12 bis rue de Siam, Brest 29200")
        #expect(before.precision == .housenumber && before.position == GeoPoint(lat: 48.386260, lon: -4.490570), "\(before)")
        #expect(before.label == "12 bis Rue de Siam, Brest (29200)")
        let street = try resolver.resolve("rue de Siam 29200 Brest")
        #expect(street.precision == .street && street.label == "Rue de Siam, Brest (29200)")
        #expect(try street.position.distance(to: #require(BANFixture.get().geocoder.centre(of: CommuneCode("29019")))) > 100)
    }

    @Test func aStreetTheBANDoesNotKnowStaysAtTheCommuneCentreAndSaysWhy() throws {
        let fixture = try BANFixture.get()
        let r = try QueryResolver(geocoder: fixture.geocoder).resolve("3 rue des Chimères 29200 Brest")
        #expect(r.precision == .commune && r.label == "Brest (29200)")
        #expect(r.position == fixture.geocoder.centre(of: try CommuneCode("29019")))
        #expect(r.reason?.contains("not found in the BAN") == true)
        // Postcode and city alone: nothing to look up.
        let plain = try QueryResolver(geocoder: fixture.geocoder).resolve("29200 Brest")
        #expect(plain.precision == .commune && plain.reason == nil)
    }
}
