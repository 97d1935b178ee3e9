import Directory
import Foundation
import HTTPTypes
import Hummingbird
import Referencing
import ServerFoundation

/// The node's admin API under `/api/v1/` (see `docs/node-admin-api.yaml`). Every route sits behind the
/// bearer token authenticator; what each caller may do is decided by `AccessPolicy`; the store's errors
/// become `NodeAPIError` at the edge (`DomainErrorMiddleware`).
struct AdminController {
    let store: NodeStore
    let validator: RecordValidator

    /// A structure's application: the structure and the places where it receives the public.
    struct Application: Codable, Sendable {
        var structure: Structure
        var places: [Place]?
    }

    struct Closure: Decodable { let motive: String }
    struct Rejection: Decodable { let reason: String }
    struct Status: Codable, Sendable { let status: String }
    struct Pending: Codable, Sendable { let status: String; let editId: String }
    struct Stored: Codable, Sendable { let stored: Int }

    func addRoutes(to api: RouterGroup<NodeRequestContext>) {
        addReadRoutes(to: api)
        api.post("structures", use: apply)
        api.put("structures/:id", use: submitStructure)
        api.post("structures/:id/transitions", use: transition)
        api.post("structures/:id/withdraw", use: withdraw)
        api.get("structures/:id/history", use: history)
        api.get("structures/:id/referencing", use: referencing)
        api.put("places/:id", use: submitPlace)
        api.post("places/:id/close", use: closePlace)
        api.put("channels/:id", use: submitChannel)
        api.post("channels/:id/close", use: closeChannel)
        api.post("edits/:id/approve") { request, context in try await decideEdit(request, context, approve: true) }
        api.post("edits/:id/reject") { request, context in try await decideEdit(request, context, approve: false) }
        api.post("charters", use: adoptCharter)
        api.post("referencings/expire", use: expire)
        api.post("indicators", use: reportIndicators)
        api.get("quality", use: quality)
        for kind in RecordKind.allCases {
            api.post(RouterPath(stringLiteral: "\(kind.rawValue)s/:id/confirm")) { request, context in
                try await confirm(kind, request, context)
            }
        }
        api.get("audit", use: audit)
        api.post("documents", use: storeDocument)
        api.post("conventions", use: addConvention)
        api.get("documents/:sha256", use: document)
    }

    // MARK: - Structures and referencing

    @Sendable func apply(_ request: Request, context: NodeRequestContext) async throws -> JSONAnswer<ReferencingEvent> {
        // Decisions that depend on the caller alone are taken before the body is read: a refused caller learns
        // nothing from the validation of its body.
        try AccessPolicy.require(try context.principal(), .registerStructure)
        let body = try await request.decode(as: Application.self, context: context)
        return JSONAnswer(.created, try await store.apply(body.structure, places: body.places ?? [], validator: validator,
                                                          by: try context.principal()))
    }

    @Sendable func submitStructure(_ request: Request, context: NodeRequestContext) async throws -> Response {
        let s = try await request.decode(as: Structure.self, context: context)
        try Self.sameId(s.id, context.parameters.require("id"), record: "structure")
        return try await outcome(store.submitStructure(s, validator: validator, by: try context.principal(), ifMatch: Self.ifMatch(request)),
                                 .structure, s.id, request, context)
    }

    @Sendable func transition(_ request: Request, context: NodeRequestContext) async throws -> JSONAnswer<ReferencingEvent> {
        try AccessPolicy.require(try context.principal(), .changeReferencing)
        let body = try await request.decode(as: TransitionRequest.self, context: context)
        return JSONAnswer(.created, try await store.transition(try context.parameters.require("id"), body, by: try context.principal(),
                                                               ifMatch: Self.ifMatch(request)))
    }

    /// A structure's editor withdraws its own application, with a motive.
    @Sendable func withdraw(_ request: Request, context: NodeRequestContext) async throws -> JSONAnswer<ReferencingEvent> {
        try AccessPolicy.require(try context.principal(), .withdrawApplication(try context.parameters.require("id")))
        let body = try await request.decode(as: Closure.self, context: context)
        return JSONAnswer(.created, try await store.withdraw(try context.parameters.require("id"), motive: body.motive,
                                                             by: try context.principal(), ifMatch: Self.ifMatch(request)))
    }

    @Sendable func history(_ request: Request, context: NodeRequestContext) async throws -> JSONAnswer<[ReferencingEvent]> {
        let id = try context.parameters.require("id")
        try AccessPolicy.require(try context.principal(), .readReferencing(id))
        guard try await store.structure(id) != nil else { throw NodeAPIError.notFound(kind: "structure", id: id) }
        return JSONAnswer(.ok, try await store.history(id))
    }

