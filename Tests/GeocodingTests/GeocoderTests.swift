import AddressText
import Directory
import Foundation
import Geocoding
import Reference
import Testing

@Suite struct GeocoderTests {
    func geocode(_ postcode: String, _ city: String, code: String? = nil, given: GeoPoint? = nil) throws -> GeocodeResult {
        try ReferenceFixture.get().geocoder.geocode(try address(postcode, city, code: code), given: given)
    }

    @Test func postcodeAndCity() throws {
        let r = try geocode("29200", "Brest")
        #expect(r.commune?.rawValue == "29019")
        #expect(r.precision == .commune)
        #expect(r.score == 1)
        #expect(r.reason == nil)
        let centre = try ReferenceFixture.get().geocoder.centre(of: CommuneCode("29019"))
        #expect(r.position == centre)
    }

    @Test(arguments: [("75011", "Paris", "75111"), ("69003", "Lyon", "69383"), ("13001", "Marseille", "13201"),
                      ("75116", "PARIS", "75116"), ("75011", "Paris 11e", "75111")])
    func parisLyonMarseilleResolveToTheArrondissement(postcode: String, city: String, expected: String) throws {
        let r = try geocode(postcode, city)
        #expect(r.commune?.rawValue == expected)
        #expect(r.precision == .commune)
        #expect(r.score >= 0.9)
    }

    @Test func cedexPostcodeFallsBackToTheDepartement() throws {
        let r = try geocode("29228", "BREST CEDEX 2")
        #expect(r.commune?.rawValue == "29019")
        #expect(r.precision == .commune)
        #expect(r.score >= 0.85 && r.score < 1)
        #expect(r.reason?.contains("29228") == true)
        #expect(r.reason?.contains("département 29") == true)
    }

    @Test func cedexNumberPicksTheArrondissement() throws {
        #expect(try geocode("69423", "Lyon Cedex 3").commune?.rawValue == "69383")
        #expect(try geocode("75700", "PARIS CEDEX 07").commune?.rawValue == "75107")
        let r = try geocode("13248", "Marseille Cedex")
        #expect(r.commune?.rawValue == "13055")
        #expect(r.reason?.contains("arrondissement") == true)
    }

    @Test func typoInTheCityName() throws {
        let r = try geocode("29000", "Quimpre")
        #expect(r.commune?.rawValue == "29232")
        #expect(r.precision == .commune)
        #expect(r.score < 0.9)
        #expect(r.reason?.contains("Quimper") == true)
    }

    @Test func oldCommuneNameFromLigne5() throws {
        // Arbignieu merged into Arboys-en-Bugey; La Poste keeps it in ligne_5.
        let r = try geocode("01300", "Arbignieu")
        #expect(r.commune?.rawValue == "01015")
        #expect(r.score == 0.95)
        #expect(r.reason?.contains("Arboys") == true)
    }

    @Test func postcodeAloneWhenItServesOneCommune() throws {
        let r = try geocode("29200", "Xyzzyville")
        #expect(r.commune?.rawValue == "29019")
        #expect(r.precision == .postcode)
        #expect(r.score == 0.5)
        #expect(r.reason?.contains("XYZZYVILLE") == true)
    }

    @Test func unknownPostcodeAndCityIsUnresolvedWithTheReason() throws {
        let r = try geocode("99999", "Zzyzx")
        #expect(r.commune == nil)
        #expect(r.position == nil)
        #expect(r.precision == .unresolved)
        #expect(r.score == 0)
        #expect(r.reason?.contains("99999") == true)
        #expect(r.reason?.contains("ZZYZX") == true)
    }

    @Test func wrongPostcodeButKnownCityInTheDepartement() throws {
        // Cannes' town hall is written with Nice's postcode.
        let r = try geocode("06000", "Cannes Cedex")
        #expect(r.commune?.rawValue == "06029")
        #expect(r.reason?.contains("does not serve") == true)
    }

    @Test func looseFieldsFromASpreadsheet() throws {
        let geocoder = try ReferenceFixture.get().geocoder
        let r = geocoder.geocode(postcode: "1400", city: "L'Abergement-Clémenciat")
        #expect(r.commune?.rawValue == "01001")
        #expect(r.reason?.contains("01400") == true)
        #expect(geocoder.geocode(postcode: "", city: "29200 Brest").commune?.rawValue == "29019")
        let noPostcode = geocoder.geocode(postcode: "n/a", city: "Quimper")
        #expect(noPostcode.commune?.rawValue == "29232")
        #expect(noPostcode.reason?.contains("not 5 digits") == true)
    }

    // MARK: - The Région's INSEE code

