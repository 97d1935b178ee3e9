/// Normalises French address text for comparison.
///
/// Every function starts from the same folding: upper case, accents stripped, apostrophes, hyphens
/// and other punctuation turned into single spaces. Then SAINT/ST and SAINTE/STE are unified to the
/// spelled-out form; city keys and street lines also lose their postal noise: "BP 123", "CS 12345",
/// "TSA 12345", "CEDEX", "CEDEX 9", "CIDEX 1".
/// Pure functions without regular expressions, cheap enough for the geocoder's hot path.
public enum AddressNormalizer {
    /// Comparable form of any text: "Saint-Brieuc" and "ST BRIEUC" both give "SAINT BRIEUC".
    public static func normalize(_ text: String) -> String {
        TextFolding.tokens(text).map { saint($0) ?? $0 }.joined(separator: " ")
    }

    /// The key a city name is compared by: "Brest Cedex 2" -> "BREST", "St-Brieuc" -> "SAINT BRIEUC",
    /// "Paris 11e Arrondissement" and "PARIS 11" -> "PARIS 11", "Abergement-Clémenciat (L')" ->
    /// "L ABERGEMENT CLEMENCIAT", "Chalon s/ Saône" -> "CHALON SUR SAONE", "lez" -> "LES".
    /// A postcode written in the line is dropped.
    public static func cityKey(_ city: String) -> String {
        parseCity(city).key
    }

    /// A city line split into its comparison key and the postal details it carried.
    public static func parseCity(_ city: String) -> CityName {
        var tokens = TextFolding.tokens(city)
        var cedex: Int?
        var arrondissement: Int?
        // "ABERGEMENT CLEMENCIAT (L')": the bracketed article goes back in front.
        if tokens.count > 1, let last = tokens.last, StreetVocabulary.trailingArticles.contains(last),
           city.utf8.last(where: { $0 != 32 }) == UInt8(ascii: ")") {
            tokens.removeLast()
            tokens.insert(last, at: 0)
        }
        var out: [Substring] = []
        out.reserveCapacity(tokens.count)
        var i = 0
        while i < tokens.count {
            let t = tokens[i]
            if let skip = postalNoise(tokens, at: i, cedex: &cedex) {
                i += skip
                continue
            }
            if t.utf8.count == 5 && t.isDigits {  // a postcode written into the city line
                i += 1
                continue
            }
            if t == "ARRONDISSEMENT" || t == "ARR" || t == "ARRT" {
                i += 1
                continue
            }
            if let n = ordinal(t), !out.isEmpty {  // "11E", "1ER", "03", "11EME"
                arrondissement = n
                out.append(Substring(String(n)))
                i += 1
                continue
            }
            if t == "S", i + 1 < tokens.count, !out.isEmpty {  // "Chalon s/ Saône"
                out.append("SUR")
                i += 1
                continue
            }
            out.append(t == "LEZ" ? "LES" : saint(t) ?? t)  // "lez" and "lès" are one word
            i += 1
        }
        return CityName(key: out.joined(separator: " "), cedex: cedex, arrondissement: arrondissement)
    }

    /// Parses a street line: house number with its suffix, then the street with its type spelled out.
    /// "3 bis r. du Gal de Gaulle", "3B RUE DU GENERAL DE GAULLE" and "3 b rue du général de Gaulle"
    /// all give number 3, suffix BIS, street "RUE DU GENERAL DE GAULLE".
    public static func streetLine(_ line: String) -> StreetLine {
        let tokens = TextFolding.tokens(line)
        var cedex: Int?
        var clean: [Substring] = []
        clean.reserveCapacity(tokens.count)
        var i = 0
        while i < tokens.count {
            if let skip = postalNoise(tokens, at: i, cedex: &cedex) {
                i += skip
            } else {
                clean.append(tokens[i])
                i += 1
            }
        }
        var number: HouseNumber?
        var j = 0
        if let first = clean.first {
            if first.isDigits, first.utf8.count <= 5, let n = Int(first) {
                j = 1
                var suffix: String?
                if j < clean.count, let s = StreetVocabulary.numberSuffixes[clean[j]] {
                    suffix = s
                    j += 1
                } else if j + 1 < clean.count, StreetVocabulary.letterSuffixes.contains(clean[j]),
                          isStreetType(clean[j + 1]) {
                    suffix = String(clean[j])
                    j += 1
                }
                // "12-14 rue ...": keep the first number of a range.
                if j < clean.count, clean[j].isDigits, j + 1 < clean.count { j += 1 }
                number = HouseNumber(number: n, suffix: suffix)
            } else if let split = attachedNumber(first) {
                number = split
                j = 1
            }
        }
        return StreetLine(houseNumber: number, street: canonicalStreet(clean[j...]))
    }

    /// A street name alone, as the BAN spells it ("Rue du Général de Gaulle", "Place Saint-Corentin"),
    /// in the form `streetLine` gives its street: a leading number stays part of the name ("14 Juillet").
    public static func streetName(_ name: String) -> String {
        canonicalStreet(TextFolding.tokens(name)[...])
    }

