import AddressText
import Directory

/// Finds served places by name: "mission locale Quimper", "cio brest", "cité des métiers".
///
/// An in-memory inverted index over the very places a `PlaceSearch` serves, rather than an FTS5 table in
/// the national store: the served places are already in memory, the index is rebuilt with them whenever
/// the content is (so a search by name can never see another snapshot than the search by distance), and
/// words are folded with the geocoder's `TextFolding` (accents, case, apostrophes), so "Cite des metiers"
/// finds "Cité des métiers". At 80,000 places it is a few megabytes and builds in well under a second.
///
/// A place's words are those of its name, of its structures' names and networks, and of its city. Every
/// word of the query must begin a word of the place ("miss loc" finds "Mission locale"); little words
/// ("de", "la", "l'") are skipped unless the query has nothing else.
public struct PlaceNameIndex: Sendable {
    /// Every distinct word, sorted, so the words a query word begins are one contiguous range.
    private let words: [String]
    /// For each word of `words`, the places (indices in `PlaceSearch.places`) having it, ascending.
    private let postings: [[Int32]]

    /// Words too common to narrow a search by name.
    static let littleWords: Set<String> = ["DE", "DU", "DES", "LA", "LE", "LES", "L", "D", "ET", "A", "AU", "AUX", "EN", "SUR", "POUR"]

    /// Indexes records by their words as `words(in:)` or `words(of:)` gives them, by their index in that
    /// array (for places, their index in `PlaceSearch.places`).
    public init(words records: [[String]]) {
        var byWord: [String: [Int32]] = [:]
        for (i, words) in records.enumerated() {
            for word in words { byWord[word, default: []].append(Int32(i)) }
        }
        words = byWord.keys.sorted()
        postings = words.map { byWord[$0]! }
    }

    /// The distinct folded words of `phrases` (accents, case and apostrophes folded), in order.
    public static func words(in phrases: [String]) -> [String] {
        var seen = Set<Substring>()
        var out: [String] = []
        for phrase in phrases {
            for word in TextFolding.tokens(phrase) where seen.insert(word).inserted { out.append(String(word)) }
        }
        return out
    }

    /// A place's words: those of its name, its city, and its structures' names and networks.
    public static func words(of served: DirectoryPlace) -> [String] {
        var text = [served.place.name, served.place.address.city]
        for s in served.structures { text.append(s.name); text.append(s.network.label) }
        return words(in: text)
    }

    /// The places whose words begin with every word of `query`, by index, ascending; empty when the query
    /// has no word of two letters or more.
    public func matches(_ query: String) -> [Int] {
        var tokens = TextFolding.tokens(query).map(String.init).filter { $0.utf8.count >= 2 || $0.isDigits }
        let meaningful = tokens.filter { !Self.littleWords.contains($0) }
        if !meaningful.isEmpty { tokens = meaningful }
        guard !tokens.isEmpty else { return [] }
        // Sorted arrays merged and intersected: a common word ("mission") has thousands of places at 80,000,
        // and hashing them into sets took most of a search by name.
        var result: [Int32]?
        for token in tokens {
            var lists: [[Int32]] = []
            var i = lowerBound(token)
            while i < words.count, words[i].hasPrefix(token) {
                lists.append(postings[i])
                i += 1
            }
            let found = lists.count == 1 ? lists[0] : Self.union(lists)
            result = result.map { Self.intersection($0, found) } ?? found
            if result!.isEmpty { return [] }
        }
        return (result ?? []).map(Int.init)
    }

    /// The elements of both ascending lists, ascending.
    public static func intersection(_ a: [Int32], _ b: [Int32]) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(Swift.min(a.count, b.count))
        var i = 0, j = 0
        while i < a.count, j < b.count {
            if a[i] < b[j] { i += 1 } else if a[i] > b[j] { j += 1 } else { out.append(a[i]); i += 1; j += 1 }
        }
        return out
    }

    /// The elements of any of the ascending lists, ascending, once each.
    public static func union(_ lists: [[Int32]]) -> [Int32] {
        var all = Array(lists.joined())
        all.sort()
        var out: [Int32] = []
        out.reserveCapacity(all.count)
        for p in all where out.last != p { out.append(p) }
        return out
    }

    /// The first word not ordered before `prefix`.
    private func lowerBound(_ prefix: String) -> Int {
        var lo = 0, hi = words.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if words[mid] < prefix { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
