import Directory
import Foundation
import Referencing

/// Checks a structure or place before it is stored, naming the record and field at fault.
/// Types already enforce SIRET (Luhn), postcodes and commune code format when a body is decoded; with
/// `territories`, a postcode must also exist and serve the place's commune (`PostcodeRule`, the rule the
/// harvest's anomalies apply). One SIRET per structure needs the node's records: see `UniqueSIRET`.
public struct RecordValidator: Sendable {
    /// INSEE codes of the communes that exist (from the reference pack); nil skips that check.
    public let knownCommunes: Set<String>?
    public let cepOperators: NationalCEPOperators
    /// The indicator definitions reported values must follow; nil checks only the general rules
    /// (period format, finite non-negative value, percentages at most 100).
    public let indicators: IndicatorCatalogue?
    /// Where each Région's places may lie; nil skips that check.
    public let territories: Territories?
    /// The Région whose node checks the records (set by the node: see `within`); nil skips the territory check.
    public private(set) var region: RegionCode?

    public init(knownCommunes: Set<String>? = nil, cepOperators: NationalCEPOperators = .current, indicators: IndicatorCatalogue? = nil,
                territories: Territories? = nil) {
        self.knownCommunes = knownCommunes
        self.cepOperators = cepOperators
        self.indicators = indicators
        self.territories = territories
    }

    /// The same checks, on the records of `region`'s node: its places must lie in its territory.
    public func within(_ region: RegionCode) -> RecordValidator {
        var v = self
        v.region = region
        return v
    }

    /// Checks a charter's required indicators against the catalogue, if any.
    public func validate(_ charter: Charter) throws(RecordError) {
        if let problem = indicators?.problems(in: charter).first {
            throw RecordError.invalid(record: "cahier des charges v\(charter.version)", field: problem.field, rule: problem.rule)
        }
    }

