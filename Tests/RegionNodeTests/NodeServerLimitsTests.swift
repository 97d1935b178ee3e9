import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServerFoundation
import SproTestSupport
import Testing
@testable import RegionNode

/// The node's server shares the national server's limits (`ServerLimits`), over real loopback HTTP.
@Suite(.serialized) struct NodeServerLimitsTests {
    /// Every GET route answers HEAD with GET's status and no body: the export, the probes, the API, the pages.
    @Test func headAnswersOnEveryGetRoute() async throws {
        let (node, admin) = try await NodeServerTests.node()
        let paths = NodeServer.buildRouter(store: node.store).routes.filter { $0.method == .get }.map { route in
            route.path.description.split(separator: "/", omittingEmptySubsequences: false)
                .map { $0.contains("{") || $0.contains("*") ? "x" : String($0) }.joined(separator: "/")
        }
        #expect(paths.contains("/export.json") && paths.contains("/api/v1/audit"))
        let app = NodeServer.buildApplication(NodeServerOptions(port: 0, logLevel: .critical), store: node.store)
        try await app.test(.live) { client in
            try await client.execute(uri: "/export.json", method: .head) { response in
                #expect(response.status == .ok && response.headers[.eTag] != nil)
            }
            for path in paths {
                let headers: HTTPFields = [.authorization: "Bearer \(admin)"]
                let get = try await client.execute(uri: path, method: .get, headers: headers) { $0.status }
                try await client.execute(uri: path, method: .head, headers: headers) { response in
                    // A capture filled with "x" may name nothing: then GET and HEAD are both 404, never HEAD alone.
                    #expect(response.status == get, "HEAD \(path): \(response.status), GET \(get)")
                    #expect(response.body.readableBytes == 0, "HEAD \(path)")
                }
            }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aConnectionOverTheLimitIsAnswered503AndIdleOnesAreClosed() async throws {
        let (node, _) = try await NodeServerTests.node()
        let options = NodeServerOptions(port: 0, logLevel: .critical,
                                        limits: ServerLimits(idleTimeout: .seconds(60), maxConnections: 2, maxRequestBodyBytes: 8 << 20))
        try await NodeServer.buildApplication(options, store: node.store).test(.live) { client in
            let port = try #require(client.port)
            // The test client's own connection counts: one request makes sure it is open before the others.
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            let first = try RawSocket(port: port)
            try first.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
            #expect(await first.readResponse()?.hasPrefix("HTTP/1.1 200") == true)
            let second = try RawSocket(port: port)
            try second.send("GET /export.json HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let answer = try #require(await second.readUntilClosed())
            #expect(answer.hasPrefix("HTTP/1.1 503") && answer.lowercased().contains("retry-after: 5"), "\(answer)")
        }
        let idle = NodeServerOptions(port: 0, logLevel: .critical, limits: ServerLimits(idleTimeout: .milliseconds(300), maxRequestBodyBytes: 8 << 20))
        try await NodeServer.buildApplication(idle, store: node.store).test(.live) { client in
            let silent = try RawSocket(port: try #require(client.port))
            #expect(await silent.readUntilClosed() == "")
        }
    }
}
