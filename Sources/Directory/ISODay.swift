import Foundation

/// Calendar-day helpers in ISO 8601 form ("2026-11-22"), in UTC, for dates in records.
public enum ISODay {
    private static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    /// Parses "YYYY-MM-DD", rejecting impossible dates.
    public static func parse(_ s: String) -> Date? {
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
