import Directory
import Foundation
import Hummingbird
import RegionNode

/// Runs several region nodes in this process, each a real HTTP server on loopback with its own SQLite file.
public enum NodeFleet {
    /// Starts every node in `group`, waits until all listen, and returns the regions with their actual URLs.
    public static func start(_ nodes: [(region: Region, store: NodeStore)], ephemeralPorts: Bool,
                             in group: inout ThrowingTaskGroup<Void, any Error>) async throws -> [Region] {
        let (stream, continuation) = AsyncStream<(RegionCode, Int)>.makeStream()
        for (region, store) in nodes {
            let app = NodeServer.buildApplication(store: store, port: ephemeralPorts ? 0 : region.port) { port in
                continuation.yield((region.code, port))
            }
            group.addTask {
                do {
                    try await app.run()
                } catch {
                    continuation.yield((region.code, -1))  // e.g. port already in use
                    throw error
                }
            }
        }
        var ports: [RegionCode: Int] = [:]
        for await (code, port) in stream {
            guard port > 0 else { throw NodeFleetError.cannotListen(code, port: nodes.first { $0.region.code == code }?.region.port ?? 0) }
            ports[code] = port
            if ports.count == nodes.count { break }
        }
        continuation.finish()
        return nodes.map { node in
            var r = node.region
            if let port = ports[r.code] {
                r.port = port
                r.nodeURL = "http://127.0.0.1:\(port)"
            }
            return r
        }
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
