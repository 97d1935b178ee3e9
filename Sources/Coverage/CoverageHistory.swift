import Directory
import Foundation
import NationalDirectory
import Signing

/// Archiving coverage runs in the national store's history, and reading them back.
public enum CoverageArchive {
    /// Archives `report` with the facts of the `places` it was computed from. The report is stored as
    /// `coverage.json` holds it (without the per-commune rows); its digest leaves out the computation's
    /// date, so the same coverage recomputed is stored once. Returns the run's id, or nil when the service
    /// had archived this harvest run already.
    @discardableResult
    public static func archive(_ report: CoverageReport, places: [DirectoryPlace], in store: NationalStore, harvestRun: Int,
                               origin: CoverageRunOrigin, at date: Date = Date()) async throws -> Int? {
        var light = report
        light.communes = []
        let json = try SproJSON.encoder().encode(light)
        light.generatedAt = ""
        let digest = sha256Hex(try SproJSON.encoder().encode(light))
        return try await store.archiveCoverage(harvestRun: harvestRun, computedAt: date, places: report.nationalPlaces,
                                               reportJSON: String(decoding: json, as: UTF8.self), digest: digest, origin: origin,
                                               facts: CoverageFacts(of: places))
    }

    /// The report of an archived run.
    public static func report(run id: Int, in store: NationalStore) async throws -> CoverageReport {
        guard let json = try await store.coverageReportJSON(run: id) else { throw CoverageHistoryError.unknownRun(id) }
        return try SproJSON.decoder().decode(CoverageReport.self, from: Data(json.utf8))
    }

    /// Compares two archived runs: indicators, gaps, and the causes from their facts (none when either run
    /// was archived without facts).
    public static func compare(run a: Int, with b: Int, in store: NationalStore) async throws -> RunComparison {
        let runs = try await store.coverageRuns()
        guard let ra = runs.first(where: { $0.id == a }) else { throw CoverageHistoryError.unknownRun(a) }
        guard let rb = runs.first(where: { $0.id == b }) else { throw CoverageHistoryError.unknownRun(b) }
        async let before = report(run: a, in: store)
        async let after = report(run: b, in: store)
        async let factsBefore = store.coverageFacts(run: a)
        async let factsAfter = store.coverageFacts(run: b)
        let comparison = CoverageComparison(before: try await before, after: try await after)
        var causes: [CoverageCause]? = nil
        if let fa = try await factsBefore, let fb = try await factsAfter {
            causes = CoverageCauses.between(fa, fb, afterDay: String(rb.computedAt.prefix(10)))
        }
        return RunComparison(before: ra, after: rb, comparison: comparison, causes: causes)
    }

    /// The history the report shows: the `limit` latest archived runs, oldest first, and what changed between
    /// the last two. `current` is the report being written: when it is not the latest archived run's
    /// (not archived, or archived under another digest), it is appended as the latest point, unarchived,
    /// and compared with the latest archived run; `currentPlaces` give its facts for the causes.
    public static func history(in store: NationalStore, current: CoverageReport, currentPlaces: [DirectoryPlace],
                               currentRun: Int?, limit: Int = 12) async throws -> CoverageHistory {
        let runs = Array(try await store.coverageRuns().suffix(max(limit, 2)))
        var points: [(CoverageHistory.Run, CoverageReport)] = []
        for run in runs where run.id != currentRun {
            points.append((CoverageHistory.Run(id: run.id, computedAt: run.computedAt, harvestRun: run.harvestRun, origin: run.origin),
                           try await report(run: run.id, in: store)))
        }
        let latest = runs.last { $0.id != currentRun }
        points.append((CoverageHistory.Run(id: currentRun, computedAt: current.generatedAt, harvestRun: runs.first { $0.id == currentRun }?.harvestRun,
                                           origin: currentRun == nil ? nil : .command), current))
        points = Array(points.suffix(max(limit, 2)))
        var causes: [CoverageCause]? = nil
        if let latest, let before = try await store.coverageFacts(run: latest.id) {
            causes = CoverageCauses.between(before, CoverageFacts(of: currentPlaces), afterDay: String(current.generatedAt.prefix(10)))
        }
        return CoverageHistory(points: points, causes: causes)
    }
}

