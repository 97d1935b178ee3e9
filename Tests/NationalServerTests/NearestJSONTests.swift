import Directory
import Foundation
import NationalDirectory
import PerformanceKit
import Testing
@testable import NationalServer

/// The nearest answer is written by hand for speed; it must stay what `JSONEncoder` would write for
/// its `Codable` mirror (`NearestResponse`, in this target).
@Suite struct NearestJSONTests {
    /// Escapes and number forms, against Foundation's encoder.
    struct Samples: Encodable {
        let strings = ["a\"b\\c/d\u{01}\u{1f}\n\t\r\u{08}\u{0c}é\u{7f}", "", "Ouvert aujourd'hui : 09:00–12:30"]
        let numbers = [620, 48.39, -4.497055, 1e-7, 1e21, 0.1, -0.0, 10]

        func encode(to encoder: any Encoder) throws {
            var c = encoder.unkeyedContainer()
            for s in strings { try c.encode(s) }
            for n in numbers { try c.encode(n) }
        }

        var handWritten: [UInt8] {
            var w = JSONBytes(capacity: 0)
            w.beginArray()
            for s in strings { w.string(s) }
            for n in numbers { w.double(n) }
            w.endArray()
            return w.bytes
        }
    }

    @Test func stringsAndNumbersAreWrittenAsJSONEncoderWritesThem() throws {
        let samples = Samples()
        #expect(String(decoding: samples.handWritten, as: UTF8.self)
                == String(decoding: try SproJSON.encoder().encode(samples), as: UTF8.self))
    }

    /// The answer the route writes, from each place's fragments written once at load, is what
    /// `JSONEncoder` writes for the `Codable` mirror: labels to escape, with and without a radius, empty.
    @Test func theNearestAnswerIsByteForByteWhatJSONEncoderWrites() async throws {
        let content = try await NationalAppTests.content()
        let hits = content.search.nearest(to: GeoPoint(lat: 48.39, lon: -4.49), limit: 10)
        #expect(hits.count == 4)
        let now = try #require(ISOInstant.parse("2026-07-14T10:00:00Z"))
        let homonyms = [SearchOrigin.Homonym(label: "Saint-Denis (La Réunion)", query: "Saint-Denis 974"),
                        SearchOrigin.Homonym(label: "Saint-\"Denis\"", query: "Saint-Denis 93")]
        for (label, radius, others) in [("Brest \"centre\"\nvillage", 12.5, []), (nil, nil, []), ("Saint-Denis (974)", nil, homonyms)]
            as [(String?, Double?, [SearchOrigin.Homonym])] {
            let origin = SearchOrigin(position: GeoPoint(lat: 48.39, lon: -4.49), label: label, homonyms: others)
            let expected = try NearestResponse.encoded(origin: origin, radiusKm: radius, hits: hits, expiry: content.expiry,
                                                       now: now, moments: SearchMoment.instant(now).moments)
            let written = NearestAnswer.jsonBytes(origin: origin, radiusKm: radius, hits: hits, search: content.search, fragments: content.fragments,
                                                  expiry: content.expiry, now: now, moments: SearchMoment.instant(now).moments)
            #expect(String(decoding: written, as: UTF8.self) == expected)
            #expect(expected.contains("\"structures\":[{"))  // the fixture exercises the nested shapes
        }
        let nowhere = SearchOrigin(position: GeoPoint(lat: 48, lon: -4), label: nil)
        let empty = NearestAnswer.jsonBytes(origin: nowhere, radiusKm: nil, hits: [], search: content.search, fragments: content.fragments, expiry: [:],
                                            now: now, moments: SearchMoment.instant(now).moments)
        #expect(String(decoding: empty, as: UTF8.self)
                == (try NearestResponse.encoded(origin: nowhere, radiusKm: nil, hits: [], expiry: [:], now: now, moments: SearchMoment.instant(now).moments)))
    }

    /// With and without hours and phone, open and closed, stale or not.
    @Test func answersFromPlaceFragmentsAreWhatJSONEncoderWrites() async throws {
        let content = try await NationalAppTests.content()
        var places = content.search.places
        places[0].place.openingHours = nil
        places[0].place.phone = nil
        places[1].place.phone = "02 98 00 00 00"
        let search = PlaceSearch(places: places)
        let fragments = WrittenPlaces().pieces(search).map(\.fragments)
        let origin = SearchOrigin(position: GeoPoint(lat: 48.39, lon: -4.49), label: "Brest \"centre\"")
        for at in ["2026-07-14T08:00:00Z", "2026-07-07T08:00:00Z", "2026-07-07T20:00:00Z"] {
            let now = try #require(ISOInstant.parse(at))
            let moments = SearchMoment.instant(now).moments
            for expiry in [content.expiry, content.expiry.mapValues { _ in now }] {
                let hits = search.nearest(to: GeoPoint(lat: 48.39, lon: -4.49), limit: 10)
                #expect(hits.count == 4 && hits.contains { $0.hours == nil } && hits.contains { $0.hours != nil })
                let fast = NearestAnswer.jsonBytes(origin: origin, radiusKm: 20, hits: hits, search: search, fragments: fragments,
                                                   expiry: expiry, now: now, moments: moments)
                let reference = try NearestResponse.encoded(origin: origin, radiusKm: 20, hits: hits, expiry: expiry, now: now, moments: moments)
                #expect(String(decoding: fast, as: UTF8.self) == reference)
            }
        }
        let none = NearestAnswer.jsonBytes(origin: origin, radiusKm: nil, hits: [], search: search, fragments: fragments, expiry: [:],
                                           now: Date(), moments: SearchMoment.instant(Date()).moments)
        #expect(String(decoding: none, as: UTF8.self) == #"{"count":0,"origin":{"label":"Brest \"centre\"","lat":48.39,"lon":-4.49},"results":[]}"#)
    }
}
