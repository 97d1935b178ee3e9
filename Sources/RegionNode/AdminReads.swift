import Directory
import Foundation
import HTTPTypes
import Hummingbird
import ServerFoundation

/// The admin API's reads: lists with filters and cursor paging (`NodePage`, `Link: rel="next"`), and single
/// records with their version as a strong `ETag` (`If-None-Match` answered 304). What a caller sees is
/// decided by `AccessPolicy` (an editor's lists hold their structure's records only).
extension AdminController {
    func addReadRoutes(to api: RouterGroup<NodeRequestContext>) {
        api.get("structures", use: structures)
        api.get("structures/:id", use: structure)
        api.get("applications", use: applications)
        api.get("places", use: places)
        api.get("places/:id", use: place)
        api.get("channels", use: channels)
        api.get("channels/:id", use: channel)
        api.get("edits", use: edits)
        api.get("indicators", use: indicators)
        api.get("charters", use: charters)
        api.get("charters/:version", use: charter)
        api.get("conventions", use: conventions)
        api.get("conventions/:id", use: convention)
    }

    static let structureFilters: [String: Set<String>?] = [
        "state": NodeListQuery.values(ReferencingState.self), "network": NodeListQuery.values(Network.self),
        "basis": NodeListQuery.values(BasisOfMembership.self), "siret": nil,
    ]
    static let placeFilters: [String: Set<String>?] = [
        "structure": nil, "kind": NodeListQuery.values(PlaceKind.self), "commune": nil, "departement": nil,
        "mutualise": ["true", "false"], "service": NodeListQuery.values(Service.self), "public": NodeListQuery.values(Public.self),
    ]
    static let channelFilters: [String: Set<String>?] = [
        "structure": nil, "kind": NodeListQuery.values(Channel.Kind.self), "service": NodeListQuery.values(Service.self),
    ]
    /// The states of an application still waiting for the Région's decision.
    static let applicationStates: Set<String> = [ReferencingState.applied.rawValue, ReferencingState.underReview.rawValue]
    /// The edit queue's filters (each given at most once; `q` is refused: the queue is not searched by name).
    static let editFilters: [String: Set<String>?] = [
        "status": ["pending", "approved", "rejected", "all"], "structure": nil,
        "kind": ["structure", "place", "channel", "place_closure"],
    ]
    /// The indicator list's filters (each given at most once; `q` is refused).
    static let indicatorFilters: [String: Set<String>?] = [
        "subject": ["place", "structure"], "subjectId": nil, "code": nil, "period": nil,
    ]

    // MARK: - Lists

    @Sendable func structures(_ request: Request, context: NodeRequestContext) async throws -> Response {
        let query = try NodeListQuery(Self.parameters(request), filters: Self.structureFilters)
        return try await list(.structure, query, as: Structure.self, request, context)
    }

    /// Structures whose application waits for a decision (`applied`, `under_review`), oldest id first.
    @Sendable func applications(_ request: Request, context: NodeRequestContext) async throws -> Response {
        var filters = Self.structureFilters
        filters["state"] = Self.applicationStates
        var query = try NodeListQuery(Self.parameters(request), filters: filters)
        if query.values["state"] == nil { query.facets.append(Self.applicationStates.sorted().map { "state=\($0)" }) }
        return try await list(.structure, query, as: Structure.self, request, context)
    }

    @Sendable func places(_ request: Request, context: NodeRequestContext) async throws -> Response {
        let query = try NodeListQuery(Self.parameters(request), filters: Self.placeFilters)
        return try await list(.place, query, as: Place.self, request, context)
    }

    @Sendable func channels(_ request: Request, context: NodeRequestContext) async throws -> Response {
        let query = try NodeListQuery(Self.parameters(request), filters: Self.channelFilters)
        return try await list(.channel, query, as: Channel.self, request, context)
    }

