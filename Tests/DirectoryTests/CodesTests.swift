import Foundation
import Testing
@testable import Directory

@Suite struct CodesTests {
    @Test func siretLuhnAcceptsValidAndRefusesOneDigitChanged() throws {
        let valid = SIRET.completing("7320829810002")
        #expect(try SIRET(valid.rawValue) == valid)
        var digits = Array(valid.rawValue)
        digits[5] = digits[5] == "9" ? "0" : Character(String(Int(String(digits[5]))! + 1))
        #expect(throws: CodeError.self) { try SIRET(String(digits)) }
        // A real SIRET (INSEE's own establishment) passes; La Poste's exception rule applies to SIREN 356000000.
        #expect(try SIRET("12002701600563").siren == "120027016")
        #expect(throws: CodeError.self) { try SIRET("1234") }
    }

    @Test func communeCodesKeepLeadingZerosAndCorsica() throws {
        #expect(try CommuneCode("01001").departement.rawValue == "01")
        #expect(try CommuneCode("2A004").departement.rawValue == "2A")
        #expect(try CommuneCode("97411").departement.rawValue == "974")
        #expect(throws: CodeError.self) { try CommuneCode("2C004") }
        #expect(throws: CodeError.self) { try CommuneCode("1001") }
        #expect(throws: CodeError.self) { try ZoneEmploiCode("51") }
        #expect(try ZoneEmploiCode("0051").rawValue == "0051")
    }

