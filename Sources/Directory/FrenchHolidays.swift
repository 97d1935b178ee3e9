import Foundation

/// French public holidays (jours fériés, Code du travail L3133-1), computed for any Gregorian year.
///
/// The eleven national holidays: 1 Jan, Easter Monday, 1 May, 8 May, Ascension (Easter + 39),
/// Whit Monday (Easter + 50, also the "journée de solidarité", still a holiday in law), 14 Jul,
/// 15 Aug, 1 Nov, 11 Nov, 25 Dec; each `Territory` adds its own (Alsace-Moselle's Good Friday and
/// 26 December, the overseas abolition-of-slavery days). Days are calendar days of the territory.
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

    /// Whether `date` falls on a public holiday of `territory`, in its local time.
    public static func isHoliday(_ date: Date, in territory: Territory = .metropole) -> Bool {
        name(of: date, in: territory) != nil
    }

    /// The French name of the holiday `date` falls on in `territory` (local time), or nil on an ordinary day.
    public static func name(of date: Date, in territory: Territory = .metropole) -> String? {
        name(of: territory.clock.civilDay(of: date), in: territory)
    }

    static func name(of day: CivilDate, in territory: Territory = .metropole) -> String? {
        if cachedYears.contains(day.year) { return tables[territory.rawValue][day.year - cachedYears.lowerBound][day.month * 100 + day.day] }
        return names(in: day.year, territory)[day.month * 100 + day.day]
    }

    /// The holidays of one year by mmdd; where two fall on one day (Ascension on 1 May) the first
    /// in calendar order names it, as a search of `dates(in:)` would. A territory's own days come after.
    static func names(in year: Int, _ territory: Territory = .metropole) -> [Int: String] {
        (dates(in: year) + territory.extraHolidays(in: year)).reduce(into: [:]) { out, h in
            if out[h.month * 100 + h.day] == nil { out[h.month * 100 + h.day] = h.name }
        }
    }

    /// Years whose holidays are computed once, at first use (immutable, so shared by every thread):
    /// opening hours are evaluated per place and per search, and computing Easter each time showed in profiles.
    static let cachedYears = 1970...2199
    private static let tables: [[[Int: String]]] = Territory.allCases.map { t in cachedYears.map { names(in: $0, t) } }
}

/// A calendar day with no time zone attached: what a wall calendar in a territory shows.
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
