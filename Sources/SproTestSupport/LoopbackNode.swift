import Directory
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import RegionNode
import Signing

/// Runs HTTP servers on 127.0.0.1 with a system-chosen port for the duration of a test body.
public enum Loopback {
    /// Serves `router` while `body` runs, passing the base URL ("http://127.0.0.1:PORT").
    public static func serve<Context: RequestContext, T: Sendable>(_ router: Router<Context>,
                                          _ body: @Sendable (String) async throws -> T) async throws -> T
    where Context.Source == ApplicationRequestContextSource {
        var logger = Logger(label: "spro.test")
        logger.logLevel = .error
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        // A service group lets the server stop gracefully (cancelling it would log errors).
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await group.run() }
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        do {
            let result = try await body("http://127.0.0.1:\(port)")
            await group.triggerGracefulShutdown()
            try await task.value
            return result
        } catch {
            await group.triggerGracefulShutdown()
            try? await task.value
            throw error
        }
    }

    /// Serves a node store's export.
    public static func serveNode<T: Sendable>(_ store: NodeStore, _ body: @Sendable (String) async throws -> T) async throws -> T {
        try await serve(NodeServer.buildRouter(store: store), body)
    }

    /// Serves fixed bytes as `/export.json` and `/export.json.sig`: a node gone wrong (tampered, replayed...).
    public static func serveBytes<T: Sendable>(body exportBody: Data, signature: Data,
                                               _ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.get("/export.json") { _, _ in Response(status: .ok, headers: [.contentType: "application/json"],
                                                        body: .init(byteBuffer: ByteBuffer(bytes: exportBody))) }
        router.get("/export.json.sig") { _, _ in Response(status: .ok, headers: [.contentType: "application/json"],
                                                            body: .init(byteBuffer: ByteBuffer(bytes: signature))) }
        return try await serve(router, body)
    }
}

/// A node store with a fresh key and temp database, and the registry entry that trusts its key.
public struct TestNode: Sendable {
    public let store: NodeStore
    public let key: SigningKey
    public let region: Region
    public let databasePath: String

    public init(region code: RegionCode = Fixtures.bretagne, now: Date = Date(), exportLifetime: TimeInterval = 7 * 86_400) throws {
        key = SigningKey(region: code, keyId: "\(code)-test-\(UUID().uuidString.prefix(6))")
        region = Fixtures.region(code, keys: [key.publicEntry(validFrom: now.addingTimeInterval(-3600), validUntil: now.addingTimeInterval(86_400 * 30))])
        databasePath = temporaryDirectory("node").appendingPathComponent("node.sqlite").path
        store = try NodeStore(region: region, databasePath: databasePath, key: key, exportLifetime: exportLifetime)
    }

    /// The registry entry pointing at `url`.
    public func registryEntry(url: String) -> Region {
        var r = region
        r.nodeURL = url
        return r
    }
}
