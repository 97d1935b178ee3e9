import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SproTestSupport
import Testing
@testable import RegionNode

/// `docs/node-admin-api.yaml` and the node's router agree: every routed operation is documented and every
/// documented one routed, each list documents exactly the parameters (and values) its handler accepts, and
/// the statuses every operation can answer are declared.
@Suite struct AdminAPIDocumentTests {
    static let documentPath = TestReference.repositoryRoot.appendingPathComponent("docs/node-admin-api.yaml").path

    /// The document as JSON, read with PyYAML (installed with openapi-spec-validator by `tools/setup --tests`).
    static func document() throws -> [String: Any] {
        let script = "import json, sys, yaml\nprint(json.dumps(yaml.safe_load(open(sys.argv[1], encoding='utf-8'))))"
        let result = try runProcess("python3", ["-c", script, documentPath])
        try #require(result.status == 0, "\(result.output.suffix(2_000))")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    }

    /// The object a `$ref` ("#/components/...") names, or `object` itself.
    static func resolve(_ object: Any?, in document: [String: Any]) -> [String: Any] {
        guard let dict = object as? [String: Any] else { return [:] }
        guard let ref = dict["$ref"] as? String, ref.hasPrefix("#/") else { return dict }
        var node: Any? = document
        for part in ref.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] }
        return resolve(node, in: document)
    }

    static let methods = ["get", "put", "post", "delete", "patch"]

    /// Documented operations as "METHOD /path".
    static func documentedOperations(_ document: [String: Any]) -> Set<String> {
        let paths = document["paths"] as? [String: Any] ?? [:]
        return Set(paths.flatMap { path, item in
            (item as? [String: Any] ?? [:]).keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" }
        })
    }

    /// The router's operations with a real handler, as "METHOD /path" (`:id` as `{id}`): HEAD (answered for GET)
    /// and the 405 refusals `refuseOtherMethods` adds are left out, found by asking each route without a token.
    static func routedOperations(_ router: Router<NodeRequestContext>) async throws -> Set<String> {
        let routes = router.routes.filter { $0.method != .head }.map { (method: $0.method, path: $0.path.description) }
        return try await Application(router: router).test(.router) { client in
            var operations: Set<String> = []
            for route in routes {
                let segments = route.path.split(separator: "/", omittingEmptySubsequences: false)
                let uri = segments.map { $0.hasPrefix(":") ? ($0 == ":version" ? "1" : "x") : String($0) }.joined(separator: "/")
                let refused = try await client.execute(uri: uri, method: route.method) { response in
                    response.status == .methodNotAllowed && String(buffer: response.body).contains("method_not_allowed")
                }
                if !refused {
                    let documentedPath = segments.map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
                    operations.insert("\(route.method.rawValue) \(documentedPath.hasPrefix("/") ? documentedPath : "/" + documentedPath)")
                }
            }
            return operations
        }
    }

    @Test func everyRoutedOperationIsDocumentedAndEveryDocumentedOneRouted() async throws {
        let node = try TestNode()
        let routed = try await Self.routedOperations(NodeServer.buildRouter(store: node.store))
        // The team's HTML pages (forms, session cookie) are not part of the API the document describes.
        let api = routed.filter { !$0.contains(" /equipe") }
        #expect(routed.subtracting(api).isSuperset(of: ["GET /equipe/qualite", "POST /equipe/connexion", "GET /equipe", "POST /equipe/import/apercu", "GET /equipe/documents/{sha256}"]),
                "\(routed.subtracting(api).sorted())")
        let documented = Self.documentedOperations(try Self.document())
        #expect(api.count >= 35, "\(api.sorted())")
        #expect(api.subtracting(documented).isEmpty, "routed but not in docs/node-admin-api.yaml: \(api.subtracting(documented).sorted())")
        #expect(documented.subtracting(api).isEmpty, "documented but not routed: \(documented.subtracting(api).sorted())")
    }

    /// A documented path asked with a method it does not document answers 405, with `Allow` listing the documented
    /// methods (and HEAD where GET is).
    @Test func aMethodNotDocumentedOnAPathIsRefusedWith405AndAllow() async throws {
        let node = try TestNode()
        let document = try Self.document()
        let paths = try #require(document["paths"] as? [String: Any])
        let declaredByPath = paths.map { path, item in (path, Self.methods.filter { (item as? [String: Any])?[$0] != nil }) }
        try await Application(router: NodeServer.buildRouter(store: node.store)).test(.router) { client in
            for (path, declared) in declaredByPath {
                let uri = path.replacingOccurrences(of: "{id}", with: "x").replacingOccurrences(of: "{version}", with: "1").replacingOccurrences(of: "{sha256}", with: "x")
                for method in Self.methods where !declared.contains(method) {
                    let (status, allow) = try await client.execute(uri: uri, method: HTTPRequest.Method(method.uppercased())!) { response in
                        (response.status, response.headers[.allow] ?? "")
                    }
                    #expect(status == .methodNotAllowed, "\(method.uppercased()) \(path)")
                    let allowed = Set(allow.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
                    #expect(allowed == Set(declared + (declared.contains("get") ? ["head"] : [])), "\(path): Allow \(allow)")
                }
            }
        }
    }

    /// Each list documents exactly the filters its handler accepts, with the same values, plus the paging
    /// parameters (and the search `q` where the list is searched by name).
    @Test func eachListDocumentsTheParametersAndValuesItsHandlerAccepts() throws {
        let document = try Self.document()
        let paths = try #require(document["paths"] as? [String: Any])
        var applicationFilters = AdminController.structureFilters
        applicationFilters["state"] = AdminController.applicationStates
        let lists: [(String, [String: Set<String>?], Bool)] = [
            ("/api/v1/structures", AdminController.structureFilters, true),
            ("/api/v1/applications", applicationFilters, true),
            ("/api/v1/places", AdminController.placeFilters, true),
            ("/api/v1/channels", AdminController.channelFilters, true),
            ("/api/v1/edits", AdminController.editFilters, false),
            ("/api/v1/indicators", AdminController.indicatorFilters, false),
        ]
        for (path, filters, searched) in lists {
            let get = Self.resolve((paths[path] as? [String: Any])?["get"], in: document)
            let parameters = (get["parameters"] as? [Any] ?? []).map { Self.resolve($0, in: document) }.filter { $0["in"] as? String == "query" }
            var documented: [String: Set<String>?] = [:]
            for parameter in parameters {
                let name = try #require(parameter["name"] as? String)
                var schema = Self.resolve(parameter["schema"], in: document)
                if schema["type"] as? String == "array" { schema = Self.resolve(schema["items"], in: document) }
                documented.updateValue((schema["enum"] as? [String]).map(Set.init), forKey: name)
            }
            let paging: Set<String> = searched ? ["q", "cursor", "limit"] : ["cursor", "limit"]
            #expect(Set(documented.keys) == Set(filters.keys).union(paging), "\(path)")
            for (name, accepted) in filters {
                #expect(documented[name] == accepted, "\(path): \(name)")
            }
        }
        // The charters' list takes no parameter at all.
        #expect(Self.resolve((paths["/api/v1/charters"] as? [String: Any])?["get"], in: document)["parameters"] == nil)
    }

    /// The statuses the framework and the node's middleware answer are declared where they can happen, each
    /// error with the Error schema: 401 on every API operation, 503 wherever the database is read, 413 and 422
    /// with a body, 412 with `If-Match`, 304 with `If-None-Match`.
    @Test func everyOperationDeclaresTheStatusesItCanAnswerWithTheErrorSchema() throws {
        let document = try Self.document()
        let paths = try #require(document["paths"] as? [String: Any])
        var checked = 0
        for (path, item) in paths {
            let item = try #require(item as? [String: Any])
            for method in Self.methods {
                guard let operation = item[method] as? [String: Any] else { continue }
                let label = "\(method.uppercased()) \(path)"
                let responses = try #require(operation["responses"] as? [String: Any], "\(label)")
                let parameters = ((item["parameters"] as? [Any] ?? []) + (operation["parameters"] as? [Any] ?? []))
                    .map { Self.resolve($0, in: document)["name"] as? String ?? "" }
                var expected: Set<String> = []
                if path.hasPrefix("/api/v1/") { expected.formUnion(["401", "503"]) }
                if operation["requestBody"] != nil { expected.formUnion(["413", "422"]) }
                if parameters.contains("If-Match") { expected.insert("412") }
                if parameters.contains("If-None-Match") { expected.insert("304") }
                // A PUT creates a place or a channel it does not find; every other operation on a record may not find it.
                if path.contains("{") && method != "put" { expected.insert("404") }
                #expect(expected.subtracting(responses.keys).isEmpty, "\(label) lacks \(expected.subtracting(responses.keys).sorted())")
                for (status, response) in responses where status.hasPrefix("4") || status.hasPrefix("5") {
                    let content = Self.resolve(response, in: document)["content"] as? [String: Any]
                    let schema = ((content?["application/json"] as? [String: Any])?["schema"] as? [String: Any])?["$ref"] as? String
                    #expect(schema == "#/components/schemas/Error", "\(label) \(status)")
                }
                // A JSON body has a real schema (a document upload is bytes of its own media type).
                if let content = Self.resolve(operation["requestBody"], in: document)["content"] as? [String: Any], content["application/json"] != nil {
                    let body = ((Self.resolve(operation["requestBody"], in: document)["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"]
                    var schema = Self.resolve(body, in: document)
                    if schema["type"] as? String == "array" { schema = Self.resolve(schema["items"], in: document) }
                    // A real schema, not a bare object: its required fields and their types.
                    #expect((schema["required"] as? [String])?.isEmpty == false, "\(label): body without required fields")
                    #expect((schema["properties"] as? [String: Any])?.isEmpty == false, "\(label): body without properties")
                }
                checked += 1
            }
        }
        #expect(checked >= 35)
    }
}
