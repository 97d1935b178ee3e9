import Coverage
import Directory
import Foundation
import Hummingbird
import Logging
import Metrics
import OpenData
import PerformanceKit
import NationalDirectory
import ServiceLifecycle
import Signing
import Synchronization

/// Keeps a running national server in step with the national file: it loads the content once the server
/// listens, then watches the store's generation (`StoreGeneration`) and, when a harvest, in this process
/// or in a separate `spro harvest`, has recorded a new run, rebuilds the content off to the side and swaps
/// the routes over it in one step. Requests in flight finish on the content they started with.
///
/// A reload that fails (the file unreadable for a moment) keeps the content in service and is tried again
/// at the next poll. After a reload that changed the places, the coverage report is archived in the store.
public final class LiveDirectory: ServiceLifecycle.Service, Sendable {
    let store: NationalStore
    let loader: NationalContentLoader
    let pollInterval: Duration
    let logger: Logger
    let responder: SwappableResponder<NationalRequestContext>
    private let state = Mutex(State())

    struct State {
        var content: NationalContent?
        /// Why the last reload failed: logged once, tried again at each poll.
        var lastFailure: String?
    }

    init(store: NationalStore, loader: NationalContentLoader, pollInterval: Duration, logger: Logger) {
        self.store = store
        self.loader = loader
        self.pollInterval = pollInterval
        self.logger = logger
        responder = SwappableResponder(NationalApp.buildLoadingRouter().buildResponder())
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            // All of a reload's work (reading the store, building, archiving, freeing the old content) runs on the
            // low-priority background thread: the cooperative pool, where requests are answered, only swaps a reference.
            _ = await withTaskExecutorPreference(BackgroundExecutor.shared) { await self.refresh() }
            // Wakes early on shutdown; the service then returns with the server.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.pollInterval) }
        }
    }

    /// Reads the store's generation and, if it moved, swaps in content loaded from it. Returns whether the
    /// content changed. Only `run` calls it: reloads never overlap.
    @discardableResult
    func refresh() async -> Bool {
        do {
            let generation = try await store.generation()
            let current = state.withLock { $0.content }
            // A harvest swaps Régions one by one and records its run last: wait for the run, so that a whole
            // harvest is served at once (a harvest killed before its record is served with the next one).
            if let current, current.generation?.harvestRun == generation.harvestRun { return false }
            // The whole reload runs on this one thread: its CPU time is the reload's, whatever shares the cores.
            let (started, cpu) = (ContinuousClock.now, currentThreadCPUSeconds())
            var content: NationalContent
            var placesChanged = true
            if var kept = current, kept.generation?.snapshots == generation.snapshots {
                // Only a harvest run was recorded (every Région unchanged or refused): same places, new report,
                // and the anomalies read from it.
                loader.replaceReport(of: &kept, with: try await store.latestReport())
                content = kept
                placesChanged = false
            } else {
                content = try await loader.load(from: store)
            }
            content.generation = generation
            retire(install(content))
            if placesChanged {
                await archiveCoverage(of: content, generation: generation)
                await publishRelease(of: content, generation: generation)
            }
            Gauge(label: "spro_national_reload_duration_seconds").record((ContinuousClock.now - started).seconds)
            Gauge(label: "spro_national_reload_cpu_seconds").record(currentThreadCPUSeconds() - cpu)
            return true
        } catch {
            let failure = "\(error)"
            let repeated = state.withLock { state in
                defer { state.lastFailure = failure }
                return state.lastFailure == failure
            }
            Counter(label: "spro_national_reload_failures_total").increment()
            if !repeated {
                logger.error("Rechargement de l'annuaire national impossible ; le contenu en service est conservé, nouvel essai à chaque vérification",
                             metadata: ["error": "\(failure)"])
            }
            return false
        }
    }

    /// Serves `content` from now on; returns what it replaced.
    private func install(_ content: NationalContent) -> Retired {
        let routes = responder.swap(NationalApp.buildRouter(content: content).buildResponder())
        let previous = state.withLock { state in
            defer {
                state.content = content
                state.lastFailure = nil
            }
            return state.content
        }
        Counter(label: "spro_national_reloads_total").increment()
        Gauge(label: "spro_national_content_harvest_run").record(content.generation?.harvestRun ?? 0)
        Gauge(label: "spro_national_content_loaded_timestamp_seconds").record(Date().timeIntervalSince1970)
        logger.notice("Nouveau contenu en service", metadata: ["generation": "\(content.generation?.description ?? "-")"])
        return Retired(routes: routes, content: previous)
    }

    /// The routes and content a swap replaced.
    struct Retired: Sendable {
        let routes: RouterResponder<NationalRequestContext>
        let content: NationalContent?
    }

    /// How long replaced content is kept after a swap: the requests in flight on it finish well within.
    static let retirement = Duration.seconds(2)

    /// Frees replaced content on the background thread once the requests in flight on it have finished. Left
    /// to the last request holding it, a whole directory's objects (hundreds of thousands) would be freed on
    /// a thread that answers requests, and the requests queued behind it would wait.
    private func retire(_ retired: Retired) {
        Task(executorPreference: BackgroundExecutor.shared) {
            try? await Task.sleep(for: Self.retirement)
            withExtendedLifetime(retired) {}
        }
    }

    /// Builds, signs and writes the open-data release of this generation, once per harvest run, off the
    /// request path; a failure is logged and the previous releases stay served.
    private func publishRelease(of content: NationalContent, generation: StoreGeneration) async {
        guard let options = loader.openData, let key = options.key else { return }
        let version = generation.harvestRun
        if (try? OpenDataRelease.releaseFolders(in: options.directory))?.contains(where: { $0.hasSuffix("-v\(version)") }) == true { return }
        do {
            let started = ContinuousClock.now
            let folder = try await OpenDataRelease.publish(content.openDataSet(at: Date()), version: version, key: key,
                                                           into: options.directory, keep: options.keep)
            logger.notice("Données ouvertes publiées", metadata: [
                "release": "\(folder.lastPathComponent)", "seconds": "\((ContinuousClock.now - started).seconds)",
            ])
        } catch {
            Counter(label: "spro_national_release_failures_total").increment()
            logger.error("Publication des données ouvertes impossible ; les publications précédentes restent servies",
                         metadata: ["error": "\(error)"])
        }
    }

    /// Keeps the coverage of this generation in the store's history, dated, once per harvest run.
    private func archiveCoverage(of content: NationalContent, generation: StoreGeneration) async {
        guard let coverage = content.coverage, let facts = content.coverageFacts else { return }
        do {
            // Each start loads the latest run again: encoding a national report (~1 MB of JSON, twice) took a
            // third of the CPU of the first seconds in service. Archived already, it is left alone.
            if try await store.hasCoverage(harvestRun: generation.harvestRun) { return }
            // With the facts of the places counted, so that the history explains what moved each zone.
            // Kept as the latest run by the loader's cache: the next rebuild's history reads it from memory.
            try await CoverageArchive.archive(coverage, facts: facts, in: store, harvestRun: generation.harvestRun, origin: .service,
                                              cache: loader.archivedRuns)
        } catch {
            logger.error("Archivage de la couverture impossible", metadata: ["error": "\(error)"])
        }
    }
}
