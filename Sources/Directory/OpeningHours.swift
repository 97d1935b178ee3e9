import Foundation

/// Opening hours in the OSM `opening_hours` syntax (design §4b), parsed and evaluated in Paris time.
///
/// The supported subset is what data·inclusion and the Régions publish: rules separated by `;`,
/// each an optional date selector (`2026 Dec 24`, `Dec 24`, `Aug 01-15`, `Jul-Aug`,
/// `2026 Aug 01-2026 Aug 15`), an optional weekday selector (`Mo-Fr`, `Mo,We`, `Mo-We,Fr`, `PH`,
/// `Su,PH`), then time spans (`08:30-12:30,13:30-17:00`) or `off`/`closed`; or `24/7`.
/// As in OSM, a later rule overrides earlier ones for the days it selects, so
/// `Mo-Fr 09:00-17:00; We 09:00-12:00` closes Wednesday afternoons. Spans crossing midnight,
/// school holidays, week numbers, `||`, additional rules and comments are refused with an
/// `OpeningHoursError` naming the rule and the token.
public struct OpeningHours: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The normalised text: one space between parts, `; ` between rules, `closed` written `off`.
    public let text: String
    let rules: [Rule]

    /// Parses `text`, or throws an error naming the rule (1-based), the token and what was expected.
    public init(_ text: String) throws(OpeningHoursError) {
        rules = try OpeningHoursParser.parse(text)
        self.text = rules.map(\.text).joined(separator: "; ")
    }

    public var description: String { text }

    /// Decodes from a plain JSON string; an invalid value fails with the parser's message.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        do {
            try self.init(raw)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes as the normalised text, a plain JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    /// Two values are equal when their normalised texts are.
    public static func == (a: OpeningHours, b: OpeningHours) -> Bool { a.text == b.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    // MARK: Evaluation

    /// Whether the place is open at `date` (Paris wall-clock time, so DST is handled).
    public func isOpen(at date: Date) -> Bool { isOpen(at: ParisMoment(date)) }

    /// Whether the place is open at `moment`: the fast form for many places at one instant.
    public func isOpen(at moment: ParisMoment) -> Bool {
        let minute = moment.minute
        return schedule(on: moment.day, holiday: moment.holiday).spans.contains { $0.open <= minute && minute < $0.close }
    }

    /// The time spans ("08:30", "12:30") of the Paris calendar day `day` falls on; empty when closed.
    /// A span ending at midnight closes at "24:00".
    public func spans(on day: Date) -> [(open: String, close: String)] {
        schedule(on: ParisTime.civilDay(of: day)).spans.map { ($0.openText, $0.closeText) }
    }

    /// Hours open in an ordinary week: public holidays and dated rules are ignored. This is the
    /// figure charter checks ("at least 20 h a week") and coverage capacity use.
    public func weeklyHours() -> Double {
        let minutes = (1...7).reduce(0) { total, weekday in
            total + decide(weekday: weekday, day: nil, holiday: nil).spans.reduce(0) { $0 + $1.close - $1.open }
        }
        return Double(minutes) / 60
    }

    /// The first instant after `date` at which the place opens or closes, looking up to two years
    /// ahead; nil if nothing changes in that time (e.g. `24/7`).
    public func nextChange(after date: Date) -> Date? {
        let wasOpen = isOpen(at: date)
        let first = ParisTime.civilDay(of: date)
        for offset in 0...731 {
            let day = first.adding(days: offset)
            let spans = schedule(on: day).spans
            for minute in Set(spans.flatMap { [$0.open, $0.close] }).sorted() {
                let instant = ParisTime.instant(day, minute: minute)
                if instant > date, isOpen(at: instant) != wasOpen { return instant }
            }
        }
        return nil
    }

    /// A French line for the public page, e.g. "Ouvert aujourd'hui : 08:30–12:30, 13:30–17:00" or
    /// "Fermé aujourd'hui (jour férié : Fête nationale)". `dayLabel` names the day shown
    /// ("aujourd'hui", "demain", "le 14 juillet").
    public func frenchDescription(on day: Date, dayLabel: String = "aujourd'hui") -> String {
        frenchDescription(on: ParisMoment(day), dayLabel: dayLabel)
    }

    /// The same line for the Paris day of `moment`.
    public func frenchDescription(on moment: ParisMoment, dayLabel: String = "aujourd'hui") -> String {
        let s = schedule(on: moment.day, holiday: moment.holiday)
        if s.spans.isEmpty {
            switch s.reason {
            case .holiday(let name): return "Fermé \(dayLabel) (jour férié : \(name))"
            case .exception: return "Fermé \(dayLabel) (fermeture exceptionnelle)"
            case .regular, .noRule: return "Fermé \(dayLabel)"
            }
        }
        if s.spans == [Span(open: 0, close: 1440)] { return "Ouvert \(dayLabel) 24 h/24" }
        let times = s.times
        switch s.reason {
        case .holiday(let name): return "Ouvert \(dayLabel) (jour férié : \(name)) : \(times)"
        case .exception: return "Ouvert \(dayLabel) (horaires exceptionnels) : \(times)"
        case .regular, .noRule: return "Ouvert \(dayLabel) : \(times)"
        }
    }

    /// What a given day looks like and which kind of rule decided it.
    struct DaySchedule: Equatable {
        enum Reason: Equatable {
            case noRule, regular, exception
            case holiday(String)
        }
        var spans: [Span]
        var reason: Reason
        /// The spans in French, "08:30–12:30, 13:30–17:00", written once per rule at parse time.
        var times = ""
    }

    func schedule(on day: CivilDate) -> DaySchedule {
        schedule(on: day, holiday: FrenchPublicHolidays.name(of: day))
    }

    /// `holiday` is the day's public holiday, already looked up.
    func schedule(on day: CivilDate, holiday: String?) -> DaySchedule {
        decide(weekday: day.weekday, day: day, holiday: holiday)
    }

    /// The last rule selecting the day wins. With `day` nil (a typical week), rules with dates
    /// or matching only through `PH` never select.
    private func decide(weekday: Int, day: CivilDate?, holiday: String?) -> DaySchedule {
        for rule in rules.reversed() {
            guard let via = rule.selects(weekday: weekday, day: day, holiday: holiday) else { continue }
            let reason: DaySchedule.Reason = switch via {
            case .dates: .exception
            case .publicHoliday: .holiday(holiday ?? "")
            case .weekday, .everyDay: .regular
            }
            return DaySchedule(spans: rule.spans, reason: reason, times: rule.frenchTimes)
        }
        return DaySchedule(spans: [], reason: .noRule)
    }
}

