import Foundation

/// Number formatting for French text: "12 400", "38 %", "12,5". Fixed rules, not the host's locale,
/// so reports are the same on every machine.
public enum French {
    /// Narrow no-break space, the French thousands separator (and before "%").
    public static let thinSpace = "\u{202F}"

    public static func integer(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += thinSpace }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    public static func decimal(_ x: Double, _ digits: Int = 1) -> String {
        guard x.isFinite else { return "—" }
        // Fixed-point as the CSV files write it (`String(format:)` was most of writing the HTML report).
        let s = CoverageWriter.num(abs(x), digits)
        let parts = s.split(separator: ".")
        let whole = integer(Int(parts[0]) ?? 0)
        let sign = x < 0 && s.contains(where: { $0 != "0" && $0 != "." }) ? "-" : ""
        return sign + (parts.count > 1 ? whole + "," + parts[1] : whole)
    }

    static func percent(_ share: Double, _ digits: Int = 0) -> String {
        decimal(share * 100, digits) + thinSpace + "%"
    }

    static func km(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "—" }
        return decimal(x, 1) + thinSpace + "km"
    }

    /// "a, b et c".
    static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " et " + items.last!
    }

    /// "1 lieu", "3 lieux".
    static func plural(_ n: Int, _ one: String, _ many: String) -> String {
        integer(n) + " " + (n > 1 ? many : one)
    }
}
