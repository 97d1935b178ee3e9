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
        try await archive(report, facts: CoverageFacts(of: places), in: store, harvestRun: harvestRun, origin: origin, at: date)
    }

    /// `archive` with the facts of the report's places computed already (the history reads them too); `cache`
    /// keeps the run archived as the latest, for the next history.
    @discardableResult
    public static func archive(_ report: CoverageReport, facts: CoverageFacts, in store: NationalStore, harvestRun: Int,
                               origin: CoverageRunOrigin, at date: Date = Date(), cache: ArchivedRunCache? = nil) async throws -> Int? {
        var light = report
        light.communes = []
        let json = try SproJSON.encoder().encode(light)
        // The digest's text is the same with the date emptied (`"generatedAt":""`, what encoding the report
        // without its date gives), not encoded a second time.
        let dated = Data("\"generatedAt\":\(String(decoding: try SproJSON.encoder().encode(report.generatedAt), as: UTF8.self))".utf8)
        var undated = json
        if let range = undated.firstRange(of: dated) { undated.replaceSubrange(range, with: Data("\"generatedAt\":\"\"".utf8)) }
        let digest = sha256Hex(undated)
        let id = try await store.archiveCoverage(harvestRun: harvestRun, computedAt: date, places: report.nationalPlaces,
                                                 reportJSON: String(decoding: json, as: UTF8.self), digest: digest, origin: origin,
                                                 facts: facts)
        if let id { cache?.remember(run: id, archived: light, facts: facts) }
        return id
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
        try await archivedRuns(in: store, excluding: currentRun, limit: limit)
            .history(current: current, facts: CoverageFacts(of: currentPlaces), run: currentRun)
    }

    /// The archived runs a history shows before the report being written (all but `currentRun`, the latest
    /// `limit - 1`): read on their own, so that they can be read while that report is computed.
    public static func archivedRuns(in store: NationalStore, excluding currentRun: Int?, limit: Int = 12,
                                    cache: ArchivedRunCache? = nil) async throws -> ArchivedRuns {
        let all = try await store.coverageRuns()
        let archived = Array(all.filter { $0.id != currentRun }.suffix(max(limit, 2) - 1))
        var series: [(CoverageHistory.Run, CoverageHistory.Snapshot)] = []
        var kept: [Int: CoverageHistory.Snapshot] = [:]
        var previous: CoverageReport?
        var previousFacts: CoverageFacts?
        for (i, run) in archived.enumerated() {
            let item = CoverageHistory.Run(id: run.id, computedAt: run.computedAt, harvestRun: run.harvestRun, origin: run.origin)
            func json() async throws -> Data {
                guard let text = try await store.coverageReportJSON(run: run.id) else { throw CoverageHistoryError.unknownRun(run.id) }
                return Data(text.utf8)
            }
            let snapshot: CoverageHistory.Snapshot
            if i == archived.count - 1 {
                // The run before the report being written: read whole, for the gaps that appeared and were resolved,
                // with its facts for the causes.
                if let known = cache?.latest(run.id) {
                    (previous, previousFacts) = (known.report, known.facts)
                } else {
                    previous = try SproJSON.decoder().decode(CoverageReport.self, from: try await json())
                    previousFacts = try await store.coverageFacts(run: run.id)
                }
                snapshot = cache?.snapshot(run.id) ?? CoverageHistory.Snapshot(previous!)
            } else {
                if let known = cache?.snapshot(run.id) { snapshot = known } else { snapshot = try CoverageHistory.Snapshot(json: try await json()) }
            }
            kept[run.id] = snapshot
            series.append((item, snapshot))
        }
        cache?.keep(kept, latest: archived.last.map { ($0.id, previous!, previousFacts) })
        return ArchivedRuns(series: series, previous: previous, previousFacts: previousFacts,
                            currentHarvestRun: all.first { $0.id == currentRun }?.harvestRun)
    }

    /// The runs archived before a report, with the previous one whole and its facts.
    public struct ArchivedRuns: Sendable {
        var series: [(CoverageHistory.Run, CoverageHistory.Snapshot)]
        var previous: CoverageReport?
        var previousFacts: CoverageFacts?
        var currentHarvestRun: Int?

        /// The history with `current` as its latest point (`run`: its id when archived), compared with the run
        /// before it, the causes from its places' `facts`.
        public func history(current: CoverageReport, facts: CoverageFacts, run: Int?) -> CoverageHistory {
            history(current: current, run: run, causes: causes(to: facts, afterDay: String(current.generatedAt.prefix(10))))
        }

        /// The causes of what changed from the previous run to the places' `facts`, for a report of `afterDay`
        /// ("YYYY-MM-DD", the day of its `generatedAt`); nil when the previous run kept no facts. Apart from
        /// `history`, so they can be found while the report is computed.
        public func causes(to facts: CoverageFacts, afterDay: String) -> [CoverageCause]? {
            previousFacts.map { CoverageCauses.between($0, facts, afterDay: afterDay) }
        }

        /// The history with `current` as its latest point and `causes` found beforehand (`causes(to:afterDay:)`).
        public func history(current: CoverageReport, run: Int?, causes: [CoverageCause]?) -> CoverageHistory {
            let point = CoverageHistory.Run(id: run, computedAt: current.generatedAt, harvestRun: run == nil ? nil : currentHarvestRun,
                                            origin: run == nil ? nil : .command)
            return CoverageHistory(series: series + [(point, CoverageHistory.Snapshot(current))],
                                   sincePrevious: previous.map { CoverageComparison(before: $0, after: current) }, causes: causes)
        }
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

        public init(id: Int?, computedAt: String, harvestRun: Int?, origin: CoverageRunOrigin?) {
            self.id = id
            self.computedAt = computedAt
            self.harvestRun = harvestRun
            self.origin = origin
        }
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
        self.init(series: points.map { ($0.0, Snapshot($0.1)) },
                  sincePrevious: points.count >= 2 ? CoverageComparison(before: points[points.count - 2].1, after: points[points.count - 1].1) : nil,
                  causes: causes)
    }

    /// Builds the series from each run's indicators, oldest first, and the comparison of the last two runs.
    init(series: [(Run, Snapshot)], sincePrevious: CoverageComparison?, causes: [CoverageCause]?) {
        runs = series.map(\.0)
        national = series.map(\.1.national)
        var zones: [ZoneEmploiCode: [Point?]] = [:]
        var regions: [RegionCode: [Point?]] = [:]
        for (i, (_, snapshot)) in series.enumerated() {
            for (code, point) in snapshot.zones { zones[code, default: Array(repeating: nil, count: series.count)][i] = point }
            for (code, point) in snapshot.regions { regions[code, default: Array(repeating: nil, count: series.count)][i] = point }
        }
        self.zones = zones
        self.regions = regions
        self.sincePrevious = sincePrevious
        self.causes = causes
    }

    /// One run's indicators, nationally, per zone and per Région.
    struct Snapshot: Sendable {
        var national: Point
        var zones: [ZoneEmploiCode: Point]
        var regions: [RegionCode: Point]

        init(_ r: CoverageReport) {
            let o = r.national.families.first
            national = Point(places: r.national.places, shareBeyondThreshold: o?.shareBeyondThreshold, meanDistanceKm: o?.meanDistanceKm,
                             accessibility: r.national.accessibility, gaps: r.gaps.count)
            zones = Dictionary(r.zones.map { z in
                (z.code, Point(places: z.places, shareBeyondThreshold: z.shareBeyondThreshold, meanDistanceKm: z.meanDistanceKm,
                               accessibility: z.accessibility, gaps: z.gapCount))
            }, uniquingKeysWith: { a, _ in a })
            regions = Dictionary(r.regions.map { g in
                let o = g.totals.families.first
                return (g.code, Point(places: g.totals.places, shareBeyondThreshold: o?.shareBeyondThreshold, meanDistanceKm: o?.meanDistanceKm,
                                      accessibility: g.totals.accessibility, gaps: g.totals.gapsByKind.values.reduce(0, +)))
            }, uniquingKeysWith: { a, _ in a })
        }

        /// From an archived report's JSON, reading only the fields a trend shows: decoding whole reports was
        /// most of the time to read a history of a dozen runs.
        init(json: Data) throws {
            let t = try SproJSON.decoder().decode(TrendFields.self, from: json)
            func point(_ a: TrendFields.Area) -> Point {
                Point(places: a.places, shareBeyondThreshold: a.families.first?.shareBeyondThreshold, meanDistanceKm: a.families.first?.meanDistanceKm,
                      accessibility: a.accessibility, gaps: a.gapsByKind.values.reduce(0, +))
            }
            // The national gaps by kind count every gap once.
            national = point(t.national)
            zones = Dictionary(t.zones.map { z in
                (z.code, Point(places: z.places, shareBeyondThreshold: z.shareBeyondThreshold, meanDistanceKm: z.meanDistanceKm,
                               accessibility: z.accessibility, gaps: z.gapCount))
            }, uniquingKeysWith: { a, _ in a })
            regions = Dictionary(t.regions.map { ($0.code, point($0.totals)) }, uniquingKeysWith: { a, _ in a })
        }
    }

    /// The fields of a `CoverageReport`'s JSON that `Snapshot` reads.
    struct TrendFields: Decodable {
        struct Family: Decodable { var shareBeyondThreshold: Double?; var meanDistanceKm: Double? }
        struct Area: Decodable { var places: Int; var accessibility: Double?; var families: [Family]; var gapsByKind: [String: Int] }
        struct Zone: Decodable {
            var code: ZoneEmploiCode
            var places: Int
            var shareBeyondThreshold: Double?
            var meanDistanceKm: Double?
            var accessibility: Double?
            var gapCount: Int
        }
        struct Region: Decodable { var code: RegionCode; var totals: Area }
        var national: Area
        var zones: [Zone]
        var regions: [Region]
    }

    /// The causes touching one zone.
    public func causes(in zone: ZoneEmploiCode) -> [CoverageCause] { causes?.filter { $0.zone == zone } ?? [] }
}
