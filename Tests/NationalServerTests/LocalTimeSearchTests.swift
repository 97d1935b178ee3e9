import Directory
import Foundation
import NationalDirectory
import SproTestSupport
import Testing
@testable import NationalServer

/// `open_now` / `open_at` read each place on its territory's clock with its own holidays (issue 15, item 5).
@Suite struct LocalTimeSearchTests {
    /// One place per territory, all at one spot so that distance plays no part; hours `Mo-Fr 08:00-12:00; PH off`.
    static func search() -> PlaceSearch {
        let communes = [("saint-denis", "97411"), ("cayenne", "97302"), ("pointe-a-pitre", "97120"),
                        ("strasbourg", "67482"), ("brest", "29019")]
        let structure = Fixtures.structure("S1")
        return PlaceSearch(places: communes.map { id, commune in
            var record = Fixtures.place(id, structures: ["S1"], postcode: commune, commune: commune)
            record.openingHours = "Mo-Fr 08:00-12:00; PH off"
            return DirectoryPlace(region: Fixtures.bretagne, place: record,
                                  location: PlaceLocation(commune: CommuneCode(unchecked: commune), zone: nil,
                                                          position: GeoPoint(lat: 48, lon: -4), precision: "commune",
                                                          score: 1, reason: nil, coordinatesFlag: nil),
                                  structures: [structure], sourceVersion: 1)
        })
    }

    static func openIDs(_ moment: SearchMoment) -> Set<String> {
        Set(search().nearest(to: GeoPoint(lat: 48, lon: -4), limit: 10, filter: SearchFilter(openAt: moment)).map(\.place.place.id))
    }

    @Test func anInstantIsReadOnEachPlacesClock() throws {
        // 10:00 in Saint-Denis de La Réunion (06:00Z) is 07:00 in Paris and the middle of the night in the Antilles.
        #expect(Self.openIDs(.instant(try #require(ISOInstant.parse("2026-03-09T06:00:00Z")))) == ["saint-denis"])
        // 10:00 in Cayenne (13:00Z) is 09:00 in Pointe-à-Pitre, 14:00 in Paris and 17:00 in La Réunion.
        #expect(Self.openIDs(.instant(try #require(ISOInstant.parse("2026-03-09T13:00:00Z")))) == ["cayenne", "pointe-a-pitre"])
        // 07:00 in Paris in summer (05:00Z): 02:00 in Cayenne and 01:00 in Pointe-à-Pitre are closed; 09:00 in Saint-Denis.
        #expect(Self.openIDs(.instant(try #require(ISOInstant.parse("2026-07-07T05:00:00Z")))) == ["saint-denis"])
    }

    @Test func aWallClockTimeIsThatLocalTimeEverywhereWithLocalHolidays() {
        let all: Set = ["saint-denis", "cayenne", "pointe-a-pitre", "strasbourg", "brest"]
        #expect(Self.openIDs(.wallClock(year: 2026, month: 3, day: 10, minute: 600)) == all)
        // Monday 20 December 2027: abolition of slavery in La Réunion.
        #expect(Self.openIDs(.wallClock(year: 2027, month: 12, day: 20, minute: 600)) == all.subtracting(["saint-denis"]))
        // Good Friday 2027 (26 March): a holiday in Strasbourg only.
        #expect(Self.openIDs(.wallClock(year: 2027, month: 3, day: 26, minute: 600)) == all.subtracting(["strasbourg"]))
        // 10 June 2026 in Guyane, 27 May 2026 in Guadeloupe.
        #expect(Self.openIDs(.wallClock(year: 2026, month: 6, day: 10, minute: 600)) == all.subtracting(["cayenne"]))
        #expect(Self.openIDs(.wallClock(year: 2026, month: 5, day: 27, minute: 600)) == all.subtracting(["pointe-a-pitre"]))
    }