    @Test func vocabularyParseNamesTheAcceptedValues() {
        do {
            _ = try Network.parse("pole_emploi", kind: "network")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("france_travail"))
            #expect(error.value == "pole_emploi")
        }
    }

    @Test func distanceBrestQuimperIsAbout56km() {
        let brest = GeoPoint(lat: 48.390394, lon: -4.486076)
        let quimper = GeoPoint(lat: 47.997542, lon: -4.097899)
        let d = brest.distance(to: quimper)
        #expect(d > 50_000 && d < 56_000)
    }

    @Test func gridNearestMatchesBruteForce() {
        var rng = SystemRandomNumberGenerator()
        let points = (0..<2000).map { i in
            (GeoPoint(lat: Double.random(in: 42...51, using: &rng), lon: Double.random(in: -5...8, using: &rng)), i)
        }
        let grid = SpatialGrid(points)
        for _ in 0..<50 {
            let origin = GeoPoint(lat: Double.random(in: 40...52, using: &rng), lon: Double.random(in: -6...9, using: &rng))
            let got = grid.nearest(to: origin, k: 7).map(\.entry.item)
            let expected = points.sorted { origin.distance(to: $0.0) < origin.distance(to: $1.0) }.prefix(7).map(\.1)
            #expect(got == Array(expected))
            // A filter that keeps few items still finds them, however far.
            let rare = grid.nearest(to: origin, k: 3, where: { $0 % 500 == 0 }).map(\.entry.item)
            let expectedRare = points.filter { $0.1 % 500 == 0 }
                .sorted { origin.distance(to: $0.0) < origin.distance(to: $1.0) }.prefix(3).map(\.1)
            #expect(rare == Array(expectedRare))
        }
        // Far from every point (the pole, La Réunion), with a filter nothing or almost nothing passes.
        for origin in [GeoPoint(lat: 89, lon: 0), GeoPoint(lat: -21.1, lon: 55.5)] {
            for (k, keep) in [(3, { (i: Int) in i % 500 == 0 }), (10, { (i: Int) in i == 1999 }), (5, { (_: Int) in false })] {
                let got = grid.nearest(to: origin, k: k, where: keep).map(\.entry.item)
                let expected = points.filter { keep($0.1) }.sorted { origin.distance(to: $0.0) < origin.distance(to: $1.0) }.prefix(k).map(\.1)
                #expect(got == Array(expected))
            }
        }
    }

    /// Dense cells (a city at 10x sample scale) and points straight north or south of the origin, where
    /// the latitude band that skips entries is exactly the distance.
    @Test func gridNearestMatchesBruteForceInDenseCellsAndAlongTheMeridian() {
        var rng = SystemRandomNumberGenerator()
        let origin = GeoPoint(lat: 48.8566, lon: 2.3522)
        var points = (0..<6000).map { i in
            (GeoPoint(lat: Double.random(in: 48.75...48.95, using: &rng), lon: Double.random(in: 2.2...2.5, using: &rng)), i)
        }
        points += (0..<200).map { i in (GeoPoint(lat: origin.lat + Double(i - 100) * 0.0007 + 0.00013, lon: origin.lon), 10_000 + i) }
        let grid = SpatialGrid(points)
        for (k, keep) in [(10, { (_: Int) in true }), (25, { (i: Int) in i % 7 == 0 }), (5, { (i: Int) in i >= 10_000 })] {
            let got = grid.nearest(to: origin, k: k, where: keep)
            let expected = points.filter { keep($0.1) }.map { ($0.1, origin.distance(to: $0.0)) }.sorted { $0.1 < $1.1 }.prefix(k)
            #expect(got.map(\.entry.item) == expected.map(\.0))
            #expect(got.map(\.distance) == expected.map(\.1))
        }
    }

    @Test func gridRespectsMaxDistance() {
        let grid = SpatialGrid([(GeoPoint(lat: 48, lon: 2), "a"), (GeoPoint(lat: 48.5, lon: 2), "b")])
        let found = grid.nearest(to: GeoPoint(lat: 48, lon: 2), k: 5, maxDistance: 10_000)
        #expect(found.map(\.entry.item) == ["a"])
    }

    @Test func isoDayRejectsImpossibleDates() {
        #expect(ISODay.parse("2026-02-30") == nil)
        #expect(ISODay.parse("2026-11-22") != nil)
        #expect(ISODay.string(ISODay.parse("2024-02-29")!) == "2024-02-29")
    }

    @Test func isoDayCountsDaysAsTheCalendarDoes() {
        // Every day, and every impossible day up to the 31st, of years around the leap rules and the epoch.
        for year in [1583, 1600, 1699, 1900, 1969, 1970, 2000, 2023, 2024, 2100, 2400, 9999] {
            for month in 0...13 {
                for day in 0...31 {
                    let text = String(year) + "-" + (month < 10 ? "0" : "") + String(month) + "-" + (day < 10 ? "0" : "") + String(day)
                    #expect(ISODay.parse(text) == ISODay.calendarParse(text), "\(text)")
                }
            }
        }
        #expect(ISODay.parse("1970-01-01") == Date(timeIntervalSince1970: 0))
        // Not of the counted form: the calendar decides, as before.
        for text in ["2026-1-022", "+026-01-02", "2026/01/02", "2026-01-0a", "", "1200-03-01", "２０２６-01-02"] {
            #expect(ISODay.parse(text) == ISODay.calendarParse(text), "\(text)")
        }
        #expect(ISODay.parse("2026-01-0a") == nil && ISODay.parse("2026-13-01") == nil && ISODay.parse("2023-02-29") == nil)
    }

    @Test func calendarDaysExistAndOrderAsTheirText() throws {
        #expect(throws: CodeError.self) { try CalendarDay("2026-02-30") }
        #expect(throws: CodeError.self) { try CalendarDay("2026-2-3") }
        let leap = try CalendarDay("2024-02-29")
        let next = try CalendarDay("2024-03-01")
        #expect(CalendarDay(leap.date) == leap && leap < next)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CalendarDay].self, from: Data(#"["2015-02-30"]"#.utf8)) }
    }

    @Test func languageCodesAreTwoOrThreeLettersFoldedToLowerCase() throws {
        #expect(try LanguageCode("BR").rawValue == "br")
        #expect(try LanguageCode("gcf").rawValue == "gcf")
        for bad in ["breton", "b", "", "b2", "fr-FR", "é", "ça"] {
            #expect(throws: CodeError.self, "\(bad)") { try LanguageCode(bad) }
        }
    }
}
