import Foundation
import Testing
@testable import Directory

/// An instant given in UTC, so that each territory's offset is checked independently of the code under test.
private func utc(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

/// Local time and local public holidays (issue 15, item 5).
@Suite struct TerritoryTests {
    @Test func territoryComesFromTheDepartementOfTheCommuneOrPostcode() {
        #expect(Territory(code: "97411") == .reunion)
        #expect(Territory(code: "97302") == .guyane)
        #expect(Territory(code: "97120") == .guadeloupe)
        #expect(Territory(code: "97209") == .martinique)
        #expect(Territory(code: "97611") == .mayotte)
        #expect(Territory(code: "67482") == .alsaceMoselle)
        #expect(Territory(code: "57463") == .alsaceMoselle)
        #expect(Territory(code: "68224") == .alsaceMoselle)
        #expect(Territory(code: "29019") == .metropole)
        #expect(Territory(code: "2A004") == .metropole)
        #expect(Territory(code: "69123") == .metropole)
    }

    @Test func tenInTheMorningInSaintDenisDeLaReunionIsOpen() throws {
        let h = try OpeningHours("Mo-Fr 08:00-12:00")
        let tenInReunion = utc("2026-03-09T06:00:00Z")  // Monday, UTC+4
        #expect(h.isOpen(at: tenInReunion, in: .reunion) == .open)
        #expect(h.isOpen(at: tenInReunion, in: .metropole) == .closed)  // 07:00 in Paris
        #expect(h.nextChange(after: tenInReunion, in: .reunion) == utc("2026-03-09T08:00:00Z"))
    }

    @Test func guyaneAndGuadeloupeAreNotOpenInTheirNight() throws {
        let h = try OpeningHours("Mo-Fr 08:00-12:00")
        let sevenInParis = utc("2026-07-07T05:00:00Z")  // 07:00 CEST, 02:00 in Cayenne, 01:00 in Pointe-à-Pitre
        #expect(h.isOpen(at: sevenInParis, in: .guyane) == .closed)
        #expect(h.isOpen(at: sevenInParis, in: .guadeloupe) == .closed)
        #expect(h.isOpen(at: utc("2026-07-07T13:00:00Z"), in: .guyane) == .open)       // 10:00 in Cayenne
        #expect(h.isOpen(at: utc("2026-07-07T14:00:00Z"), in: .martinique) == .open)   // 10:00 in Fort-de-France
        #expect(h.isOpen(at: utc("2026-07-07T07:00:00Z"), in: .mayotte) == .open)      // 10:00 in Mamoudzou
    }

    @Test func abolitionOfSlaveryDaysAreHolidaysInTheirOwnTerritoryOnly() throws {
        let h = try OpeningHours("Mo-Su 08:00-12:00; PH off")
        // Monday 20 December 2027 in La Réunion.
        let reunion = LocalMoment(year: 2027, month: 12, day: 20, minute: 600, in: .reunion)
        #expect(reunion.holiday == "Abolition de l'esclavage")
        #expect(h.isOpen(at: reunion) == .closed)
        #expect(h.isOpen(at: LocalMoment(year: 2027, month: 12, day: 20, minute: 600, in: .metropole)) == .open)
        #expect(h.isOpen(at: LocalMoment(year: 2027, month: 12, day: 20, minute: 600, in: .guyane)) == .open)
        let days: [(Territory, Int, Int)] = [(.mayotte, 4, 27), (.martinique, 5, 22), (.guadeloupe, 5, 27), (.guyane, 6, 10), (.reunion, 12, 20)]
        for (territory, month, day) in days {
            for other in Territory.allCases {
                let m = LocalMoment(year: 2026, month: month, day: day, minute: 600, in: other)
                #expect((h.isOpen(at: m) == .closed) == (other == territory), "\(other) on \(day)/\(month)")
            }
        }
        // The instant of 20 December 00:30 in Saint-Denis is still 19 December in Paris.
        #expect(FrenchPublicHolidays.name(of: utc("2027-12-19T20:30:00Z"), in: .reunion) == "Abolition de l'esclavage")
        #expect(FrenchPublicHolidays.name(of: utc("2027-12-19T20:30:00Z"), in: .metropole) == nil)
    }

    @Test func goodFridayAndSaintStephenAreHolidaysInAlsaceMoselle() throws {
        let h = try OpeningHours("Mo-Fr 09:00-17:00; PH off")
        // Easter 2027 is 28 March: Good Friday is 26 March.
        let strasbourg = LocalMoment(year: 2027, month: 3, day: 26, minute: 600, in: .alsaceMoselle)
        #expect(strasbourg.holiday == "Vendredi saint")
        #expect(h.isOpen(at: strasbourg) == .closed)
        #expect(h.isOpen(at: LocalMoment(year: 2027, month: 3, day: 26, minute: 600)) == .open)
        // 26 December 2028 is a Tuesday.
        #expect(h.isOpen(at: LocalMoment(year: 2028, month: 12, day: 26, minute: 600, in: .alsaceMoselle)) == .closed)
        #expect(h.isOpen(at: LocalMoment(year: 2028, month: 12, day: 26, minute: 600)) == .open)
        // The national ones hold there too.
        #expect(h.isOpen(at: LocalMoment(year: 2027, month: 7, day: 14, minute: 600, in: .alsaceMoselle)) == .closed)
    }

    @Test func overseasClocksIgnoreTheParisSummerTimeChange() throws {
        let h = try OpeningHours("Mo-Su 08:00-12:00")
        // 29 March 2026: Paris moves to UTC+2; La Réunion stays UTC+4.
        #expect(h.nextChange(after: utc("2026-03-29T03:00:00Z"), in: .reunion) == utc("2026-03-29T04:00:00Z"))
        #expect(h.nextChange(after: utc("2026-03-29T05:00:00Z"), in: .metropole) == utc("2026-03-29T06:00:00Z"))
        #expect(h.nextChange(after: utc("2026-03-28T05:00:00Z"), in: .metropole) == utc("2026-03-28T07:00:00Z"))
    }

    @Test func wallClockMomentIsTheSameLocalTimeEverywhere() throws {
        let h = try OpeningHours("Mo-Fr 08:00-12:00")
        for t in Territory.allCases {
            #expect(h.isOpen(at: LocalMoment(year: 2026, month: 3, day: 10, minute: 600, in: t)) == .open)
        }
        let moments = SearchMoment.wallClock(year: 2026, month: 3, day: 10, minute: 600).moments
        #expect(moments.count == Territory.allCases.count)
        #expect(moments.allSatisfy { h.isOpen(at: $0) == .open })
        #expect(Set(moments.map(\.instant)).count == 5)  // Paris twice; Guadeloupe and Martinique share UTC−4
    }
}

/// The syntax of issue 15, item 4, on DST days and year boundaries (beyond the reference table).
@Suite struct OpeningHoursSyntaxTests {
    private func paris(_ y: Int, _ m: Int, _ d: Int, _ h: Int, _ min: Int = 0) -> LocalMoment {
        LocalMoment(year: y, month: m, day: d, minute: h * 60 + min)
    }

    @Test func spanPastMidnightOnTheNightsOfTheClockChanges() throws {
        let h = try OpeningHours("Sa 22:00-02:00")
        #expect(h.text == "Sa 22:00-02:00")
        // 28/29 March 2026: 01:30 CET is open; 02:00 does not exist, so it closes at 03:00 CEST (01:00Z).
        #expect(h.isOpen(at: utc("2026-03-29T00:30:00Z")) == .open)
        #expect(h.nextChange(after: utc("2026-03-29T00:30:00Z")) == utc("2026-03-29T01:00:00Z"))
        // 24/25 October 2026: 01:30 CEST is open; it closes at the first 02:00, still in summer time (00:00Z).
        #expect(h.isOpen(at: utc("2026-10-24T23:30:00Z")) == .open)
        #expect(h.nextChange(after: utc("2026-10-24T23:30:00Z")) == utc("2026-10-25T00:00:00Z"))
        #expect(h.isOpen(at: paris(2026, 3, 29, 22, 30)) == .closed)  // Sunday night
        #expect(try OpeningHours("Sa 20:00-26:00").isOpen(at: paris(2026, 3, 8, 1, 30)) == .open)
    }

    @Test func yearBoundaries() throws {
        let newYearsEve = try OpeningHours("Dec 31 22:00-02:00")
        #expect(newYearsEve.isOpen(at: paris(2027, 1, 1, 1, 0)) == .open)
        #expect(newYearsEve.isOpen(at: paris(2027, 1, 1, 2, 0)) == .closed)
        let lastFriday = try OpeningHours("Fr[-1] 14:00-17:00")
        #expect(lastFriday.isOpen(at: paris(2026, 12, 25, 15, 0)) == .open)   // last Friday of December
        #expect(lastFriday.isOpen(at: paris(2026, 12, 18, 15, 0)) == .closed)
        let next = try #require(lastFriday.nextChange(after: paris(2026, 12, 31, 12, 0)))
        #expect(next.day == CivilDate(year: 2027, month: 1, day: 29) && next.minute == 14 * 60)
        // 2026 has an ISO week 53 (28 December 2026 to 3 January 2027).
        let weeks = try OpeningHours("Mo-Fr 09:00-12:00; week 53 off")
        #expect(weeks.isOpen(at: paris(2026, 12, 28, 10, 0)) == .closed)
        #expect(weeks.isOpen(at: paris(2027, 1, 4, 10, 0)) == .open)
        #expect(CivilDate(year: 2027, month: 1, day: 1).isoWeek == 53 && CivilDate(year: 2027, month: 1, day: 4).isoWeek == 1)
    }

    @Test func easterAndItsOffsetsFollowTheYear() throws {
        let h = try OpeningHours("Mo-Su 10:00-18:00; easter -2 days off; easter +1 day 10:00-12:00")
        #expect(h.isOpen(at: paris(2026, 4, 3, 11, 0)) == .closed)   // Good Friday 2026
        #expect(h.isOpen(at: paris(2027, 3, 26, 11, 0)) == .closed)  // Good Friday 2027
        #expect(h.isOpen(at: paris(2026, 4, 6, 11, 0)) == .open && h.isOpen(at: paris(2026, 4, 6, 14, 0)) == .closed)
        #expect(h.text == "Mo-Su 10:00-18:00; easter -2 days off; easter +1 day 10:00-12:00")
    }

    @Test func unknownIsAThirdStateAndCommentsAreKept() throws {
        let h = try OpeningHours("Mo-Fr 09:00-12:00; Th unknown \"permanence à confirmer\"; Fr 14:00-16:00 \"sur rendez-vous\"")
        #expect(h.isOpen(at: paris(2026, 3, 12, 10, 0)) == .unknown)
        #expect(h.comment(at: paris(2026, 3, 12, 10, 0)) == "permanence à confirmer")
        #expect(h.isOpen(at: paris(2026, 3, 13, 15, 0)) == .open)
        #expect(h.comment(at: paris(2026, 3, 13, 15, 0)) == "sur rendez-vous")
        #expect(h.isOpen(at: paris(2026, 3, 13, 10, 0)) == .closed)  // the Friday rule replaced the morning
    }

    @Test func partOfADayOffAndAdditionalRules() throws {
        let lunch = try OpeningHours("Mo-Fr 08:00-18:00; Mo-Fr 12:00-14:00 off")
        #expect(lunch.isOpen(at: paris(2026, 3, 9, 12, 30)) == .closed)
        #expect(lunch.isOpen(at: paris(2026, 3, 9, 14, 0)) == .open)
        #expect(lunch.weeklyHours() == 40)
        let added = try OpeningHours("Mo-Fr 09:00-12:00, We 14:00-17:00")
        #expect(added.text == "Mo-Fr 09:00-12:00, We 14:00-17:00")
        #expect(added.isOpen(at: paris(2026, 3, 11, 10, 0)) == .open && added.isOpen(at: paris(2026, 3, 11, 15, 0)) == .open)
        let holidaysOnWeekdays = try OpeningHours("Mo-Su 09:00-12:00; PH Mo-Fr off")
        #expect(holidaysOnWeekdays.isOpen(at: paris(2026, 7, 14, 10, 0)) == .closed)
        #expect(holidaysOnWeekdays.isOpen(at: paris(2026, 7, 15, 10, 0)) == .closed)  // "PH Mo-Fr" is PH or Mo-Fr, as in the reference
        #expect(holidaysOnWeekdays.isOpen(at: paris(2026, 7, 18, 10, 0)) == .open)
    }

    @Test func nthWeekdaysOfTheMonth() throws {
        let h = try OpeningHours("Sa[1,3] 09:00-12:00; Mo[1] 14:00-17:00")
        #expect(h.isOpen(at: paris(2026, 3, 7, 10, 0)) == .open)    // 1st Saturday
        #expect(h.isOpen(at: paris(2026, 3, 14, 10, 0)) == .closed) // 2nd
        #expect(h.isOpen(at: paris(2026, 3, 21, 10, 0)) == .open)   // 3rd
        #expect(h.isOpen(at: paris(2026, 3, 2, 15, 0)) == .open)
        #expect(h.isOpen(at: paris(2026, 3, 9, 15, 0)) == .closed)
        #expect(h.weeklyHours() == 0)  // no ordinary week
    }
}
