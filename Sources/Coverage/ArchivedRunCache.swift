import Foundation
import NationalDirectory
import Synchronization

/// What a long-running process keeps of the archived coverage runs between two histories: an archived run
/// never changes, so its trend figures, and the whole report and facts of the latest one, are read once.
/// The national service rebuilds its report after every harvest: without this, each rebuild decoded every
/// archived report again.
public final class ArchivedRunCache: Sendable {
    private struct State {
        var snapshots: [Int: CoverageHistory.Snapshot] = [:]
        var latest: (id: Int, report: CoverageReport, facts: CoverageFacts?)?
    }
    private let state = Mutex(State())

    public init() {}

    func snapshot(_ run: Int) -> CoverageHistory.Snapshot? { state.withLock { $0.snapshots[run] } }

    func latest(_ run: Int) -> (report: CoverageReport, facts: CoverageFacts?)? {
        state.withLock { s in s.latest.flatMap { $0.id == run ? ($0.report, $0.facts) : nil } }
    }

    /// Keeps a run this process has just archived as the latest, `report` as archived (without its communes)
    /// with its facts: the next history reads neither back from the store. Decoding the previous run's report
    /// and facts was most of a history's cost after each harvest.
    func remember(run id: Int, archived report: CoverageReport, facts: CoverageFacts) {
        let snapshot = CoverageHistory.Snapshot(report)
        state.withLock {
            $0.snapshots[id] = snapshot
            $0.latest = (id, report, facts)
        }
    }

    /// Keeps the snapshots of `runs` only (the runs a history shows), and the latest run whole.
    func keep(_ snapshots: [Int: CoverageHistory.Snapshot], latest: (id: Int, report: CoverageReport, facts: CoverageFacts?)?) {
        state.withLock {
            $0.snapshots = snapshots
            $0.latest = latest
        }
    }
}
