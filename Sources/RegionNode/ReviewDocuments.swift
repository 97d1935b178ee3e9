import Foundation
import Referencing
import Signing

/// The documents a reviewer attaches as evidence of attested criteria (a signed attestation, a
/// training catalogue...): checked (kind, size, name), stored once by SHA-256, read back by the team.
/// They stay on the node: the export carries no document.
struct ReviewDocuments {
    let repository: NodeRepository

    /// The kinds of document accepted, by media type, with the French name used in refusals.
    static let mediaTypes: [String: String] = [
        "application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG", "text/plain": "texte",
        "application/vnd.oasis.opendocument.text": "OpenDocument texte",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (docx)",
    ]
    static let maximumBytes = 4 << 20

    /// Checks and stores `bytes`; returns the stored document's reference (the same for the same bytes).
    func store(_ bytes: Data, name: String, mediaType: String, by actor: Principal, at now: Date) throws -> DocumentRef {
        try AccessPolicy.require(actor, .attachDocuments)
        let type = mediaType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard Self.mediaTypes[type] != nil else {
            throw RecordError.invalid(record: "document", field: "mediaType",
                                     rule: "type « \(type.prefix(80)) » non accepté (acceptés : \(Self.mediaTypes.values.sorted().joined(separator: ", ")))")
        }
        guard !bytes.isEmpty, bytes.count <= Self.maximumBytes else {
            throw RecordError.invalid(record: "document", field: "size", rule: "un document fait entre 1 octet et \(Self.maximumBytes >> 20) Mio")
        }
        guard type != "application/pdf" || bytes.starts(with: Array("%PDF-".utf8)) else {
            throw RecordError.invalid(record: "document", field: "mediaType", rule: "le fichier ne commence pas comme un PDF (%PDF-)")
        }
        let cleaned = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !cleaned.isEmpty, cleaned.count <= 200,
              !cleaned.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || "/\\".unicodeScalars.contains($0) }) else {
            throw RecordError.invalid(record: "document", field: "name", rule: "un nom de fichier de 1 à 200 caractères, sans / ni \\ ni caractère de contrôle")
        }
        let ref = DocumentRef(sha256: sha256Hex(bytes), name: cleaned, mediaType: type, size: bytes.count)
        return try repository.write {
            try repository.storeDocument(bytes, ref: ref, by: actor.name, at: now)
            try repository.audit(actor, "document.store", "document/\(ref.sha256)", before: nil, after: ref.name, at: now)
            return try repository.documentRef(ref.sha256) ?? ref
        }
    }

    /// A stored document and its bytes, for the team.
    func read(_ sha256: String, by actor: Principal) throws -> (ref: DocumentRef, bytes: Data)? {
        try AccessPolicy.require(actor, .readDocuments)
        guard let ref = try repository.documentRef(sha256), let bytes = try repository.documentBytes(sha256) else { return nil }
        return (ref, bytes)
    }
}
