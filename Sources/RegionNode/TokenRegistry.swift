import Foundation
import Signing

/// The node's access tokens: issued once (only their SHA-256 is kept), revoked, and resolved to the
/// caller they stand for.
struct TokenRegistry {
    let repository: NodeRepository

    /// Creates a token for `name` and returns it; only its SHA-256 is stored.
    func issue(name: String, role: Principal.Role, structureId: String?, by actor: Principal, at now: Date) throws -> String {
        guard role == .admin || structureId != nil else {
            throw RecordError.invalid(record: "jeton \(name)", field: "structureId", rule: "un jeton d'éditeur nomme sa structure")
        }
        var rng = SystemRandomNumberGenerator()
        let token = "spro_" + (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
        try repository.write {
            guard try !repository.tokenExists(name: name) else {
                throw RecordError.conflict("jeton \(name) : un jeton de ce nom existe déjà")
            }
            try repository.insertToken(hash: sha256Hex(Data(token.utf8)), name: name, role: role, structureId: structureId, at: now)
            try repository.audit(actor, "token.issue", "token/\(name)", before: nil, after: "{\"role\":\"\(role.rawValue)\",\"structureId\":\"\(structureId ?? "")\"}", at: now)
        }
        return token
    }

    /// Revokes the token named `name`: API calls and team sessions made with it are refused from now on.
    func revoke(name: String, by actor: Principal, at now: Date) throws {
        try repository.write {
            guard try repository.tokenExists(name: name) else {
                throw RecordError.notFound(kind: "jeton", id: name)
            }
            try repository.deleteToken(name: name)
            try repository.audit(actor, "token.revoke", "token/\(name)", before: nil, after: nil, at: now)
        }
    }

    /// The caller a token stands for, or nil if it is unknown.
    func principal(forToken token: String) throws -> Principal? {
        try principal(forTokenHash: sha256Hex(Data(token.utf8)))
    }

    /// The caller a stored token hash stands for (a team session keeps the hash, never the token).
    func principal(forTokenHash hash: String) throws -> Principal? {
        try repository.principal(forTokenHash: hash)
    }
}