    /// Street words with the type spelled out (in the street-type position, or anywhere when
    /// unambiguous), titles spelled out and SAINT unified.
    static func canonicalStreet(_ words: ArraySlice<Substring>) -> String {
        var street: [String] = []
        street.reserveCapacity(words.count)
        for (k, t) in words.enumerated() {
            if let saint = saint(t) {
                street.append(String(saint))
            } else if k == 0, t == "R" {
                street.append("RUE")
            } else if let type = StreetVocabulary.streetTypes[t],
                      k == 0 || StreetVocabulary.unambiguousAbbreviations.contains(t) {
                street.append(type)
            } else if k > 0, let title = StreetVocabulary.titles[t] {
                street.append(title)
            } else {
                street.append(String(t))
            }
        }
        return street.joined(separator: " ")
    }

    /// The comparison key of a street line: "3 BIS RUE DE SIAM".
    public static func streetKey(_ line: String) -> String {
        streetLine(line).key
    }

    // MARK: - Pieces

    /// How many tokens of postal routing noise start at `i` (BP, CS, TSA boxes, CEDEX with its number),
    /// or nil if none. Records a CEDEX number in `cedex`.
    static func postalNoise(_ tokens: [Substring], at i: Int, cedex: inout Int?) -> Int? {
        let t = tokens[i]
        // Every noise word starts with B, C, S or T: most tokens leave here.
        guard let first = t.utf8.first, first == 66 || first == 67 || first == 83 || first == 84 else { return nil }
        let next: Substring? = i + 1 < tokens.count ? tokens[i + 1] : nil
        switch t {
        case "CEDEX", "CDX", "CIDEX":
            if let next, next.isDigits, next.utf8.count <= 2 {
                cedex = Int(next)
                return 2
            }
            return 1
        case "BP", "CS", "TSA", "SP":
            if let next, next.isDigits { return 2 }
            return t == "BP" ? 1 : nil
        case "B":
            if let next, next == "P", i + 2 < tokens.count, tokens[i + 2].isDigits { return 3 }
            return nil
        case "BOITE":
            if let next, next == "POSTALE" {
                return i + 2 < tokens.count && tokens[i + 2].isDigits ? 3 : 2
            }
            return nil
        default:
            if t.hasPrefix("CEDEX"), t.utf8.count <= 7, t.dropFirst(5).isDigits {  // "CEDEX09"
                cedex = Int(t.dropFirst(5))
                return 1
            }
            if t.hasPrefix("BP"), t.utf8.count > 2, t.dropFirst(2).isDigits { return 1 }  // "BP123"
            return nil
        }
    }

    /// "11", "03", "11E", "1ER", "11EME", "2EME", "1ERE" as a number up to 99, else nil.
    static func ordinal(_ t: Substring) -> Int? {
        guard let first = t.utf8.first, first >= 48 && first <= 57 else { return nil }
        let digits = t.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 2, let n = Int(digits), n > 0 else { return nil }
        switch t.dropFirst(digits.count) {
        case "", "E", "ER", "ERE", "EME", "EM", "ME": return n
        default: return nil
        }
    }

    /// "3B", "3BIS", "12TER" read as a house number with its suffix.
    static func attachedNumber(_ t: Substring) -> HouseNumber? {
        let digits = t.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 5, let n = Int(digits) else { return nil }
        let rest = t.dropFirst(digits.count)
        if let s = StreetVocabulary.numberSuffixes[rest] { return HouseNumber(number: n, suffix: s) }
        if StreetVocabulary.letterSuffixes.contains(rest) { return HouseNumber(number: n, suffix: String(rest)) }
        return nil
    }

    /// "ST" -> "SAINT", "STE" -> "SAINTE"... without hashing tokens that can't be one.
    @inline(__always)
    static func saint(_ t: Substring) -> Substring? {
        let u = t.utf8
        guard u.count >= 2, u.count <= 4, u.first == 83, u[u.index(after: u.startIndex)] == 84 else { return nil }
        return StreetVocabulary.saints[t]
    }

    static func isStreetType(_ t: Substring) -> Bool {
        t == "R" || StreetVocabulary.streetTypes[t] != nil || StreetVocabulary.spelledStreetTypes.contains(t)
    }
}

/// A city line reduced to its comparison key, with the postal details it carried.
public struct CityName: Sendable, Hashable {
    /// The comparison key: "SAINT BRIEUC", "PARIS 11".
    public let key: String
    /// The number after CEDEX ("BREST CEDEX 2" -> 2), if any.
    public let cedex: Int?
    /// An arrondissement number written after the name ("PARIS 11E" -> 11), if any.
    public let arrondissement: Int?
}

/// A house number with its repetition suffix: 3, 3 BIS, 12 TER, 5 A.
public struct HouseNumber: Sendable, Hashable, Codable, CustomStringConvertible {
    public let number: Int
    /// BIS, TER, QUATER, QUINQUIES, or a letter (A, C, D...); "B", "T", "Q" read as BIS, TER, QUATER.
    public let suffix: String?

    public init(number: Int, suffix: String? = nil) {
        self.number = number
        self.suffix = suffix
    }

    public var description: String { suffix.map { "\(number) \($0)" } ?? "\(number)" }
}

/// A street line parsed for comparison.
public struct StreetLine: Sendable, Hashable {
    public let houseNumber: HouseNumber?
    /// The street, normalised, with its type spelled out: "RUE DE SIAM".
    public let street: String

    public init(houseNumber: HouseNumber?, street: String) {
        self.houseNumber = houseNumber
        self.street = street
    }

    /// Number, suffix and street as one key: "3 BIS RUE DE SIAM".
    public var key: String {
        [houseNumber?.description, street.isEmpty ? nil : street].compactMap { $0 }.joined(separator: " ")
    }
}
