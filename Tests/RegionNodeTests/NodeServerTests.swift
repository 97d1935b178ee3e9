import Directory
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SproTestSupport
import Testing
@testable import RegionNode

/// The node's server as `buildApplication` assembles it, over real HTTP: probes, metrics, and the one
/// JSON error shape every refusal of the API takes.
@Suite struct NodeServerTests {
    static func node() async throws -> (TestNode, admin: String) {
        let node = try TestNode()
        try await node.store.importDataset(Fixtures.dataset())
        return (node, try await node.store.issueToken(name: "equipe", role: .admin))
    }

    static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any] ?? [:]
    }

    @Test func healthAndMetricsAnswerAndRequestsAreCountedByRouteAndStatus() async throws {
        let (node, admin) = try await Self.node()
        let app = NodeServer.buildApplication(NodeServerOptions(port: 0, logLevel: .error), store: node.store)
        try await app.test(.live) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok && String(buffer: response.body) == "ok")
            }
            try await client.execute(uri: "/export.json", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/api/v1/audit", method: .get, headers: [.authorization: "Bearer spro_unknown"]) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/api/v1/audit", method: .get, headers: [.authorization: "Bearer \(admin)"]) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(response.status == .ok && response.headers[.contentType]?.hasPrefix("text/plain") == true)
                // One counter line per route and status, labelled the Prometheus way.
                let lines = text.split(separator: "\n").filter { $0.hasPrefix("hb_requests{") }
                #expect(lines.contains { $0.contains("http_route=\"/export.json\"") && $0.contains("http_response_status_code=\"200\"") })
                #expect(lines.contains { $0.contains("http_route=\"/api/v1/audit\"") && $0.contains("http_response_status_code=\"401\"") })
                #expect(text.contains("http_server_request_duration"), "request latencies are recorded")
            }
        }
    }

    @Test func everyRefusalHasTheOneErrorShapeNamingTheField() async throws {
        let (node, admin) = try await Self.node()
        let auth: HTTPFields = [.authorization: "Bearer \(admin)", .contentType: "application/json"]
        try await Application(router: NodeServer.buildRouter(store: node.store)).test(.router) { client in
            try await client.execute(uri: "/api/v1/quality", method: .get) { response in
                #expect(response.status == .unauthorized && response.headers[.wwwAuthenticate] == "Bearer realm=\"spro\"")
                let body = try Self.json(response.body)
                #expect(body["code"] as? String == "unauthenticated" && (body["message"] as? String)?.contains("jeton") == true)
            }
            // A body that is not the record: the field is named, nothing is stored.
            let before = try await node.store.loadAll().places
            try await client.execute(uri: "/api/v1/places/53-P1", method: .put, headers: auth,
                                     body: ByteBuffer(string: #"{"id": "53-P1", "name": 12}"#)) { response in
                #expect(response.status == .unprocessableContent)
                let body = try Self.json(response.body)
                #expect(body["code"] as? String == "invalid" && body["field"] as? String == "name", "\(body)")
            }
            #expect(try await node.store.loadAll().places == before)
            try await client.execute(uri: "/api/v1/edits?status=AAA", method: .get, headers: auth) { response in
                let body = try Self.json(response.body)
                #expect(response.status == .unprocessableContent && body["field"] as? String == "status")
            }
            try await client.execute(uri: "/api/v1/structures/53-NOPE", method: .get, headers: auth) { response in
                let body = try Self.json(response.body)
                #expect(response.status == .notFound && body["code"] as? String == "not_found" && body["field"] == nil, "\(body)")
            }
            try await client.execute(uri: "/api/v1/edits/abc/approve", method: .post, headers: auth) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func aKnownPathAskedWithAnotherMethodAnswers405NamingTheMethodsItTakes() async throws {
        let (node, admin) = try await Self.node()
        let auth: HTTPFields = [.authorization: "Bearer \(admin)"]
        try await Application(router: NodeServer.buildRouter(store: node.store)).test(.router) { client in
            try await client.execute(uri: "/export.json", method: .post) { response in
                #expect(response.status == .methodNotAllowed && response.headers[.allow] == "GET, HEAD")
                let body = try Self.json(response.body)
                #expect(body["code"] as? String == "method_not_allowed")
                #expect((body["message"] as? String)?.contains("méthode POST non acceptée") == true, "\(body)")
            }
            // A path with a parameter, answering several methods; refused before any token is asked for.
            try await client.execute(uri: "/api/v1/structures/53-ML-1", method: .delete) { response in
                #expect(response.status == .methodNotAllowed && response.headers[.allow] == "GET, HEAD, PUT", "\(response.headers)")
            }
            try await client.execute(uri: "/api/v1/structures", method: .delete, headers: auth) { response in
                #expect(response.status == .methodNotAllowed && response.headers[.allow] == "GET, HEAD, POST")
            }
            // HEAD answers wherever GET does, with no body; an unknown path stays a 404.
            try await client.execute(uri: "/export.json", method: .head) { response in
                #expect(response.status == .ok && response.body.readableBytes == 0 && response.headers[.eTag] != nil)
            }
            try await client.execute(uri: "/api/v1/nothing-here", method: .delete, headers: auth) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
