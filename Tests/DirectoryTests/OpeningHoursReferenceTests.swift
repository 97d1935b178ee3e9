import Foundation
import Testing
@testable import Directory

/// spro's evaluator against the reference, opening-hours-rs (through opening-hours-py, installed by
/// `tools/setup --tests`): same state, same comment and same next change on a table of strings and
/// moments (naive Paris wall-clock times, French national holidays); and what it refuses, spro refuses.
@Suite struct OpeningHoursReferenceTests {
    static let strings = [
        "Mo-Fr 08:30-12:30,13:30-17:00; PH off",
        "Mo-Fr 08:00-18:00; Mo-Fr 12:00-14:00 off",
        "Mo-Fr 09:00-12:00, We 14:00-17:00",
        "Mo-Fr 09:00-17:00; We 09:00-12:00",
        "Mo[1] 09:00-12:00",
        "Sa[1,3] 09:00-12:00",
        "Fr[-1] 14:00-17:00",
        "Tu[2-3] 10:00-11:00; PH off",
        "Mo-Fr 09:00-12:00 \"sur rendez-vous\"",
        "Mo-Fr 09:00-12:00; We 14:00-17:00 \"sur rendez-vous\"",
        "\"sur rendez-vous\"",
        "Mo-Fr unknown",
        "Mo-Fr 09:00-12:00; Th unknown",
        "Mo-Fr 09:00-12:00; Sa 10:00-12:00 unknown \"à confirmer\"",
        "PH Mo-Fr off",
        "Mo-Sa 09:00-18:00; PH,Su off",
        "week 01-10 Mo-Fr 09:00-12:00",
        "week 02-52/2 Tu 14:00-17:00",
        "Mo-Fr 09:00-17:00; easter off",
        "Mo-Fr 09:00-17:00; easter +1 day 10:00-12:00",
        "Mo-Su 10:00-18:00; easter -2 days off",
        "Fr 22:00-02:00",
        "Sa 20:00-26:00",
        "Mo-Su 09:00-17:00; Fr 22:00-02:00",
        "Mo-Fr 09:00-12:00; Fr 22:00-02:00",
        "Mo-Fr 09:00-12:00, Sa 10:00-12:00",
        "Mo-Fr 08:30-12:00,13:30-17:00; Dec 24 off; PH off",
        "Mo-Fr 09:00-12:00; Dec 24-Jan 02 off",
        "24/7; PH off",
        "Mo-Fr 09:00-12:00; 2026 Dec 24 09:00-11:00",
        "Jul-Aug Mo-Fr 10:00-12:00",
        "Mo-Fr 09:00-12:00 open",
        "Mo-Fr off",
    ]
    /// Monday 9 March 2026, Friday 3 April (before Easter), Monday 6 April (Easter Monday), Saturday
    /// 28 March at 23:30 (the night of the spring change), Friday 1 May, Thursday 24 December, 31 December
    /// 2026 at 23:00 (the year boundary), Saturday 7 March and 21 March, Friday 27 March and 1:00 on Saturday.
    static let moments = ["2026-03-09T10:00", "2026-03-09T12:30", "2026-04-03T10:00", "2026-04-06T10:30",
                          "2026-03-28T23:30", "2026-05-01T10:00", "2026-12-24T10:00", "2026-12-31T23:00",
                          "2026-03-07T10:00", "2026-03-21T09:30", "2026-03-27T16:00", "2026-03-28T01:00",
                          "2027-01-05T10:00", "2026-03-12T10:00"]

    /// Single cases where rules meet: a replacing rule against a span from the day before, `unknown` over
    /// part of a day, additional rules with their own comments, a dated range over the new year.
    static let pairs: [(String, String)] = [
        ("Su 10:00-02:00; Mo off", "2026-03-09T01:00"),
        ("2027 easter off", "2027-03-28T10:00"),
        ("unknown \"à confirmer\"", "2026-03-09T10:00"),
        ("Mo-Fr 08:00-10:00; week 05 off, Mo 09:00-09:30", "2026-01-26T09:15"),
        ("Mo-Fr 08:00-10:00; week 05 off, Mo 09:00-09:30", "2026-01-26T08:15"),
        ("Mo-Fr 09:00-12:00; Mo-Fr 10:00-11:00 unknown", "2026-03-09T10:30"),
        ("Mo-Fr 09:00-12:00; Mo-Fr 10:00-11:00 unknown", "2026-03-09T09:30"),
        ("Mo-Fr 09:00-12:00, PH off", "2026-05-01T10:00"),
        ("Mo-Fr 09:00-12:00 \"a\", Mo-Fr 14:00-16:00 \"b\"", "2026-03-09T10:00"),
        ("Fr 18:00-03:00; Sa 10:00-12:00", "2026-03-14T01:00"),
        ("Fr 18:00-03:00, Sa 10:00-12:00", "2026-03-14T01:00"),
        ("Sa-Mo 10:00-12:00; Su off", "2026-03-08T11:00"),
        ("Mo-Fr 09:00-12:00; 2026 Dec 24-2027 Jan 02 off", "2027-01-01T23:00"),
        ("Mo[1] 09:00-12:00; Mo[1] 10:00-11:00 off", "2026-03-02T10:30"),
        ("PH 10:00-12:00; Su off", "2026-11-01T11:00"),
    ]

