import Directory
import Foundation
import Referencing

/// A convention of the SPRO (L6111-5): the Région and the State (recteur, préfet) with the têtes de réseau
/// that sign it, on a day, with its document. Referencings name the convention they rest on.
public struct Convention: Codable, Sendable, Equatable {
    /// A party and the role it signs in.
    public struct Party: Codable, Sendable, Equatable {
        public enum Role: String, Codable, Sendable, CaseIterable {
            case region, recteur, prefet
            case teteDeReseau = "tete_de_reseau"
            case autre
        }
        public var role: Role
        public var name: String

        public init(role: Role, name: String) {
            self.role = role
            self.name = name
        }
    }

    public var id: String
    public var title: String
    /// The day it was signed (YYYY-MM-DD).
    public var signedOn: String
    public var parties: [Party]
    /// The signed text, stored on the node (`POST /api/v1/documents`), by its SHA-256.
    public var document: String?

    public init(id: String, title: String, signedOn: String, parties: [Party], document: String? = nil) {
        self.id = id
        self.title = title
        self.signedOn = signedOn
        self.parties = parties
        self.document = document
    }
}

/// Conventions: checked, stored once (a signed convention does not change), listed.
struct Conventions {
    let repository: NodeRepository

    /// The roles every SPRO convention has: the Région and the State's two signatories.
    static let requiredRoles: [Convention.Party.Role] = [.region, .recteur, .prefet]

    func add(_ c: Convention, by actor: Principal, at now: Date) throws {
        try AccessPolicy.require(actor, .manageConventions)
        let record = "convention \(c.id)"
        guard !c.id.isEmpty, c.id.count <= 64, c.id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            throw RecordError.invalid(record: record, field: "id", rule: "1 à 64 lettres, chiffres, - _ ou .")
        }
        let title = c.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...300).contains(title.count) else { throw RecordError.invalid(record: record, field: "title", rule: "un intitulé de 1 à 300 caractères") }
        guard ISODay.parse(c.signedOn) != nil else { throw RecordError.invalid(record: record, field: "signedOn", rule: "une date AAAA-MM-JJ") }
        guard c.signedOn <= ISODay.string(now) else { throw RecordError.invalid(record: record, field: "signedOn", rule: "\(c.signedOn) est dans le futur") }
        for (i, p) in c.parties.enumerated() where p.name.trimmingCharacters(in: .whitespaces).isEmpty || p.name.count > 200 {
            throw RecordError.invalid(record: record, field: "parties[\(i)].name", rule: "un nom de 1 à 200 caractères")
        }
        for role in Self.requiredRoles where !c.parties.contains(where: { $0.role == role }) {
            throw RecordError.invalid(record: record, field: "parties", rule: "une convention du SPRO est signée par la Région, le recteur et le préfet : il manque \(role.rawValue)")
        }
        if let sha = c.document, try repository.documentRef(sha) == nil {
            throw RecordError.invalid(record: record, field: "document", rule: "aucun document \(sha.prefix(80)) sur ce nœud : déposez-le d'abord (POST /api/v1/documents)")
        }
        try repository.write {
            guard try repository.convention(c.id) == nil else { throw RecordError.conflict("\(record) : déjà enregistrée ; une convention signée ne change pas (un avenant est une nouvelle convention)") }
            try repository.insertConvention(c)
            try repository.audit(actor, "convention.add", "convention/\(c.id)", before: nil, after: NodeRepository.json(c), at: now)
        }
    }
}
