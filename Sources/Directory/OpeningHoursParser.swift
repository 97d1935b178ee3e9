import Foundation

/// Reads the supported subset of OSM `opening_hours` (see `OpeningHours`) into rules.
/// Keywords are matched case-insensitively and rewritten in their usual case; an en dash counts
/// as "-"; one trailing ";" is tolerated. Everything else unknown is refused, never guessed.
enum OpeningHoursParser {
    static let weekdayNames = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    /// The names in lower case, as word tokens are compared (`Token.folded`).
    static let foldedWeekdays = weekdayNames.map { $0.lowercased() }
    static let foldedMonths = monthNames.map { $0.lowercased() }

    static func parse(_ text: String) throws(OpeningHoursError) -> [Rule] {
        var pieces = split(text)
        if pieces.count > 1, pieces.last?.text == "" { pieces.removeLast() }
        var rules: [Rule] = []
        for (i, piece) in pieces.enumerated() {
            guard !piece.text.isEmpty else {
                let problem = pieces.count == 1
                    ? "the value is empty; write e.g. \"Mo-Fr 09:00-12:00,14:00-17:00; PH off\""
                    : "the rule is empty (two \";\" in a row?)"
                throw OpeningHoursError(ruleIndex: i + 1, rule: piece.text, token: "", problem: problem)
            }
            var parser = RuleParser(index: i + 1, text: piece.text)
            var rule = try parser.parse()
            rule.additional = piece.additional && i > 0
            rules.append(rule)
        }
        return rules
    }

    /// Cuts the value into rules at `;` and at `, ` before something other than a time (an additional
    /// rule), never inside a quoted comment.
    static func split(_ text: String) -> [(text: String, additional: Bool)] {
        let chars = Array(text)
        var out: [(text: String, additional: Bool)] = []
        var start = 0, additional = false, quoted = false
        func cut(_ end: Int) {
            out.append((String(chars[start..<end]).trimmingCharacters(in: .whitespacesAndNewlines), additional))
        }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\"" { quoted.toggle() }
            if !quoted, c == ";" {
                cut(i); start = i + 1; additional = false
            } else if !quoted, c == ",", i + 1 < chars.count, chars[i + 1].isWhitespace {
                var k = i + 1
                while k < chars.count, chars[k].isWhitespace { k += 1 }
                if k < chars.count, !(chars[k].isASCII && chars[k].isNumber) {
                    cut(i); start = i + 1; additional = true
                }
            }
            i += 1
        }
        cut(chars.count)
        return out
    }
}

/// A lexical token of one rule, with its place in the rule's characters.
private struct Token {
    enum Kind { case word, number, time, dash, comma, comment, other }
    var kind: Kind
    var text: String
    var start: Int
    var end: Int
    /// A word in lower case, compared with keywords once per token rather than case-insensitively per
    /// keyword (Foundation's comparison was most of a parse); empty for other kinds.
    var folded = ""
}

private struct RuleParser {
    let index: Int
    let text: String
    let chars: [Character]
    let tokens: [Token]
    var pos = 0

    init(index: Int, text: String) {
        self.index = index
        self.text = text
        chars = Array(text)
        tokens = RuleParser.lex(chars)
    }

