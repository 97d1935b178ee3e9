import Directory
import Foundation
import Reference

/// What an import of a file would change, found by running it in a transaction that is then rolled back:
/// the rows refused (by line and field, as the import reports them), the records it would add, and those it
/// would change with their field-by-field diff. Nothing is stored.
public struct ImportPreview: Sendable {
    /// The kinds of file the back office imports.
    public enum Kind: String, Sendable, CaseIterable {
        case places = "lieux", structures
        /// A Région's existing referenced list (reprise): structures that land as referenced.
        case referenced = "structures-referencees"

        var recordKind: RecordKind { self == .places ? .place : .structure }
        var label: String {
            switch self {
            case .places: "lieux d'accueil"
            case .structures: "structures"
            case .referenced: "structures déjà référencées (reprise)"
            }
        }
    }

    public struct Change: Sendable {
        public let id: String
        public let changes: [FieldChange]
    }

    public let kind: Kind
    public let report: ImportReport
    /// Ids of the records the import would add, in id order (the first `listed`), and how many in all.
    public let added: [String]
    public let addedCount: Int
    /// Records it would change (the first `listed`), and how many in all.
    public let changed: [Change]
    public let changedCount: Int

    static let listed = 200
}

/// Thrown to roll back a preview's transaction, carrying what it found.
struct PreviewRollback: Error {
    let preview: ImportPreview
}

extension NodeRepository {
    /// Every record of `kind` as stored JSON, by id.
    func jsonById(_ kind: RecordKind) throws -> [String: String] {
        var out: [String: String] = [:]
        for (id, json) in try rowsWithIds(kind) { out[id] = json }
        return out
    }

    /// What `run` (an import) changes to the records of `kind`, found inside a transaction that is rolled back.
    func preview(_ kind: ImportPreview.Kind, _ run: () throws -> ImportReport) throws -> ImportPreview {
        do {
            try write {
                let before = try jsonById(kind.recordKind)
                let report = try run()
                let after = try jsonById(kind.recordKind)
                var added: [String] = [], changed: [ImportPreview.Change] = []
                var addedCount = 0, changedCount = 0
                for (id, json) in after.sorted(by: { $0.key < $1.key }) {
                    guard let old = before[id] else {
                        addedCount += 1
                        if added.count < ImportPreview.listed { added.append(id) }
                        continue
                    }
                    guard old != json else { continue }
                    changedCount += 1
                    if changed.count < ImportPreview.listed {
                        changed.append(.init(id: id, changes: FieldDiff.changes(from: old, to: json)))
                    }
                }
                throw PreviewRollback(preview: ImportPreview(kind: kind, report: report, added: added, addedCount: addedCount,
                                                             changed: changed, changedCount: changedCount))
            }
        } catch let rollback as PreviewRollback {
            return rollback.preview
        }
        fatalError("a preview's transaction always rolls back")
    }
}
