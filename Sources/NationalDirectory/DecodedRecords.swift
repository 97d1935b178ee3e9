import Directory
import Foundation
import Synchronization

/// The places and structures a long-running reader decoded at its last read of the whole directory, by the
/// hash of the record's bytes as the Région's export carried them (`record_hash`): the same bytes decode to
/// the same record, so the next read decodes only the records a harvest wrote anew. The national service
/// reads the whole directory after every harvest; decoding every stored record's JSON again was about a
/// sixth of a rebuild's CPU. Each read keeps only the records it saw, so the cache never outgrows the directory.
public final class DecodedRecords: Sendable {
    private struct State {
        var places: [String: Place] = [:]
        var structures: [String: Structure] = [:]
        var decodes = 0
    }
    private let state = Mutex(State())

    public init() {}

    /// The record of the `json` text (read only when needed), reused when `hash` was decoded at the last read (rows without a hash, written
    /// before hashes were kept, are always decoded). `seen` collects this read's records.
    func place(_ json: () throws -> String, hash: String?, into seen: inout [String: Place], decoder: JSONDecoder) throws -> Place {
        guard let hash else { return try decoder.decode(Place.self, from: Data(json().utf8)) }
        if let known = seen[hash] ?? state.withLock({ $0.places[hash] }) {
            seen[hash] = known
            return known
        }
        let place = try decoder.decode(Place.self, from: Data(json().utf8))
        state.withLock { $0.decodes += 1 }
        seen[hash] = place
        return place
    }

    /// As `place`, for a structure.
    func structure(_ json: () throws -> String, hash: String?, into seen: inout [String: Structure], decoder: JSONDecoder) throws -> Structure {
        guard let hash else { return try decoder.decode(Structure.self, from: Data(json().utf8)) }
        if let known = seen[hash] ?? state.withLock({ $0.structures[hash] }) {
            seen[hash] = known
            return known
        }
        let structure = try decoder.decode(Structure.self, from: Data(json().utf8))
        state.withLock { $0.decodes += 1 }
        seen[hash] = structure
        return structure
    }

    /// Keeps the records of a whole read, dropping those it did not see.
    func keep(places: [String: Place]) { state.withLock { $0.places = places } }
    func keep(structures: [String: Structure]) { state.withLock { $0.structures = structures } }

    /// How many records are kept.
    public var counts: (places: Int, structures: Int) { state.withLock { ($0.places.count, $0.structures.count) } }

    /// How many hashed records were decoded since the cache was made (those without a hash are not counted).
    public var decodes: Int { state.withLock { $0.decodes } }
}
