import Directory
import Foundation
import PerformanceKit
import Signing

/// A signed export as served: the exact bytes of `export.json`, its `.sig`, and an ETag.
public struct PublishedExport: Sendable, Equatable {
    public let version: Int
    public let body: Data
    public let signature: Data
    public let contentHash: String
    public let generatedAt: Date
    public let expiresAt: Date
    /// The key that signed it.
    public let keyId: String
    /// Strong ETag over the exact bytes, hashed once here: every request for the export and its signature
    /// carries it (computed per request, a node hashed its whole export three times per harvest, 304s included).
    public let etag: String

    public init(version: Int, body: Data, signature: Data, contentHash: String, generatedAt: Date, expiresAt: Date, keyId: String) {
        self.version = version
        self.body = body
        self.signature = signature
        self.contentHash = contentHash
        self.generatedAt = generatedAt
        self.expiresAt = expiresAt
        self.keyId = keyId
        etag = "\"\(sha256Hex(body))\""
    }
}

/// The part of an export whose change makes a new version: everything but the header.
struct ExportPayload: Encodable {
    let charters: [Charter]
    let structures: [Structure]
    let places: [Place]
    let indicators: [IndicatorValue]
    let tombstones: [Tombstone]
    let channels: [Channel]
}

/// An export payload whose arrays are each encoded once. Both the content hash and the export body are
/// assembled from those bytes, exactly as `SproJSON.encoder()` would write the whole objects (its keys
/// sorted), so publishing encodes every record once instead of twice.
struct EncodedPayload {
    /// The payload's members, by JSON key.
    private let members: [(key: String, json: Data)]

    init(_ payload: ExportPayload, encoder: JSONEncoder = SproJSON.encoder()) throws {
        members = [("charters", try encoder.encode(payload.charters)),
                   ("structures", try Self.encode(payload.structures)),
                   ("places", try Self.encode(payload.places)),
                   ("indicators", Self.encode(payload.indicators)),
                   ("tombstones", try encoder.encode(payload.tombstones)),
                   ("channels", try encoder.encode(payload.channels))]
    }

    /// Indicator values, the most numerous records (several per place), written without `JSONEncoder`.
    static func encode(_ indicators: [IndicatorValue]) -> Data {
        var w = JSONBytes(capacity: indicators.count * 100)
        w.beginArray()
        for value in indicators { value.write(to: &w) }
        w.endArray()
        return Data(w.bytes)
    }

    /// A large array encoded in parts on every core, joined into the bytes one encoder would write.
    private static func encode<T: Encodable & Sendable>(_ records: [T]) throws -> Data {
        JSONArrayJoin.join(try records.inParallelChunks { try SproJSON.encoder().encode(Array($0)) })
    }

    /// SHA-256 of the payload's JSON object: what makes a new version when it changes.
    var contentHash: String { sha256Hex(Self.object(members)) }

    /// The bytes of the `ExportDocument` made of this payload and the header's values.
    func document(region: RegionCode, version: Int, generatedAt: Date, expiresAt: Date, keyId: String,
                  encoder: JSONEncoder = SproJSON.encoder()) throws -> Data {
        let header: [(key: String, json: Data)] = [
            ("format", try encoder.encode(ExportDocument.currentFormat)),
            ("region", try encoder.encode(region)),
            ("version", try encoder.encode(version)),
            ("generatedAt", try encoder.encode(ISOInstant.string(generatedAt))),
            ("expiresAt", try encoder.encode(ISOInstant.string(expiresAt))),
            ("keyId", try encoder.encode(keyId))]
        return Self.object(header + members)
    }

    /// A JSON object of already-encoded members, keys sorted as `JSONEncoder`'s `.sortedKeys` sorts
    /// these plain ASCII names.
    private static func object(_ members: [(key: String, json: Data)]) -> Data {
        var out = Data()
        out.reserveCapacity(members.reduce(2) { $0 + $1.key.utf8.count + $1.json.count + 4 })
        out.append(UInt8(ascii: "{"))
        for (i, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: Array("\"\(member.key)\":".utf8))
            out.append(member.json)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }
}

/// What is public in a node's records: only referenced (or suspended) structures, the places where
/// they receive the public, and those subjects' indicators.
enum PublicView {
    static let publicStates: Set<ReferencingState> = [.referenced, .suspended]

    static func payload(charters: [Charter], structures: [Structure], places: [Place],
                        indicators: [IndicatorValue], tombstones: [Tombstone], channels: [Channel]) -> ExportPayload {
        var publicStructures = structures.filter { publicStates.contains($0.referencing.state) }.sorted { $0.id < $1.id }
        let ids = Set(publicStructures.map(\.id))
        // A tête de réseau not public itself (still applying, rejected) is not named: the export never
        // points at a record it does not hold.
        for i in publicStructures.indices where publicStructures[i].networkHeadId.map({ !ids.contains($0) }) == true {
            publicStructures[i].networkHeadId = nil
        }
        var publicPlaces: [Place] = []
        for var place in places {
            place.structures = place.structures.filter { ids.contains($0.structureId) }
            guard !place.structures.isEmpty else { continue }
            if !place.structures.contains(where: \.isHost) { place.structures[0].isHost = true }
            publicPlaces.append(place)
        }
        publicPlaces.sort { $0.id < $1.id }
        let placeIds = Set(publicPlaces.map(\.id))
        let publicIndicators = indicators.filter {
            $0.subject == .structure ? ids.contains($0.subjectId) : placeIds.contains($0.subjectId)
        }.sorted { ($0.subjectId, $0.code, $0.period) < ($1.subjectId, $1.code, $1.period) }
        // A channel is public with its public contributors; one with none left is not.
        var publicChannels: [Channel] = []
        for var channel in channels {
            channel.contributors = channel.contributors.filter(ids.contains)
            if !channel.contributors.isEmpty { publicChannels.append(channel) }
        }
        publicChannels.sort { $0.id < $1.id }
        let live = Set(publicStructures.map { "structure/\($0.id)" } + publicPlaces.map { "place/\($0.id)" }
                       + publicChannels.map { "channel/\($0.id)" })
        return ExportPayload(
            charters: charters.sorted { $0.version < $1.version },
            structures: publicStructures, places: publicPlaces, indicators: publicIndicators,
            tombstones: tombstones.filter { !live.contains("\($0.kind.rawValue)/\($0.id)") }
                .sorted { ($0.kind.rawValue, $0.id) < ($1.kind.rawValue, $1.id) },
            channels: publicChannels)
    }
}
