import Directory
import Foundation

/// What a serving process compares to know whether the national file changed under it: the latest
/// harvest run, and every Région's accepted snapshot (version and acceptance instant).
///
/// A harvest, in this process or in a separate `spro harvest`, swaps Régions one transaction at a time
/// and records its run last: a server that reloads when `harvestRun` moves sees whole harvests. When only
/// `harvestRun` moved (every Région unchanged or refused), the places served are the same and only the
/// harvest report needs replacing.
public struct StoreGeneration: Sendable, Equatable, CustomStringConvertible {
    /// The id of the latest recorded harvest run (0 before any).
    public var harvestRun: Int
    /// Every Région's `code:version:acceptedAt`, by code: changes exactly when a snapshot is swapped in.
    public var snapshots: String

    public init(harvestRun: Int, snapshots: String) {
        self.harvestRun = harvestRun
        self.snapshots = snapshots
    }

    public var description: String { "run \(harvestRun)" }
}

extension NationalStore {
    /// The store's generation, read in one snapshot. Cheap: two small queries, for polling every second.
    public func generation() throws -> StoreGeneration {
        try db.read {
            StoreGeneration(
                harvestRun: try db.queryFirst("SELECT coalesce(max(id), 0) FROM harvest_runs") { $0.int(0) } ?? 0,
                snapshots: try db.query("SELECT region, version, accepted_at FROM region_snapshots ORDER BY region") {
                    "\($0.string(0)):\($0.int(1)):\($0.string(2))"
                }.joined(separator: ","))
        }
    }
}

