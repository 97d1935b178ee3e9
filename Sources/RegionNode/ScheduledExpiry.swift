import Foundation
import Logging
import ServiceLifecycle

/// Expires the referencings whose validity has ended, at start-up and then every `interval`, so a due
/// referencing expires on its day without anyone calling `POST referencings/expire`. Each expiry is
/// dated when it runs and takes effect on the validity end.
public struct ScheduledExpiry: Service {
    public let store: NodeStore
    public let interval: Duration
    public let logger: Logger

    public init(store: NodeStore, every interval: Duration = .seconds(3600), logger: Logger) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let events = try await store.expireDue()
                if !events.isEmpty {
                    logger.notice("Référencements expirés", metadata: ["structures": "\(events.map(\.structureId).joined(separator: ","))"])
                }
            } catch {
                logger.error("Expiration des référencements impossible ; nouvel essai au prochain tour", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
