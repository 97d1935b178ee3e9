import Foundation

/// French public holidays (jours fériés, Code du travail L3133-1), computed for any Gregorian year.
///
/// The eleven national holidays: 1 Jan, Easter Monday, 1 May, 8 May, Ascension (Easter + 39),
/// Whit Monday (Easter + 50, also the "journée de solidarité", still a holiday in law), 14 Jul,
/// 15 Aug, 1 Nov, 11 Nov, 25 Dec. Alsace-Moselle's extra days (Good Friday, 26 Dec) and the
/// overseas abolition-of-slavery days are out of scope: a place there that closes on them should
/// say so with dated exceptions. Days are calendar days in Europe/Paris.
public enum FrenchPublicHolidays {
    /// Easter Sunday of `year`, by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    public static func easterSunday(in year: Int) -> (month: Int, day: Int) {
        let a = year % 19, b = year / 100, c = year % 100
        let d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let n = h + l - 7 * m + 114
        return (n / 31, n % 31 + 1)
    }

    /// The holidays of `year` in calendar order, with their French names.
    /// Ascension may fall on 1 or 8 May (as in 2008); both entries are then kept.
    public static func dates(in year: Int) -> [(month: Int, day: Int, name: String)] {
        let easter = easterSunday(in: year)
        let easterDay = CivilDate(year: year, month: easter.month, day: easter.day)
        func movable(_ offset: Int, _ name: String) -> (month: Int, day: Int, name: String) {
            let d = easterDay.adding(days: offset)
            return (d.month, d.day, name)
        }
        let all: [(month: Int, day: Int, name: String)] = [
            (1, 1, "Jour de l'an"),
            movable(1, "Lundi de Pâques"),
            (5, 1, "Fête du Travail"),
            (5, 8, "Victoire 1945"),
            movable(39, "Ascension"),
            movable(50, "Lundi de Pentecôte"),
            (7, 14, "Fête nationale"),
            (8, 15, "Assomption"),
            (11, 1, "Toussaint"),
            (11, 11, "Armistice 1918"),
            (12, 25, "Noël"),
        ]
        return all.enumerated()
            .sorted { ($0.element.month, $0.element.day, $0.offset) < ($1.element.month, $1.element.day, $1.offset) }
            .map(\.element)
    }

    /// Whether `date` falls on a French public holiday, in Paris time.
    public static func isHoliday(_ date: Date) -> Bool { name(of: date) != nil }

    /// The French name of the holiday `date` falls on, in Paris time, or nil on an ordinary day.
    public static func name(of date: Date) -> String? { name(of: ParisTime.civilDay(of: date)) }

    static func name(of day: CivilDate) -> String? {
        if let byDay = table[day.year] { return byDay[day.month * 100 + day.day] }
        return names(in: day.year)[day.month * 100 + day.day]
    }

    /// The holidays of one year by mmdd; where two fall on one day (Ascension on 1 May) the first
    /// in calendar order names it, as a search of `dates(in:)` would.
    static func names(in year: Int) -> [Int: String] {
        dates(in: year).reduce(into: [:]) { out, h in
            if out[h.month * 100 + h.day] == nil { out[h.month * 100 + h.day] = h.name }
        }
    }

    /// Years whose holidays are computed once, at first use (immutable, so shared by every thread):
    /// opening hours are evaluated per place and per search, and computing Easter each time showed in profiles.
    static let cachedYears = 1970...2199
    private static let table: [Int: [Int: String]] = Dictionary(uniqueKeysWithValues: cachedYears.map { ($0, names(in: $0)) })
}

/// A calendar day with no time zone attached: what a wall calendar in Paris shows.
struct CivilDate: Hashable, Comparable, Sendable {
    var year: Int
    var month: Int
    var day: Int

    /// Days since 1970-01-01 (proleptic Gregorian; H. Hinnant's days_from_civil).
    var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The inverse of `dayNumber` (civil_from_days).
    init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// ISO weekday: 1 = Monday ... 7 = Sunday (1970-01-01 was a Thursday).
    var weekday: Int { ((dayNumber % 7 + 7 + 3) % 7) + 1 }

    func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    static func < (a: CivilDate, b: CivilDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    /// Days in `month`; without a year, February counts 29 so that "Feb 29" stays expressible.
    static func daysIn(month: Int, year: Int?) -> Int {
        switch month {
        case 2: year.map { isLeap($0) ? 29 : 28 } ?? 29
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// Conversions between instants and Paris wall-clock time. Places in overseas France keep Paris
/// time here too: the directory's opening hours are evaluated in one zone (design §4b).
enum ParisTime {
    static let zone: TimeZone = {
        // Foundation ships its own time-zone data (ICU), so this identifier always resolves.
        guard let paris = TimeZone(identifier: "Europe/Paris") else {
            preconditionFailure("time zone Europe/Paris is unknown to Foundation")
        }
        return paris
    }()

    static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = zone
        return c
    }()

    /// The Paris calendar day of an instant.
    static func civilDay(of date: Date) -> CivilDate { local(date).day }

    /// The Paris calendar day and the minute of that day (0..<1440) of an instant.
    ///
    /// Only the UTC offset in force at the instant comes from the time-zone database; the civil day is
    /// arithmetic. `Calendar.dateComponents` gave the same answer at several times the cost.
    static func local(_ date: Date) -> (day: CivilDate, minute: Int) {
        let utc = date.timeIntervalSince1970.rounded(.down)
        guard abs(utc) < 1e15 else {
            // Beyond any calendar use; keep Foundation's reading rather than overflow.
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
            return (CivilDate(year: c.year!, month: c.month!, day: c.day!), c.hour! * 60 + c.minute!)
        }
        let seconds = Int(utc) + zone.secondsFromGMT(for: date)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        return (CivilDate(dayNumber: days), (seconds - days * 86_400) / 60)
    }

    /// The instant at `minute` (0...1440) of a Paris calendar day; 1440 is the next midnight.
    /// A wall time skipped by the spring change (02:00-03:00) maps to the instant after the gap.
    static func instant(_ day: CivilDate, minute: Int) -> Date {
        if minute >= 1440 { return instant(day.adding(days: 1), minute: minute - 1440) }
        let comps = DateComponents(year: day.year, month: day.month, day: day.day, hour: minute / 60, minute: minute % 60)
        return calendar.date(from: comps)!
    }
}
