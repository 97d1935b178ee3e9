import Directory
import Foundation

/// A place's ordinary week as HSDS schedules: one weekly schedule per opening span, the days with the
/// same spans grouped ("MO,TU,WE,TH,FR", 08:30–12:30, then 13:30–17:00 for a lunch break).
///
/// Each weekday is read on its first day, at or after the release date, that is not a public holiday of
/// the place's territory: public holidays, which HSDS schedules cannot say, are left to the schedule's
/// description (the week in French, "fermé les jours fériés") and notes (the `opening_hours` text).
/// Dated rules are read on those days too, so a summer timetable shows in a summer release. Times are
/// the territory's local times.
struct WeeklySchedule: Equatable {
    struct Opening: Equatable {
        /// iCal weekday codes, Monday first.
        var days: [String]
        var opens: String
        var closes: String
    }

    var openings: [Opening]

    static let icalDays = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

    init(_ hours: OpeningHours, from release: Date, in territory: Territory) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: territory.zoneIdentifier) ?? TimeZone(secondsFromGMT: 0)!
        let start = calendar.startOfDay(for: release)
        // Monday first: Calendar counts Sunday as 1.
        var spansByDay: [[(open: String, close: String)]?] = Array(repeating: nil, count: 7)
        for offset in 0..<28 where spansByDay.contains(where: { $0 == nil }) {
            guard let midday = calendar.date(byAdding: DateComponents(day: offset, hour: 12), to: start) else { continue }
            let index = (calendar.component(.weekday, from: midday) + 5) % 7
            guard spansByDay[index] == nil, !FrenchPublicHolidays.isHoliday(midday, in: territory) else { continue }
            spansByDay[index] = hours.spans(on: midday, in: territory)
        }
        var openings: [Opening] = []
        for (index, spans) in spansByDay.enumerated() {
            for span in spans ?? [] {
                if let i = openings.firstIndex(where: { $0.opens == span.open && $0.closes == span.close }) {
                    openings[i].days.append(Self.icalDays[index])
                } else {
                    openings.append(Opening(days: [Self.icalDays[index]], opens: span.open, closes: span.close))
                }
            }
        }
        self.openings = openings.sorted { ($0.opens, $0.closes) < ($1.opens, $1.closes) }
    }
}
