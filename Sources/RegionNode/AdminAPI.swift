import Directory
import Foundation
import HTTPTypes
import Hummingbird
import Referencing

/// The node's admin API under `/api/v1/` (see `docs/node-admin-api.yaml`). Every call carries
/// `Authorization: Bearer <token>`; errors are JSON `{"error": "..."}` naming the record and field.
enum AdminAPI {
    static let maxBody = 4 << 20

    static func register(on router: Router<BasicRequestContext>, store: NodeStore, validator: RecordValidator) {
        let api = router.group("api/v1")

        api.get("structures/:id") { request, context in
            try await respond(request, store) { actor in
                let id = try parameter(context, "id")
                guard actor.role == .admin || actor.structureId == id else {
                    throw AdminError.forbidden("\(actor.name) reads structure \(actor.structureId ?? "?") only, not \(id)")
                }
                guard let s = try await store.structure(id) else { throw AdminError.notFound(kind: "structure", id: id) }
                return (.ok, s)
            }
        }
        api.post("structures") { request, _ in
            try await respond(request, store) { actor in
                let body = try await decode(Application.self, request)
                return (.created, try await store.apply(body.structure, places: body.places ?? [], validator: validator, by: actor))
            }
        }
        api.put("structures/:id") { request, context in
            try await respond(request, store) { actor in
                let s = try await decode(Structure.self, request)
                try sameId(s.id, parameter(context, "id"), record: "structure")
                return try await outcome(store.submitStructure(s, validator: validator, by: actor))
            }
        }
        api.post("structures/:id/transitions") { request, context in
            try await respond(request, store) { actor in
                let body = try await decode(TransitionRequest.self, request)
                return (.created, try await store.transition(try parameter(context, "id"), body, by: actor))
            }
        }
        api.get("structures/:id/history") { request, context in
            try await respond(request, store) { actor in
                let id = try parameter(context, "id")
                guard actor.role == .admin || actor.structureId == id else { throw AdminError.forbidden("\(actor.name) may not read \(id)'s history") }
                return (.ok, try await store.history(id))
            }
        }
        api.get("structures/:id/referencing") { request, context in
            try await respond(request, store) { _ in
                let id = try parameter(context, "id")
                let day = request.uri.queryParameters.get("asOf") ?? ISODay.string(Date())
                guard ISODay.parse(day) != nil else { throw AdminError.invalid(record: "query", field: "asOf", rule: "must be a date YYYY-MM-DD") }
                guard let event = try await store.referencing(id, asOf: day) else {
                    throw AdminError.notFound(kind: "referencing of structure \(id) as of", id: day)
                }
                return (.ok, event)
            }
        }
        api.put("places/:id") { request, context in
            try await respond(request, store) { actor in
                let p = try await decode(Place.self, request)
                try sameId(p.id, parameter(context, "id"), record: "place")
                return try await outcome(store.submitPlace(p, validator: validator, by: actor))
            }
        }
        api.get("channels") { request, _ in
            try await respond(request, store) { _ in (.ok, try await store.loadAll().channels) }
        }
        api.put("channels/:id") { request, context in
            try await respond(request, store) { actor in
                let c = try await decode(Channel.self, request)
                try sameId(c.id, parameter(context, "id"), record: "channel")
                return try await outcome(store.submitChannel(c, validator: validator, by: actor))
            }
        }
        api.post("channels/:id/close") { request, context in
            try await respond(request, store) { actor in
                struct Body: Decodable { let motive: String }
                let body = try await decode(Body.self, request)
                try await store.closeChannel(try parameter(context, "id"), motive: body.motive, by: actor)
                return (.ok, ["status": "closed"])
            }
        }
        api.post("places/:id/close") { request, context in
            try await respond(request, store) { actor in
                struct Body: Decodable { let motive: String }
                let body = try await decode(Body.self, request)
                return try await outcome(store.closePlace(try parameter(context, "id"), motive: body.motive, by: actor))
            }
        }
        api.get("edits") { request, _ in
            try await respond(request, store) { actor in
                let status = request.uri.queryParameters.get("status").flatMap(PendingEdit.Status.init(rawValue:))
                return (.ok, try await store.edits(status: status ?? .pending, for: actor))
            }
        }
        for (path, approve) in [("edits/:id/approve", true), ("edits/:id/reject", false)] {
            api.post(RouterPath(stringLiteral: path)) { request, context in
                try await respond(request, store) { actor in
                    guard let id = Int(try parameter(context, "id")) else { throw AdminError.notFound(kind: "edit", id: context.parameters.get("id") ?? "") }
                    try await store.decideEdit(id, approve: approve, by: actor)
                    let result: [String: String] = ["status": approve ? "approved" : "rejected"]
                    return (HTTPResponse.Status.ok, result)
                }
            }
        }
        api.post("charters") { request, _ in
            try await respond(request, store) { actor in
                try await store.requireAdmin(actor, to: "adopt a charter")
                let charter = try await decode(Charter.self, request)
                do { try charter.validate(file: "charter v\(charter.version)") } catch let error as CharterError {
                    throw AdminError.invalid(record: "charter v\(charter.version)", field: error.field, rule: error.rule)
                }
                try validator.validate(charter)
                try await store.adoptCharters([charter], by: actor)
                return (.created, try await store.charters().map(\.version))
            }
        }
        api.post("referencings/expire") { request, _ in
            try await respond(request, store) { actor in
                try await store.requireAdmin(actor, to: "expire referencings")
                let day: String? = request.uri.queryParameters.get("asOf").map { String($0) }
                guard let now = day.map({ ISODay.parse($0) }) ?? Date() else {
                    throw AdminError.invalid(record: "query", field: "asOf", rule: "must be a date YYYY-MM-DD")
                }
                return (.ok, try await store.expireDue(asOf: now))
            }
        }
        api.post("indicators") { request, _ in
            try await respond(request, store) { actor in
                let values = try await decode([IndicatorValue].self, request)
                let result: [String: Int] = ["stored": try await store.reportIndicators(values, validator: validator, by: actor)]
                return (HTTPResponse.Status.created, result)
            }
        }
        api.get("quality") { request, _ in
            try await respond(request, store) { actor in (.ok, try await store.quality(for: actor)) }
        }
        for kind in RecordKind.allCases {
            api.post(RouterPath(stringLiteral: "\(kind.rawValue)s/:id/confirm")) { request, context in
                try await respond(request, store) { actor in
                    try await store.confirm(kind, try parameter(context, "id"), by: actor)
                    let result: [String: String] = ["status": "confirmed"]
                    return (HTTPResponse.Status.ok, result)
                }
            }
        }
        api.get("audit") { request, _ in
            try await respond(request, store) { actor in
                try await store.requireAdmin(actor, to: "read the audit log")
                let target: String? = request.uri.queryParameters.get("target").map { String($0) }
                return (.ok, try await store.auditLog(target: target))
            }
        }
    }