    @Sendable func referencing(_ request: Request, context: NodeRequestContext) async throws -> JSONAnswer<ReferencingEvent> {
        let id = try context.parameters.require("id")
        try AccessPolicy.require(try context.principal(), .readReferencing(id))
        let day = request.uri.queryParameters.get("asOf") ?? ISODay.string(Date())
        guard ISODay.parse(day) != nil else { throw NodeAPIError.invalid(record: "requête", field: "asOf", rule: "doit être une date AAAA-MM-JJ") }
        guard let event = try await store.referencing(id, asOf: day) else {
            throw NodeAPIError.notFound(kind: "référencement en vigueur de la structure \(id) au", id: day)
        }
        return JSONAnswer(.ok, event)
    }

    // MARK: - Places and channels

    @Sendable func submitPlace(_ request: Request, context: NodeRequestContext) async throws -> Response {
        let p = try await request.decode(as: Place.self, context: context)
        try Self.sameId(p.id, context.parameters.require("id"), record: "place")
        return try await outcome(store.submitPlace(p, validator: validator, by: try context.principal(), ifMatch: Self.ifMatch(request)),
                                 .place, p.id, request, context)
    }

    @Sendable func closePlace(_ request: Request, context: NodeRequestContext) async throws -> Response {
        let body = try await request.decode(as: Closure.self, context: context)
        let id = try context.parameters.require("id")
        return try await outcome(store.closePlace(id, motive: body.motive, by: try context.principal(), ifMatch: Self.ifMatch(request)),
                                 nil, id, request, context)
    }

    @Sendable func submitChannel(_ request: Request, context: NodeRequestContext) async throws -> Response {
        let c = try await request.decode(as: Channel.self, context: context)
        try Self.sameId(c.id, context.parameters.require("id"), record: "channel")
        return try await outcome(store.submitChannel(c, validator: validator, by: try context.principal(), ifMatch: Self.ifMatch(request)),
                                 .channel, c.id, request, context)
    }

    @Sendable func closeChannel(_ request: Request, context: NodeRequestContext) async throws -> JSONAnswer<Status> {
        try AccessPolicy.require(try context.principal(), .closeChannel)
        let body = try await request.decode(as: Closure.self, context: context)
        try await store.closeChannel(try context.parameters.require("id"), motive: body.motive, by: try context.principal(),
                                     ifMatch: Self.ifMatch(request))
        return JSONAnswer(.ok, Status(status: "closed"))
    }

    // MARK: - Edit queue

    func decideEdit(_ request: Request, _ context: NodeRequestContext, approve: Bool) async throws -> JSONAnswer<Status> {
        let raw = try context.parameters.require("id")
        try AccessPolicy.require(try context.principal(), .decideEdits)
        guard let id = Int(raw) else { throw NodeAPIError.notFound(kind: "modification", id: raw) }
        // A rejection's reason, which the editor reads (`{"reason": "..."}`); an approval needs no body.
        let reason = approve ? nil : try await request.decode(as: Rejection.self, context: context).reason
        try await store.decideEdit(id, approve: approve, reason: reason, by: try context.principal())
        return JSONAnswer(.ok, Status(status: approve ? "approved" : "rejected"))
    }

    // MARK: - Charters, expiry, indicators, quality, audit

    @Sendable func adoptCharter(_ request: Request, context: NodeRequestContext) async throws -> JSONAnswer<[Int]> {
        let actor = try context.principal()
        try AccessPolicy.require(actor, .adoptCharter)
        let charter = try await request.decode(as: Charter.self, context: context)
        try Self.check(charter, validator)
        try await store.adoptCharters([charter], by: actor)
        return JSONAnswer(.created, try await store.charters().map(\.version))
    }

    /// Expires what is due as of `asOf` (default today); a future `asOf` or `dryRun=true` only reports.
    @Sendable func expire(_ request: Request, context: NodeRequestContext) async throws -> JSONAnswer<ExpiryReport> {
        let actor = try context.principal()
        try AccessPolicy.require(actor, .expireReferencings)
        let day = request.uri.queryParameters.get("asOf").map { String($0) } ?? ISODay.string(Date())
        let dryRun: Bool
        switch request.uri.queryParameters.get("dryRun").map({ String($0) }) {
        case nil, "false": dryRun = false
        case "true": dryRun = true
        default: throw NodeAPIError.invalid(record: "requête", field: "dryRun", rule: "doit valoir true ou false")
        }
        return JSONAnswer(.ok, try await store.expire(asOf: day, dryRun: dryRun, by: actor))
    }

