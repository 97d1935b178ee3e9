import Foundation
import Testing
@testable import Directory

/// An instant given as Paris wall-clock time.
private func paris(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 12, _ min: Int = 0) -> Date {
    var c = Calendar(identifier: .gregorian)
    c.timeZone = TimeZone(identifier: "Europe/Paris")!
    return c.date(from: DateComponents(year: y, month: m, day: d, hour: h, minute: min))!
}

/// An instant given in UTC, to check the Paris offset independently of the code under test.
private func utc(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

extension ISO8601DateFormatter {
    /// Reads "2025-12-31T22:59:59.5Z".
    static var fractional: ISO8601DateFormatter {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }
}

private func hours(_ text: String) throws -> OpeningHours { try OpeningHours(text) }

@Suite struct OpeningHoursTests {
    let office = "Mo-Fr 08:30-12:30,13:30-17:00; PH off"

    @Test func weekdayIsOpenInTheMorningClosedAtLunchAndInTheEvening() throws {
        let h = try hours(office)
        // Monday 9 March 2026.
        #expect((h.isOpen(at: paris(2026, 3, 9, 8, 30)) == .open))
        #expect((h.isOpen(at: paris(2026, 3, 9, 12, 29)) == .open))
        #expect((h.isOpen(at: paris(2026, 3, 9, 12, 30)) == .closed))
        #expect((h.isOpen(at: paris(2026, 3, 9, 13, 0)) == .closed))
        #expect((h.isOpen(at: paris(2026, 3, 9, 16, 59)) == .open))
        #expect((h.isOpen(at: paris(2026, 3, 9, 17, 0)) == .closed))
        #expect((h.isOpen(at: paris(2026, 3, 9, 8, 29)) == .closed))
        let spans = h.spans(on: paris(2026, 3, 9))
        #expect(spans.map { "\($0.open)-\($0.close)" } == ["08:30-12:30", "13:30-17:00"])
    }

    @Test func sundayAndSaturdayAreClosed() throws {
        let h = try hours(office)
        #expect((h.isOpen(at: paris(2026, 3, 8, 10, 0)) == .closed))  // Sunday
        #expect((h.isOpen(at: paris(2026, 3, 7, 10, 0)) == .closed))  // Saturday
        #expect(h.spans(on: paris(2026, 3, 8)).isEmpty)
        let explicit = try hours("Mo-Sa 09:00-18:00; Su off")
        #expect((explicit.isOpen(at: paris(2026, 3, 7, 10, 0)) == .open))
        #expect((explicit.isOpen(at: paris(2026, 3, 8, 10, 0)) == .closed))
    }

    @Test func bastilleDayClosesWithPHOffAndOnlyThen() throws {
        let tuesday14July = paris(2026, 7, 14, 10, 0)
        #expect(try (hours(office).isOpen(at: tuesday14July) == .closed))
        #expect(try (hours("Mo-Fr 08:30-12:30,13:30-17:00").isOpen(at: tuesday14July) == .open))
        #expect(try (hours(office).isOpen(at: paris(2026, 7, 15, 10, 0)) == .open))
        #expect(try hours(office).frenchDescription(on: tuesday14July) == "Fermé aujourd'hui (jour férié : Fête nationale)")
    }

    @Test func movableHolidaysOf2026AreComputed() {
        let days = FrenchPublicHolidays.dates(in: 2026)
        #expect(days.count == 11)
        func on(_ name: String) -> String? { days.first { $0.name == name }.map { "\($0.month)-\($0.day)" } }
        #expect(on("Lundi de Pâques") == "4-6")
        #expect(on("Ascension") == "5-14")
        #expect(on("Lundi de Pentecôte") == "5-25")
        #expect(FrenchPublicHolidays.isHoliday(paris(2026, 4, 6, 0, 30)))
        #expect(FrenchPublicHolidays.isHoliday(paris(2026, 5, 14, 23, 59)))
        #expect(!FrenchPublicHolidays.isHoliday(paris(2026, 5, 15, 0, 0)))
        #expect(FrenchPublicHolidays.name(of: paris(2026, 5, 25)) == "Lundi de Pentecôte")
        #expect(FrenchPublicHolidays.name(of: paris(2026, 11, 11)) == "Armistice 1918")
        #expect(FrenchPublicHolidays.name(of: paris(2026, 12, 26)) == nil)  // Alsace-Moselle only
        // Sorted by date.
        #expect(days.map { $0.month * 100 + $0.day } == days.map { $0.month * 100 + $0.day }.sorted())
    }

    @Test(arguments: [(2024, 3, 31), (2025, 4, 20), (2026, 4, 5), (2027, 3, 28), (2000, 4, 23), (2038, 4, 25)])
    func easterSundayOfKnownYears(year: Int, month: Int, day: Int) {
        let e = FrenchPublicHolidays.easterSunday(in: year)
        #expect(e.month == month && e.day == day)
    }

    @Test func holidayTestUsesTheParisDayNotUTC() {
        // 31 Dec 2025 23:30 UTC is already 1 January in Paris.
        #expect(FrenchPublicHolidays.isHoliday(utc("2025-12-31T23:30:00Z")))
        #expect(!FrenchPublicHolidays.isHoliday(utc("2025-12-31T22:30:00Z")))
    }

    @Test func datedExceptionClosesThatDayOnly() throws {
        let h = try hours("Mo-Fr 09:00-12:00; 2026 Dec 24 off")
        #expect((h.isOpen(at: paris(2026, 12, 24, 10, 0)) == .closed))  // Thursday
        #expect((h.isOpen(at: paris(2026, 12, 23, 10, 0)) == .open))
        #expect((h.isOpen(at: paris(2027, 12, 24, 10, 0)) == .open))  // Friday, another year
        #expect(h.frenchDescription(on: paris(2026, 12, 24)) == "Fermé aujourd'hui (fermeture exceptionnelle)")
        let yearly = try hours("Mo-Fr 09:00-12:00; Dec 24 off")
        #expect((yearly.isOpen(at: paris(2027, 12, 24, 10, 0)) == .closed))
    }

    @Test func dateRangesWithAndWithoutYear() throws {
        let summer = try hours("Mo-Fr 09:00-12:00; Aug 01-15 off")
        #expect((summer.isOpen(at: paris(2026, 8, 3, 10, 0)) == .closed))
        #expect((summer.isOpen(at: paris(2027, 8, 13, 10, 0)) == .closed))
        #expect((summer.isOpen(at: paris(2026, 8, 17, 10, 0)) == .open))
        let dated = try hours("Mo-Fr 09:00-12:00; 2026 Aug 01-2026 Aug 15 off")
        #expect((dated.isOpen(at: paris(2026, 8, 14, 10, 0)) == .closed))
        #expect((dated.isOpen(at: paris(2027, 8, 13, 10, 0)) == .open))
        let sameMonth = try hours("Mo-Fr 09:00-12:00; 2026 Aug 10-14 off")
        #expect((sameMonth.isOpen(at: paris(2026, 8, 10, 10, 0)) == .closed) && (sameMonth.isOpen(at: paris(2026, 8, 17, 10, 0)) == .open))
        let newYear = try hours("Mo-Fr 09:00-12:00; Dec 24-Jan 02 off")
        #expect((newYear.isOpen(at: paris(2026, 12, 28, 10, 0)) == .closed) && (newYear.isOpen(at: paris(2027, 1, 1, 10, 0)) == .closed))
        #expect((newYear.isOpen(at: paris(2027, 1, 4, 10, 0)) == .open))
        let crossYear = try hours("Mo-Fr 09:00-12:00; 2026 Dec 24-Jan 02 off")
        #expect((crossYear.isOpen(at: paris(2027, 1, 1, 10, 0)) == .closed) && (crossYear.isOpen(at: paris(2027, 12, 28, 10, 0)) == .open))
        let summerHours = try hours("Mo-Fr 09:00-17:00; Jul-Aug Mo-Fr 09:00-12:00")
        #expect((summerHours.isOpen(at: paris(2026, 7, 20, 15, 0)) == .closed) && (summerHours.isOpen(at: paris(2026, 9, 1, 15, 0)) == .open))
        #expect(summerHours.weeklyHours() == 40)
    }

    @Test func datedOpeningOnAHolidayOverridesPHOff() throws {
        let h = try hours("Mo-Fr 08:30-12:30,13:30-17:00; PH off; 2026 Jul 14 09:00-12:00")
        #expect((h.isOpen(at: paris(2026, 7, 14, 9, 30)) == .open))
        #expect((h.isOpen(at: paris(2026, 7, 14, 14, 0)) == .closed))
        #expect(h.frenchDescription(on: paris(2026, 7, 14)) == "Ouvert aujourd'hui (horaires exceptionnels) de 9 h à 12 h")
    }

    @Test func publicHolidayHoursApplyOnHolidaysOnly() throws {
        let h = try hours("Mo-Sa 09:00-18:00; PH 10:00-12:00")
        #expect(h.spans(on: paris(2026, 5, 1)).map { $0.open + "-" + $0.close } == ["10:00-12:00"])
        #expect((h.isOpen(at: paris(2026, 5, 2, 15, 0)) == .open))
        #expect(h.weeklyHours() == 54)
        #expect(h.frenchDescription(on: paris(2026, 5, 1))
                == "Ouvert aujourd'hui (jour férié : Fête du Travail) de 10 h à 12 h")
        let sundaysAndHolidays = try hours("Mo-Sa 09:00-18:00; Su,PH off")
        #expect((sundaysAndHolidays.isOpen(at: paris(2026, 5, 1, 10, 0)) == .closed))
        #expect(sundaysAndHolidays.weeklyHours() == 54)
    }

    @Test func laterRuleOverridesEarlierForItsDays() throws {
        let h = try hours("Mo-Fr 09:00-17:00; We 09:00-12:00")
        // Wednesday 11 March 2026.
        #expect((h.isOpen(at: paris(2026, 3, 11, 10, 0)) == .open))
        #expect((h.isOpen(at: paris(2026, 3, 11, 14, 0)) == .closed))
        #expect((h.isOpen(at: paris(2026, 3, 12, 14, 0)) == .open))
        #expect(h.weeklyHours() == 35)
    }

    @Test func summerTimeStartAndEndAreHandled() throws {
        let h = try hours("Su 09:00-10:00")
        // 29 March 2026: clocks go forward at 02:00, so 09:30 in Paris is 07:30 UTC.
        #expect((h.isOpen(at: paris(2026, 3, 29, 9, 30)) == .open))
        #expect((h.isOpen(at: utc("2026-03-29T07:30:00Z")) == .open))
        #expect((h.isOpen(at: utc("2026-03-29T08:30:00Z")) == .closed))
        // 25 October 2026: clocks go back at 03:00, so 09:30 in Paris is 08:30 UTC.
        #expect((h.isOpen(at: paris(2026, 10, 25, 9, 30)) == .open))
        #expect((h.isOpen(at: utc("2026-10-25T08:30:00Z")) == .open))
        #expect((h.isOpen(at: utc("2026-10-25T07:30:00Z")) == .closed))
        // The weekday ones around the changes.
        let office = try hours(office)
        #expect((office.isOpen(at: utc("2026-03-30T06:45:00Z")) == .open))    // 08:45 CEST, Monday
        #expect((office.isOpen(at: utc("2026-10-26T07:15:00Z")) == .closed))   // 08:15 CET, Monday
        #expect((office.isOpen(at: utc("2026-10-26T07:45:00Z")) == .open))    // 08:45 CET
    }

    @Test func weeklyHoursIgnoreHolidaysAndExceptions() throws {
        #expect(try hours(office).weeklyHours() == 37.5)
        #expect(try hours("Mo-Fr 09:00-17:30; We 09:00-12:30; PH off").weeklyHours() == 37.5)
        #expect(try hours("Tu-Th 09:00-12:00,14:00-17:00; Sa 09:00-11:30").weeklyHours() == 20.5)
        #expect(try hours("Mo,We 14:00-17:00").weeklyHours() == 6)
        #expect(try hours("Mo-Fr 09:00-12:00; 2026 Dec 24 off; 2026 Jul 14 off").weeklyHours() == 15)
        #expect(try hours("Sa-Mo 10:00-12:00").weeklyHours() == 6)
        #expect(try hours("24/7").weeklyHours() == 168)
    }

    @Test func twentyFourSevenIsAlwaysOpen() throws {
        let h = try hours("24/7")
        #expect((h.isOpen(at: paris(2026, 12, 25, 3, 0)) == .open))
        #expect((h.isOpen(at: paris(2026, 3, 29, 2, 30)) == .open))
        #expect(h.spans(on: paris(2026, 1, 1)).map { $0.open + "-" + $0.close } == ["00:00-24:00"])
        #expect(h.nextChange(after: paris(2026, 1, 1)) == nil)
        #expect(h.frenchDescription(on: paris(2026, 1, 1)) == "Ouvert aujourd'hui 24 h/24")
        let withHolidays = try hours("24/7; PH off")
        #expect((withHolidays.isOpen(at: paris(2026, 12, 25, 3, 0)) == .closed))
        #expect(withHolidays.nextChange(after: paris(2026, 12, 24, 12)) == paris(2026, 12, 25, 0, 0))
    }

    @Test func nextChangeFindsOpeningAndClosing() throws {
        let h = try hours(office)
        #expect(h.nextChange(after: paris(2026, 3, 9, 10, 0)) == paris(2026, 3, 9, 12, 30))
        #expect(h.nextChange(after: paris(2026, 3, 9, 12, 30)) == paris(2026, 3, 9, 13, 30))
        // Friday evening to Monday morning; Easter Monday 2026 is skipped.
        #expect(h.nextChange(after: paris(2026, 3, 13, 18, 0)) == paris(2026, 3, 16, 8, 30))
        #expect(h.nextChange(after: paris(2026, 4, 3, 18, 0)) == paris(2026, 4, 7, 8, 30))
        #expect(try hours("off").nextChange(after: paris(2026, 1, 1)) == nil)
    }

    @Test func frenchDescriptionForOrdinaryDays() throws {
        let h = try hours(office)
        #expect(h.frenchDescription(on: paris(2026, 3, 9)) == "Ouvert aujourd'hui de 8 h 30 à 12 h 30 et de 13 h 30 à 17 h")
        #expect(h.frenchDescription(on: paris(2026, 3, 8)) == "Fermé aujourd'hui")
        #expect(h.frenchDescription(on: paris(2026, 3, 10), dayLabel: "demain") == "Ouvert demain de 8 h 30 à 12 h 30 et de 13 h 30 à 17 h")
    }

    @Test(arguments: [
        "Mo-Fr 08:30-12:30,13:30-17:00; PH off",
        "Tu-Th 09:00-12:00,14:00-17:00; Sa 09:00-11:30",
        "Mo,We 14:00-17:00",
        "Mo-Fr 09:00-12:00; 2026 Dec 24 off; 2026 Jul 14 off",
        "Mo-Sa 09:00-18:00; Su off",
        "24/7",
        "Mo-We,Fr 08:30-16:30; Th 08:30-12:30; PH off",
        "Mo 13:30-17:30; Tu-Fr 09:00-12:30,13:30-17:30; PH off",
        "Aug 01-15 off",
        "2026 Aug 01-2026 Aug 15 off",
        "PH 10:00-12:00",
    ])
    func canonicalValuesAreKeptAsWritten(text: String) throws {
        #expect(try OpeningHours(text).text == text)
    }

    @Test func textIsNormalised() throws {
        let h = try hours("  mo-fr  08:30-12:30, 13:30–17:00 ;PH closed; Aug 1-15 OFF;")
        #expect(h.text == "Mo-Fr 08:30-12:30,13:30-17:00; PH off; Aug 01-15 off")
        #expect(h == (try hours(h.text)))
    }

    @Test func codableAsAPlainString() throws {
        let h = try hours(office)
        let data = try JSONEncoder().encode([h])
        #expect(String(decoding: data, as: UTF8.self) == #"["Mo-Fr 08:30-12:30,13:30-17:00; PH off"]"#)
        #expect(try JSONDecoder().decode([OpeningHours].self, from: data) == [h])
        do {
            _ = try JSONDecoder().decode([OpeningHours].self, from: Data(#"["Mo-Fr 9h-12h"]"#.utf8))
            Issue.record("expected a decoding error")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.debugDescription.contains("9h-12h"))
        }
    }

    @Test(arguments: [
        ("Mo-Fr 08:30-12:00; Mo-Fr 9h-12h", #"rule 2 ("Mo-Fr 9h-12h"): "9h-12h" is not a time range HH:MM-HH:MM"#),
        ("Mo-Fr 08:30-49:00", #"rule 1 ("Mo-Fr 08:30-49:00"): "49:00" is not a time of day"#),
        ("easter-Dec 24 off", #"is a range from Easter, which is not supported"#),
        ("Mo-Fr 24:00-26:00", #"opens at 24:00"#),
        ("Xx 10:00-12:00", #"rule 1 ("Xx 10:00-12:00"): "Xx" is not a weekday"#),
        ("Mo- 10:00-12:00", #""Mo-" is an unterminated range"#),
        ("Mo-Fr 10:00-", #""10:00-" is an unterminated range"#),
        ("Aug 01- off", #""Aug 01-" is an unterminated range"#),
        ("", #"rule 1 (""): the value is empty"#),
        ("Mo-Fr 09:00-12:00;; Sa 10:00-12:00", #"rule 2 (""): the rule is empty"#),
        ("Mo-Fr", #""Mo-Fr" is not followed by a time range"#),
        ("Mo-Fr 09:00-12:00,Sa 10:00-12:00", #""Sa" after ",""#),
        ("Mo[6] 10:00-12:00", #""Mo[6]" is not an nth weekday of the month"#),
        ("Fr[-1] +2 days 10:00-12:00", #"shifts the nth weekday by days"#),
        ("week 54 off", #""54" is not a week number"#),
        ("easter -2 off", #"is not an offset from Easter"#),
        ("Mo-Fr 09:00-12:00 \"sur rendez-vous", #"opens a comment that is never closed"#),
        ("Mo-Fr sunrise-sunset", #"(a time by the sun) is not supported"#),
        ("Mo-Fr 09:00-12:00 Sa", #""Sa" follows the time ranges"#),
        ("Mo-Fr 9:00-12:00", #""9:00" is not a time HH:MM"#),
        ("SH off", #""SH" (school holidays) is not supported"#),
        ("Mo-Fr 09:00-12:00 || \"sur rendez-vous\"", #""||" fallback rules"#),
        ("Mo-Fr 09:00+", #""09:00+" has an open end"#),
        ("2026 Feb 29 off", #""2026 Feb 29" is not a valid date"#),
        ("Aug 15-01 off", #""Aug 15-01" ends before it starts"#),
        ("Dec 25,26 off", #""26" after "," is not a date"#),
        ("Mo-Fr 12:00-12:00", #"is empty"#),
        ("Mo-Fr Sa 10:00-12:00", #""Sa" starts a second weekday list"#),
        ("Mo-Fr 10:00-12:00 off open", #""open" follows the rule's state or comment"#),
    ])
    func malformedValuesAreRefusedNamingRuleAndToken(text: String, expected: String) {
        do {
            let h = try OpeningHours(text)
            Issue.record("accepted \"\(text)\" as \"\(h.text)\"")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }
    /// `LocalMoment` reads the Paris clock by arithmetic and a cached holiday table; it must agree with
    /// the evaluation it replaced (`Calendar` components, holidays searched in `dates(in:)`) at every instant.
    @Test func parisMomentAgreesWithCalendarEvaluationOverManyInstants() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris")!
        let all = try [office, "Mo-Sa 09:00-18:00; PH 10:00-12:00", "Su,PH 09:00-10:00", "24/7; PH off",
                       "Mo-Fr 09:00-12:00; Dec 24-Jan 02 off; 2026 Jul 14 09:00-11:00", "Mo-Fr 00:00-02:30,23:00-24:00"].map(hours)
        // Every 53 minutes and 7 seconds from 1 Jan 2024 to 2028, through DST changes and every holiday;
        // plus the instants on either side of the 2026 changes and of Paris midnights.
        var instants = stride(from: utc("2024-01-01T00:00:00Z").timeIntervalSince1970,
                              to: utc("2028-01-01T00:00:00Z").timeIntervalSince1970, by: 53 * 60 + 7).map(Date.init(timeIntervalSince1970:))
        for edge in ["2026-03-29T00:59:59Z", "2026-03-29T01:00:00Z", "2026-10-25T00:59:59Z", "2026-10-25T01:00:00Z",
                     "2026-07-13T21:59:59Z", "2026-07-13T22:00:00Z", "2025-12-31T22:59:59.5Z", "2025-12-31T23:00:00Z"] {
            instants.append(ISO8601DateFormatter.fractional.date(from: edge) ?? utc(edge))
        }
        #expect(instants.count > 39_000)
        var holidays = 0
        for instant in instants {
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
            let holiday = FrenchPublicHolidays.dates(in: c.year!).first { $0.month == c.month! && $0.day == c.day! }?.name
            let moment = LocalMoment(instant)
            #expect(moment.day == CivilDate(year: c.year!, month: c.month!, day: c.day!), "\(instant)")
            #expect(moment.minute == c.hour! * 60 + c.minute!, "\(instant)")
            #expect(moment.holiday == holiday, "\(instant)")
            if holiday != nil { holidays += 1 }
            for h in all {
                // The open spans of the Calendar's day, read independently of the moment's arithmetic.
                let hhmm = String(format: "%02d:%02d", c.hour!, c.minute!)
                let wasOpen = h.spans(on: instant).contains { $0.open <= hhmm && hhmm < $0.close }
                let state: OpeningState = wasOpen ? .open : .closed
                #expect(h.isOpen(at: moment) == state && h.isOpen(at: instant) == state, "\(h) at \(instant)")
                #expect(h.frenchDescription(on: moment) == h.frenchDescription(on: instant))
            }
        }
        #expect(holidays > 1_000)  // every holiday of the four years is crossed about 27 times
    }

    @Test func cachedHolidaysMatchTheComputedOnesAndYearsOutsideTheCacheStillWork() {
        for year in [1970, 2008, 2026, 2199, 1969, 2200, 2400] {
            for h in FrenchPublicHolidays.dates(in: year) {
                let name = FrenchPublicHolidays.name(of: CivilDate(year: year, month: h.month, day: h.day))
                // 2008: Ascension fell on 1 May, which keeps the name first in calendar order.
                #expect(name == h.name || (year == 2008 && h.name == "Ascension" && name == "Fête du Travail"), "\(year) \(h.name)")
            }
            #expect(FrenchPublicHolidays.name(of: CivilDate(year: year, month: 3, day: 3)) == nil)
        }
    }
}