    static func lex(_ chars: [Character]) -> [Token] {
        var out: [Token] = []
        var i = 0
        func run(_ kind: Token.Kind, while ok: (Character) -> Bool) {
            let start = i
            while i < chars.count, ok(chars[i]) { i += 1 }
            out.append(Token(kind: kind, text: String(chars[start..<i]), start: start, end: i))
        }
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace {
                i += 1
            } else if c == "\"" {
                let start = i
                i += 1
                while i < chars.count, chars[i] != "\"" { i += 1 }
                let closed = i < chars.count
                if closed { i += 1 }
                out.append(Token(kind: closed ? .comment : .other, text: closed ? String(chars[start..<i]) : "\"", start: start, end: i))
            } else if c.isASCII, c.isNumber {
                run(.number) { $0.isASCII && ($0.isNumber || $0 == ":") }
                if out[out.count - 1].text.contains(":") { out[out.count - 1].kind = .time }
            } else if c.isLetter {
                run(.word) { $0.isLetter }
                out[out.count - 1].folded = out[out.count - 1].text.lowercased()
            } else {
                let kind: Token.Kind = switch c {
                case "-", "\u{2013}", "\u{2014}": .dash
                case ",": .comma
                default: .other
                }
                out.append(Token(kind: kind, text: kind == .dash ? "-" : String(c), start: i, end: i + 1))
                i += 1
            }
        }
        return out
    }

    // MARK: Helpers

    var current: Token? { pos < tokens.count ? tokens[pos] : nil }
    func peek(_ offset: Int) -> Token? { pos + offset < tokens.count ? tokens[pos + offset] : nil }

    /// The whitespace- or comma-delimited piece of the rule around a token, as written.
    func piece(_ t: Token) -> String {
        let stop: (Character) -> Bool = { $0.isWhitespace || $0 == "," }
        var a = t.start, b = t.end
        while a > 0, !stop(chars[a - 1]) { a -= 1 }
        while b < chars.count, !stop(chars[b]) { b += 1 }
        return String(chars[a..<b])
    }

    /// The rule's text from the start of one token to the end of another.
    func source(_ from: Token, _ to: Token) -> String { String(chars[from.start..<to.end]) }

    func fail(_ token: String, _ problem: String) -> OpeningHoursError {
        OpeningHoursError(ruleIndex: index, rule: text, token: token, problem: problem)
    }

    static func weekday(_ t: Token?) -> Int? {
        guard let t, t.kind == .word else { return nil }
        return OpeningHoursParser.foldedWeekdays.firstIndex(of: t.folded).map { $0 + 1 }
    }

    static func month(_ t: Token?) -> Int? {
        guard let t, t.kind == .word else { return nil }
        return OpeningHoursParser.foldedMonths.firstIndex(of: t.folded).map { $0 + 1 }
    }

    /// Whether `t` is the keyword `w` (given in lower case), in any case.
    static func isWord(_ t: Token?, _ w: String) -> Bool {
        guard let t, t.kind == .word else { return false }
        return t.folded == w
    }

    static func isYear(_ t: Token?) -> Bool { t?.kind == .number && t?.text.count == 4 }
    static func isDayNumber(_ t: Token?) -> Bool { t?.kind == .number && (1...2).contains(t?.text.count ?? 0) }
    static func startsDate(_ t: Token?) -> Bool { isYear(t) || month(t) != nil || isWord(t, "easter") }
    static func startsWeekdays(_ t: Token?) -> Bool { weekday(t) != nil || isWord(t, "ph") }

    // MARK: Rule

    mutating func parse() throws(OpeningHoursError) -> Rule {
        if text == "24/7" {
            return Rule(additional: false, dates: [], weeks: [], weekdays: [], spans: [Span(open: 0, close: 1440)],
                        kind: .open, comment: "", text: "24/7")
        }
        var parts: [String] = []
        var dates: [DateItem] = []
        var weeks: [WeekRange] = []
        var weekdays: [WeekdayItem] = []
        if Self.startsDate(current) {
            let (d, t) = try parseDates()
            dates = d
            parts.append(t)
        }
        if Self.isWord(current, "week") {
            let (w, t) = try parseWeeks()
            weeks = w
            parts.append(t)
        }
        if Self.startsWeekdays(current) {
            var (w, t) = try parseWeekdays()
            // "PH Mo-Fr" and "Mo-Fr PH": a holiday list and a weekday list, either of which selects the day.
            let onlyHolidays = w.allSatisfy { $0 == .publicHoliday }
            if Self.startsWeekdays(current), onlyHolidays != Self.isWord(current, "ph") {
                let (more, moreText) = try parseWeekdays()
                if more.allSatisfy({ $0 == .publicHoliday }) == onlyHolidays {
                    throw fail(moreText, "starts a second weekday list: write one list, e.g. \"Mo-Fr,Sa\", or separate rules with \";\"")
                }
                w += more
                t += " " + moreText
            }
            weekdays = w
            parts.append(t)
        }
        let hasSelectors = !parts.isEmpty
        var spans: [Span]?
        var kind: OpeningState = .open
        var comment = ""
        var hasModifier = false
        if let t = current, t.kind == .time {
            let (s, text) = try parseSpans()
            spans = s
            parts.append(text)
        }
        if let t = current, t.kind == .word, let k = Self.state(t) {
            pos += 1
            kind = k
            hasModifier = true
            parts.append(k == .closed ? "off" : k.rawValue)
        }
        if let t = current, t.kind == .comment {
            pos += 1
            comment = String(t.text.dropFirst().dropLast())
            hasModifier = true
            parts.append(t.text)
        }
        if spans == nil && !hasModifier {
            guard let t = current else {
                throw fail(piece(tokens[tokens.count - 1]), "is not followed by a time range HH:MM-HH:MM or \"off\"")
            }
            throw unexpected(t, hasSelectors: hasSelectors)
        }
        if let extra = current {
            throw trailing(extra, after: hasModifier ? "the rule's state or comment" : "the time ranges")
        }
        return Rule(additional: false, dates: dates, weeks: weeks, weekdays: weekdays, spans: spans, kind: kind,
                    comment: comment, text: parts.joined(separator: " "))
    }

    static func state(_ t: Token) -> OpeningState? {
        switch t.text.lowercased() {
        case "open": .open
        case "off", "closed": .closed
        case "unknown": .unknown
        default: nil
        }
    }

    /// A token where selectors or times were expected: says what it is, or what it is not.
    func unexpected(_ t: Token, hasSelectors: Bool) -> OpeningHoursError {
        let p = piece(t)
        if p == "24/7" { return fail(p, "must be a rule of its own, without selectors or \"off\"") }
        if t.kind == .other {
            let why = switch t.text {
            case "|": "uses \"||\" fallback rules, which are not supported"
            case "\"": "opens a comment that is never closed: end it with \""
            case "[": "selects the nth weekday of a month: write it right after a weekday, e.g. \"Mo[1]\" or \"Fr[-1]\""
            case "+": "has an open end (\"+\"), which is not supported: give the closing time"
            default: "contains \"\(t.text)\", which is not part of the supported syntax"
            }
            return fail(p, why)
        }
        if t.kind == .word {
            let w = t.text.lowercased()
            if w == "sh" {
                return fail(p, "(school holidays) is not supported; use dated rules such as \"2026 Jul 06-2026 Aug 31\"")
            }
            if ["sunrise", "sunset", "dawn", "dusk"].contains(w) { return fail(p, "(a time by the sun) is not supported") }
            if w == "week" { return fail(p, "comes too late: write week numbers after the dates and before the weekdays") }
            if w == "easter" { return fail(p, "is a date after the weekdays: put dates first, e.g. \"easter off\"") }
            if hasSelectors, Self.startsWeekdays(t) {
                return fail(p, "starts a second weekday list: write one list, e.g. \"Mo-Fr,Sa\", or separate rules with \";\"")
            }
            if hasSelectors, Self.month(t) != nil {
                return fail(p, "is a date after the weekdays: put dates first, e.g. \"Dec 24 Mo-Fr\"")
            }
        }
        if hasSelectors || t.kind == .number {
            return fail(p, "is not a time range HH:MM-HH:MM")
        }
        return fail(p, "is not a weekday (Mo-Su), PH, a date (e.g. \"Dec 24\") or a time range HH:MM-HH:MM")
    }

    func trailing(_ t: Token, after what: String) -> OpeningHoursError {
        if t.kind == .other { return unexpected(t, hasSelectors: true) }
        if t.kind == .comma, let next = peek(1) {
            return fail(piece(next), "follows \(what) after \",\": separate rules with \";\", or with \", \" (a space after the comma) to add to the rule before")
        }
        return fail(piece(t), "follows \(what): separate rules with \";\"")
    }

    // MARK: Times

    mutating func parseSpans() throws(OpeningHoursError) -> ([Span], String) {
        var spans: [Span] = []
        var texts: [String] = []
        while true {
            guard let t1 = current, t1.kind == .time else {
                guard let t = current else { throw fail(",", "ends the time ranges: remove it or add a time range after it") }
                throw fail(piece(t), "after \",\" is not a time range HH:MM-HH:MM"
                           + (t.kind == .word ? "; separate rules with \";\"" : ""))
            }
            let open = try minutes(t1)
            guard peek(1)?.kind == .dash else {
                if let next = peek(1), next.kind == .other { throw unexpected(next, hasSelectors: true) }
                throw fail(piece(t1), "is not a time range HH:MM-HH:MM")
            }
            guard let t2 = peek(2), t2.kind == .time else {
                if let t2 = peek(2), t2.kind != .comma { throw fail(piece(t2), "is not a time range HH:MM-HH:MM") }
                throw fail(source(t1, tokens[pos + 1]), "is an unterminated range: give the closing time HH:MM")
            }
            let close = try minutes(t2)
            let written = source(t1, t2)
            if open >= 1440 { throw fail(written, "opens at \(t1.text); write 00:00 on the next day") }
            if close == open { throw fail(written, "is empty: it closes when it opens") }
            // "22:00-02:00" runs into the next day, as "22:00-26:00" does.
            let end = close < open ? close + 1440 : close
            if end > 2880 { throw fail(written, "ends more than a day after it opens") }
            spans.append(Span(open: open, close: end))
            texts.append(Span.format(open) + "-" + Span.format(close))
            pos += 3
            guard current?.kind == .comma else { break }
            pos += 1
        }
        return (Self.merged(spans), texts.joined(separator: ","))
    }

    /// "HH:MM" to minutes since midnight; up to 48:00 (a closing time the next day).
    func minutes(_ t: Token) throws(OpeningHoursError) -> Int {
        let u = Array(t.text.utf8)
        guard u.count == 5, u[2] == UInt8(ascii: ":"), let h = Int(t.text.prefix(2)), let m = Int(t.text.suffix(2)) else {
            throw fail(t.text, "is not a time HH:MM (two digits each, e.g. 09:00)")
        }
        guard h < 48 && m < 60 || h == 48 && m == 0 else {
            throw fail(t.text, "is not a time of day (00:00 to 24:00, or up to 48:00 for a closing time the next day)")
        }
        return h * 60 + m
    }

    /// Sorted, with overlapping or touching spans joined.
    static func merged(_ spans: [Span]) -> [Span] {
        var out: [Span] = []
        for s in spans.sorted(by: { $0.open < $1.open }) {
            if let last = out.last, s.open <= last.close {
                out[out.count - 1].close = max(last.close, s.close)
            } else {
                out.append(s)
            }
        }
        return out
    }

    // MARK: Weekdays

    mutating func parseWeekdays() throws(OpeningHoursError) -> ([WeekdayItem], String) {
        var items: [WeekdayItem] = []
        var texts: [String] = []
        while true {
            guard let t = current else { throw fail(",", "ends the weekday list: add a weekday after it") }
            if Self.isWord(t, "ph") {
                items.append(.publicHoliday)
                texts.append("PH")
                pos += 1
            } else if let a = Self.weekday(t), peek(1)?.text == "[" {
                pos += 2
                let (nths, nthText) = try parseNth(after: t)
                items.append(.nth(weekday: a, nths))
                texts.append(OpeningHoursParser.weekdayNames[a - 1] + "[" + nthText + "]")
            } else if let a = Self.weekday(t) {
                pos += 1
                var b = a
                if current?.kind == .dash {
                    guard let e = Self.weekday(peek(1)) else {
                        if let next = peek(1), next.kind == .word { throw fail(next.text, "is not a weekday (Mo-Su)") }
                        throw fail(source(t, current!), "is an unterminated range: expected a weekday (Mo-Su) after \"-\"")
                    }
                    b = e
                    pos += 2
                }
                // Ranges may wrap round the week, as OSM allows: "Sa-Mo" is Sa, Su, Mo.
                let days = a <= b ? Array(a...b) : Array(a...7) + Array(1...b)
                items.append(.days(Set(days)))
                let name = { OpeningHoursParser.weekdayNames[$0 - 1] }
                texts.append(a == b ? name(a) : name(a) + "-" + name(b))
            } else {
                throw t.kind == .word && t.text.lowercased() == "sh"
                    ? unexpected(t, hasSelectors: false)
                    : fail(piece(t), "is not a weekday (Mo-Su) or PH")
            }
            guard current?.kind == .comma else { break }
            pos += 1
        }
        return (items, texts.joined(separator: ","))
    }

    /// The inside of `[...]` after a weekday: `1`, `1,3`, `-1`, `1-2`; the position is after "[".
    mutating func parseNth(after weekday: Token) throws(OpeningHoursError) -> (Set<Int>, String) {
        var nths = Set<Int>()
        var texts: [String] = []
        func number(_ t: Token?) -> Int? { t?.kind == .number ? Int(t!.text).flatMap { (1...5).contains($0) ? $0 : nil } : nil }
        while true {
            let bad = fail(piece(weekday), "is not an nth weekday of the month: write e.g. \"Mo[1]\", \"Sa[1,3]\", \"Fr[-1]\" (1 to 5, or -1 to -5 from the end)")
            if current?.kind == .dash {
                guard let n = number(peek(1)) else { throw bad }
                nths.insert(-n); texts.append("-\(n)"); pos += 2
            } else if let a = number(current) {
                pos += 1
                if current?.kind == .dash, let b = number(peek(1)) {
                    guard a <= b else { throw bad }
                    nths.formUnion(a...b); texts.append("\(a)-\(b)"); pos += 2
                } else {
                    nths.insert(a); texts.append("\(a)")
                }
            } else {
                throw bad
            }
            if current?.kind == .comma { pos += 1; continue }
            guard current?.text == "]" else { throw bad }
            pos += 1
            break
        }
        if let t = current, t.text == "+" || (t.kind == .dash && peek(1)?.kind == .number) {
            throw fail(piece(t), "shifts the nth weekday by days, which is not supported: give the dates instead")
        }
        return (nths, texts.joined(separator: ","))
    }

    // MARK: Weeks

    /// `week 01-10`, `week 1,3`, `week 02-52/2`.
    mutating func parseWeeks() throws(OpeningHoursError) -> ([WeekRange], String) {
        let keyword = current!
        pos += 1
        var ranges: [WeekRange] = []
        var texts: [String] = []
        func week(_ t: Token?) -> Int? { t?.kind == .number ? Int(t!.text).flatMap { (1...53).contains($0) ? $0 : nil } : nil }
        while true {
            guard let a = week(current) else {
                throw fail(current.map(piece) ?? keyword.text, "is not a week number (01 to 53), e.g. \"week 01-10\"")
            }
            pos += 1
            var b = a, step = 1
            if current?.kind == .dash {
                guard let e = week(peek(1)) else {
                    throw fail(peek(1).map(piece) ?? "-", "is not a week number (01 to 53), e.g. \"week 01-10\"")
                }
                b = e
                pos += 2
                if current?.text == "/" {
                    guard let t = peek(1), t.kind == .number, let n = Int(t.text), n >= 1 else {
                        throw fail(piece(current!), "is not a step of weeks, e.g. \"week 02-52/2\"")
                    }
                    step = n
                    pos += 2
                }
            }
            ranges.append(WeekRange(from: a, to: b, step: step))
            texts.append(twoDigits(a) + (a == b ? "" : "-" + twoDigits(b)) + (step == 1 ? "" : "/\(step)"))
            guard current?.kind == .comma, week(peek(1)) != nil else { break }
            pos += 1
        }
        return (ranges, "week " + texts.joined(separator: ","))
    }

    // MARK: Dates

    mutating func parseDates() throws(OpeningHoursError) -> ([DateItem], String) {
        var ranges: [DateItem] = []
        var texts: [String] = []
        while true {
            let r: DateItem, text: String
            if Self.isWord(current, "easter") || (Self.isYear(current) && Self.isWord(peek(1), "easter")) {
                (r, text) = try parseEaster()
            } else {
                let (range, t) = try parseDateItem()
                (r, text) = (.range(range), t)
            }
            ranges.append(r)
            texts.append(text)
            guard current?.kind == .comma else { break }
            guard Self.startsDate(peek(1)) else {
                if Self.isDayNumber(peek(1)) {
                    throw fail(piece(peek(1)!),
                               "after \",\" is not a date: repeat the month, e.g. \"Dec 25,Dec 26\", or write \"Dec 25-26\"")
                }
                if let next = peek(1), Self.startsWeekdays(next) {
                    throw fail(next.text,
                               "after \",\" is not a date: separate dates from weekdays with a space, e.g. \"Dec 24 Mo-Fr\"")
                }
                break  // The caller reports what follows the ",".
            }
            pos += 1
        }
        return (ranges, texts.joined(separator: ","))
    }

    /// `[YYYY] easter [+N day(s) | -N day(s)]`.
    mutating func parseEaster() throws(OpeningHoursError) -> (DateItem, String) {
        var year: Int?
        if Self.isYear(current) {
            year = Int(current!.text)!
            pos += 1
        }
        let keyword = current!
        pos += 1
        var offset = 0
        var text = (year.map { "\($0) " } ?? "") + "easter"
        if let sign = current, sign.text == "+" || sign.kind == .dash {
            guard let n = peek(1), n.kind == .number, let days = Int(n.text), Self.isWord(peek(2), "day") || Self.isWord(peek(2), "days") else {
                if sign.kind == .dash, peek(1)?.kind != .number {
                    throw fail(source(keyword, sign), "is a range from Easter, which is not supported: give an offset, e.g. \"easter +1 day\"")
                }
                throw fail(source(keyword, peek(1) ?? sign), "is not an offset from Easter: write e.g. \"easter +1 day\" or \"easter -2 days\"")
            }
            offset = sign.kind == .dash ? -days : days
            pos += 3
            text += " " + (offset < 0 ? "-" : "+") + "\(days) " + (days == 1 ? "day" : "days")
        }
        return (.easter(year: year, offset: offset), text)
    }

    /// `[YYYY] Mon [DD] [- DD | - [YYYY] Mon [DD]]`.
    mutating func parseDateItem() throws(OpeningHoursError) -> (DateRange, String) {
        let first = current!
        let (y1, m1, d1) = try parseDate(first)
        var y2: Int?, m2: Int?, d2: Int?
        var endText: String?
        if current?.kind == .dash {
            let dash = current!
            pos += 1
            let rangeSoFar = source(first, dash)
            guard let t = current else {
                throw fail(rangeSoFar, "is an unterminated range: expected a date after \"-\"")
            }
            if Self.isDayNumber(t), d1 != nil {
                d2 = Int(t.text)
                pos += 1
                endText = twoDigits(d2!)
            } else if Self.startsDate(t) {
                (y2, m2, d2) = try parseDate(t)
                if (d1 == nil) != (d2 == nil) {
                    throw fail(source(first, tokens[pos - 1]),
                               "mixes a whole month and a day: write e.g. \"Jul 01-Aug 15\" or \"Jul-Aug\"")
                }
                endText = dateText(y2, m2!, d2)
            } else {
                let unterminated = t.kind == .time || Self.startsWeekdays(t) || Self.isWord(t, "off") || Self.isWord(t, "closed")
                throw fail(unterminated ? rangeSoFar : rangeSoFar + t.text, unterminated
                           ? "is an unterminated range: expected a date after \"-\""
                           : "is not a date range: expected e.g. \"Aug 01-15\" or \"2026 Aug 01-2026 Aug 15\"")
            }
        }
        let written = source(first, tokens[pos - 1])
        if y1 == nil, y2 != nil {
            throw fail(written, "gives a year at its end only: write the year on both ends, e.g. \"2026 Aug 01-2026 Aug 15\"")
        }
        let endMonth = m2 ?? m1
        // "2026 Dec 24-Jan 02" runs into the next year.
        let endYear = y2 ?? y1.map { endMonth < m1 ? $0 + 1 : $0 }
        let endDay = d2 ?? (endText == nil ? d1 : nil) ?? CivilDate.daysIn(month: endMonth, year: endYear)
        guard endDay <= CivilDate.daysIn(month: endMonth, year: endYear) else { throw fail(written, "is not a valid date") }
        let startKey = m1 * 100 + (d1 ?? 1)
        let endKey = endMonth * 100 + endDay
        let range: DateRange
        if let y1, let endYear {
            let from = y1 * 10_000 + startKey, to = endYear * 10_000 + endKey
            guard from <= to else { throw fail(written, "ends before it starts") }
            range = DateRange(from: from, to: to, everyYear: false)
        } else {
            // Every year; a range may run over the new year ("Dec 24-Jan 02") but not backwards.
            guard endKey >= startKey || endMonth < m1 else { throw fail(written, "ends before it starts") }
            range = DateRange(from: startKey, to: endKey, everyYear: true)
        }
        return (range, dateText(y1, m1, d1) + (endText.map { "-" + $0 } ?? ""))
    }

    /// `[YYYY] Mon [DD]`, checking the day exists (29 February only in leap years, or every year).
    mutating func parseDate(_ first: Token) throws(OpeningHoursError) -> (Int?, Int, Int?) {
        var year: Int?
        if Self.isYear(current) {
            let y = Int(current!.text)!
            guard (1900...2199).contains(y) else { throw fail(current!.text, "is not a plausible year") }
            year = y
            pos += 1
        }
        guard let month = Self.month(current) else {
            // Only a year can get here: a date starts with a year or a month.
            if let t = current, t.kind == .word, !Self.isWord(t, "off"), !Self.isWord(t, "closed"), !Self.startsWeekdays(t) {
                throw fail(t.text, "is not a month (Jan, Feb ... Dec)")
            }
            throw fail(String(year!), "is a year without a month: write e.g. \"2026 Dec 24\"")
        }
        pos += 1
        var day: Int?
        if Self.isDayNumber(current) {
            let d = Int(current!.text)!
            guard d >= 1, d <= CivilDate.daysIn(month: month, year: year) else {
                throw fail(source(first, current!), "is not a valid date")
            }
            day = d
            pos += 1
        }
        return (year, month, day)
    }

    func dateText(_ y: Int?, _ m: Int, _ d: Int?) -> String {
        (y.map { "\($0) " } ?? "") + OpeningHoursParser.monthNames[m - 1] + (d.map { " " + twoDigits($0) } ?? "")
    }

    func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
