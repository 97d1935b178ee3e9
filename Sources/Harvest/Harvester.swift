import Directory
import Foundation
import NationalDirectory
import PerformanceKit
import Reference
import Signing

/// Pulls every region's signed export, verifies and validates it, and swaps accepted ones into the
/// national store, one region at a time. A region that fails keeps its last good snapshot.
public struct Harvester: Sendable {
    public let regions: [Region]
    public let store: NationalStore
    public let reference: ReferencePack
    public let locator: any PlaceLocator
    public var fetcher: ExportFetcher
    /// Regions whose mass-deletion guards (per export and cumulative) the national operator lifts for this
    /// harvest, each with the operator's reason, which the region's outcome records.
    public var allowMassDeletion: [RegionCode: String] = [:]
    /// Stored locations whose input is unchanged are reused when their score is at least this; nil
    /// geocodes every place of the exports accepted (after a reference pack update, say).
    public var reuseScore: Double? = 0.75
    /// Regions harvested at the same time. Each holds its export's bytes and what it reads of the store while
    /// it is checked, so this bounds the harvest's memory; checking is CPU work spread on every core, and a
    /// harvest in which little changed mostly waits (on the nodes, on the store), so several per core keep
    /// the cores busy: 8 on 2 cores took a one-change harvest of 18 Régions from about 1 s to 0.77 s at
    /// 76,610 places, its peak memory from about 170 to 210 MiB (`spro-bench harvest`).
    public var maxConcurrentRegions = max(8, 4 * ProcessInfo.processInfo.activeProcessorCount)
    /// Called as each region finishes, for progress lines.
    public var progress: @Sendable (RegionOutcome) -> Void = { _ in }

    public init(regions: [Region], store: NationalStore, reference: ReferencePack, locator: any PlaceLocator,
                fetcher: ExportFetcher = ExportFetcher()) {
        self.regions = regions
        self.store = store
        self.reference = reference
        self.locator = locator
        self.fetcher = fetcher
    }

    /// Harvests all regions, `maxConcurrentRegions` at a time, and records the run.
    public func run(now: @escaping @Sendable () -> Date = Date.init) async throws -> HarvestReport {
        let started = now()
        let outcomes = try await withThrowingTaskGroup(of: RegionOutcome.self) { group in
            var waiting = regions.makeIterator()
            for _ in 0..<max(1, maxConcurrentRegions) {
                guard let region = waiting.next() else { break }
                group.addTask { try await harvest(region, now: now) }
            }
            var out: [RegionOutcome] = []
            for try await o in group {
                progress(o)
                out.append(o)
                if let region = waiting.next() { group.addTask { try await harvest(region, now: now) } }
            }
            return out.sorted { $0.region < $1.region }
        }
        let finished = now()
        let report = HarvestReport(startedAt: ISOInstant.string(started), finishedAt: ISOInstant.string(finished),
                                   durationSeconds: finished.timeIntervalSince(started), regions: outcomes)
        let json = String(decoding: try SproJSON.encoder().encode(report), as: UTF8.self)
        try await store.recordRun(startedAt: started, finishedAt: finished, reportJSON: json)
        return report
    }

    /// Harvests one region. Whatever goes wrong on the way, a fault of the Région's export or a failure of
    /// the national store while reading or writing this Région, ends as this Région's refusal with its
    /// reason, its last good snapshot still in service; the harvest of the others goes on.
    public func harvest(_ region: Region, now: @Sendable () -> Date = Date.init) async throws -> RegionOutcome {
        let clock = ContinuousClock.now
        var outcome = RegionOutcome(
            region: region.code, name: region.name, status: .refused, versionInService: nil,
            offeredVersion: nil, refusal: nil, refusalCode: nil, added: 0, updated: 0, removed: 0, places: 0,
            unresolvedPlaces: [], anomalies: [], durationSeconds: 0, stale: false)
        do {
            try await harvest(region, into: &outcome, now: now)
        } catch {
            let refusal = error as? ExportRefused ?? .storeFailed(String(describing: error))
            outcome.status = .refused
            outcome.refusal = refusal.description
            outcome.refusalCode = refusal.code
            if case .rollback(_, _, let got) = refusal { outcome.offeredVersion = got }
            if case .versionJump(_, _, let got, _) = refusal { outcome.offeredVersion = got }
            // What stays in service; a store that cannot even say leaves the counts as they were.
            if let previous = try? await store.acceptedState(region.code) {
                outcome.versionInService = previous.version
                outcome.stale = previous.isStale(at: now())
            }
            outcome.places = (try? await store.placeIds(region.code).count) ?? outcome.places
        }
        outcome.durationSeconds = (ContinuousClock.now - clock).seconds
        return outcome
    }

    /// Fetches, validates and stores one region's export, filling `outcome`; throws its refusal.
    private func harvest(_ region: Region, into outcome: inout RegionOutcome, now: @Sendable () -> Date) async throws {
        let previous = try await store.acceptedState(region.code)
        outcome.versionInService = previous?.version
        outcome.stale = previous?.isStale(at: now()) ?? false
        let base = URL(string: region.nodeURL.hasSuffix("/") ? region.nodeURL : region.nodeURL + "/")!
        let body: Data, etag: String?
        switch try await fetchExport(base.appendingPathComponent("export.json"), etag: previous?.etag) {
        case .notModified:
            outcome.status = .unchanged
            outcome.offeredVersion = previous?.version
            outcome.places = try await store.placeIds(region.code).count
            return
        case .body(let b, let e):
            body = b
            etag = e
        }
        let signature: Data
        switch try await fetchExport(base.appendingPathComponent("export.json.sig"), etag: nil) {
        case .body(let s, _): signature = s
        case .notModified: throw ExportRefused.fetch(.httpStatus(304))
        }
        let stored = try await store.storedRecords(region.code)
        let previousIds = Set(stored.places.keys)
        var validator = ExportValidator(region: region, reference: reference, locator: locator)
        validator.maxDeletionShare = 0.3
        validator.reuseScore = reuseScore
        let window = TimeInterval(ExportValidator.deletionWindowDays * 86_400)
        let history = try await store.deletionHistory(region.code, since: now().addingTimeInterval(-window))
        let override = allowMassDeletion[region.code]
        let result = try validator.validate(body: body, signature: signature, etag: etag, previous: previous,
                                            previousPlaceIds: previousIds, allowMassDeletion: override != nil,
                                            deletionHistory: history, stored: stored, now: now())
        outcome.anomalies = result.anomalies
        guard let snapshot = result.snapshot else {
            outcome.status = .unchanged
            outcome.offeredVersion = previous?.version
            outcome.places = previousIds.count
            return
        }
        outcome.offeredVersion = snapshot.version
        let changes = try await store.replace(with: snapshot, acceptedAt: now())
        outcome.status = .accepted
        outcome.deletionGuardLifted = override
        outcome.geocoding = result.geocoding
        outcome.versionInService = snapshot.version
        outcome.added = changes.added
        outcome.updated = changes.updated
        outcome.removed = changes.removed
        outcome.places = snapshot.allPlaceIds.count
        // Kept places all have a position (see `StoredPlace.resolved`): the unresolved ones are all here.
        outcome.unresolvedPlaces = snapshot.places.filter { $0.location.position == nil }
            .map { UnresolvedPlace(id: $0.place.id, reason: $0.location.reason ?? "unresolved") }
        outcome.stale = false
    }

    private func fetchExport(_ url: URL, etag: String?) async throws(ExportRefused) -> FetchResult {
        do {
            return try await fetcher.fetch(url, etag: etag)
        } catch {
            throw .fetch(error)
        }
    }
}
