/// A normalised name prepared for fuzzy comparison. A class, so the indexes share one copy per
/// distinct name and scanning them costs a single retain per entry.
final class NameKey: Sendable {
    let text: String
    let bytes: [UInt8]
    /// Tokens that carry the name (articles, DE, SUR, SAINT... left out).
    let significant: Set<String>
    let tokens: Set<String>

    init(_ key: String) {
        text = key
        bytes = Array(key.utf8)
        let all = key.split(separator: " ").map(String.init)
        tokens = Set(all)
        significant = Set(all.filter { !NameSimilarity.minorWords.contains($0) })
    }
}

/// Fuzzy comparison of normalised names, for typos ("QUIMPRE") and partial names ("CHAMONIX" for
/// "CHAMONIX MONT BLANC", "LAMBALLE" for "LAMBALLE ARMOR").
enum NameSimilarity {
    static let minorWords: Set<String> = [
        "L", "LE", "LA", "LES", "D", "DE", "DU", "DES", "SUR", "SOUS", "EN", "ET", "AUX", "AU", "LEZ", "A",
        "SAINT", "SAINTE", "SAINTS", "SAINTES",
    ]

    /// Similarity in 0...1: the better of the edit ratio and the token containment score.
    /// Stops early when the edits alone cannot reach `atLeast`.
    static func similarity(_ a: NameKey, _ b: NameKey, atLeast minimum: Double, containment rule: Containment) -> Double {
        if a.bytes == b.bytes { return 1 }
        let contained = containment(a, b, rule)
        let la = a.bytes.count, lb = b.bytes.count
        let longest = max(la, lb)
        guard longest > 0, la > 0, lb > 0 else { return contained }
        // Typos rarely hit the first letter: "SOSSAY" is not "ROSSAY".
        let penalty = a.bytes[0] != b.bytes[0] ? 0.05 : 0
        // The most edits that can still reach `minimum`.
        let budget = Int(((1 - minimum - penalty) * Double(longest) + 1e-9).rounded(.down))
        guard budget >= 0, abs(la - lb) <= budget else { return contained }
        let d = editDistance(a.bytes, b.bytes, limit: budget)
        guard d <= budget else { return contained }
        return max(1 - Double(d) / Double(longest) - penalty, contained)
    }

    /// When one name standing inside another counts as a match: the shorter name's significant tokens
    /// must all appear in the longer one, and the shorter must cover enough of the longer's characters;
    /// less coverage is asked when the shorter is the start of the longer ("CLION" in "CLION SUR SEUGNE").
    struct Containment: Sendable {
        let prefixCoverage: Double
        let anywhereCoverage: Double

        /// Among the few communes of a postcode: "OZ" for "OZ EN OISANS", "LE HOM" for "THURY HARCOURT LE HOM".
        static let loose = Containment(prefixCoverage: 0, anywhereCoverage: 0.25)
        /// Among a département's hundreds of names.
        static let strict = Containment(prefixCoverage: 0.3, anywhereCoverage: 0.4)
    }

    /// 0.85...0.95 when the shorter name starts the longer, 0.8...0.9 when it stands elsewhere in it
    /// (more with more coverage: "LONGCHAMP LES MILLIERES" is Longchamp before Millières), else 0.
    static func containment(_ a: NameKey, _ b: NameKey, _ rule: Containment) -> Double {
        let (short, long) = a.bytes.count <= b.bytes.count ? (a, b) : (b, a)
        guard !short.significant.isEmpty, long.bytes.count > 0 else { return 0 }
        let coverage = Double(short.bytes.count) / Double(long.bytes.count)
        guard coverage >= min(rule.prefixCoverage, rule.anywhereCoverage),
              short.significant.count <= long.tokens.count, short.significant.isSubset(of: long.tokens) else { return 0 }
        let isPrefix = long.bytes.count > short.bytes.count && long.bytes.starts(with: short.bytes)
            && long.bytes[short.bytes.count] == 32
        guard coverage >= (isPrefix ? rule.prefixCoverage : rule.anywhereCoverage) else { return 0 }
        return isPrefix ? 0.85 + 0.1 * coverage : 0.8 + 0.1 * coverage
    }

    /// Optimal string alignment distance: Levenshtein plus adjacent transpositions ("QUIMPRE" -> 1).
    /// With `limit`, gives up as soon as the distance must exceed it and returns `limit + 1`.
    static func editDistance(_ a: [UInt8], _ b: [UInt8], limit: Int = .max) -> Int {
        let n = a.count, m = b.count
        if n == 0 { return m }
        if m == 0 { return n }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * (m + 1)) { buffer -> Int in
            var prev2 = buffer.baseAddress!
            var prev = prev2 + (m + 1)
            var cur = prev + (m + 1)
            for j in 0...m { prev[j] = j; prev2[j] = 0 }
            for i in 1...n {
                cur[0] = i
                var rowMin = i
                let ai = a[i - 1]
                for j in 1...m {
                    let cost = ai == b[j - 1] ? 0 : 1
                    var v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                    if i > 1, j > 1, ai == b[j - 2], a[i - 2] == b[j - 1] {
                        v = min(v, prev2[j - 2] + 1)
                    }
                    cur[j] = v
                    rowMin = min(rowMin, v)
                }
                // Row minima never decrease (a transposition adds 1 to a row two back, whose minimum is
                // at least the previous row's minus 1), so a row over the limit ends the search.
                if rowMin > limit { return limit + 1 }
                (prev2, prev, cur) = (prev, cur, prev2)
            }
            return prev[m]
        }
    }
}
