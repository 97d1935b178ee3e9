import Foundation

/// A moment read once on a territory's wall clock: its calendar day, minute of the day and public holiday.
///
/// Evaluating many places' opening hours at one moment (a search answer) should read each clock once:
/// build the moments per request (`SearchMoment.moments`) and pass each place its territory's.
public struct LocalMoment: Sendable, Hashable {
    public let territory: Territory
    let day: CivilDate
    /// Minutes since local midnight, 0..<1440.
    let minute: Int
    /// The French name of the public holiday the local day is, or nil.
    public let holiday: String?

    /// The instant `instant` on the clock of `territory`.
    public init(_ instant: Date, in territory: Territory = .metropole) {
        self.territory = territory
        (day, minute) = territory.clock.local(instant)
        holiday = FrenchPublicHolidays.name(of: day, in: territory)
    }

    /// A wall-clock time, whatever the instant it is in `territory`: "10:00 local time".
    public init(year: Int, month: Int, day: Int, minute: Int, in territory: Territory = .metropole) {
        self.territory = territory
        self.day = CivilDate(year: year, month: month, day: day)
        self.minute = minute
        holiday = FrenchPublicHolidays.name(of: self.day, in: territory)
    }

    init(day: CivilDate, minute: Int, in territory: Territory) {
        self.territory = territory
        self.day = day
        self.minute = minute
        holiday = FrenchPublicHolidays.name(of: day, in: territory)
    }

    /// The instant this moment is on its territory's clock.
    public var instant: Date { territory.clock.instant(day, minute: minute) }
}

/// The moment a search asks about: an instant (`open_at` with an offset, `open_now`) that each
/// place reads on its own clock, or a wall-clock time (`open_at` without offset) that means that
/// local time in every territory.
public enum SearchMoment: Sendable, Equatable {
    case instant(Date)
    case wallClock(year: Int, month: Int, day: Int, minute: Int)

    /// The moment in every territory, indexed by `Territory.rawValue`.
    public var moments: [LocalMoment] {
        Territory.allCases.map { t in
            switch self {
            case .instant(let date): LocalMoment(date, in: t)
            case .wallClock(let y, let m, let d, let minute): LocalMoment(year: y, month: m, day: d, minute: minute, in: t)
            }
        }
    }
}