    static let refused = [
        "Mo-Fr 09:00-12:00 || ", "Mo[0] 10:00-12:00", "Mo-Fr 25:00-26:00", "week 00 off", "Mo-Fr 09:00-12:00 \"x",
        "Mo-Xx 10:00-12:00", "Mo-Fr 9h-12h", "Dec 32 off",
    ]

    struct Answer: Decodable {
        let state: String?
        let comment: String?
        let next: String?
        let error: String?
    }

    /// Runs the reference script on cases `[(text, "YYYY-MM-DDTHH:MM")]`.
    static func reference(_ cases: [(String, String)]) throws -> [Answer] {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("tools/reference/opening_hours_reference.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let json = try JSONSerialization.data(withJSONObject: cases.map { ["oh": $0.0, "at": $0.1] })
        input.fileHandleForWriting.write(json)
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "the reference script failed: run tools/setup --tests to install opening-hours-py")
        return try JSONDecoder().decode([Answer].self, from: data)
    }

    static func moment(_ s: String) -> LocalMoment {
        let n = s.split(whereSeparator: { "-T:".contains($0) }).map { Int($0)! }
        return LocalMoment(year: n[0], month: n[1], day: n[2], minute: n[3] * 60 + n[4])
    }

    @Test func stateCommentAndNextChangeAgreeWithTheReference() throws {
        let cases = Self.strings.flatMap { s in Self.moments.map { (s, $0) } }
        let answers = try Self.reference(cases)
        try #require(answers.count == cases.count)
        var compared = 0
        for ((text, at), answer) in zip(cases, answers) {
            #expect(answer.error == nil, "the reference refuses \(text): \(answer.error ?? "")")
            let h = try OpeningHours(text)
            let m = Self.moment(at)
            #expect(h.isOpen(at: m).rawValue == answer.state, "\(text) at \(at)")
            #expect((h.comment(at: m) ?? "") == answer.comment, "\(text) at \(at)")
            let next = h.nextChange(after: m).map {
                String(format: "%04d-%02d-%02dT%02d:%02d", $0.day.year, $0.day.month, $0.day.day, $0.minute / 60, $0.minute % 60)
            }
            #expect(next == answer.next, "\(text) at \(at): next change")
            compared += 1
        }
        #expect(compared == Self.strings.count * Self.moments.count)
    }

    @Test func rulesMeetingAsInTheReference() throws {
        let answers = try Self.reference(Self.pairs)
        try #require(answers.count == Self.pairs.count)
        for ((text, at), answer) in zip(Self.pairs, answers) {
            let h = try OpeningHours(text)
            let m = Self.moment(at)
            #expect(h.isOpen(at: m).rawValue == answer.state, "\(text) at \(at)")
            #expect((h.comment(at: m) ?? "") == answer.comment, "\(text) at \(at)")
            #expect(Self.format(h.nextChange(after: m)) == answer.next, "\(text) at \(at): next change")
        }
    }

    static func format(_ change: (day: CivilDate, minute: Int, state: Piece)?) -> String? {
        change.map { String(format: "%04d-%02d-%02dT%02d:%02d", $0.day.year, $0.day.month, $0.day.day, $0.minute / 60, $0.minute % 60) }
    }

    @Test func whatTheReferenceRefusesIsRefused() throws {
        let answers = try Self.reference(Self.refused.map { ($0, "2026-03-09T10:00") })
        for (text, answer) in zip(Self.refused, answers) {
            #expect(answer.error != nil, "the reference accepts \(text)")
            #expect(throws: OpeningHoursError.self, "\(text)") { try OpeningHours(text) }
        }
    }
}
