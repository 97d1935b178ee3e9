import Directory
import Foundation
import PerformanceKit
import Signing
import Storage

/// A region node's store: its charters, structures, places and indicators in one SQLite file,
/// and the signed exports it has published. One actor owns the connection.
public actor NodeStore {
    public let region: Region
    let db: Database
    private let key: SigningKey
    /// How long an export stays valid after it is generated.
    public let exportLifetime: TimeInterval
    var cached: PublishedExport?

    /// Opens (creating and migrating if needed) the node's database.
    public init(region: Region, databasePath: String, key: SigningKey, exportLifetime: TimeInterval = 7 * 86_400) throws {
        guard key.region == region.code else {
            throw NodeError.keyForAnotherRegion(key: key.keyId, keyRegion: key.region, node: region.code)
        }
        self.region = region
        self.db = try Database(path: databasePath)
        self.key = key
        self.exportLifetime = exportLifetime
        try db.migrate(NodeSchema.migrations)
    }

    // MARK: - Records

    /// Replaces the node's charters with `charters` (each version is immutable: a changed version is refused).
    public func adoptCharters(_ charters: [Charter], by actor: Principal = .system, at now: Date = Date()) throws {
        let encoder = SproJSON.encoder()
        try db.transaction {
            for c in charters {
                guard c.region == region.code else { throw NodeError.charterForAnotherRegion(version: c.version, region: c.region) }
                let json = String(decoding: try encoder.encode(c), as: UTF8.self)
                if let existing = try db.queryFirst("SELECT json FROM charters WHERE version = ?", c.version, map: { $0.string(0) }) {
                    guard existing == json else { throw NodeError.charterVersionIsImmutable(version: c.version) }
                    continue
                }
                try db.run("INSERT INTO charters (version, json) VALUES (?, ?)", c.version, json)
                try audit(actor, "charter.adopt", "charter/\(c.version)", before: nil, after: json, at: now)
            }
        }
        cached = nil
    }

    /// Imports a whole dataset as the node's current records, in one transaction: records absent from
    /// the dataset are removed (and become tombstones at the next publication).
    public func importDataset(_ dataset: RegionDataset, at now: Date = Date()) throws {
        guard dataset.region == region.code else { throw NodeError.datasetForAnotherRegion(dataset.region) }
        let encoder = SproJSON.encoder()
        // A record's stated confirmation day is kept (a Région's list knows when each line was checked);
        // otherwise, and never in the future, the import confirms it.
        func stamp(_ day: String?) -> String {
            guard let day, let date = ISODay.parse(day), date <= now else { return ISOInstant.string(now) }
            return ISOInstant.string(date)
        }
        try db.transaction {
            try db.execute("DELETE FROM structures; DELETE FROM places; DELETE FROM indicators; DELETE FROM channels;")
            let insertStructure = try db.prepare("INSERT INTO structures (id, json, updated_at) VALUES (?, ?, ?)")
            for var s in dataset.structures {
                let confirmed = stamp(s.lastConfirmed)
                s.lastConfirmed = nil
                try insertStructure.run(s.id, String(decoding: try encoder.encode(s), as: UTF8.self), confirmed)
            }
            let insertPlace = try db.prepare("INSERT INTO places (id, json, updated_at) VALUES (?, ?, ?)")
            for var p in dataset.places {
                let confirmed = stamp(p.lastConfirmed)
                p.lastConfirmed = nil
                try insertPlace.run(p.id, String(decoding: try encoder.encode(p), as: UTF8.self), confirmed)
            }
            let insertChannel = try db.prepare("INSERT INTO channels (id, json, updated_at) VALUES (?, ?, ?)")
            for var c in dataset.channels {
                let confirmed = stamp(c.lastConfirmed)
                c.lastConfirmed = nil
                try insertChannel.run(c.id, String(decoding: try encoder.encode(c), as: UTF8.self), confirmed)
            }
            let insertIndicator = try db.prepare(
                "INSERT OR REPLACE INTO indicators (subject, subject_id, code, period, value, unit) VALUES (?, ?, ?, ?, ?, ?)")
            for i in dataset.indicators {
                try insertIndicator.run(i.subject.rawValue, i.subjectId, i.code, i.period, i.value, i.unit)
            }
        }
        cached = nil
    }

    /// Counts of stored records.
    public func counts() throws -> (structures: Int, places: Int, indicators: Int) {
        (try db.queryFirst("SELECT count(*) FROM structures") { $0.int(0) } ?? 0,
         try db.queryFirst("SELECT count(*) FROM places") { $0.int(0) } ?? 0,
         try db.queryFirst("SELECT count(*) FROM indicators") { $0.int(0) } ?? 0)
    }

    func loadAll() throws -> (charters: [Charter], structures: [Structure], places: [Place], indicators: [IndicatorValue],
                              tombstones: [Tombstone], channels: [Channel]) {
        let decoder = SproJSON.decoder()
        let charters = try db.query("SELECT json FROM charters ORDER BY version") { try decoder.decode(Charter.self, from: Data($0.string(0).utf8)) }
        // A record's confirmation day is its row's `updated_at` (an ISO instant: its first ten characters).
        // Rows are read on the actor, then decoded on every core: decoding is most of the cost.
        let structures = try Self.decodeConfirmed(db.query("SELECT json, updated_at FROM structures ORDER BY id") {
            ($0.string(0), $0.string(1))
        }) { (s: inout Structure, day) in s.lastConfirmed = day }
        let places = try Self.decodeConfirmed(db.query("SELECT json, updated_at FROM places ORDER BY id") {
            ($0.string(0), $0.string(1))
        }) { (p: inout Place, day) in p.lastConfirmed = day }
        let channels = try db.query("SELECT json, updated_at FROM channels ORDER BY id") { row in
            var c = try decoder.decode(Channel.self, from: Data(row.string(0).utf8))
            c.lastConfirmed = String(row.string(1).prefix(10))
            return c
        }
        let indicators = try db.query("SELECT subject, subject_id, code, period, value, unit FROM indicators") {
            IndicatorValue(subject: IndicatorValue.Subject(rawValue: $0.string(0)) ?? .place, subjectId: $0.string(1),
                           code: $0.string(2), period: $0.string(3), value: $0.double(4), unit: $0.string(5))
        }
        return (charters, structures, places, indicators, try self.tombstones(), channels)
    }

    /// Records decoded from `(json, updated_at)` rows in parallel, each stamped with its confirmation day.
    private static func decodeConfirmed<T: Decodable & Sendable>(_ rows: [(String, String)],
                                                                 stamp: (inout T, String) -> Void) throws -> [T] {
        try rows.inParallelChunks { chunk in
            let decoder = SproJSON.decoder()
            return try chunk.map { json, updated in
                var record = try decoder.decode(T.self, from: Data(json.utf8))
                stamp(&record, String(updated.prefix(10)))
                return record
            }
        }.flatMap { $0 }
    }

    func tombstones() throws -> [Tombstone] {
        try db.query("SELECT kind, id, withdrawn_at, motive FROM tombstones") {
            Tombstone(kind: Tombstone.Kind(rawValue: $0.string(0)) ?? .place, id: $0.string(1),
                      withdrawnAt: $0.string(2), motive: $0.optionalString(3))
        }
    }

    // MARK: - Publishing

    /// The current signed export. A new version is published only when the public content changed,
    /// or when the last export has used up half its lifetime (so harvesters never see it expire).
    public func currentExport(now: Date = Date()) throws -> PublishedExport {
        if let cached, cached.keyId == key.keyId, cached.expiresAt.timeIntervalSince(now) > exportLifetime / 2 { return cached }
        let published = try publish(now: now)
        cached = published
        return published
    }

    private func lastExport() throws -> PublishedExport? {
        try db.queryFirst("SELECT version, body, signature, content_hash, generated_at, expires_at, key_id FROM exports ORDER BY version DESC LIMIT 1") {
            PublishedExport(version: $0.int(0), body: $0.data(1), signature: $0.data(2), contentHash: $0.string(3),
                            generatedAt: ISOInstant.parse($0.string(4)) ?? .distantPast,
                            expiresAt: ISOInstant.parse($0.string(5)) ?? .distantPast, keyId: $0.string(6))
        }
    }

    private func publish(now: Date) throws -> PublishedExport {
        try db.transaction {
            let all = try loadAll()
            // Records published before and absent now become tombstones, kept in every later export.
            var payload = PublicView.payload(charters: all.charters, structures: all.structures, places: all.places,
                                             indicators: all.indicators, tombstones: all.tombstones, channels: all.channels)
            let liveNow = Set(payload.structures.map { "structure/\($0.id)" } + payload.places.map { "place/\($0.id)" }
                              + payload.channels.map { "channel/\($0.id)" })
            let previously = try db.query("SELECT kind, id FROM published") { ($0.string(0), $0.string(1)) }
            var added = false
            for (kind, id) in previously where !liveNow.contains("\(kind)/\(id)") {
                try db.run("INSERT OR IGNORE INTO tombstones (kind, id, withdrawn_at, motive) VALUES (?, ?, ?, ?)",
                           kind, id, ISOInstant.string(now), "no longer published by the Région")
                added = true
            }
            if added {
                payload = PublicView.payload(charters: all.charters, structures: all.structures, places: all.places,
                                             indicators: all.indicators, tombstones: try tombstones(), channels: all.channels)
            }
            try db.execute("DELETE FROM published")
            let insertPublished = try db.prepare("INSERT INTO published (kind, id) VALUES (?, ?)")
            for s in payload.structures { try insertPublished.run("structure", s.id) }
            for p in payload.places { try insertPublished.run("place", p.id) }
            for c in payload.channels { try insertPublished.run("channel", c.id) }

            let encoded = try EncodedPayload(payload)
            let hash = encoded.contentHash
            let last = try lastExport()
            // Unchanged content keeps its version, unless the key changed (rotation) or expiry nears.
            if let last, last.contentHash == hash, last.keyId == key.keyId,
               last.expiresAt.timeIntervalSince(now) > exportLifetime / 2 {
                return last
            }
            let version = (last?.version ?? 0) + 1
            // Instants are published to the second; the stored export says exactly what its body says.
            let generatedAt = ISOInstant.parse(ISOInstant.string(now)) ?? now
            let expiresAt = ISOInstant.parse(ISOInstant.string(now.addingTimeInterval(exportLifetime))) ?? now
            let body = try encoded.document(region: region.code, version: version, generatedAt: generatedAt,
                                            expiresAt: expiresAt, keyId: key.keyId)
            let signature = key.sign(body).encoded()
            try db.run("INSERT INTO exports (version, content_hash, generated_at, expires_at, key_id, body, signature) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       version, hash, ISOInstant.string(generatedAt), ISOInstant.string(expiresAt), key.keyId, body, signature)
            // Keep the last few exports only: the history of records lives in the records' own tables.
            try db.run("DELETE FROM exports WHERE version < ?", version - 5)
            return PublishedExport(version: version, body: body, signature: signature, contentHash: hash,
                                   generatedAt: generatedAt, expiresAt: expiresAt, keyId: key.keyId)
        }
    }
}

/// Errors a node reports to its operator.
public enum NodeError: Error, CustomStringConvertible, Equatable {
    case keyForAnotherRegion(key: String, keyRegion: RegionCode, node: RegionCode)
    case charterForAnotherRegion(version: Int, region: RegionCode)
    case charterVersionIsImmutable(version: Int)
    case datasetForAnotherRegion(RegionCode)

    public var description: String {
        switch self {
        case .keyForAnotherRegion(let key, let keyRegion, let node):
            "signing key \(key) belongs to region \(keyRegion), not to this node's region \(node)"
        case .charterForAnotherRegion(let version, let region):
            "charter v\(version) belongs to region \(region), not to this node"
        case .charterVersionIsImmutable(let version):
            "charter v\(version) is already adopted with different content; adopt a new version instead"
        case .datasetForAnotherRegion(let region):
            "the dataset is for region \(region), not for this node"
        }
    }
}
