import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServerFoundation
import SproTestSupport
import Storage
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

    /// While another connection holds the node's database (a long import from the command line), the
    /// export is served from its last published bytes, and what needs the database is refused 503 with
    /// `Retry-After` and a French reason, never a 500 with an empty body.
    @Test(.timeLimit(.minutes(1)))
    func theExportIsServedFromItsLastBytesWhileTheDatabaseIsLocked() async throws {
        let (node, admin) = try await NodeServerTests.node()
        let app = NodeServer.buildApplication(NodeServerOptions(port: 0, logLevel: .critical), store: node.store)
        try await app.test(.live) { client in
            let lock = try Database(path: node.databasePath)
            // Nothing published yet, and no lock to publish with: 503, told when to come back.
            try lock.execute("BEGIN IMMEDIATE")
            try await client.execute(uri: "/export.json", method: .get) { response in
                #expect(response.status == .serviceUnavailable && response.headers[.retryAfter] == "5")
                let body = try NodeServerTests.json(response.body)
                #expect(body["code"] as? String == "busy" && (body["message"] as? String)?.contains("réessayez") == true, "\(body)")
            }
            try lock.execute("ROLLBACK")
            let first = try await client.execute(uri: "/export.json", method: .get) { response in
                #expect(response.status == .ok)
                return (body: Data(buffer: response.body), etag: response.headers[.eTag])
            }
            let signature = try await client.execute(uri: "/export.json.sig", method: .get) { Data(buffer: $0.body) }

            // A change makes the next export compare the records again, which needs the write lock.
            _ = try await node.store.closePlace("53-P1", motive: "travaux", by: .system)
            try lock.execute("BEGIN IMMEDIATE")
            try await client.execute(uri: "/export.json", method: .get) { response in
                #expect(response.status == .ok && response.headers[.eTag] == first.etag)
                #expect(Data(buffer: response.body) == first.body, "the last published bytes, exactly as signed")
            }
            try await client.execute(uri: "/export.json.sig", method: .get) { response in
                #expect(response.status == .ok && Data(buffer: response.body) == signature)
            }
            try await client.execute(uri: "/api/v1/places/53-P2/close", method: .post,
                                     headers: [.authorization: "Bearer \(admin)", .contentType: "application/json"],
                                     body: ByteBuffer(string: #"{"motive": "travaux"}"#)) { response in
                #expect(response.status == .serviceUnavailable && response.headers[.retryAfter] == "5")
                let code = try NodeServerTests.json(response.body)["code"] as? String
                #expect(code == "busy")
            }
            try lock.execute("ROLLBACK")

            // The lock gone, the change is published as the next version.
            try await client.execute(uri: "/export.json", method: .get) { response in
                #expect(response.status == .ok && response.headers[.eTag] != first.etag)
                let document = try NodeServerTests.json(response.body)
                let before = try JSONSerialization.jsonObject(with: first.body) as? [String: Any]
                #expect(document["version"] as? Int == (before?["version"] as? Int).map { $0 + 1 })
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
