import Foundation
import Logging
import PerformanceKit
import ServiceLifecycle

/// A harvest every `interval`, as a service: `spro harvest --every` runs it alone, `spro national serve
/// --harvest-every` beside the server (whose `LiveDirectory` then picks each run up). A round that fails
/// on the national side (the disk full, the registry being edited) is logged and tried again next round;
/// each Région's faults are already its own refusals. On SIGTERM the wait ends at once; a round in progress
/// is cancelled between Régions, each Région's swap being one transaction.
public struct ScheduledHarvest: Service {
    public let interval: Duration
    /// One harvest: builds the harvester (reading the registry again, so key rotations take effect) and runs it.
    public let round: @Sendable () async throws -> HarvestReport
    public let logger: Logger

    public init(every interval: Duration, logger: Logger, round: @escaping @Sendable () async throws -> HarvestReport) {
        self.interval = interval
        self.round = round
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                // Off the cooperative pool, at lower priority: a server beside it keeps answering.
                let report = try await cancelWhenGracefulShutdown {
                    try await withTaskExecutorPreference(BackgroundExecutor.shared) { try await round() }
                }
                logger.notice("Moissonnage terminé", metadata: [
                    "verified": "\(report.verifiedCount)", "regions": "\(report.regions.count)",
                    "seconds": "\(String(format: "%.2f", report.durationSeconds))",
                ])
            } catch is CancellationError {
                break
            } catch {
                logger.error("Moissonnage impossible ; nouvel essai au prochain tour", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