    @Test func openAtWithoutOffsetIsLocalTimeAndWithOffsetAnInstant() throws {
        let local = try NearestParameters([("lat", "48"), ("lon", "-4"), ("open_at", "2027-12-20T10:00")])
        #expect(local.filter.openAt == .wallClock(year: 2027, month: 12, day: 20, minute: 600))
        let seconds = try NearestParameters([("lat", "48"), ("lon", "-4"), ("open_at", "2027-12-20T10:00:00")])
        #expect(seconds.filter.openAt == .wallClock(year: 2027, month: 12, day: 20, minute: 600))
        let instant = try NearestParameters([("lat", "48"), ("lon", "-4"), ("open_at", "2027-12-20T10:00:00+04:00")])
        #expect(instant.filter.openAt == .instant(try #require(ISOInstant.parse("2027-12-20T06:00:00Z"))))
        #expect(throws: NationalAPIError.self) { try NearestParameters([("lat", "48"), ("lon", "-4"), ("open_at", "2027-12-20T25:00")]) }
    }

    @Test func theAnswerSaysTheStateOnThePlacesClock() throws {
        let search = Self.search()
        let now = try #require(ISOInstant.parse("2026-03-09T06:00:00Z"))
        let hits = search.nearest(to: GeoPoint(lat: 48, lon: -4), limit: 10)
        let bytes = NearestAnswer.jsonBytes(origin: SearchOrigin(position: GeoPoint(lat: 48, lon: -4), label: nil), radiusKm: nil,
                                            hits: hits, search: search, fragments: WrittenPlaces().pieces(search).map(\.fragments), expiry: [:], now: now,
                                            moments: SearchMoment.instant(now).moments)
        struct Answer: Decodable {
            struct Hit: Decodable { let id: String; let openNow: Bool?; let status: String?; let hoursText: String?; let openingHours: String? }
            let results: [Hit]
        }
        let answer = try JSONDecoder().decode(Answer.self, from: Data(bytes))
        let byId = Dictionary(uniqueKeysWithValues: answer.results.map { ($0.id.split(separator: "/").last.map(String.init) ?? "", $0) })
        #expect(byId["saint-denis"]?.openNow == true)
        #expect(byId["saint-denis"]?.status == "Ouvert jusqu'à 12 h")
        #expect(byId["brest"]?.openNow == false)
        #expect(byId["brest"]?.status == "Fermé, ouvre à 8 h")
        #expect(byId["brest"]?.hoursText == "Du lundi au vendredi de 8 h à 12 h ; fermé les jours fériés")
        #expect(byId["brest"]?.openingHours == "Mo-Fr 08:00-12:00; PH off")  // the OSM text stays, as data
    }
}

/// Honest distances (issue 15, item 6): ranking stays by distance, and at equal distances a commune-centre
/// position does not come before a precise one.
@Suite struct ApproximatePositionTests {
    static func place(_ id: String, precision: String, at point: GeoPoint) -> DirectoryPlace {
        DirectoryPlace(region: Fixtures.bretagne, place: Fixtures.place(id, structures: ["S1"], postcode: "29000", city: "Quimper", commune: "29232"),
                       location: PlaceLocation(commune: CommuneCode(unchecked: "29232"), zone: nil, position: point, precision: precision,
                                               score: 1, reason: nil, coordinatesFlag: nil),
                       structures: [Fixtures.structure("S1")], sourceVersion: 1)
    }

    @Test func equalDistancesPutPrecisePositionsFirstAndDistanceStillRanks() {
        let centre = GeoPoint(lat: 47.996, lon: -4.102)
        let search = PlaceSearch(places: [
            Self.place("centre-commune", precision: "commune", at: centre),
            Self.place("centre-postcode", precision: "postcode", at: centre),
            Self.place("centre-given", precision: "given", at: centre),
            Self.place("near-housenumber", precision: "housenumber", at: GeoPoint(lat: 47.999, lon: -4.102)),
        ])
        let ids = search.nearest(to: centre, limit: 10).map(\.place.place.id)
        #expect(ids == ["centre-given", "centre-commune", "centre-postcode", "near-housenumber"])
        #expect(search.places[0].location.isApproximate && search.places[1].location.isApproximate)
        #expect(!search.places[2].location.isApproximate && !search.places[3].location.isApproximate)
    }
}
