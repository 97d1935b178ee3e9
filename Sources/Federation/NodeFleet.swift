import Directory
import Foundation
import Hummingbird
import Logging
import RegionNode
import ServiceLifecycle

/// Several region nodes running in this process, each a real HTTP server on loopback with its own
/// SQLite file, under one service group so they stop gracefully together.
public final class NodeFleet: Sendable {
    /// The regions with the URLs their nodes actually listen on.
    public let regions: [Region]
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(regions: [Region], group: ServiceGroup, task: Task<Void, any Error>) {
        self.regions = regions
        self.group = group
        self.task = task
    }

    /// Starts every node and returns once all listen. With `ephemeralPorts`, the system picks the ports.
    public static func start(_ nodes: [(region: Region, store: NodeStore)], ephemeralPorts: Bool,
                             validator: RecordValidator = RecordValidator()) async throws -> NodeFleet {
        let (stream, continuation) = AsyncStream<(RegionCode, Int)>.makeStream()
        var logger = Logger(label: "spro.fleet")
        logger.logLevel = .warning
        let services: [any ServiceLifecycle.Service] = nodes.map { node in
            NodeServer.buildApplication(NodeServerOptions(port: ephemeralPorts ? 0 : node.region.port), store: node.store,
                                        validator: validator) { port in
                continuation.yield((node.region.code, port))
            }
        }
        let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) }, logger: logger))
        let task = Task {
            do {
                try await group.run()
            } catch {
                continuation.finish()
                throw error
            }
        }
        var ports: [RegionCode: Int] = [:]
        for await (code, port) in stream {
            ports[code] = port
            if ports.count == nodes.count { break }
        }
        continuation.finish()
        guard ports.count == nodes.count else {
            // A node could not start (port in use?): stop the others and report it.
            await group.triggerGracefulShutdown()
            try await task.value
            let missing = nodes.first { ports[$0.region.code] == nil }!
            throw NodeFleetError.cannotListen(missing.region.code, port: missing.region.port)
        }
        let regions = nodes.map { node in
            var r = node.region
            if let port = ports[r.code] {
                r.port = port
                r.nodeURL = "http://127.0.0.1:\(port)"
            }
            return r
        }
        return NodeFleet(regions: regions, group: group, task: task)
    }

    /// Stops every node gracefully and waits for them.
    public func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }
}

/// A node that could not start.
public enum NodeFleetError: Error, CustomStringConvertible {
    case cannotListen(RegionCode, port: Int)
    public var description: String {
        switch self {
        case .cannotListen(let code, let port): "region \(code)'s node could not listen on 127.0.0.1:\(port) (port in use?)"
        }
    }
}
