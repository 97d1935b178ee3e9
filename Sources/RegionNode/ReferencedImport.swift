import Directory
import Foundation
import Reference
import Referencing

/// A structure the Région referenced before the node existed, as a reprise file lists it: the structure, the
/// day the referencing was decided, the charter version it was granted under, and the convention it rests on.
public struct ExistingReferencing: Sendable, Equatable {
    public var structure: Structure
    public var decidedOn: String
    public var charterVersion: Int?
    public var convention: String
}

/// Reads a Région's existing referenced list: the structure columns of `StructureCSV`, plus `referenced_on`
/// (YYYY-MM-DD, required), `convention` (required: the convention the referencing rests on) and
/// `charter_version` (default: the newest adopted; ignored for a structure taking part by law).
public enum ReferencedStructureCSV {
    public static let requiredColumns = StructureCSV.requiredColumns + ["referenced_on", "convention"]

    public static func rows(_ source: CSVSource) -> ImportRows<ExistingReferencing> {
        ImportCSVRow.rows(source, required: requiredColumns, name: { row in row.optional("id").map { "structure \($0)" } ?? "structure (sans identifiant)" }) { row in
            guard let structure = StructureCSV.read(&row), let day = row.required("referenced_on") else { return nil }
            guard ISODay.parse(day) != nil else { row.fail("referenced_on", "\(day) n'est pas une date AAAA-MM-JJ"); return nil }
            guard let convention = row.required("convention") else { return nil }
            var version: Int?
            if let raw = row.optional("charter_version") {
                guard let v = Int(raw), v >= 1 else { row.fail("charter_version", "\(raw) n'est pas un numéro de version"); return nil }
                version = v
            }
            return ExistingReferencing(structure: structure, decidedOn: day, charterVersion: version, convention: convention)
        }
    }
}

extension Importer {
    /// Imports a Région's existing referenced list in one pass: each new structure lands as `referenced` on the
    /// day it was decided, under its charter (validity counted from that day), with one event that says it is a
    /// reprise and that the criteria were not examined again; entry rules (fields, territory, SIRET,
    /// impartiality) are checked as for any structure. A structure the node already holds is refused (its
    /// referencing is the workflow's).
    func importReferenced(_ input: ImportRows<ExistingReferencing>, validator: RecordValidator, allOrNothing: Bool,
                          by actor: Principal, at now: Date = Date()) throws -> ImportReport {
        let charters = try repository.charters()
        let today = ISODay.string(now)
        var siretsInFile: [SIRET: String] = [:]
        // The file's structures checked so far (as they will land, referenced), for a tête de réseau a few lines up.
        var inFile: [String: Structure] = [:]
        return try bulkImport(input, allOrNothing: allOrNothing, by: actor, what: "structures référencées", key: { "structure \($0.structure.id)" }) { row in
            let s = row.structure
            let record = "structure \(s.id)"
            try validator.validate(s)
            try ReferencingWorkflow.requireImpartiality(s)
            if let siret = s.siret {
                if let other = siretsInFile[siret], other != s.id { throw UniqueSIRET.refusal(s, holder: other, holderName: other) }
                try UniqueSIRET.check(s, in: repository)
                siretsInFile[siret] = s.id
            }
            guard try repository.structure(s.id) == nil else {
                throw RecordError.invalid(record: record, field: "id", rule: "structure déjà connue du nœud : son référencement suit le circuit de décision")
            }
            try NetworkHeads.check(s, in: repository, pending: inFile)
            var landing = s
            landing.referencing = PublicReferencing(state: .referenced, charterVersion: nil, since: row.decidedOn, validUntil: nil)
            guard row.decidedOn <= today else {
                throw RecordError.invalid(record: record, field: "referenced_on", rule: "\(row.decidedOn) est dans le futur")
            }
            guard !s.basis.isByLaw else { inFile[s.id] = landing; return }
            let version = row.charterVersion ?? charters.map(\.version).max()
            guard let version, let charter = charters.first(where: { $0.version == version }) else {
                throw RecordError.invalid(record: record, field: "charter_version", rule: row.charterVersion.map { "aucun cahier des charges v\($0) adopté sur ce nœud" }
                                             ?? "aucun cahier des charges adopté sur ce nœud : adoptez-le avant la reprise")
            }
            let end = ISODay.string(ISODay.adding(months: charter.referencingValidityMonths, to: ISODay.parse(row.decidedOn)!))
            guard end >= today else {
                throw RecordError.invalid(record: record, field: "referenced_on",
                                         rule: "référencement décidé le \(row.decidedOn) pour \(charter.referencingValidityMonths) mois : échu le \(end), à renouveler par une nouvelle candidature")
            }
            inFile[s.id] = landing
        } store: { row in
            var s = row.structure
            let byLaw = s.basis.isByLaw
            let version = byLaw ? nil : row.charterVersion ?? charters.map(\.version).max()
            let months = charters.first { $0.version == version }?.referencingValidityMonths
            let end = months.map { ISODay.string(ISODay.adding(months: $0, to: ISODay.parse(row.decidedOn)!)) }
            // The `convention` column names a convention recorded on the node (its id) or, for one signed before
            // the node kept them, describes it in words.
            let recorded = try repository.convention(row.convention)
            s.referencing = PublicReferencing(state: .referenced, charterVersion: version, since: row.decidedOn, validUntil: end,
                                              convention: recorded.map { ConventionReference(id: $0.id, signedOn: CalendarDay(unchecked: $0.signedOn)) })
            var event = ReferencingEvent(structureId: s.id, at: ISOInstant.string(now), effectiveOn: row.decidedOn, actor: actor.name,
                                         from: nil, to: .referenced,
                                         motive: "reprise de l'existant : référencé le \(row.decidedOn) (\(row.convention)) ; critères non réexaminés à l'import",
                                         charterVersion: version, validUntil: end, criteria: [],
                                         signatories: recorded.map { $0.parties.map(\.name) } ?? [row.convention])
            event.conventionId = recorded?.id
            try repository.writeStructure(s, at: now)
            try repository.appendEvent(event)
            try repository.audit(actor, "structure.import.referenced", "structure/\(s.id)", before: nil, after: NodeRepository.json(s), at: now)
            return true
        }
    }
}
