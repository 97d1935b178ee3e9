import Foundation

/// Who is calling the admin API, from the bearer token they presented.
public struct Principal: Sendable, Equatable {
    public enum Role: String, Sendable, Codable {
        /// The Région's SPRO team: everything on its node.
        case admin
        /// A structure's editor: its own structure and places only, published after validation.
        case editor
    }

    public let name: String
    public let role: Role
    /// For an editor, the structure they edit.
    public let structureId: String?

    public init(name: String, role: Role, structureId: String? = nil) {
        self.name = name
        self.role = role
        self.structureId = structureId
    }

    /// The node itself (automatic expiry, start-up imports).
    public static let system = Principal(name: "system", role: .admin)
}

/// A record the node cannot accept or find, or a state a request conflicts with. Domain errors: the
/// API maps them to 404, 422 and 409 at its edge (`NodeAPIError`), the CLI prints them.
public enum RecordError: Error, Equatable, CustomStringConvertible, Sendable {
    /// No such record.
    case notFound(kind: String, id: String)
    /// A record that breaks a rule, naming it and the field.
    case invalid(record: String, field: String, rule: String)
    /// A state the request conflicts with.
    case conflict(String)

    public var description: String {
        switch self {
        case .notFound(let kind, let id): "\(kind) \(id) : introuvable"
        case .invalid(let record, let field, let rule): "\(record) : \(field) : \(rule)"
        case .conflict(let why): why
        }
    }
}

/// One write on the node, as the audit log keeps it.
public struct AuditEntry: Sendable, Codable, Equatable {
    public let seq: Int
    public let at: String
    public let actor: String
    public let action: String
    public let target: String
    public let before: String?
    public let after: String?
}