    @Test func agreeingCommuneCodeKeepsTheMatch() throws {
        let r = try geocode("29200", "Brest", code: "29019")
        #expect(r.commune?.rawValue == "29019")
        #expect(r.reason == nil)
        // The city and one of its arrondissements agree; the arrondissement is kept.
        #expect(try geocode("69001", "Lyon", code: "69123").commune?.rawValue == "69381")
    }

    @Test func disagreeingCommuneCodeIsReported() throws {
        // Guipavas (29075) shares the département: the Région's code is kept, the disagreement reported.
        let kept = try geocode("29200", "Brest", code: "29075")
        #expect(kept.commune?.rawValue == "29075")
        #expect(kept.score <= 0.8)
        #expect(kept.reason?.contains("disagrees") == true)
        // A code from another département is inconsistent with the postcode: ignored, reported.
        let ignored = try geocode("29200", "Brest", code: "75111")
        #expect(ignored.commune?.rawValue == "29019")
        #expect(ignored.reason?.contains("ignored") == true)
    }

    @Test func communeCodeAloneWhenTheAddressDoesNotResolve() throws {
        let r = try geocode("99999", "Zzyzx", code: "29019")
        #expect(r.commune?.rawValue == "29019")
        #expect(r.precision == .commune)
        #expect(r.score == 0.6)
        #expect(r.reason?.contains("99999") == true)
    }

    // MARK: - The Région's coordinates

    @Test func goodCoordinatesAreKept() throws {
        let given = GeoPoint(lat: 48.3904, lon: -4.4861)  // Brest, place de la Liberté
        let r = try geocode("29200", "Brest", given: given)
        #expect(r.commune?.rawValue == "29019")
        #expect(r.position == given)
        #expect(r.precision == .given)
        #expect(r.coordinatesFlag == nil)
    }

    @Test func farCoordinatesAreFlaggedAndTheCentreUsed() throws {
        let paris = GeoPoint(lat: 48.8566, lon: 2.3522)
        let r = try geocode("29200", "Brest", given: paris)
        let centre = try ReferenceFixture.get().geocoder.centre(of: CommuneCode("29019"))
        #expect(r.commune?.rawValue == "29019")
        #expect(r.position == centre)
        #expect(r.precision == .commune)
        #expect(r.coordinatesFlag?.contains("km du centre de Brest") == true)
        // Distances in French, as the Région's anomaly page shows them: "à 505 km du centre… (plus de 10,4 km)".
        let flag = try #require(r.coordinatesFlag)
        #expect(flag.contains(#/à \d+(,\d)? km du centre de Brest \(plus de \d+(,\d)? km\)/#), "\(flag)")
        #expect(!flag.contains(#/\d\.\d km/#))
    }

    @Test func coordinatesOutsideFranceAreFlagged() throws {
        let atSea = GeoPoint(lat: 47.0, lon: -8.0)  // Atlantic, west of Brittany
        let r = try geocode("29200", "Brest", given: atSea)
        #expect(r.precision == .commune)
        #expect(r.coordinatesFlag?.contains("hors de France") == true)
        let zero = try geocode("29200", "Brest", given: GeoPoint(lat: 0, lon: 0))
        #expect(zero.coordinatesFlag?.contains("0,0") == true)
    }

    @Test func flippedOrSwappedCoordinatesAreDiagnosed() throws {
        let flipped = try geocode("29200", "Brest", given: GeoPoint(lat: 48.3904, lon: 4.4861))
        #expect(flipped.precision == .commune)
        #expect(flipped.coordinatesFlag?.contains("signe de la longitude") == true)
        let swapped = try geocode("13001", "Marseille", given: GeoPoint(lat: 5.38, lon: 43.30))
        #expect(swapped.coordinatesFlag?.contains("inversées") == true)
    }

    @Test func plausibleDistanceScalesWithCommuneSize() throws {
        let g = try ReferenceFixture.get().geocoder
        let brest = try #require(g.plausibleDistance(for: CommuneCode("29019")))
        let maripasoula = try #require(g.plausibleDistance(for: CommuneCode("97353")))
        #expect(brest == 10_000)
        #expect(maripasoula > 100_000)
        // Arrondissements use their city's tolerance.
        #expect(g.plausibleDistance(for: try CommuneCode("75111")) == g.plausibleDistance(for: try CommuneCode("75056")))
    }

    @Test func resultsAreCodable() throws {
        let r = try geocode("29228", "BREST CEDEX 2", given: GeoPoint(lat: 48.8566, lon: 2.3522))
        let data = try JSONEncoder().encode(r)
        #expect(try JSONDecoder().decode(GeocodeResult.self, from: data) == r)
        #expect(String(decoding: try JSONEncoder().encode(GeocodePrecision.housenumber), as: UTF8.self) == "\"housenumber\"")
    }
}