/// Why an `opening_hours` value was refused: the rule (1-based), its text, the token and the rule broken.
public struct OpeningHoursError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 1-based index of the rule at fault, counting `;`-separated rules.
    public let ruleIndex: Int
    /// The rule's text as given, trimmed.
    public let rule: String
    /// The offending token (a whitespace- or comma-delimited piece of the rule); empty for an empty rule.
    public let token: String
    /// What is wrong and, where it helps, what to write instead.
    public let problem: String

    public init(ruleIndex: Int, rule: String, token: String, problem: String) {
        self.ruleIndex = ruleIndex
        self.rule = rule
        self.token = token
        self.problem = problem
    }

    public var description: String {
        let head = "rule \(ruleIndex) (\"\(rule)\"): "
        return token.isEmpty ? head + problem : head + "\"\(token)\" " + problem
    }
}

// MARK: Parsed form

/// A time span within one day, in minutes since midnight; `close` may be 1440 (24:00).
struct Span: Hashable, Sendable {
    var open: Int
    var close: Int

    var openText: String { Span.format(open) }
    var closeText: String { Span.format(close) }
    static func format(_ m: Int) -> String {
        let h = m / 60, mm = m % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (mm < 10 ? "0" : "") + String(mm)
    }
}

/// One `;`-separated rule: which days it selects and their spans (empty for `off`).
struct Rule: Hashable, Sendable {
    /// Date ranges; empty means any date.
    var dates: [DateRange]
    /// Weekday items; empty means any weekday.
    var weekdays: [WeekdayItem]
    /// Sorted, non-overlapping spans; empty when the rule says `off`.
    let spans: [Span]
    /// Canonical text of the rule.
    var text: String
    /// The spans as the public page shows them: "08:30–12:30, 13:30–17:00".
    let frenchTimes: String

    init(dates: [DateRange], weekdays: [WeekdayItem], spans: [Span], text: String) {
        self.dates = dates
        self.weekdays = weekdays
        self.spans = spans
        self.text = text
        frenchTimes = spans.map { "\($0.openText)–\($0.closeText)" }.joined(separator: ", ")
    }

    enum Selection { case everyDay, weekday, publicHoliday, dates }

    /// How the rule selects the day, or nil if it does not. `day` nil stands for a typical week.
    func selects(weekday: Int, day: CivilDate?, holiday: String?) -> Selection? {
        if !dates.isEmpty {
            guard let day, dates.contains(where: { $0.contains(day) }) else { return nil }
        }
        var via: Selection = dates.isEmpty ? .everyDay : .dates
        if !weekdays.isEmpty {
            let byWeekday = weekdays.contains { if case .days(let set) = $0 { set.contains(weekday) } else { false } }
            let byHoliday = holiday != nil && weekdays.contains(.publicHoliday)
            guard byWeekday || byHoliday else { return nil }
            if dates.isEmpty { via = byHoliday ? .publicHoliday : .weekday }
        }
        return via
    }
}

/// An item of a weekday selector: a day or a range of days (1 = Monday), or `PH`.
enum WeekdayItem: Hashable, Sendable {
    case days(Set<Int>)
    case publicHoliday
}

/// A date or a range of dates, either in one year or recurring every year.
struct DateRange: Hashable, Sendable {
    /// First and last day, as yyyymmdd (dated) or mmdd (every year), inclusive.
    var from: Int
    var to: Int
    var everyYear: Bool

    func contains(_ d: CivilDate) -> Bool {
        if everyYear {
            let k = d.month * 100 + d.day
            return from <= to ? (from <= k && k <= to) : (k >= from || k <= to)
        }
        let k = d.year * 10_000 + d.month * 100 + d.day
        return from <= k && k <= to
    }
}