    /// A structure's application: the structure and the places where it receives the public.
    struct Application: Codable, Sendable {
        var structure: Structure
        var places: [Place]?
    }

    struct Message: Codable { let error: String }

    static func authenticate(_ request: Request, _ store: NodeStore) async throws -> Principal {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { throw AdminError.unauthenticated }
        let token = String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
        guard let principal = try await store.principal(forToken: token) else { throw AdminError.unauthenticated }
        return principal
    }

    static func parameter(_ context: BasicRequestContext, _ name: String) throws -> String {
        guard let value = context.parameters.get(name) else { throw AdminError.invalid(record: "path", field: name, rule: "missing") }
        return value
    }

    static func sameId(_ body: String, _ path: String, record: String) throws {
        guard body == path else { throw AdminError.invalid(record: "\(record) \(path)", field: "id", rule: "the body's id \(body) differs from the URL's") }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        let buffer = try await request.body.collect(upTo: maxBody)
        do {
            return try SproJSON.decoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw AdminError.invalid(record: "request body", field: error.fieldPath, rule: error.plainDescription)
        }
    }

    static func outcome(_ outcome: EditOutcome) -> (HTTPResponse.Status, [String: String]) {
        switch outcome {
        case .published: (.ok, ["status": "published"])
        case .pending(let id): (.accepted, ["status": "pending", "editId": String(id)])
        }
    }

    /// Authenticates the caller, runs the handler, and turns its result or error into a JSON response.
    static func respond<T: Encodable>(_ request: Request, _ store: NodeStore,
                                      _ body: (Principal) async throws -> (HTTPResponse.Status, T)) async throws -> Response {
        do {
            let (status, value) = try await body(try await authenticate(request, store))
            return json(status, value)
        } catch let error as AdminError {
            let status: HTTPResponse.Status = switch error {
            case .unauthenticated: .unauthorized
            case .forbidden: .forbidden
            case .notFound: .notFound
            case .invalid: .unprocessableContent
            case .conflict: .conflict
            }
            var response = json(status, Message(error: error.description))
            if status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer realm=\"spro\"" }
            return response
        } catch let error as ReferencingError {
            return json(.conflict, Message(error: error.description))
        } catch let error as NodeError {
            return json(.conflict, Message(error: error.description))
        }
    }

    static func json<T: Encodable>(_ status: HTTPResponse.Status, _ value: T) -> Response {
        let data = (try? SproJSON.encoder().encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
