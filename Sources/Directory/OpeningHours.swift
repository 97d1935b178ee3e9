import Foundation

/// Opening hours in the OSM `opening_hours` syntax (design §4b), parsed and evaluated on the clock
/// and with the public holidays of a `Territory` (metropolitan France unless told otherwise).
///
/// The syntax and its meaning follow the reference implementations (opening-hours-rs,
/// opening_hours.js): rules separated by `;` (a later rule replaces the days it selects) or `, `
/// (an additional rule, which adds to them); each rule has optional selectors — dates
/// (`2026 Dec 24`, `Dec 24`, `Aug 01-15`, `Jul-Aug`, `easter`, `easter +1 day`), week numbers
/// (`week 01-10`, `week 02-52/2`), weekdays (`Mo-Fr`, `Sa[1,3]`, `Fr[-1]`, `PH`, `PH,Mo-Fr`) — then
/// time spans (`08:30-12:30,13:30-17:00`, spans past midnight `22:00-02:00` or `20:00-26:00`), a
/// state (`open`, `off`/`closed`, `unknown`) and a comment (`"sur rendez-vous"`); or `24/7`.
/// A rule that says `off` with times (`Mo-Fr 12:00-14:00 off`) closes those times only.
/// School holidays, times by the sun, open ends (`+`), `||` fallbacks, offsets from a weekday or a
/// holiday, and selectors without times, state or comment are refused with an `OpeningHoursError`
/// naming the rule and the token.
public struct OpeningHours: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The normalised text: one space between parts, `; ` or `, ` between rules, `closed` written `off`.
    public let text: String
    let rules: [Rule]
    /// Whether some span runs past midnight, so that a day's schedule depends on the day before.
    let overflows: Bool

    /// Parses `text`, or throws an error naming the rule (1-based), the token and what was expected.
    public init(_ text: String) throws(OpeningHoursError) {
        rules = try OpeningHoursParser.parse(text)
        self.text = rules.enumerated().map { ($0.offset == 0 ? "" : $0.element.additional ? ", " : "; ") + $0.element.text }.joined()
        overflows = rules.contains { $0.spans?.contains { $0.close > 1440 } ?? false }
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

    /// Open, closed or unknown at `date`, read on the clock of `territory`.
    public func isOpen(at date: Date, in territory: Territory = .metropole) -> OpeningState {
        isOpen(at: LocalMoment(date, in: territory))
    }

    /// Open, closed or unknown at `moment`: the fast form for many places at one moment.
    public func isOpen(at moment: LocalMoment) -> OpeningState {
        state(DayRef(moment.day, moment.territory, holiday: moment.holiday), minute: moment.minute).kind
    }

    /// The comment in force at `moment` ("sur rendez-vous"), or nil.
    public func comment(at moment: LocalMoment) -> String? {
        let c = state(DayRef(moment.day, moment.territory, holiday: moment.holiday), minute: moment.minute).comment
        return c.isEmpty ? nil : c
    }

    /// The open time spans ("08:30", "12:30") of the local calendar day `day` falls on; empty when closed.
    /// A span ending at midnight closes at "24:00".
    public func spans(on day: Date, in territory: Territory = .metropole) -> [(open: String, close: String)] {
        pieces(DayRef(territory.clock.civilDay(of: day), territory)).filter { $0.kind == .open }
            .map { (Span.format($0.start), Span.format($0.end)) }
    }

    /// Hours open in an ordinary week: public holidays, dated rules, week numbers and nth weekdays
    /// are ignored. This is the figure charter checks ("at least 20 h a week") and coverage capacity use.
    public func weeklyHours() -> Double {
        let minutes = (1...7).reduce(0) { total, weekday in
            total + pieces(DayRef(typical: weekday)).reduce(0) { $0 + ($1.kind == .open ? $1.end - $1.start : 0) }
        }
        return Double(minutes) / 60
    }

    /// The first instant after `date` at which the state (open, closed, unknown, or the comment) changes,
    /// on the clock of `territory`, looking up to two years ahead; nil if nothing changes in that time.
    public func nextChange(after date: Date, in territory: Territory = .metropole) -> Date? {
        let clock = territory.clock
        let (first, minute) = clock.local(date)
        let current = state(DayRef(first, territory), minute: minute)
        for offset in 0...731 {
            let day = first.adding(days: offset)
            let ps = pieces(DayRef(day, territory))
            for m in Set([0] + ps.flatMap { [$0.start, $0.end] }).sorted() where m < 1440 {
                let instant = clock.instant(day, minute: m)
                if instant > date, Self.state(ps, minute: m) != current { return instant }
            }
        }
        return nil
    }

    /// The next change after a wall-clock moment, as a wall-clock day and minute, with the state it starts.
    func nextChange(after moment: LocalMoment) -> (day: CivilDate, minute: Int, state: Piece)? {
        let current = state(DayRef(moment.day, moment.territory, holiday: moment.holiday), minute: moment.minute)
        for offset in 0...731 {
            let day = moment.day.adding(days: offset)
            let ps = pieces(DayRef(day, moment.territory))
            for m in Set([0] + ps.flatMap { [$0.start, $0.end] }).sorted() where m < 1440 && (offset > 0 || m > moment.minute) {
                let s = Self.state(ps, minute: m)
                if s != current { return (day, m, s) }
            }
        }
        return nil
    }

    /// A day as the evaluator sees it: the calendar day (nil for a typical week), its weekday and
    /// whether it is a public holiday of its territory.
    struct DayRef {
        var day: CivilDate?
        var weekday: Int
        var holiday: String?
        var territory: Territory

        init(_ day: CivilDate, _ territory: Territory, holiday: String?? = nil) {
            self.day = day
            weekday = day.weekday
            self.holiday = holiday ?? FrenchPublicHolidays.name(of: day, in: territory)
            self.territory = territory
        }

        init(typical weekday: Int) {
            self.weekday = weekday
            territory = .metropole
        }

        var previous: DayRef {
            if let day { return DayRef(day.adding(days: -1), territory) }
            return DayRef(typical: weekday == 1 ? 7 : weekday - 1)
        }
    }

    /// The state at a minute of a day: the piece covering it, or closed without comment.
    func state(_ ref: DayRef, minute: Int) -> Piece { Self.state(pieces(ref), minute: minute) }

    static func state(_ pieces: [Piece], minute: Int) -> Piece {
        pieces.first { $0.start <= minute && minute < $0.end } ?? Piece(start: minute, end: minute + 1, kind: .closed, comment: "")
    }

    /// The day's schedule as opening-hours-rs builds it: a `;` rule of kind open or unknown that selects
    /// the day replaces what came before; `, ` rules and `off` rules are laid over it; a span past
    /// midnight reaches into the next day. Closed pieces without a comment are then dropped.
    func pieces(_ ref: DayRef) -> [Piece] {
        let yesterday = overflows ? ref.previous : nil
        var previous: [Piece]?
        for rule in rules {
            let matches = rule.selects(ref)
            let current = rule.schedule(today: matches, yesterday: yesterday.map(rule.selects) ?? false)
            if !rule.additional && rule.kind != .closed {
                previous = matches ? current : (previous.flatMap { Piece.isAlwaysClosedWithoutComment($0) ? nil : $0 } ?? current)
            } else if let p = previous, let c = current {
                previous = Piece.addition(p, c)
            } else {
                previous = previous ?? current
            }
        }
        return (previous ?? []).filter { $0.kind != .closed || !$0.comment.isEmpty }
    }

    /// The last rule that selects the day, which the French description names the day by.
    func decidingRule(_ ref: DayRef) -> Rule? { rules.last { $0.selects(ref) } }

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

/// Whether a place is open, closed, or says its hours are unknown (`unknown`).
public enum OpeningState: String, Sendable, Hashable {
    case open, closed, unknown
}

/// A time span, in minutes since the start of its day; `close` may run past midnight, up to 2880 (48:00).
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

/// A piece of one day's schedule, within 0...1440, with its state and comment.
struct Piece: Hashable, Sendable {
    var start: Int
    var end: Int
    var kind: OpeningState
    var comment: String

    /// Two pieces in force are the same state when kind and comment agree (the bounds do not matter).
    static func == (a: Piece, b: Piece) -> Bool { a.kind == b.kind && a.comment == b.comment }
    func hash(into hasher: inout Hasher) { hasher.combine(kind); hasher.combine(comment) }

    static func isAlwaysClosedWithoutComment(_ s: [Piece]) -> Bool { s.allSatisfy { $0.kind == .closed && $0.comment.isEmpty } }

    /// Sorted, overlapping or touching ranges joined, all of one kind.
    static func from(_ ranges: [(Int, Int)], kind: OpeningState, comment: String) -> [Piece] {
        var out: [Piece] = []
        for (a, b) in ranges.filter({ $0.0 < $0.1 }).sorted(by: { $0.0 < $1.0 }) {
            if let last = out.last, last.end >= a {
                out[out.count - 1].end = max(last.end, b)
            } else {
                out.append(Piece(start: a, end: b, kind: kind, comment: comment))
            }
        }
        return out
    }

    /// `other` laid over `base`: where they overlap, `other` wins.
    static func addition(_ base: [Piece], _ other: [Piece]) -> [Piece] {
        other.reduce(base) { insert($1, into: $0) }
    }

    static func insert(_ p: Piece, into s: [Piece]) -> [Piece] {
        var out: [Piece] = []
        for q in s where q.start < p.start {
            out.append(Piece(start: q.start, end: min(q.end, p.start), kind: q.kind, comment: q.comment))
        }
        out.append(p)
        for q in s where q.end > p.end {
            out.append(Piece(start: max(q.start, p.end), end: q.end, kind: q.kind, comment: q.comment))
        }
        out.sort { $0.start < $1.start }
        var merged: [Piece] = []
        for q in out {
            if let last = merged.last, last.end == q.start, last == q {
                merged[merged.count - 1].end = q.end
            } else {
                merged.append(q)
            }
        }
        return merged
    }
}

/// One rule: which days it selects, its spans (nil for the whole day), its state and comment.
struct Rule: Hashable, Sendable {
    /// Written after `, `: adds to the rules before it instead of replacing them.
    var additional: Bool
    /// Date items; empty means any date.
    var dates: [DateItem]
    /// ISO week ranges; empty means any week.
    var weeks: [WeekRange]
    /// Weekday items; empty means any weekday.
    var weekdays: [WeekdayItem]
    /// Sorted, non-overlapping spans; nil for the whole day.
    var spans: [Span]?
    var kind: OpeningState
    var comment: String
    /// Canonical text of the rule.
    var text: String

    /// Whether the rule selects the day. A typical day (no date) is selected only through weekdays.
    func selects(_ ref: OpeningHours.DayRef) -> Bool {
        if !dates.isEmpty {
            guard let day = ref.day, dates.contains(where: { $0.contains(day) }) else { return false }
        }
        if !weeks.isEmpty {
            guard let day = ref.day, weeks.contains(where: { $0.contains(day.isoWeek) }) else { return false }
        }
        if !weekdays.isEmpty {
            return weekdays.contains { item in
                switch item {
                case .days(let set): set.contains(ref.weekday)
                case .publicHoliday: ref.holiday != nil
                case .nth(let weekday, let nths):
                    if let day = ref.day, day.weekday == weekday {
                        nths.contains((day.day - 1) / 7 + 1)
                            || nths.contains(-((CivilDate.daysIn(month: day.month, year: day.year) - day.day) / 7 + 1))
                    } else { false }
                }
            }
        }
        return true
    }

    /// The rule's pieces on a day it selects (`today`) and those reaching in from the day before it
    /// selected (`yesterday`); nil when it selects neither.
    func schedule(today: Bool, yesterday: Bool) -> [Piece]? {
        let ranges = spans?.map { ($0.open, $0.close) } ?? [(0, 1440)]
        let fromToday = today ? Piece.from(ranges.map { ($0.0, min($0.1, 1440)) }, kind: kind, comment: comment) : nil
        let fromYesterday = yesterday
            ? Piece.from(ranges.filter { $0.1 > 1440 }.map { (max($0.0 - 1440, 0), $0.1 - 1440) }, kind: kind, comment: comment) : nil
        if let fromToday, let fromYesterday { return Piece.addition(fromToday, fromYesterday) }
        return fromToday ?? fromYesterday
    }
}

/// An item of a weekday selector: days (1 = Monday), the nth weekdays of the month (1...5 from the
/// start, -1...-5 from the end), or `PH`.
enum WeekdayItem: Hashable, Sendable {
    case days(Set<Int>)
    case nth(weekday: Int, Set<Int>)
    case publicHoliday
}

/// A range of ISO week numbers with a step (`week 02-52/2`).
struct WeekRange: Hashable, Sendable {
    var from: Int
    var to: Int
    var step: Int

    func contains(_ week: Int) -> Bool {
        from <= to ? (from <= week && week <= to && (week - from) % step == 0)
                   : ((week >= from || week <= to) && ((week - from + 53) % 53) % step == 0)
    }
}

/// A date item: a date or a range of dates (in one year or every year), or Easter with an offset in days.
enum DateItem: Hashable, Sendable {
    case range(DateRange)
    case easter(year: Int?, offset: Int)

    func contains(_ d: CivilDate) -> Bool {
        switch self {
        case .range(let r): return r.contains(d)
        case .easter(let year, let offset):
            if let year, year != d.year, year != d.year + 1, year != d.year - 1 { return false }
            // The offset may move the day into the year before or after Easter's.
            for y in [d.year - 1, d.year, d.year + 1] where year == nil || year == y {
                let e = FrenchPublicHolidays.easterSunday(in: y)
                if CivilDate(year: y, month: e.month, day: e.day).adding(days: offset) == d { return true }
            }
            return false
        }
    }
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

extension CivilDate {
    /// ISO 8601 week number (1...53): the week with the year's first Thursday is week 1.
    var isoWeek: Int {
        let thursday = adding(days: 4 - weekday)
        let jan1 = CivilDate(year: thursday.year, month: 1, day: 1)
        return (thursday.dayNumber - jan1.dayNumber) / 7 + 1
    }
}