    @Sendable func reportIndicators(_ request: Request, context: NodeRequestContext) async throws -> JSONAnswer<Stored> {
        let values = try await request.decode(as: [IndicatorValue].self, context: context)
        let stored = try await store.reportIndicators(values, validator: validator, by: try context.principal())
        return JSONAnswer(.created, Stored(stored: stored))
    }

    @Sendable func quality(_ request: Request, context: NodeRequestContext) async throws -> JSONAnswer<[RecordQuality]> {
        JSONAnswer(.ok, try await store.quality(for: try context.principal()))
    }

    func confirm(_ kind: RecordKind, _ request: Request, _ context: NodeRequestContext) async throws -> JSONAnswer<Status> {
        try await store.confirm(kind, try context.parameters.require("id"), by: try context.principal())
        return JSONAnswer(.ok, Status(status: "confirmed"))
    }

    @Sendable func audit(_ request: Request, context: NodeRequestContext) async throws -> JSONAnswer<[AuditEntry]> {
        try AccessPolicy.require(try context.principal(), .readAuditLog)
        let target: String? = request.uri.queryParameters.get("target").map { String($0) }
        return JSONAnswer(.ok, try await store.auditLog(target: target))
    }

    // MARK: - Conventions

    /// Records a signed convention (201 with the list of conventions' ids).
    @Sendable func addConvention(_ request: Request, context: NodeRequestContext) async throws -> JSONAnswer<Convention> {
        let actor = try context.principal()
        try AccessPolicy.require(actor, .manageConventions)
        let convention = try await request.decode(as: Convention.self, context: context)
        try await store.addConvention(convention, by: actor)
        return JSONAnswer(.created, convention)
    }

    // MARK: - Review documents

    /// Stores the body as a document (its `Content-Type`, and its file name in `name`); 201 with its reference.
    @Sendable func storeDocument(_ request: Request, context: NodeRequestContext) async throws -> JSONAnswer<DocumentRef> {
        let actor = try context.principal()
        try AccessPolicy.require(actor, .attachDocuments)
        guard let name = request.uri.queryParameters.get("name").map({ String($0) }) else {
            throw NodeAPIError.invalid(record: "document", field: "name", rule: "le nom du fichier est requis (?name=...)")
        }
        let bytes = try await request.body.collect(upTo: context.maxUploadSize)
        return JSONAnswer(.created, try await store.storeDocument(Data(buffer: bytes), name: name,
                                                                  mediaType: request.headers[.contentType] ?? "", by: actor))
    }

    /// A stored document's bytes, with its media type and file name (the team only).
    @Sendable func document(_ request: Request, context: NodeRequestContext) async throws -> Response {
        let sha = try context.parameters.require("sha256")
        guard let (ref, bytes) = try await store.document(sha, by: try context.principal()) else {
            throw NodeAPIError.notFound(kind: "document", id: String(sha.prefix(80)))
        }
        return Self.documentResponse(ref, bytes)
    }

    /// A document as an attachment (never rendered inline by the browser: no script of its own runs here).
    static func documentResponse(_ ref: DocumentRef, _ bytes: Data) -> Response {
        let ascii = String(ref.name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0.value >= 0x20 ? Character($0) : "_" })
        let encoded = ref.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ascii
        return Response(status: .ok, headers: [.contentType: ref.mediaType, .eTag: "\"\(ref.sha256)\"",
                                               .contentDisposition: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)",
                                               HTTPField.Name("X-Content-Type-Options")!: "nosniff", .cacheControl: "private, no-store"],
                        body: .init(byteBuffer: ByteBuffer(data: bytes)))
    }

    // MARK: - Helpers

    /// A charter's own rules (a `CharterError` names the charter as its file), then the node's (known indicator codes).
    static func check(_ charter: Charter, _ validator: RecordValidator) throws {
        try charter.validate(file: "charter v\(charter.version)")
        try validator.validate(charter)
    }

    static func sameId(_ body: String, _ path: String, record: String) throws {
        guard body == path else {
            throw NodeAPIError.invalid(record: "\(record) \(path)", field: "id", rule: "l'identifiant du corps \(body) diffère de celui de l'adresse")
        }
    }

    /// Published at once (200, with the record's new version as `ETag` when it still exists) or queued for
    /// the Région's validation (202, with the edit's id).
    func outcome(_ outcome: EditOutcome, _ kind: RecordKind?, _ id: String, _ request: Request, _ context: NodeRequestContext) async throws -> Response {
        switch outcome {
        case .published:
            var response = try JSONAnswer(.ok, Status(status: "published")).response(from: request, context: context)
            if let kind, let version = try await store.version(kind, id) { response.headers[.eTag] = VersionMatch.etag(version) }
            return response
        case .pending(let editId): return try JSONAnswer(.accepted, Pending(status: "pending", editId: String(editId))).response(from: request, context: context)
        }
    }
}
