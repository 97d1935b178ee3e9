import Directory
import Foundation
import Signing
import Storage

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
        case .notFound(let kind, let id): "\(kind) \(id): not found"
        case .invalid(let record, let field, let rule): "\(record): \(field): \(rule)"
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

extension NodeStore {
    /// Creates a token for `name` and returns it; only its SHA-256 is stored.
    public func issueToken(name: String, role: Principal.Role, structureId: String? = nil, by actor: Principal = .system,
                           at now: Date = Date()) throws -> String {
        guard role == .admin || structureId != nil else {
            throw RecordError.invalid(record: "token \(name)", field: "structureId", rule: "an editor token names its structure")
        }
        var rng = SystemRandomNumberGenerator()
        let token = "spro_" + (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
        try db.transaction {
            guard try db.queryFirst("SELECT 1 FROM tokens WHERE name = ?", name, map: { $0.int(0) }) == nil else {
                throw RecordError.conflict("token \(name): a token with this name exists")
            }
            try db.run("INSERT INTO tokens (token_hash, name, role, structure_id, created_at) VALUES (?, ?, ?, ?, ?)",
                       sha256Hex(Data(token.utf8)), name, role.rawValue, structureId, ISOInstant.string(now))
            try audit(actor, "token.issue", "token/\(name)", before: nil, after: "{\"role\":\"\(role.rawValue)\",\"structureId\":\"\(structureId ?? "")\"}", at: now)
        }
        return token
    }

    /// Revokes the token named `name`: API calls and team sessions made with it are refused from now on.
    public func revokeToken(name: String, by actor: Principal = .system, at now: Date = Date()) throws {
        try db.transaction {
            guard try db.queryFirst("SELECT 1 FROM tokens WHERE name = ?", name, map: { $0.int(0) }) != nil else {
                throw RecordError.notFound(kind: "token", id: name)
            }
            try db.run("DELETE FROM tokens WHERE name = ?", name)
            try audit(actor, "token.revoke", "token/\(name)", before: nil, after: nil, at: now)
        }
    }

    /// The caller a token stands for, or nil if it is unknown.
    public func principal(forToken token: String) throws -> Principal? {
        try principal(forTokenHash: sha256Hex(Data(token.utf8)))
    }

    /// The caller a stored token hash stands for (a team session keeps the hash, never the token).
    public func principal(forTokenHash hash: String) throws -> Principal? {
        try db.queryFirst("SELECT name, role, structure_id FROM tokens WHERE token_hash = ?", hash) {
            Principal(name: $0.string(0), role: Principal.Role(rawValue: $0.string(1)) ?? .editor, structureId: $0.optionalString(2))
        }
    }

    /// Appends to the audit log; call inside the write's transaction so both land or neither.
    func audit(_ actor: Principal, _ action: String, _ target: String, before: String?, after: String?, at now: Date) throws {
        try db.run("INSERT INTO audit_log (at, actor, action, target, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?)",
                   ISOInstant.string(now), actor.name, action, target, before, after)
    }

    /// The audit log, newest last, optionally for one target ("structure/53-ML-1").
    public func auditLog(target: String? = nil) throws -> [AuditEntry] {
        let sql = "SELECT seq, at, actor, action, target, before_json, after_json FROM audit_log"
            + (target == nil ? " WHERE ? = ''" : " WHERE target = ?") + " ORDER BY seq"
        let rows = try db.query(sql, target ?? "") {
            AuditEntry(seq: $0.int(0), at: $0.string(1), actor: $0.string(2), action: $0.string(3), target: $0.string(4),
                       before: $0.optionalString(5), after: $0.optionalString(6))
        }
        return rows
    }
}
