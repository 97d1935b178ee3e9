import Directory
import Foundation
import Referencing

/// Checks a structure or place before it is stored, naming the record and field at fault.
/// Types already enforce SIRET (Luhn), postcodes and commune code format when a body is decoded.
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
        try Self.plainText([("id", structure.id), ("name", structure.name), ("website", structure.website),
                            ("phone", structure.phone), ("email", structure.email)], record: record)
        guard !structure.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RecordError.invalid(record: record, field: "name", rule: "ne doit pas être vide")
        }
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
        try Self.plainText([("id", channel.id), ("name", channel.name), ("address", channel.address),
                            ("openingHours", channel.openingHours)], record: record)
        guard !channel.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RecordError.invalid(record: record, field: "name", rule: "ne doit pas être vide")
        }
        guard !channel.contributors.isEmpty else {
            throw RecordError.invalid(record: record, field: "contributors", rule: "un canal est animé par au moins une structure")
        }
        guard Set(channel.contributors).count == channel.contributors.count else {
            throw RecordError.invalid(record: record, field: "contributors", rule: "une structure figure deux fois")
        }
        let address = channel.address.trimmingCharacters(in: .whitespaces)
        switch channel.kind {
        case .telephone:
            let digits = address.filter(\.isNumber)
            guard address.allSatisfy({ $0.isNumber || " .+-()".contains($0) }), (4...15).contains(digits.count) else {
                throw RecordError.invalid(record: record, field: "address", rule: "\(address) n'est pas un numéro de téléphone")
            }
        case .tchat, .visio:
            guard address.hasPrefix("https://"), address.count > 8 else {
                throw RecordError.invalid(record: record, field: "address", rule: "un canal \(channel.kind.rawValue) se joint à une adresse https://")
            }
        case .courriel:
            let parts = address.split(separator: "@")
            guard parts.count == 2, parts[1].contains("."), !address.contains(" ") else {
                throw RecordError.invalid(record: record, field: "address", rule: "\(address) n'est pas une adresse électronique")
            }
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
        try Self.plainText([("id", place.id), ("name", place.name), ("address.city", place.address.city), ("phone", place.phone),
                            ("openingHours", place.openingHours)] + place.address.lines.map { ("address.lines", $0) }
                           + place.languages.map { ("languages", $0) }, record: record)
        guard !place.structures.isEmpty else {
            throw RecordError.invalid(record: record, field: "structures", rule: "un lieu relève d'au moins une structure")
        }
        if let code = place.address.communeCode, let known = knownCommunes, !known.contains(code.rawValue) {
            throw RecordError.invalid(record: record, field: "address.communeCode", rule: "code commune inconnu \(code.rawValue)")
        }
        if let region, let outside = territories?.outside(place, of: region) {
            throw RecordError.invalid(record: record, field: outside.field, rule: outside.rule)
        }
        if let text = place.openingHours {
            do { _ = try OpeningHours(text) } catch {
                throw RecordError.invalid(record: record, field: "openingHours", rule: error.description)
            }
        }
    }

    /// Refuses control characters (a NUL, a tab, a line break, an escape...) in a record's text: they come
    /// from broken files, and would reach every page, export and open-data file that shows the record.
    static func plainText(_ values: [(field: String, value: String?)], record: String) throws(RecordError) {
        for (field, value) in values {
            guard let value, let bad = value.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) else { continue }
            let code = String(bad.value, radix: 16, uppercase: true)
            throw RecordError.invalid(record: record, field: field,
                                      rule: "contient un caractère de contrôle (U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code)), interdit dans un texte")
        }
    }
}