    func list<T: ListedRecord & Sendable>(_ kind: RecordKind, _ query: NodeListQuery, as type: T.Type,
                                         _ request: Request, _ context: NodeRequestContext) async throws -> Response {
        let (page, total, next) = try await store.list(kind, query, for: try context.principal(), as: type)
        return try Self.pageAnswer(NodePage(items: page.map(\.record), total: total, next: next), request, context)
    }

    /// Edits, oldest first: `status` (pending by default, or `all`), `structure`, `kind`; each with what it
    /// changes, field by field, against the record as stored now.
    @Sendable func edits(_ request: Request, context: NodeRequestContext) async throws -> Response {
        let query = try NodeListQuery(Self.parameters(request), filters: Self.editFilters)
        guard query.text == nil else { throw NodeAPIError.invalid(record: "requête", field: "q", rule: "la file des modifications ne se cherche pas par nom") }
        let status = try query.single("status") ?? "pending"
        let after = try query.after.map { raw throws(NodeAPIError) in
            guard let id = Int(raw) else { throw .invalid(record: "requête", field: "cursor", rule: "curseur illisible : reprenez celui de la réponse précédente (next)") }
            return id
        } ?? 0
        let (page, total) = try await store.edits(status: PendingEdit.Status(rawValue: status), structureId: try query.single("structure"),
                                                  kind: try query.single("kind").flatMap(PendingEdit.Kind.init(rawValue:)),
                                                  after: after, limit: query.limit + 1, for: try context.principal())
        let next = page.count > query.limit ? page.dropLast().last.map { PageCursor.encode(String($0.id)) } : nil
        return try Self.pageAnswer(NodePage(items: Array(page.prefix(query.limit)), total: total, next: next), request, context)
    }

    /// Indicator values by subject, subject id, code and period.
    @Sendable func indicators(_ request: Request, context: NodeRequestContext) async throws -> Response {
        let query = try NodeListQuery(Self.parameters(request), filters: Self.indicatorFilters)
        guard query.text == nil else { throw NodeAPIError.invalid(record: "requête", field: "q", rule: "les indicateurs se filtrent par code, période et sujet") }
        let after = try query.after.map { raw throws(NodeAPIError) in
            guard let key = Self.indicatorKey(raw) else { throw .invalid(record: "requête", field: "cursor", rule: "curseur illisible : reprenez celui de la réponse précédente (next)") }
            return key
        }
        let (page, total) = try await store.indicators(
            subject: try query.single("subject").flatMap(IndicatorValue.Subject.init(rawValue:)), subjectId: try query.single("subjectId"),
            code: try query.single("code"), period: try query.single("period"), after: after, limit: query.limit + 1,
            for: try context.principal())
        let next = page.count > query.limit ? page.dropLast().last.map(Self.indicatorCursor) : nil
        return try Self.pageAnswer(NodePage(items: Array(page.prefix(query.limit)), total: total, next: next), request, context)
    }

    /// The cursor of the page after `v`: its stored key (subject, subject id, code, period).
    static func indicatorCursor(_ v: IndicatorValue) -> String {
        PageCursor.encode([v.subject.rawValue, v.subjectId, v.code, v.period].joined(separator: "\u{1F}"))
    }

    /// The key a decoded indicator cursor names, or nil for one this node did not write.
    static func indicatorKey(_ decoded: String) -> [String]? {
        let key = decoded.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        return key.count == 4 ? key : nil
    }

    /// Every charter version the Région adopted, oldest first (public texts).
    @Sendable func charters(_ request: Request, context: NodeRequestContext) async throws -> JSONAnswer<[Charter]> {
        try AccessPolicy.require(try context.principal(), .readCharters)
        // Every version at once, never paged: any parameter is a mistake worth naming.
        if let (name, _) = Self.parameters(request).first {
            throw NodeAPIError.invalid(record: "requête", field: name, rule: "paramètre inconnu : la liste des cahiers des charges n'en prend aucun")
        }
        return JSONAnswer(.ok, try await store.charters())
    }

