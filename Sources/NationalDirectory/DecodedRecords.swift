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

    /// The place of the `json` text (read only when needed), reused when `hash` was decoded at the last read
    /// (rows without a hash, written before hashes were kept, are always decoded). `seen` collects this read's places.
    func place(_ json: () throws -> String, hash: String?, into seen: inout [String: Place], decoder: JSONDecoder) throws -> Place {
        try record(json, hash: hash, kept: \.places, into: &seen, decoder: decoder)
    }

    /// As `place`, for a structure.
    func structure(_ json: () throws -> String, hash: String?, into seen: inout [String: Structure], decoder: JSONDecoder) throws -> Structure {
        try record(json, hash: hash, kept: \.structures, into: &seen, decoder: decoder)
    }

    private func record<R: Decodable & Sendable>(_ json: () throws -> String, hash: String?, kept: KeyPath<State, [String: R]>,
                                      into seen: inout [String: R], decoder: JSONDecoder) throws -> R {
        guard let hash else { return try decoder.decode(R.self, from: Data(json().utf8)) }
        if let known = seen[hash] ?? state.withLock({ $0[keyPath: kept][hash] }) {
            seen[hash] = known
            return known
        }
        let record = try decoder.decode(R.self, from: Data(json().utf8))
        state.withLock { $0.decodes += 1 }
        seen[hash] = record
        return record
    }

    /// Keeps the records of a whole read, dropping those it did not see.
    func keep(places: [String: Place]) { state.withLock { $0.places = places } }
    func keep(structures: [String: Structure]) { state.withLock { $0.structures = structures } }

    /// How many records are kept.
    public var counts: (places: Int, structures: Int) { state.withLock { ($0.places.count, $0.structures.count) } }

    /// How many hashed records were decoded since the cache was made (those without a hash are not counted).
    public var decodes: Int { state.withLock { $0.decodes } }
}
