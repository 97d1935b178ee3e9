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

/// One archived coverage run: when it was computed, for which harvest, over how many places.
public struct CoverageRun: Sendable, Equatable, Codable {
    public var id: Int
    public var harvestRun: Int
    public var computedAt: String
    public var places: Int
    /// SHA-256 of the report's JSON: equal digests mean equal reports.
    public var digest: String
}

extension NationalStore {
    /// Archives the coverage computed over the content of `harvestRun` (once per harvest run: a second call
    /// for the same run, from another serving process, keeps the first). The report is given as JSON text
    /// with its digest; a report equal to one already archived is stored once.
    /// Returns whether a run was added.
    @discardableResult
    public func archiveCoverage(harvestRun: Int, computedAt: Date, places: Int, reportJSON: String, digest: String) throws -> Bool {
        try db.transaction {
            try db.run("INSERT OR IGNORE INTO coverage_reports (digest, json) VALUES (?, ?)", digest, reportJSON)
            return try db.run("INSERT OR IGNORE INTO coverage_runs (harvest_run, computed_at, places, digest) VALUES (?, ?, ?, ?)",
                              harvestRun, ISOInstant.string(computedAt), places, digest) > 0
        }
    }

    /// Whether the coverage of `harvestRun` is archived already (by this process or another serving one).
    public func hasCoverage(harvestRun: Int) throws -> Bool {
        try db.queryFirst("SELECT 1 FROM coverage_runs WHERE harvest_run = ?", harvestRun) { $0.int(0) } != nil
    }

    /// Every archived coverage run, oldest first.
    public func coverageRuns() throws -> [CoverageRun] {
        try db.query("SELECT id, harvest_run, computed_at, places, digest FROM coverage_runs ORDER BY id") {
            CoverageRun(id: $0.int(0), harvestRun: $0.int(1), computedAt: $0.string(2), places: $0.int(3), digest: $0.string(4))
        }
    }

    /// The JSON text of an archived coverage run's report.
    public func coverageReportJSON(run id: Int) throws -> String? {
        try db.queryFirst("SELECT r.json FROM coverage_runs c JOIN coverage_reports r ON r.digest = c.digest WHERE c.id = ?", id) {
            $0.string(0)
        }
    }
}
