import Directory
import Foundation
import Signing
import Storage

/// Publishes the node's signed export. A new version is made only when the public content changed, or
/// when the last export has used up half its lifetime (so harvesters never see it expire). Records
/// published before and absent now become tombstones, kept in every later export.
/// Owned by the `NodeStore` actor, which tells it when the records changed (`invalidate`).
final class Publisher {
    private let repository: NodeRepository
    private let region: RegionCode
    private let key: SigningKey
    /// How long an export stays valid after it is generated.
    let exportLifetime: TimeInterval
    private var cached: PublishedExport?

    init(repository: NodeRepository, region: RegionCode, key: SigningKey, exportLifetime: TimeInterval) {
        self.repository = repository
        self.region = region
        self.key = key
        self.exportLifetime = exportLifetime
    }

    /// Forgets the export in hand: the next `currentExport` compares the records with the last publication.
    func invalidate() { cached = nil }

    /// How long publishing waits for another connection's write lock before serving the last export.
    static let lockWait: Int32 = 250

    /// The current signed export. While another connection holds the database (a long import from the
    /// command line), the last published export is served as long as it is valid, its exact bytes as they
    /// were signed; with none, the busy error (a 503 with `Retry-After` at the API).
    func currentExport(now: Date) throws -> PublishedExport {
        if let cached, cached.keyId == key.keyId, cached.expiresAt.timeIntervalSince(now) > exportLifetime / 2 { return cached }
        do {
            let published = try repository.write(waitingAtMost: Self.lockWait) { try publish(now: now) }
            cached = published
            return published
        } catch let error as SQLiteError where error.isBusy {
            // A WAL reader never waits for the writer: the last publication is at hand.
            if let last = try repository.read({ try repository.lastExport() }), last.expiresAt > now { return last }
            throw error
        }
    }

    /// Call inside a write transaction.
    private func publish(now: Date) throws -> PublishedExport {
        let all = try repository.loadAll()
        var payload = PublicView.payload(charters: all.charters, structures: all.structures, places: all.places,
                                         indicators: all.indicators, tombstones: all.tombstones, channels: all.channels)
        let liveNow = Set(payload.structures.map { "structure/\($0.id)" } + payload.places.map { "place/\($0.id)" }
                          + payload.channels.map { "channel/\($0.id)" })
        var added = false
        for (kind, id) in try repository.published() where !liveNow.contains("\(kind)/\(id)") {
            try repository.addTombstone(kind: kind, id: id, at: now, motive: "n'est plus publié par la Région")
            added = true
        }
        if added {
            payload = PublicView.payload(charters: all.charters, structures: all.structures, places: all.places,
                                         indicators: all.indicators, tombstones: try repository.tombstones(), channels: all.channels)
        }
        try repository.replacePublished(payload.structures.map { ("structure", $0.id) } + payload.places.map { ("place", $0.id) }
                                        + payload.channels.map { ("channel", $0.id) })

        let encoded = try EncodedPayload(payload)
        let hash = encoded.contentHash
        let last = try repository.lastExport()
        // Unchanged content keeps its version, unless the key changed (rotation) or expiry nears.
        if let last, last.contentHash == hash, last.keyId == key.keyId, last.expiresAt.timeIntervalSince(now) > exportLifetime / 2 {
            return last
        }
        let version = (last?.version ?? 0) + 1
        // Instants are published to the second; the stored export says exactly what its body says.
        let generatedAt = ISOInstant.parse(ISOInstant.string(now)) ?? now
        let expiresAt = ISOInstant.parse(ISOInstant.string(now.addingTimeInterval(exportLifetime))) ?? now
        let body = try encoded.document(region: region, version: version, generatedAt: generatedAt, expiresAt: expiresAt, keyId: key.keyId)
        let export = PublishedExport(version: version, body: body, signature: key.sign(body).encoded(), contentHash: hash,
                                     generatedAt: generatedAt, expiresAt: expiresAt, keyId: key.keyId)
        try repository.insertExport(export)
        return export
    }
}
