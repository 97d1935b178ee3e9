import Foundation

/// What a write's `If-Match` asks of the record it changes: that it exists (`*`) or that it is still at
/// one of the versions the client read (the ETags `"3"` or `W/"3"` a read gave it).
public enum VersionMatch: Sendable, Equatable {
    case any
    case versions([Int])

    /// Parses an `If-Match` header; nil for one that names no version this node wrote (then nothing matches).
    public init?(header: String) {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        if trimmed == "*" { self = .any; return }
        var versions: [Int] = []
        for part in trimmed.split(separator: ",") {
            var tag = part.trimmingCharacters(in: .whitespaces)
            if tag.hasPrefix("W/") { tag.removeFirst(2) }
            guard tag.count >= 3, tag.first == "\"", tag.last == "\"", let v = Int(tag.dropFirst().dropLast()) else { continue }
            versions.append(v)
        }
        self = .versions(versions)
    }

    /// Whether a record at `current` (nil: no such record) satisfies the condition.
    public func matches(_ current: Int?) -> Bool {
        guard let current else { return false }
        switch self {
        case .any: return true
        case .versions(let vs): return vs.contains(current)
        }
    }

    /// The strong ETag of a version.
    public static func etag(_ version: Int) -> String { "\"\(version)\"" }
}

/// A write refused because the record changed since the caller (or a proposal) read it.
public struct StaleVersion: Error, Equatable, CustomStringConvertible, Sendable {
    /// The record, in French ("lieu 53-P1").
    public let record: String
    /// The version now stored (nil: the record no longer exists).
    public let current: Int?
    /// For a proposal refused at approval: its id and the version it was made on.
    public let proposal: Int?
    public let base: Int?

    public var description: String {
        let now = current.map { "est à la version \($0)" } ?? "n'existe plus"
        if let proposal {
            let on = base.map { "la version \($0) de la fiche \(record)" } ?? "une fiche \(record) alors inexistante"
            return "modification \(proposal) : proposée sur \(on), qui \(now) depuis ;"
                + " la valider annulerait les changements faits entre-temps : refusez-la avec un motif et demandez une nouvelle proposition"
        }
        return "la fiche \(record) \(now) : la version que vous avez lue (If-Match) n'est plus la version en cours ; relisez la fiche puis refaites la modification"
    }
}
