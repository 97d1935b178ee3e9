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

    public init(knownCommunes: Set<String>? = nil, cepOperators: NationalCEPOperators = .current, indicators: IndicatorCatalogue? = nil) {
        self.knownCommunes = knownCommunes
        self.cepOperators = cepOperators
        self.indicators = indicators
    }

    /// Checks a charter's required indicators against the catalogue, if any.
    public func validate(_ charter: Charter) throws(RecordError) {
        if let problem = indicators?.problems(in: charter).first {
            throw RecordError.invalid(record: "charter v\(charter.version)", field: problem.field, rule: problem.rule)
        }
    }

    public func validate(_ structure: Structure) throws(RecordError) {
        let record = "structure \(structure.id)"
        guard !structure.id.isEmpty else { throw RecordError.invalid(record: "structure", field: "id", rule: "must not be empty") }
        guard !structure.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RecordError.invalid(record: record, field: "name", rule: "must not be empty")
        }
        if structure.basis == .cepOperatorByLaw && !cepOperators.lists(structure.network) {
            throw RecordError.invalid(record: record, field: "basis",
                                     rule: "network \(structure.network.rawValue) is not on the national CEP operator list v\(cepOperators.version)")
        }
        switch (structure.basis, structure.designation) {
        case (.regionalCEPOperator, nil):
            throw RecordError.invalid(record: record, field: "designation",
                                     rule: "a regional CEP operator needs its designation record (decision date, CREFOP consultation)")
        case (.regionalCEPOperator, let d?):
            guard let decided = ISODay.parse(d.decidedOn) else {
                throw RecordError.invalid(record: record, field: "designation.decidedOn", rule: "must be a date YYYY-MM-DD")
            }
            guard let consulted = ISODay.parse(d.crefopConsultedOn) else {
                throw RecordError.invalid(record: record, field: "designation.crefopConsultedOn", rule: "must be a date YYYY-MM-DD")
            }
            guard consulted <= decided else {
                throw RecordError.invalid(record: record, field: "designation.crefopConsultedOn",
                                         rule: "the CREFOP is consulted before the decision (\(d.decidedOn))")
            }
        case (_, .some):
            throw RecordError.invalid(record: record, field: "designation", rule: "only a regional CEP operator has a designation record")
        case (_, nil):
            break
        }
    }

    /// A channel: named, staffed by at least one structure (each once), reachable at an address that fits its kind.
    public func validate(_ channel: Channel) throws(RecordError) {
        let record = "channel \(channel.id)"
        guard !channel.id.isEmpty else { throw RecordError.invalid(record: "channel", field: "id", rule: "must not be empty") }
        guard !channel.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RecordError.invalid(record: record, field: "name", rule: "must not be empty")
        }
        guard !channel.contributors.isEmpty else {
            throw RecordError.invalid(record: record, field: "contributors", rule: "a channel is staffed by at least one structure")
        }
        guard Set(channel.contributors).count == channel.contributors.count else {
            throw RecordError.invalid(record: record, field: "contributors", rule: "a structure is listed twice")
        }
        let address = channel.address.trimmingCharacters(in: .whitespaces)
        switch channel.kind {
        case .telephone:
            let digits = address.filter(\.isNumber)
            guard address.allSatisfy({ $0.isNumber || " .+-()".contains($0) }), (4...15).contains(digits.count) else {
                throw RecordError.invalid(record: record, field: "address", rule: "\(address) is not a phone number")
            }
        case .tchat, .visio:
            guard address.hasPrefix("https://"), address.count > 8 else {
                throw RecordError.invalid(record: record, field: "address", rule: "a \(channel.kind.rawValue) is reached at an https:// address")
            }
        case .courriel:
            let parts = address.split(separator: "@")
            guard parts.count == 2, parts[1].contains("."), !address.contains(" ") else {
                throw RecordError.invalid(record: record, field: "address", rule: "\(address) is not an e-mail address")
            }
        }
        if let text = channel.openingHours {
            do { _ = try OpeningHours(text) } catch {
                throw RecordError.invalid(record: record, field: "openingHours", rule: error.description)
            }
        }
    }

    public func validate(_ place: Place) throws(RecordError) {
        let record = "place \(place.id)"
        guard !place.id.isEmpty else { throw RecordError.invalid(record: "place", field: "id", rule: "must not be empty") }
        guard !place.structures.isEmpty else {
            throw RecordError.invalid(record: record, field: "structures", rule: "a place belongs to at least one structure")
        }
        if let code = place.address.communeCode, let known = knownCommunes, !known.contains(code.rawValue) {
            throw RecordError.invalid(record: record, field: "address.communeCode", rule: "unknown commune code \(code.rawValue)")
        }
        if let text = place.openingHours {
            do { _ = try OpeningHours(text) } catch {
                throw RecordError.invalid(record: record, field: "openingHours", rule: error.description)
            }
        }
    }
}
