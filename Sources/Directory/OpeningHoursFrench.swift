import Foundation

/// Opening hours told in French for people (issue 15, item 3): no OSM syntax reaches a public page.
extension OpeningHours {
    static let weekdayNamesFR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    static let monthNamesFR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                               "septembre", "octobre", "novembre", "décembre"]

    /// "8 h 30", "12 h", "minuit".
    static func frenchTime(_ minute: Int) -> String {
        let m = minute % 1440
        if m == 0 { return "minuit" }
        let h = m / 60, mm = m % 60
        return mm == 0 ? "\(h) h" : (mm < 10 ? "\(h) h 0\(mm)" : "\(h) h \(mm)")
    }

    /// "de 8 h 30 à 12 h et de 13 h 30 à 17 h 30".
    static func frenchSpans(_ spans: [(Int, Int)]) -> String {
        spans.map { "de \(frenchTime($0.0)) à \(frenchTime($0.1))" }.joined(separator: " et ")
    }

    /// "1er janvier", "24 décembre".
    static func frenchDate(month: Int, day: Int) -> String {
        (day == 1 ? "1er" : "\(day)") + " " + monthNamesFR[month - 1]
    }

    /// The whole week in words, then holidays and dated exceptions: "Du lundi au jeudi de 8 h 30 à 12 h
    /// et de 13 h 30 à 17 h 30 ; le vendredi de 8 h 30 à 12 h ; fermé les jours fériés ; fermé le 24 décembre".
    public func frenchWeek() -> String {
        if rules.count == 1, rules[0].text == "24/7" { return "Ouvert 24 h/24, 7 j/7" }
        // An ordinary week: days with the same schedule run together.
        let days = (1...7).map { weekday in pieces(DayRef(typical: weekday)) }
        var parts: [String] = []
        var start = 0
        while start < 7 {
            var end = start
            while end + 1 < 7, days[end + 1] == days[start], zip(days[end + 1], days[start]).allSatisfy({ $0.start == $1.start && $0.end == $1.end }) {
                end += 1
            }
            if !days[start].isEmpty {
                let names = Self.weekdayNamesFR
                let when = switch end - start {
                case 0: "le \(names[start])"
                case 1: "le \(names[start]) et le \(names[end])"
                default: "du \(names[start]) au \(names[end])"
                }
                parts.append(when + " " + Self.frenchPieces(days[start]))
            }
            start = end + 1
        }
        if parts.isEmpty && !rules.contains(where: { $0.dates.isEmpty && $0.weeks.isEmpty && $0.kind != .closed }) {
            parts.append("fermé")
        }
        // What an ordinary week does not show: holidays, nth weekdays, weeks and dates.
        for rule in rules where !rule.dates.isEmpty || !rule.weeks.isEmpty
            || rule.weekdays.contains(where: { if case .days = $0 { false } else { true } }) {
            parts.append(Self.frenchSpecial(rule))
        }
        let text = parts.joined(separator: " ; ")
        return text.prefix(1).uppercased() + text.dropFirst()
    }

    /// The pieces of one day: "de 9 h à 12 h", "horaires à confirmer", "de 9 h à 12 h (sur rendez-vous)".
    static func frenchPieces(_ pieces: [Piece]) -> String {
        var groups: [(Piece, [(Int, Int)])] = []
        for p in pieces {
            if let i = groups.firstIndex(where: { $0.0 == p }) { groups[i].1.append((p.start, p.end)) } else { groups.append((p, [(p.start, p.end)])) }
        }
        return groups.map { p, spans in
            let wholeDay = spans.count == 1 && spans[0] == (0, 1440)
            let times = wholeDay ? "toute la journée" : frenchSpans(spans)
            let what = switch p.kind {
            case .open: times
            case .unknown: wholeDay ? "horaires à confirmer" : times + " (horaires à confirmer)"
            case .closed: "fermé " + times
            }
            return p.comment.isEmpty ? what : what + " (\(p.comment))"
        }.joined(separator: ", ")
    }

    /// A rule outside the ordinary week in words: "fermé les jours fériés", "le 1er samedi du mois de 9 h à 12 h".
    static func frenchSpecial(_ rule: Rule) -> String {
        var when: [String] = []
        if !rule.dates.isEmpty { when.append(rule.dates.map(frenchDateItem).joined(separator: ", ")) }
        if !rule.weeks.isEmpty {
            when.append(rule.weeks.map { w in
                (w.from == w.to ? "la semaine \(w.from)" : "les semaines \(w.from) à \(w.to)") + (w.step > 1 ? " (une sur \(w.step))" : "")
            }.joined(separator: ", "))
        }
        if !rule.weekdays.isEmpty {
            when.append(rule.weekdays.map { item -> String in
                switch item {
                case .publicHoliday: return "les jours fériés"
                case .days(let set):
                    let names = set.sorted().map { weekdayNamesFR[$0 - 1] }
                    return "le " + names.joined(separator: ", le ")
                case .nth(let weekday, let nths):
                    let ordinals = nths.sorted { ($0 < 0 ? 10 - $0 : $0) < ($1 < 0 ? 10 - $1 : $1) }.map { n -> String in
                        switch n {
                        case 1: "1er"
                        case -1: "dernier"
                        case let n where n < 0: "\(-n)e avant-dernier".replacingOccurrences(of: "2e avant-dernier", with: "avant-dernier")
                        default: "\(n)e"
                        }
                    }
                    return "le " + ordinals.joined(separator: " et ") + " " + weekdayNamesFR[weekday - 1] + " du mois"
                }
            }.joined(separator: " et "))
        }
        let spans = rule.spans?.map { ($0.open, $0.close) }
        let times = spans.map(frenchSpans)
        var what: String
        switch rule.kind {
        case .closed: what = "fermé " + when.joined(separator: " ") + (times.map { " " + $0 } ?? "")
        case .open: what = (times == nil && rule.comment.isEmpty ? "ouvert " : "") + when.joined(separator: " ") + (times.map { " " + $0 } ?? "")
        case .unknown: what = when.joined(separator: " ") + (times.map { " " + $0 } ?? "") + " : horaires à confirmer"
        }
        if !rule.comment.isEmpty { what += " (\(rule.comment))" }
        return what
    }

    static func frenchDateItem(_ item: DateItem) -> String {
        switch item {
        case .easter(let year, let offset):
            let base = switch offset {
            case 0: "le dimanche de Pâques"
            case 1: "le lundi de Pâques"
            case -2: "le vendredi saint"
            case let n where n > 0: "\(n) jours après Pâques"
            default: "\(-offset) jours avant Pâques"
            }
            return base + (year.map { " \($0)" } ?? "")
        case .range(let r):
            func split(_ k: Int) -> (y: Int?, m: Int, d: Int) {
                r.everyYear ? (nil, k / 100, k % 100) : (k / 10_000, k / 100 % 100, k % 100)
            }
            let a = split(r.from), b = split(r.to)
            func text(_ x: (y: Int?, m: Int, d: Int), year: Bool) -> String {
                frenchDate(month: x.m, day: x.d) + (year ? x.y.map { " \($0)" } ?? "" : "")
            }
            if r.from == r.to { return "le " + text(a, year: true) }
            // A whole month ("Aug") or months ("Jul-Aug").
            if a.d == 1, b.d == CivilDate.daysIn(month: b.m, year: b.y), b.m != a.m || b.d > 1 {
                let months = a.m == b.m ? "en " + monthNamesFR[a.m - 1] : "de " + monthNamesFR[a.m - 1] + " à " + monthNamesFR[b.m - 1]
                return months + (a.y.map { " \($0)" } ?? "")
            }
            if a.m == b.m, a.y == b.y { return "du " + (a.d == 1 ? "1er" : "\(a.d)") + " au " + text(b, year: true) }
            return "du " + text(a, year: a.y != b.y) + " au " + text(b, year: true)
        }
    }

    /// The description of the local day `date` falls on in `territory`.
    public func frenchDescription(on date: Date, in territory: Territory = .metropole, dayLabel: String = "aujourd'hui") -> String {
        frenchDescription(on: LocalMoment(date, in: territory), dayLabel: dayLabel)
    }

    /// What a day looks like, for the public page: "Ouvert aujourd'hui de 8 h 30 à 12 h 30 et de 13 h 30
    /// à 17 h", "Fermé aujourd'hui (jour férié : Fête nationale)". `dayLabel` names the day shown.
    public func frenchDescription(on moment: LocalMoment, dayLabel: String = "aujourd'hui") -> String {
        let ref = DayRef(moment.day, moment.territory, holiday: moment.holiday)
        let ps = pieces(ref)
        let rule = decidingRule(ref)
        let viaHoliday = moment.holiday != nil && rule?.weekdays.contains(.publicHoliday) == true
        let viaDates = rule.map { !$0.dates.isEmpty } ?? false
        if ps.isEmpty {
            if viaHoliday, let name = moment.holiday { return "Fermé \(dayLabel) (jour férié : \(name))" }
            if viaDates { return "Fermé \(dayLabel) (fermeture exceptionnelle)" }
            return "Fermé \(dayLabel)"
        }
        if ps.count == 1, ps[0].kind == .unknown, ps[0].start == 0, ps[0].end == 1440 {
            return "Horaires à confirmer \(dayLabel)" + (ps[0].comment.isEmpty ? "" : " (\(ps[0].comment))")
        }
        if ps.count == 1, ps[0].kind == .open, ps[0].start == 0, ps[0].end == 1440, ps[0].comment.isEmpty {
            return "Ouvert \(dayLabel) 24 h/24"
        }
        let times = Self.frenchPieces(ps)
        if viaHoliday, let name = moment.holiday { return "Ouvert \(dayLabel) (jour férié : \(name)) \(times)" }
        if viaDates { return "Ouvert \(dayLabel) (horaires exceptionnels) \(times)" }
        return "Ouvert \(dayLabel) \(times)"
    }

    /// The state now and when it changes: "Ouvert jusqu'à 17 h 30", "Fermé, ouvre demain à 9 h",
    /// "Horaires à confirmer", with the comment in force, e.g. "Ouvert jusqu'à 12 h (sur rendez-vous)".
    public func frenchStatus(at moment: LocalMoment) -> String {
        frenchStatus(at: moment, next: nextChange(after: moment))
    }

    /// What the public reads of these hours at `moment` (state, status line, the day's description), with
    /// the minutes of that local day over which the three stay as they are: a server answering many
    /// searches keeps one reading per place until its next change rather than searching that change again.
    public func reading(at moment: LocalMoment) -> HoursReading {
        let next = nextChange(after: moment)
        return HoursReading(span: span(at: moment, next: next), status: frenchStatus(at: moment, next: next),
                            today: frenchDescription(on: moment))
    }

    /// The state at `moment` with the minutes of that local day it lasts (until the next change, or midnight):
    /// what a filter on "open now" keeps per place, so that thousands of places are not evaluated again
    /// for every search of the same minutes.
    public func openSpan(at moment: LocalMoment) -> OpenSpan {
        span(at: moment, next: nextChange(after: moment))
    }

    /// The state at `moment`, lasting until `next` if it falls that day, else until midnight.
    private func span(at moment: LocalMoment, next: (day: CivilDate, minute: Int, state: Piece)?) -> OpenSpan {
        let until = next.map { $0.day == moment.day ? $0.minute : 1440 } ?? 1440
        return OpenSpan(state: isOpen(at: moment), territory: moment.territory, day: moment.day, minutes: moment.minute..<until)
    }

    private func frenchStatus(at moment: LocalMoment, next: (day: CivilDate, minute: Int, state: Piece)?) -> String {
        let ref = DayRef(moment.day, moment.territory, holiday: moment.holiday)
        let now = state(ref, minute: moment.minute)
        let comment = now.comment.isEmpty ? "" : " (\(now.comment))"
        func when(_ day: CivilDate, _ minute: Int) -> String {
            let days = day.dayNumber - moment.day.dayNumber
            let at = "à " + Self.frenchTime(minute)
            switch days {
            case 0: return at
            case 1: return "demain " + at
            case 2...6: return Self.weekdayNamesFR[day.weekday - 1] + " " + at
            default: return "le " + Self.frenchDate(month: day.month, day: day.day) + " " + at
            }
        }
        switch now.kind {
        case .open:
            guard let next else { return "Ouvert 24 h/24" + comment }
            let time = Self.frenchTime(next.minute)
            let until = switch next.day.dayNumber - moment.day.dayNumber {
            case 0: time
            case 1: "demain " + time
            default: "au " + Self.frenchDate(month: next.day.month, day: next.day.day) + " " + time
            }
            return "Ouvert jusqu'\(until.hasPrefix("au ") ? "" : "à ")" + until + comment
        case .unknown:
            return "Horaires à confirmer" + comment
        case .closed:
            guard let next, next.state.kind == .open else { return "Fermé" + comment }
            return "Fermé, ouvre " + when(next.day, next.minute) + comment
        }
    }
}

