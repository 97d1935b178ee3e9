import Directory
import Foundation

/// Têtes de réseau: a structure may name the structure heading its network in the Région
/// (`Structure.networkHeadId`: the ARML for the Missions locales, the CRIJ for the Information Jeunesse
/// points...). Heads are structures of the node like any other: they hold a SIRET, a history and an
/// export record, and a structure may hold no place. The head's network is not required to be the
/// structure's own (a federation is not always of its members' network).
///
/// Checked at application, at edit and at its approval (the head may have withdrawn meanwhile), at
/// import (a structures file or a whole dataset, where the head may come a few lines up); refusals name
/// the field `networkHeadId` (422 in the admin API).
enum NetworkHeads {
    /// How far up a chain of heads the loop check looks (a Région's chains are one or two deep).
    static let maxDepth = 32

    /// Throws when `structure` names a head that is itself, that is neither on the node nor among
    /// `pending` (the structures of the same file or dataset, by id, with their own head, which take
    /// precedence over stored ones), that has withdrawn from the SPRO, or whose own chain of heads leads
    /// back to `structure`.
    static func check(_ structure: Structure, in repository: NodeRepository?, pending: [String: Structure] = [:]) throws {
        guard let headId = structure.networkHeadId else { return }
        let record = "structure \(structure.id)"
        func lookup(_ id: String) throws -> Structure? {
            if let s = pending[id] { return s }
            return try repository?.structure(id)
        }
        guard headId != structure.id else {
            throw RecordError.invalid(record: record, field: "networkHeadId", rule: "une structure n'est pas sa propre tête de réseau")
        }
        guard let head = try lookup(headId) else {
            throw RecordError.invalid(record: record, field: "networkHeadId",
                                      rule: "structure inconnue \(headId.prefix(80)) : la tête de réseau est une autre structure du nœud")
        }
        guard head.referencing.state != .withdrawn else {
            throw RecordError.invalid(record: record, field: "networkHeadId",
                                      rule: "la structure \(headId) s'est retirée du SPRO : elle ne peut pas être tête de réseau")
        }
        var chain = [structure.id, headId]
        var next = head.networkHeadId
        for _ in 0..<maxDepth {
            guard let id = next else { return }
            chain.append(id)
            if id == structure.id {
                throw RecordError.invalid(record: record, field: "networkHeadId",
                                          rule: "boucle de têtes de réseau : \(chain.joined(separator: " → "))")
            }
            next = try lookup(id)?.networkHeadId
        }
    }
}
