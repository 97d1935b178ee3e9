import Foundation

/// Where a place's opening hours are read: its territory's time zone and public holidays (design §4b).
///
/// Overseas départements keep their own clocks and each commemorates the abolition of slavery on its
/// own day (loi n° 83-550 and décret n° 83-1003 as amended); Moselle, Bas-Rhin and Haut-Rhin add Good
/// Friday and 26 December (local law of Alsace-Moselle). Saint-Martin, Saint-Barthélemy and
/// Saint-Pierre-et-Miquelon are not in the reference pack, so they are not told apart here.
public enum Territory: Int, Sendable, CaseIterable, Hashable {
    case metropole, alsaceMoselle, guadeloupe, martinique, guyane, reunion, mayotte

    /// The territory of a commune INSEE code or a postcode (its département prefix decides).
    public init(code: String) {
        let u = Array(code.utf8)
        guard u.count >= 3 else { self = .metropole; return }
        switch (u[0], u[1], u[2]) {
        case (0x39, 0x37, 0x31): self = .guadeloupe
        case (0x39, 0x37, 0x32): self = .martinique
        case (0x39, 0x37, 0x33): self = .guyane
        case (0x39, 0x37, 0x34): self = .reunion
        case (0x39, 0x37, 0x36): self = .mayotte
        case (0x35, 0x37, _), (0x36, 0x37, _), (0x36, 0x38, _): self = .alsaceMoselle
        default: self = .metropole
        }
    }

    /// The IANA time zone of the territory.
    public var zoneIdentifier: String {
        switch self {
        case .metropole, .alsaceMoselle: "Europe/Paris"
        case .guadeloupe: "America/Guadeloupe"
        case .martinique: "America/Martinique"
        case .guyane: "America/Cayenne"
        case .reunion: "Indian/Reunion"
        case .mayotte: "Indian/Mayotte"
        }
    }

    /// The territory's holidays beyond the eleven national ones, as (month, day, name) for `year`.
    public func extraHolidays(in year: Int) -> [(month: Int, day: Int, name: String)] {
        let abolition = "Abolition de l'esclavage"
        switch self {
        case .metropole: return []
        case .alsaceMoselle:
            let easter = FrenchPublicHolidays.easterSunday(in: year)
            let friday = CivilDate(year: year, month: easter.month, day: easter.day).adding(days: -2)
            return [(friday.month, friday.day, "Vendredi saint"), (12, 26, "Saint-Étienne")]
        case .guadeloupe: return [(5, 27, abolition)]
        case .martinique: return [(5, 22, abolition)]
        case .guyane: return [(6, 10, abolition)]
        case .reunion: return [(12, 20, abolition)]
        case .mayotte: return [(4, 27, abolition)]
        }
    }

    /// The clock of the territory, built once per territory.
    var clock: LocalClock { LocalClock.all[rawValue] }
}

/// Conversions between instants and one territory's wall-clock time.
struct LocalClock: Sendable {
    let zone: TimeZone
    let calendar: Calendar

    init(_ identifier: String) {
        // Foundation ships its own time-zone data (ICU), so these identifiers always resolve.
        guard let zone = TimeZone(identifier: identifier) else { preconditionFailure("time zone \(identifier) is unknown to Foundation") }
        self.zone = zone
        var c = Calendar(identifier: .gregorian)
        c.timeZone = zone
        calendar = c
    }

    static let all: [LocalClock] = Territory.allCases.map { LocalClock($0.zoneIdentifier) }

    /// The calendar day of an instant.
    func civilDay(of date: Date) -> CivilDate { local(date).day }

    /// The calendar day and the minute of that day (0..<1440) of an instant.
    ///
    /// Only the UTC offset in force at the instant comes from the time-zone database; the civil day is
    /// arithmetic. `Calendar.dateComponents` gave the same answer at several times the cost.
    func local(_ date: Date) -> (day: CivilDate, minute: Int) {
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

    /// The instant at `minute` (0...1440) of a calendar day; 1440 is the next midnight.
    /// A wall time skipped by the spring change (02:00-03:00) maps to the instant after the gap.
    func instant(_ day: CivilDate, minute: Int) -> Date {
        if minute >= 1440 { return instant(day.adding(days: 1), minute: minute - 1440) }
        let comps = DateComponents(year: day.year, month: day.month, day: day.day, hour: minute / 60, minute: minute % 60)
        return calendar.date(from: comps)!
    }
}
