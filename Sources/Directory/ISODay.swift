import Foundation

/// Calendar-day helpers in ISO 8601 form ("2026-11-22"), in UTC, for dates in records.
public enum ISODay {
    private static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    /// Parses "YYYY-MM-DD", rejecting impossible dates.
    ///
    /// Days of the years 1583–9999 written in ASCII digits (every date in records) are counted from
    /// 1970-01-01 by the Gregorian rules, without Foundation's calendar: coverage parses one per place
    /// and the calendar was most of the time of its stale-data rule. Anything else goes to the calendar.
    public static func parse(_ s: String) -> Date? {
        var text = s
        if let days = text.withUTF8(daysSinceEpoch) { return days.map { Date(timeIntervalSince1970: Double($0) * 86_400) } }
        return calendarParse(s)
    }

    /// The Gregorian day count of an ASCII "YYYY-MM-DD" of the years 1583–9999: `.some(nil)` for a
    /// date that does not exist, nil when the text is not of that form (the calendar decides).
    private static func daysSinceEpoch(_ b: UnsafeBufferPointer<UInt8>) -> Int?? {
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var n = 0
            for i in range {
                let d = Int(b[i]) - 48
                guard d >= 0 && d <= 9 else { return nil }
                n = n * 10 + d
            }
            return n
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10), y >= 1583 else { return nil }
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard m >= 1 && m <= 12, d >= 1 && d <= lengths[m - 1] else { return .some(nil) }
        // Days from 1970-01-01 to the date, counting years from March so that February's day falls last.
        let year = m <= 2 ? y - 1 : y
        let era = year / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return .some(era * 146_097 + dayOfEra - 719_468)
    }

    /// The same parse through Foundation's Gregorian calendar in UTC.
    static func calendarParse(_ s: String) -> Date? {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        let comps = DateComponents(year: y, month: m, day: d)
        guard let date = calendar.date(from: comps),
              calendar.component(.day, from: date) == d, calendar.component(.month, from: date) == m else { return nil }
        return date
    }

    /// Formats a date as "YYYY-MM-DD" (UTC).
    public static func string(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    /// Adds whole months to a day.
    public static func adding(months: Int, to date: Date) -> Date {
        calendar.date(byAdding: .month, value: months, to: date)!
    }
}