/// Opening hours read at one moment for the public (`OpeningHours.reading(at:)`), valid over a span of
/// that local day: until the next change, or midnight, whichever comes first.
public struct HoursReading: Sendable {
    /// The state and the minutes over which the whole reading holds.
    public let span: OpenSpan
    /// "Ouvert jusqu'à 17 h 30", "Fermé, ouvre demain à 9 h" (`frenchStatus(at:)`).
    public let status: String
    /// "Ouvert aujourd'hui de 9 h à 12 h" (`frenchDescription(on:)`).
    public let today: String

    /// Open, closed or unknown.
    public var state: OpeningState { span.state }
    var minutes: Range<Int> { span.minutes }

    /// Whether this reading is also the reading at `moment`: same territory and local day, within its minutes.
    public func holds(at moment: LocalMoment) -> Bool { span.holds(at: moment) }
}

/// A state of opening hours and the minutes of one local day over which it stays (`OpeningHours.openSpan(at:)`).
public struct OpenSpan: Sendable {
    public let state: OpeningState
    let territory: Territory
    let day: CivilDate
    let minutes: Range<Int>

    /// Whether `moment` falls in this span: same territory and local day, within its minutes.
    public func holds(at moment: LocalMoment) -> Bool {
        moment.territory == territory && moment.day == day && minutes.contains(moment.minute)
    }
}
