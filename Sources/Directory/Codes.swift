import Foundation

/// Why a code was refused: names the kind of code, the value and the rule it broke.
public struct CodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kind of code, e.g. "SIRET" or "commune code".
    public let kind: String
    /// The value as given.
    public let value: String
    /// The rule that was broken, in plain words.
    public let rule: String

    public init(kind: String, value: String, rule: String) {
        self.kind = kind
        self.value = value
        self.rule = rule
    }

    public var description: String { "\(kind) invalide « \(value) » : \(rule)" }
}

/// A code that validates on construction and travels as a JSON string.
public protocol ValidatedCode: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// The validated text of the code.
    var rawValue: String { get }
    /// Validates `raw` and builds the code, or throws a `CodeError` naming the rule.
    init(_ raw: String) throws(CodeError)
    /// Builds the code without checking; for values already known to be valid.
    init(unchecked raw: String)
}

extension ValidatedCode {
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        do {
            try self.init(raw)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

@inline(__always)
func isASCIIDigits(_ s: Substring) -> Bool {
    !s.isEmpty && s.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
}

/// INSEE code of a Région (2 digits: "53" Bretagne, "01" Guadeloupe).
public struct RegionCode: ValidatedCode {
    public let rawValue: String
    public init(_ raw: String) throws(CodeError) {
        guard raw.count == 2, isASCIIDigits(Substring(raw)) else {
            throw CodeError(kind: "code de région", value: raw, rule: "2 chiffres attendus (code INSEE, par exemple 53)")
        }
        rawValue = raw
    }
    public init(unchecked raw: String) { rawValue = raw }
}

/// INSEE code of a département: "01".."95", "2A", "2B", or "971".."976".
public struct DepartementCode: ValidatedCode {
    public let rawValue: String
    public init(_ raw: String) throws(CodeError) {
        let ok: Bool
        if raw == "2A" || raw == "2B" {
            ok = true
        } else if raw.count == 2 {
            ok = isASCIIDigits(Substring(raw)) && raw != "00" && raw != "20"
        } else if raw.count == 3 {
            ok = isASCIIDigits(Substring(raw)) && raw.hasPrefix("97")
        } else {
            ok = false
        }
        guard ok else {
            throw CodeError(kind: "code de département", value: raw, rule: "01 à 95, 2A, 2B ou 971 à 976 attendu")
        }
        rawValue = raw
    }
    public init(unchecked raw: String) { rawValue = raw }
}

/// INSEE code of a commune or municipal arrondissement: 5 characters, "2A004", "29019", "97411".
public struct CommuneCode: ValidatedCode {
    public let rawValue: String
    public init(_ raw: String) throws(CodeError) {
        let u = Array(raw.utf8)
        let digits = { (r: Range<Int>) in u[r].allSatisfy { $0 >= 48 && $0 <= 57 } }
        let ok = u.count == 5 && digits(2..<5)
            && (digits(0..<2) || (u[0] == 50 && (u[1] == 65 || u[1] == 66)))  // "2A" / "2B"
        guard ok else {
            throw CodeError(kind: "code commune", value: raw, rule: "5 caractères attendus, à la manière de l'INSEE (29019, 2A004)")
        }
        rawValue = raw
    }
    public init(unchecked raw: String) { rawValue = raw }

    /// The département this commune belongs to (3 digits overseas).
    public var departement: DepartementCode {
        DepartementCode(unchecked: String(rawValue.prefix(rawValue.hasPrefix("97") ? 3 : 2)))
    }
}

/// French postcode: 5 digits. CEDEX codes are postcodes too, though La Poste's file omits them.
public struct Postcode: ValidatedCode {
    public let rawValue: String
    public init(_ raw: String) throws(CodeError) {
        guard raw.count == 5, isASCIIDigits(Substring(raw)) else {
            throw CodeError(kind: "code postal", value: raw, rule: "5 chiffres attendus")
        }
        rawValue = raw
    }
    public init(unchecked raw: String) { rawValue = raw }

    /// The département the postcode usually belongs to (Corsica's 20xxx is ambiguous: "20").
    public var departementPrefix: String {
        String(rawValue.prefix(rawValue.hasPrefix("97") ? 3 : 2))
    }
}

/// INSEE 2020 zone d'emploi ("bassin d'emploi") code: 4 digits, leading zeros kept ("0051").
public struct ZoneEmploiCode: ValidatedCode {
    public let rawValue: String
    public init(_ raw: String) throws(CodeError) {
        guard raw.count == 4, isASCIIDigits(Substring(raw)) else {
            throw CodeError(kind: "code de zone d'emploi", value: raw, rule: "4 chiffres attendus (par exemple 0051)")
        }
        rawValue = raw
    }
    public init(unchecked raw: String) { rawValue = raw }
}

/// SIRET establishment number: 14 digits passing the Luhn check
/// (La Poste's establishments, SIREN 356000000, use a digit-sum-multiple-of-5 rule instead).
public struct SIRET: ValidatedCode {
    public let rawValue: String
    public init(_ raw: String) throws(CodeError) {
        let compact = raw.filter { $0 != " " }
        guard compact.count == 14, isASCIIDigits(Substring(compact)) else {
            throw CodeError(kind: "SIRET", value: raw, rule: "14 chiffres attendus")
        }
        guard SIRET.checksumIsValid(compact) else {
            throw CodeError(kind: "SIRET", value: raw, rule: "la clé de contrôle (Luhn) est fausse")
        }
        rawValue = compact
    }
    public init(unchecked raw: String) { rawValue = raw }

    /// The SIREN (first 9 digits): the legal unit.
    public var siren: String { String(rawValue.prefix(9)) }

    static func checksumIsValid(_ digits: String) -> Bool {
        let values = digits.utf8.map { Int($0 - 48) }
        if digits.hasPrefix("356000000") {
            return values.reduce(0, +) % 5 == 0
        }
        return luhnSum(values) % 10 == 0
    }

    static func luhnSum(_ values: [Int]) -> Int {
        var sum = 0
        for (i, v) in values.reversed().enumerated() {
            if i % 2 == 1 {
                let d = v * 2
                sum += d > 9 ? d - 9 : d
            } else {
                sum += v
            }
        }
        return sum
    }

    /// Completes a 13-digit prefix with the Luhn check digit; used to build valid sample numbers.
    public static func completing(_ prefix13: String) -> SIRET {
        precondition(prefix13.count == 13 && isASCIIDigits(Substring(prefix13)))
        for d in 0...9 {
            let candidate = prefix13 + String(d)
            if luhnSum(candidate.utf8.map { Int($0 - 48) }) % 10 == 0 {
                return SIRET(unchecked: candidate)
            }
        }
        preconditionFailure("a Luhn digit always exists")
    }
}

/// A calendar day "YYYY-MM-DD" that exists (no 31 June), the form every decision date takes in records
/// and requests. Its text orders like the days it names.
public struct CalendarDay: ValidatedCode {
    public let rawValue: String
    public init(_ raw: String) throws(CodeError) {
        guard ISODay.parse(raw) != nil else {
            throw CodeError(kind: "date", value: raw, rule: "une date AAAA-MM-JJ qui existe est attendue")
        }
        rawValue = raw
    }
    public init(unchecked raw: String) { rawValue = raw }

    /// The day `date` falls on (UTC).
    public init(_ date: Date) { rawValue = ISODay.string(date) }

    /// The day's start (UTC).
    public var date: Date { ISODay.parse(rawValue)! }
}

/// An ISO 639 language code, as places list the languages spoken at reception: ISO 639-1 (two letters,
/// "br") or, for languages that have none, ISO 639-2/3 (three letters: "gcf" créole guadeloupéen, "rcf"
/// créole réunionnais). Lower case; a code written in capitals is folded. The one rule for languages:
/// the CSV import, the node's entry checks and the API all use it.
public struct LanguageCode: ValidatedCode {
    public let rawValue: String
    public init(_ raw: String) throws(CodeError) {
        let folded = raw.lowercased()
        guard (2...3).contains(folded.unicodeScalars.count), folded.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) }) else {
            throw CodeError(kind: "code de langue", value: raw,
                            rule: "un code ISO 639 de 2 lettres (br, en, ar) ou de 3 lettres s'il n'en a pas (gcf, rcf) est attendu")
        }
        rawValue = folded
    }
    public init(unchecked raw: String) { rawValue = raw }
}
