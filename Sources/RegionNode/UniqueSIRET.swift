import Directory
import Foundation

/// One SIRET, one structure: a structure whose SIRET another structure of the node already holds is
/// refused (422, field `siret`, naming the other structure), at application, at edit and its approval,
/// and at import (within one file too).
///
/// Decision: every structure counts, whatever its referencing state, except a withdrawn one
/// (`withdrawn`: it has left the SPRO, and the establishment may come back under a new id). A rejected,
/// expired or suspended structure keeps its SIRET: the establishment applies again under its own id.
enum UniqueSIRET {
    /// The states whose structures no longer hold their SIRET.
    static let releasedBy: Set<ReferencingState> = [.withdrawn]

    /// Throws when another structure of `repository` (not `structure.id`) holds `structure`'s SIRET.
    static func check(_ structure: Structure, in repository: NodeRepository) throws {
        guard let siret = structure.siret else { return }
        if let other = try repository.structures(withSIRET: siret).first(where: { $0.id != structure.id && !releasedBy.contains($0.referencing.state) }) {
            throw refusal(structure, holder: other.id, holderName: other.name)
        }
    }

    /// The refusal naming the structure and the one that holds the SIRET.
    static func refusal(_ structure: Structure, holder: String, holderName: String?) -> RecordError {
        RecordError.invalid(record: "structure \(structure.id)", field: "siret",
                            rule: "le SIRET \(structure.siret?.rawValue ?? "") est déjà celui de la structure \(holder)"
                                + (holderName.map { " (« \($0) »)" } ?? "") + " : une structure par SIRET")
    }
}

extension NodeRepository {
    /// The stored structures whose SIRET is `siret`.
    func structures(withSIRET siret: SIRET) throws -> [Structure] {
        try structures(containing: siret.rawValue).filter { $0.siret == siret }
    }
}
