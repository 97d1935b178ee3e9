/// Calendar days for referencing dates, without time zones: days 1-28 only, so adding months is exact.
enum Dates {
    struct Day {
        var year: Int, month: Int, day: Int
        var string: String { "\(year)-\(French.twoDigits(month))-\(French.twoDigits(day))" }
    }

    /// A day between the first of (y1, m1) and the 28th of (y2, m2).
    static func random(_ y1: Int, _ m1: Int, _ y2: Int, _ m2: Int, _ rng: inout SeededRandom) -> Day {
        let index = rng.int((y1 * 12 + m1 - 1)...(y2 * 12 + m2 - 1))
        return Day(year: index / 12, month: index % 12 + 1, day: rng.int(1...28))
    }

    /// A referencing granted on `day` for `months`: (since, validUntil).
    static func validity(from day: Day, months: Int) -> (String, String) {
        let index = day.year * 12 + day.month - 1 + months
        return (day.string, Day(year: index / 12, month: index % 12 + 1, day: day.day).string)
    }
}

/// The Luhn check digit, which SIREN and SIRET numbers carry.
enum Luhn {
    /// Appends the digit that makes `digits` pass the Luhn check.
    static func complete(_ digits: String) -> String {
        var sum = 0
        for (i, c) in digits.utf8.reversed().enumerated() {
            let v = Int(c - 48)
            if i % 2 == 0 {  // doubled: the check digit will sit to its right
                let d = v * 2
                sum += d > 9 ? d - 9 : d
            } else {
                sum += v
            }
        }
        return digits + String((10 - sum % 10) % 10)
    }

    static func isValid(_ digits: String) -> Bool {
        var sum = 0
        for (i, c) in digits.utf8.reversed().enumerated() {
            let v = Int(c - 48)
            if i % 2 == 1 {
                let d = v * 2
                sum += d > 9 ? d - 9 : d
            } else {
                sum += v
            }
        }
        return sum % 10 == 0
    }
}