    public func validate(_ structure: Structure) throws(RecordError) {
        let record = "structure \(structure.id)"
        guard !structure.id.isEmpty else { throw RecordError.invalid(record: "structure", field: "id", rule: "ne doit pas être vide") }
        try Self.texts([("id", structure.id, nil), ("name", structure.name, FieldBounds.name), ("website", structure.website, FieldBounds.url),
                        ("phone", structure.phone, FieldBounds.phone), ("email", structure.email, FieldBounds.email)], record: record)
        guard !structure.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RecordError.invalid(record: record, field: "name", rule: "ne doit pas être vide")
        }
        try identifier(structure.id, record: record)
        if let head = structure.networkHeadId {
            // Whether the head exists, stays in the SPRO and makes no loop needs the node's records: `NetworkHeads`.
            try Self.texts([("networkHeadId", head, FieldBounds.id)], record: record)
            guard head != structure.id else {
                throw RecordError.invalid(record: record, field: "networkHeadId", rule: "une structure n'est pas sa propre tête de réseau")
            }
        }
        if let website = structure.website { try Self.webAddress(website, field: "website", record: record) }
        if let email = structure.email { try Self.email(email, field: "email", record: record) }
        if let phone = structure.phone { try Self.phone(phone, field: "phone", record: record) }
        if structure.basis == .cepOperatorByLaw && !cepOperators.lists(structure.network) {
            throw RecordError.invalid(record: record, field: "basis",
                                     rule: "le réseau \(structure.network.rawValue) n'est pas sur la liste nationale des opérateurs du CEP v\(cepOperators.version)")
        }
        switch (structure.basis, structure.designation) {
        case (.regionalCEPOperator, nil):
            throw RecordError.invalid(record: record, field: "designation",
                                     rule: "un opérateur régional du CEP a besoin de sa désignation (date de décision, consultation du CREFOP)")
        case (.regionalCEPOperator, let d?):
            guard let decided = ISODay.parse(d.decidedOn) else {
                throw RecordError.invalid(record: record, field: "designation.decidedOn", rule: "doit être une date AAAA-MM-JJ")
            }
            guard let consulted = ISODay.parse(d.crefopConsultedOn) else {
                throw RecordError.invalid(record: record, field: "designation.crefopConsultedOn", rule: "doit être une date AAAA-MM-JJ")
            }
            guard consulted <= decided else {
                throw RecordError.invalid(record: record, field: "designation.crefopConsultedOn",
                                         rule: "le CREFOP est consulté avant la décision (\(d.decidedOn))")
            }
        case (_, .some):
            throw RecordError.invalid(record: record, field: "designation", rule: "seul un opérateur régional du CEP a une désignation")
        case (_, nil):
            break
        }
    }

    /// A channel: named, staffed by at least one structure (each once), reachable at an address that fits its kind.
    public func validate(_ channel: Channel) throws(RecordError) {
        let record = "canal \(channel.id)"
        guard !channel.id.isEmpty else { throw RecordError.invalid(record: "canal", field: "id", rule: "ne doit pas être vide") }
        try Self.texts([("id", channel.id, nil), ("name", channel.name, FieldBounds.name), ("address", channel.address, FieldBounds.url),
                        ("openingHours", channel.openingHours, FieldBounds.hours)], record: record)
        guard !channel.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RecordError.invalid(record: record, field: "name", rule: "ne doit pas être vide")
        }
        try identifier(channel.id, record: record)
        guard !channel.contributors.isEmpty else {
            throw RecordError.invalid(record: record, field: "contributors", rule: "un canal est animé par au moins une structure")
        }
        guard Set(channel.contributors).count == channel.contributors.count else {
            throw RecordError.invalid(record: record, field: "contributors", rule: "une structure figure deux fois")
        }
        let address = channel.address.trimmingCharacters(in: .whitespaces)
        switch channel.kind {
        case .telephone:
            try Self.phone(address, field: "address", record: record)
        case .tchat, .visio:
            try Self.webAddress(address, field: "address", record: record)
            guard address.lowercased().hasPrefix("https://") else {
                throw RecordError.invalid(record: record, field: "address", rule: "un canal \(channel.kind.rawValue) se joint à une adresse https://")
            }
        case .courriel:
            try Self.email(address, field: "address", record: record)
        }
        if let text = channel.openingHours {
            do { _ = try OpeningHours(text) } catch {
                throw RecordError.invalid(record: record, field: "openingHours", rule: error.description)
            }
        }
    }

    public func validate(_ place: Place) throws(RecordError) {
        let record = "lieu \(place.id)"
        guard !place.id.isEmpty else { throw RecordError.invalid(record: "lieu", field: "id", rule: "ne doit pas être vide") }
        try Self.texts([("id", place.id, nil), ("name", place.name, FieldBounds.name), ("address.city", place.address.city, FieldBounds.city),
                        ("phone", place.phone, FieldBounds.phone), ("openingHours", place.openingHours, FieldBounds.hours)]
                       + place.address.lines.map { ("address.lines", $0, FieldBounds.line) }
                       + place.languages.map { ("languages", $0, nil) }, record: record)
        guard !place.structures.isEmpty else {
            throw RecordError.invalid(record: record, field: "structures", rule: "un lieu relève d'au moins une structure")
        }
        try identifier(place.id, record: record)
        guard !place.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RecordError.invalid(record: record, field: "name", rule: "ne doit pas être vide")
        }
        guard place.address.lines.count <= FieldBounds.addressLines else {
            throw RecordError.invalid(record: record, field: "address.lines",
                                      rule: "\(place.address.lines.count) lignes d'adresse : \(FieldBounds.addressLines) au plus")
        }
        if let phone = place.phone { try Self.phone(phone, field: "phone", record: record) }
        for language in place.languages {
            do { _ = try LanguageCode(language) } catch { throw RecordError.invalid(record: record, field: "languages", rule: error.description) }
        }
        if let point = place.coordinates {
            // The harvest sets impossible coordinates aside; the node refuses them at entry.
            do { _ = try GeoPoint.validated(lat: point.lat, lon: point.lon) } catch {
                throw RecordError.invalid(record: record, field: "coordinates", rule: error.description)
            }
        }
        let hosts = place.structures.filter(\.isHost).count
        guard hosts == 1 else {
            throw RecordError.invalid(record: record, field: "structures",
                                      rule: hosts == 0 ? "une structure accueille le lieu (isHost) : aucune ne l'est"
                                                       : "une seule structure accueille le lieu (isHost) : \(hosts) le sont")
        }
        if let code = place.address.communeCode, let known = knownCommunes, !known.contains(code.rawValue) {
            throw RecordError.invalid(record: record, field: "address.communeCode", rule: "code commune inconnu \(code.rawValue)")
        }
        if let region, let point = place.coordinates, let problem = territories?.coordinatesProblem(point, of: region) {
            throw RecordError.invalid(record: record, field: "coordinates", rule: problem)
        }
        if let region, let outside = territories?.outside(place, of: region) {
            throw RecordError.invalid(record: record, field: outside.field, rule: outside.rule)
        }
        if let problem = territories?.postcodeProblem(place) {
            throw RecordError.invalid(record: record, field: problem.field, rule: problem.rule)
        }
        if let text = place.openingHours {
            do { _ = try OpeningHours(text) } catch {
                throw RecordError.invalid(record: record, field: "openingHours", rule: error.description)
            }
        }
    }

    /// Each text of a record, in one pass: no control character (a NUL, a tab, a line break, an escape...:
    /// they come from broken files, and would reach every page, export and open-data file that shows the
    /// record), and no longer than its bound (`nil`: bounded by another rule, as ids are).
    static func texts(_ values: [(field: String, value: String?, max: Int?)], record: String) throws(RecordError) {
        for (field, value, max) in values {
            guard let value else { continue }
            if let bad = value.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
                let code = String(bad.value, radix: 16, uppercase: true)
                throw RecordError.invalid(record: record, field: field,
                                          rule: "contient un caractère de contrôle (U+\(String(repeating: "0", count: Swift.max(0, 4 - code.count)) + code)), interdit dans un texte")
            }
            if let max, value.count > max {
                throw RecordError.invalid(record: record, field: field, rule: "\(value.count) caractères : \(max) au plus")
            }
        }
    }

    /// An id: short, of letters, digits, `-`, `_` and `.`, and on a Région's node, prefixed with its code
    /// ("53-...") so that ids stay unique across the national directory.
    private func identifier(_ id: String, record: String) throws(RecordError) {
        guard id.count <= FieldBounds.id, id.unicodeScalars.allSatisfy(FieldBounds.idCharacters.contains) else {
            throw RecordError.invalid(record: record, field: "id",
                                      rule: "\(FieldBounds.id) caractères au plus, lettres sans accent, chiffres, « - », « _ » ou « . »")
        }
        if let region, !id.hasPrefix("\(region.rawValue)-") {
            throw RecordError.invalid(record: record, field: "id", rule: "commence par le code de la région, « \(region.rawValue)- »")
        }
    }

    /// A web address the public can open: `http` or `https`, with a host.
    static func webAddress(_ text: String, field: String, record: String) throws(RecordError) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = url.host, !host.isEmpty else {
            throw RecordError.invalid(record: record, field: field, rule: "\(text) n'est pas une adresse web http:// ou https://")
        }
    }

    /// An e-mail address (`FieldBounds.isEmail`).
    static func email(_ text: String, field: String, record: String) throws(RecordError) {
        guard FieldBounds.isEmail(text) else {
            throw RecordError.invalid(record: record, field: field, rule: "\(text) n'est pas une adresse électronique")
        }
    }

    /// A phone number (`FieldBounds.isPhone`).
    static func phone(_ text: String, field: String, record: String) throws(RecordError) {
        guard FieldBounds.isPhone(text) else {
            throw RecordError.invalid(record: record, field: field, rule: "\(text) n'est pas un numéro de téléphone")
        }
    }
}

/// The bounds of a record's fields at entry.
enum FieldBounds {
    static let id = 64
    static let name = 200
    static let line = 200
    static let addressLines = 5
    static let city = 100
    static let url = 500
    static let email = 254
    static let phone = 30
    static let hours = 500
    static let idCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")

    /// `local@domain.tld`, without spaces.
    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return false }
        return !text.contains(where: \.isWhitespace)
    }

    /// A French or international number: digits with spaces, dots, dashes or parentheses, an optional
    /// leading `+`, 3 to 15 digits (short numbers such as 3949 included).
    static func isPhone(_ text: String) -> Bool {
        let body = text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        guard body.allSatisfy({ $0.isASCII && ($0.isNumber || " .-()".contains($0)) }) else { return false }
        let digits = body.filter(\.isNumber).count
        return (3...15).contains(digits)
    }
}