    @Sendable func charter(_ request: Request, context: NodeRequestContext) async throws -> JSONAnswer<Charter> {
        try AccessPolicy.require(try context.principal(), .readCharters)
        let raw = try context.parameters.require("version")
        guard let version = Int(raw), let charter = try await store.charters().first(where: { $0.version == version }) else {
            throw NodeAPIError.notFound(kind: "cahier des charges", id: raw)
        }
        return JSONAnswer(.ok, charter)
    }

    /// Every convention recorded, by id (public texts).
    @Sendable func conventions(_ request: Request, context: NodeRequestContext) async throws -> JSONAnswer<[Convention]> {
        try AccessPolicy.require(try context.principal(), .readConventions)
        if let (name, _) = Self.parameters(request).first {
            throw NodeAPIError.invalid(record: "requête", field: name, rule: "paramètre inconnu : la liste des conventions n'en prend aucun")
        }
        return JSONAnswer(.ok, try await store.conventions())
    }

    @Sendable func convention(_ request: Request, context: NodeRequestContext) async throws -> JSONAnswer<Convention> {
        try AccessPolicy.require(try context.principal(), .readConventions)
        let id = try context.parameters.require("id")
        guard let c = try await store.convention(id) else { throw NodeAPIError.notFound(kind: "convention", id: String(id.prefix(80))) }
        return JSONAnswer(.ok, c)
    }

    // MARK: - Single records

    @Sendable func structure(_ request: Request, context: NodeRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        try AccessPolicy.require(try context.principal(), .readStructure(id))
        guard let s = try await store.versioned(.structure, id, as: Structure.self) else { throw NodeAPIError.notFound(kind: "structure", id: id) }
        return try Self.versionedAnswer(s, request, context)
    }

    @Sendable func place(_ request: Request, context: NodeRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let p = try await store.versioned(.place, id, as: Place.self) else { throw NodeAPIError.notFound(kind: "lieu", id: id) }
        try AccessPolicy.require(try context.principal(), .read(kind: "le lieu", id: id, owners: p.record.structures.map(\.structureId)))
        return try Self.versionedAnswer(p, request, context)
    }

    @Sendable func channel(_ request: Request, context: NodeRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let c = try await store.versioned(.channel, id, as: Channel.self) else { throw NodeAPIError.notFound(kind: "canal", id: id) }
        try AccessPolicy.require(try context.principal(), .read(kind: "le canal", id: id, owners: c.record.contributors))
        return try Self.versionedAnswer(c, request, context)
    }

    // MARK: - Answers

    /// The query's parameters as given, in order.
    static func parameters(_ request: Request) -> [(String, String)] {
        request.uri.queryParameters.map { (String($0.key), String($0.value)) }
    }

    /// 200 with the page, and a `Link` to the next one when there is one.
    static func pageAnswer<Item>(_ page: NodePage<Item>, _ request: Request, _ context: NodeRequestContext) throws -> Response {
        var response = try JSONAnswer(.ok, page).response(from: request, context: context)
        if let next = page.next { response.headers[HTTPField.Name("Link")!] = "<\(PageCursor.nextURL(request, cursor: next))>; rel=\"next\"" }
        return response
    }

    /// 200 with the record and its version as `ETag`, or 304 when `If-None-Match` names that version.
    static func versionedAnswer<T: Encodable & Sendable>(_ v: Versioned<T>, _ request: Request, _ context: NodeRequestContext) throws -> Response {
        let tag = VersionMatch.etag(v.version)
        if let asked = request.headers[.ifNoneMatch], VersionMatch(header: asked)?.matches(v.version) == true {
            return Response(status: .notModified, headers: [.eTag: tag])
        }
        var response = try JSONAnswer(.ok, v.record).response(from: request, context: context)
        response.headers[.eTag] = tag
        return response
    }

    /// The `If-Match` condition of a write, if any.
    static func ifMatch(_ request: Request) -> VersionMatch? {
        request.headers[.ifMatch].flatMap(VersionMatch.init(header:))
    }
}