/// Why the history could not be read.
public enum CoverageHistoryError: Error, CustomStringConvertible, Equatable {
    case unknownRun(Int)

    public var description: String {
        switch self {
        case .unknownRun(let id): "exécution de couverture n° \(id) inconnue : `spro coverage history` liste les exécutions archivées"
        }
    }
}

/// Two archived runs compared: indicators and gaps, and the changes of places and referencing behind them.
public struct RunComparison: Sendable, Codable {
    public var before: CoverageRun
    public var after: CoverageRun
    public var comparison: CoverageComparison
    /// Nil when either run kept no facts.
    public var causes: [CoverageCause]?
}

/// The main indicators of each zone, Région and the nation over several runs (oldest first), what appeared
/// and was resolved since the previous run, and the causes.
public struct CoverageHistory: Sendable {
    /// One run of the series. `id` nil: the report being written, not archived.
    public struct Run: Sendable, Hashable {
        public var id: Int?
        public var computedAt: String
        public var harvestRun: Int?
        public var origin: CoverageRunOrigin?
    }

    /// The indicators a trend follows.
    public struct Point: Sendable, Hashable {
        public var places: Int
        public var shareBeyondThreshold: Double?
        public var meanDistanceKm: Double?
        public var accessibility: Double?
        public var gaps: Int
    }

    /// Oldest first; the last is the report being written.
    public var runs: [Run]
    public var national: [Point]
    /// Per zone and Région, one entry per run (nil where the run has no such zone or Région).
    public var zones: [ZoneEmploiCode: [Point?]]
    public var regions: [RegionCode: [Point?]]
    /// Since the previous run (nil with a single run).
    public var sincePrevious: CoverageComparison?
    /// Changes of places and referencing since the previous run; nil when the previous run kept no facts.
    public var causes: [CoverageCause]?

    /// Builds the series from each run's report, oldest first.
    public init(points: [(Run, CoverageReport)], causes: [CoverageCause]?) {
        runs = points.map(\.0)
        national = points.map { _, r in
            let o = r.national.families.first
            return Point(places: r.national.places, shareBeyondThreshold: o?.shareBeyondThreshold, meanDistanceKm: o?.meanDistanceKm,
                         accessibility: r.national.accessibility, gaps: r.gaps.count)
        }
        var zones: [ZoneEmploiCode: [Point?]] = [:]
        var regions: [RegionCode: [Point?]] = [:]
        for (i, (_, r)) in points.enumerated() {
            for z in r.zones {
                zones[z.code, default: Array(repeating: nil, count: points.count)][i] =
                    Point(places: z.places, shareBeyondThreshold: z.shareBeyondThreshold, meanDistanceKm: z.meanDistanceKm,
                          accessibility: z.accessibility, gaps: z.gapCount)
            }
            for g in r.regions {
                let o = g.totals.families.first
                regions[g.code, default: Array(repeating: nil, count: points.count)][i] =
                    Point(places: g.totals.places, shareBeyondThreshold: o?.shareBeyondThreshold, meanDistanceKm: o?.meanDistanceKm,
                          accessibility: g.totals.accessibility, gaps: g.totals.gapsByKind.values.reduce(0, +))
            }
        }
        self.zones = zones
        self.regions = regions
        sincePrevious = points.count >= 2 ? CoverageComparison(before: points[points.count - 2].1, after: points[points.count - 1].1) : nil
        self.causes = causes
    }

    /// The causes touching one zone.
    public func causes(in zone: ZoneEmploiCode) -> [CoverageCause] { causes?.filter { $0.zone == zone } ?? [] }
}
