import Directory
import Foundation
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

    /// Strong ETag over the exact bytes.
    public var etag: String { "\"\(sha256Hex(body))\"" }
}

/// The part of an export whose change makes a new version: everything but the header.
struct ExportPayload: Encodable {
    let charters: [Charter]
    let structures: [Structure]
    let places: [Place]
    let indicators: [IndicatorValue]
    let tombstones: [Tombstone]
    let channels: [Channel]

    var contentHash: String { sha256Hex((try? SproJSON.encoder().encode(self)) ?? Data()) }
}

/// What is public in a node's records: only referenced (or suspended) structures, the places where
/// they receive the public, and those subjects' indicators.
enum PublicView {
    static let publicStates: Set<ReferencingState> = [.referenced, .suspended]

    static func payload(charters: [Charter], structures: [Structure], places: [Place],
                        indicators: [IndicatorValue], tombstones: [Tombstone], channels: [Channel]) -> ExportPayload {
        let publicStructures = structures.filter { publicStates.contains($0.referencing.state) }.sorted { $0.id < $1.id }
        let ids = Set(publicStructures.map(\.id))
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
