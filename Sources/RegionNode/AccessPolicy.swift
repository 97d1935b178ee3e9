import Foundation

/// Something a caller asks to do on the node, with what the decision depends on.
public enum NodeAction: Sendable, Equatable {
    // The Région's decisions: its SPRO team only.
    case adoptCharter
    case registerStructure
    case changeReferencing
    case expireReferencings
    case decideEdits
    case closeChannel
    case readAuditLog
    /// Storing a document as a review's evidence; reading one back.
    case attachDocuments
    case readDocuments
    /// Recording a convention; reading them (public texts: everyone).
    case manageConventions
    case readConventions
    case importRecords(String)
    /// Reading one structure's record.
    case readStructure(String)
    /// Reading a record (a place, a channel) staffed by `owners`.
    case read(kind: String, id: String, owners: [String])
    /// Reading the charters the Région adopted (public texts: everyone).
    case readCharters
    /// Reading a structure's referencing decision (with its motive and criteria) or its history.
    case readReferencing(String)
    /// Withdrawing a structure's own application (its editor, or the Région's team).
    case withdrawApplication(String)
    /// Proposing a change to a record (or closing it) staffed by `owners`, the structures it belongs to.
    case edit(kind: String, id: String, owners: [String])
    /// Confirming that a record staffed by `owners` is still accurate.
    case confirm(kind: String, id: String, owners: [String])
    /// Reporting indicator values for a record staffed by `owners`.
    case reportIndicators(kind: String, id: String, owners: [String])

    /// What is asked, in French, for refusals ("modifier le lieu 53-P1").
    var french: String {
        switch self {
        case .adoptCharter: "adopter un cahier des charges"
        case .registerStructure: "enregistrer une structure"
        case .changeReferencing: "modifier un référencement"
        case .expireReferencings: "faire expirer des référencements"
        case .decideEdits: "valider ou refuser des modifications"
        case .closeChannel: "fermer un canal"
        case .readAuditLog: "lire le journal d'audit"
        case .attachDocuments: "déposer un justificatif"
        case .readDocuments: "lire les justificatifs"
        case .manageConventions: "enregistrer une convention"
        case .readConventions: "lire les conventions"
        case .importRecords(let what): "importer des \(what)"
        case .readStructure(let id): "lire la structure \(id)"
        case .read(let kind, let id, _): "lire \(kind) \(id)"
        case .readCharters: "lire les cahiers des charges"
        case .readReferencing(let id): "lire le référencement de la structure \(id)"
        case .withdrawApplication(let id): "retirer la candidature de la structure \(id)"
        case .edit(let kind, let id, _): "modifier \(kind) \(id)"
        case .confirm(let kind, let id, _): "confirmer \(kind) \(id)"
        case .reportIndicators(let kind, let id, _): "déclarer des indicateurs pour \(kind) \(id)"
        }
    }
}

/// A caller acting outside their rights.
public struct AccessDenied: Error, Equatable, CustomStringConvertible, Sendable {
    public let principal: Principal
    public let action: NodeAction

    public var description: String {
        let who = principal.structureId.map { "\(principal.name) (éditeur de la structure \($0))" } ?? principal.name
        return "\(who) ne peut pas \(action.french) : "
            + (principal.role == .editor && principal.structureId != nil
                ? "un éditeur n'agit que sur les fiches de sa structure" : "réservé à l'équipe SPRO de la Région")
    }
}

/// Every permission on the node, decided in one place. The Région's team (admin) may do everything on
/// its node; a structure's editor reads and proposes changes to what concerns their own structure only,
/// and their changes wait for the Région's validation (the edit queue decides that, not this policy).
public enum AccessPolicy {
    public static func allows(_ principal: Principal, _ action: NodeAction) -> Bool {
        if principal.role == .admin { return true }
        guard let own = principal.structureId else { return false }
        switch action {
        case .readStructure(let id), .readReferencing(let id), .withdrawApplication(let id): return id == own
        case .edit(_, _, let owners), .confirm(_, _, let owners), .reportIndicators(_, _, let owners), .read(_, _, let owners):
            return owners.contains(own)
        case .readCharters, .readConventions: return true
        case .adoptCharter, .registerStructure, .changeReferencing, .expireReferencings, .decideEdits, .closeChannel,
             .readAuditLog, .importRecords, .attachDocuments, .readDocuments, .manageConventions:
            return false
        }
    }

    /// Throws `AccessDenied` unless the caller may act.
    public static func require(_ principal: Principal, _ action: NodeAction) throws {
        guard allows(principal, action) else { throw AccessDenied(principal: principal, action: action) }
    }

    /// Whose records a caller's lists hold: nil for every record (the Région's team), else the structure
    /// whose records an editor sees (an editor without a structure sees none).
    public static func listedOwner(_ principal: Principal) -> String? {
        principal.role == .admin ? nil : principal.structureId ?? ""
    }

    /// Whether a caller sees a record staffed by `owners` in lists (quality, edit queue).
    public static func sees(_ principal: Principal, owners: [String]) -> Bool {
        principal.role == .admin || owners.contains(principal.structureId ?? "")
    }
}
