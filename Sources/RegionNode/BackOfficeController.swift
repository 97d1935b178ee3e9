import Directory
import Foundation
import HTTPTypes
import Hummingbird
import Referencing
import ServerFoundation

/// The Région team's back office under `/equipe/` (beside the quality page of `TeamPagesController`, whose
/// session, CSRF and form helpers it uses): dashboard, lists with search and filters, a structure's page,
/// the edit queue with its field-by-field diff and decisions. Every read goes through the same store
/// calls and `AccessPolicy` as the admin API, so an editor's pages show only their structure's records.
struct BackOfficeController {
    let store: NodeStore
    /// The national service's view of this Région's data, for the dashboard.
    var national = NationalFeedback(base: nil, region: RegionCode(unchecked: "00"))
    /// The node's entry rules, for charters adopted from the page.
    var validator = RecordValidator()

    struct DecisionForm: Decodable {
        let csrf: String?
        let motif: String?
    }

    func addRoutes(to pages: RouterGroup<NodeRequestContext>) {
        pages.get(use: dashboard)
        pages.get("candidatures") { request, context in try await list(.applications, request, context) }
        pages.get("structures") { request, context in try await list(.structures, request, context) }
        pages.get("lieux") { request, context in try await list(.places, request, context) }
        pages.get("canaux") { request, context in try await list(.channels, request, context) }
        pages.get("indicateurs", use: indicators)
        pages.get("cahiers-des-charges", use: charters)
        pages.post("cahiers-des-charges", use: adoptCharter)
        pages.get("structures/:id", use: structure)
        pages.get("structures/:id/instruction", use: reviewPage)
        pages.post("structures/:id/decision", use: decideApplication)
        pages.get("documents/:sha256", use: document)
        pages.get("modifications", use: edits)
        pages.post("modifications/:id/valider") { request, context in try await decide(request, context, approve: true) }
        pages.post("modifications/:id/refuser") { request, context in try await decide(request, context, approve: false) }
    }

    /// The signed-in caller and their session's CSRF token, or nil (the page then shows the sign-in form).
    func signedIn(_ context: NodeRequestContext) -> (actor: Principal, csrf: String)? {
        guard let actor = context.identity, let session = context.sessions.session else { return nil }
        return (actor, session.csrfToken)
    }

    func signInPage(_ request: Request) -> Response {
        TeamPagesController.page(.unauthorized, SignInPage(regionName: store.region.name, error: nil, back: TeamPagesController.back(request)).html)
    }

    static func query(_ request: Request) -> [String: String] {
        Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: - Dashboard

    @Sendable func dashboard(_ request: Request, context: NodeRequestContext) async throws -> Response {
        guard let (actor, csrf) = signedIn(context) else { return signInPage(request) }
        let today = ISODay.string(Date())
        let horizon = ISODay.string(Date().addingTimeInterval(90 * 86_400))
        func structures(_ states: [ReferencingState]) async throws -> (items: [Structure], total: Int) {
            var query = try NodeListQuery([], filters: [:])
            query.facets = [states.map { "state=\($0.rawValue)" }]
            query.limit = NodeListQuery.maximumLimit
            let (page, total, _) = try await store.list(.structure, query, for: actor, as: Structure.self)
            return (page.map(\.record), total)
        }
        let applications = try await structures([.applied, .underReview])
        let suspended = try await structures([.suspended])
        let expiring = try await structures([.referenced]).items
            .filter { ($0.referencing.validUntil ?? "9999") <= horizon }
            .sorted { ($0.referencing.validUntil ?? "", $0.id) < ($1.referencing.validUntil ?? "", $1.id) }
        let pending = try await store.edits(status: .pending, structureId: nil, kind: nil, after: 0, limit: 5, for: actor)
        let rejected = try await store.edits(status: .rejected, structureId: nil, kind: nil, after: 0, limit: NodeListQuery.maximumLimit, for: actor)
        let view = DashboardPage(regionName: store.region.name, actor: actor, csrfToken: csrf, today: today,
                                 applications: applications, expiring: expiring, suspended: suspended,
                                 pending: pending, recentRejections: Array(rejected.page.suffix(5).reversed()),
                                 charter: try await store.charters().last, national: await national.current())
        return TeamPagesController.page(.ok, view.document.rendered)
    }

    // MARK: - Lists

    func list(_ kind: RecordListPage.Kind, _ request: Request, _ context: NodeRequestContext) async throws -> Response {
        guard let (actor, csrf) = signedIn(context) else { return signInPage(request) }
        let form = Self.query(request)
        var view = RecordListPage(kind: kind, regionName: store.region.name, actor: actor, csrfToken: csrf, form: form)
        do {
            let query = try kind.query(form)
            switch kind {
            case .structures, .applications:
                let (page, total, next) = try await store.list(.structure, query, for: actor, as: Structure.self)
                view.rows = page.map { .structure($0.record) }
                (view.total, view.next) = (total, next)
            case .places:
                let (page, total, next) = try await store.list(.place, query, for: actor, as: Place.self)
                view.rows = page.map { .place($0.record) }
                (view.total, view.next) = (total, next)
            case .channels:
                let (page, total, next) = try await store.list(.channel, query, for: actor, as: Channel.self)
                view.rows = page.map { .channel($0.record) }
                (view.total, view.next) = (total, next)
            }
        } catch let error as NodeAPIError {
            view.error = error.body.message
            return TeamPagesController.page(.unprocessableContent, view.document.rendered)
        }
        return TeamPagesController.page(.ok, view.document.rendered)
    }

    @Sendable func indicators(_ request: Request, context: NodeRequestContext) async throws -> Response {
        guard let (actor, csrf) = signedIn(context) else { return signInPage(request) }
        let form = Self.query(request)
        func value(_ name: String) -> String? { form[name].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 } }
        // Paged in the stored key order by the cursor of the last value shown (a page of 200).
        let after = form["curseur"].flatMap(PageCursor.decode).flatMap(AdminController.indicatorKey)
        let (page, total) = try await store.indicators(subject: nil, subjectId: value("sujet"), code: value("code"), period: value("periode"),
                                                       after: after, limit: IndicatorListPage.pageSize + 1, for: actor)
        let rows = Array(page.prefix(IndicatorListPage.pageSize))
        let view = IndicatorListPage(regionName: store.region.name, actor: actor, csrfToken: csrf, form: form, rows: rows, total: total,
                                     next: page.count > rows.count ? rows.last.map(AdminController.indicatorCursor) : nil)
        return TeamPagesController.page(.ok, view.document.rendered)
    }

    @Sendable func charters(_ request: Request, context: NodeRequestContext) async throws -> Response {
        guard let (actor, csrf) = signedIn(context) else { return signInPage(request) }
        try AccessPolicy.require(actor, .readCharters)
        var view = ChartersPage(regionName: store.region.name, actor: actor, csrfToken: csrf, charters: try await store.charters())
        view.adopted = Self.query(request)["adoptee"].flatMap { Int($0) }
        return TeamPagesController.page(.ok, view.document.rendered)
    }

    /// A new charter version adopted from its JSON file (as in `Charters/<code>/`), checked as the API checks it.
    @Sendable func adoptCharter(_ request: Request, context: NodeRequestContext) async throws -> Response {
        guard let (actor, csrf) = signedIn(context) else {
            return TeamPagesController.sessionExpired(store)
        }
        var view = ChartersPage(regionName: store.region.name, actor: actor, csrfToken: csrf, charters: try await store.charters())
        do {
            let body = try await request.body.collect(upTo: ServerLimits.node.maxRequestBodyBytes)
            let form = try MultipartForm(body: Data(buffer: body), contentType: request.headers[.contentType] ?? "")
            guard TeamPagesController.matches(form.field("csrf"), csrf) else { return TeamPagesController.refusedForm() }
            try AccessPolicy.require(actor, .adoptCharter)
            guard let file = form.file("fichier") else { throw RecordError.invalid(record: "cahier des charges", field: "fichier", rule: "choisissez le fichier JSON du cahier des charges") }
            let charter: Charter
            do {
                charter = try SproJSON.decoder().decode(Charter.self, from: file.data)
            } catch let error as DecodingError {
                throw RecordError.invalid(record: "cahier des charges \(file.filename ?? "")", field: error.fieldPath, rule: error.plainDescription)
            }
            guard charter.region == store.region.code else {
                throw RecordError.invalid(record: "cahier des charges v\(charter.version)", field: "region",
                                         rule: "\(charter.region.rawValue) n'est pas la Région de ce nœud (\(store.region.code.rawValue))")
            }
            try AdminController.check(charter, validator)
            try await store.adoptCharters([charter], by: actor)
            return TeamPagesController.redirect("/equipe/cahiers-des-charges?adoptee=\(charter.version)")
        } catch let error as MultipartForm.Malformed {
            view.error = error.description
        } catch {
            guard let refusal = NodeAPIError(error) else { throw error }
            view.error = refusal.body.message
            if refusal.status == .forbidden { return TeamPagesController.page(.forbidden, view.document.rendered) }
        }
        return TeamPagesController.page(.unprocessableContent, view.document.rendered)
    }

    // MARK: - A structure

    @Sendable func structure(_ request: Request, context: NodeRequestContext) async throws -> Response {
        guard let (actor, csrf) = signedIn(context) else { return signInPage(request) }
        let id = try context.parameters.require("id")
        guard AccessPolicy.allows(actor, .readStructure(id)) && AccessPolicy.allows(actor, .readReferencing(id)) else {
            return TeamPagesController.page(.forbidden, MessagePage(title: "Accès refusé",
                                                                    message: AccessDenied(principal: actor, action: .readStructure(id)).description).html)
        }
        guard let structure = try await store.structure(id) else {
            return TeamPagesController.page(.notFound, MessagePage(title: "Structure inconnue", message: "Aucune structure \(id) sur ce nœud.").html)
        }
        var query = try NodeListQuery([("structure", id)], filters: ["structure": nil])
        query.limit = NodeListQuery.maximumLimit
        let places = try await store.list(.place, query, for: actor, as: Place.self).page.map(\.record)
        let view = StructurePage(regionName: store.region.name, actor: actor, csrfToken: csrf, structure: structure, places: places,
                                 history: try await store.history(id),
                                 decided: Self.query(request)["decision"].flatMap(ReferencingState.init(rawValue:)))
        return TeamPagesController.page(.ok, view.document.rendered)
    }

    // MARK: - Review of an application

    func reviewView(_ id: String, actor: Principal, csrf: String) async throws -> ReviewPage? {
        guard let structure = try await store.structure(id) else { return nil }
        let preview = try await store.reviewPreview(id)
        return ReviewPage(regionName: store.region.name, actor: actor, csrfToken: csrf, structure: structure,
                          charter: preview?.charter, automatic: preview?.results ?? [])
    }

    @Sendable func reviewPage(_ request: Request, context: NodeRequestContext) async throws -> Response {
        guard let (actor, csrf) = signedIn(context) else { return signInPage(request) }
        let id = try context.parameters.require("id")
        guard AccessPolicy.allows(actor, .changeReferencing) else {
            return TeamPagesController.page(.forbidden, MessagePage(title: "Accès refusé",
                                                                    message: AccessDenied(principal: actor, action: .changeReferencing).description).html)
        }
        guard let view = try await reviewView(id, actor: actor, csrf: csrf) else {
            return TeamPagesController.page(.notFound, MessagePage(title: "Structure inconnue", message: "Aucune structure \(id) sur ce nœud.").html)
        }
        return TeamPagesController.page(.ok, view.document.rendered)
    }

    /// The review form (multipart: documents attached per attested criterion), recorded in one transaction.
    @Sendable func decideApplication(_ request: Request, context: NodeRequestContext) async throws -> Response {
        guard let (actor, csrf) = signedIn(context) else {
            return TeamPagesController.sessionExpired(store)
        }
        let id = try context.parameters.require("id")
        let form: MultipartForm
        do {
            let body = try await request.body.collect(upTo: ServerLimits.node.maxRequestBodyBytes)
            form = try MultipartForm(body: Data(buffer: body), contentType: request.headers[.contentType] ?? "")
        } catch let error as MultipartForm.Malformed {
            return TeamPagesController.page(.badRequest, MessagePage(title: "Formulaire illisible", message: error.description).html)
        }
        guard TeamPagesController.matches(form.field("csrf"), csrf) else { return TeamPagesController.refusedForm() }
        guard var view = try await reviewView(id, actor: actor, csrf: csrf) else {
            return TeamPagesController.page(.notFound, MessagePage(title: "Structure inconnue", message: "Aucune structure \(id) sur ce nœud.").html)
        }
        for part in form.parts where part.filename == nil && part.name != "csrf" { view.typed[part.name] = part.text }
        guard let to = form.field("decision").flatMap(ReferencingState.init(rawValue:)) else {
            view.error = "choisissez une décision"
            return TeamPagesController.page(.unprocessableContent, view.document.rendered)
        }
        var attested: [String: Bool] = [:]
        var evidence: [String: EvidenceRequest] = [:]
        var attachments: [NodeStore.Attachment] = []
        for c in view.charter?.criteria ?? [] where c.kind == .attested {
            if let finding = form.field("atteste-\(c.id)") { attested[c.id] = finding == "oui" }
            let text = form.field("justificatif-\(c.id)") ?? ""
            if !text.isEmpty { evidence[c.id] = EvidenceRequest(text: text) }
            if let file = form.file("document-\(c.id)") {
                attachments.append(.init(criterion: c.id, name: file.filename ?? "document", mediaType: file.mediaType ?? "", bytes: file.data))
            }
        }
        let decision = TransitionRequest(to: to, motive: form.field("motif") ?? "", charterVersion: form.field("charte").flatMap { Int($0) },
                                         attested: to == .referenced ? attested : nil, evidence: to == .referenced ? evidence : nil)
        do {
            try await store.review(id, decision, attachments: to == .referenced ? attachments : [], by: actor)
        } catch {
            guard let refusal = NodeAPIError(error) else { throw error }
            view.error = refusal.body.message + (attachments.isEmpty ? "" : " (joignez à nouveau les documents)")
            return TeamPagesController.page(refusal.status == .forbidden ? .forbidden : .unprocessableContent, view.document.rendered)
        }
        return TeamPagesController.redirect("/equipe/structures/\(id)?decision=\(to.rawValue)")
    }

    /// A document attached to a decision, for the team (as an attachment).
    @Sendable func document(_ request: Request, context: NodeRequestContext) async throws -> Response {
        guard let (actor, _) = signedIn(context) else { return signInPage(request) }
        let sha = try context.parameters.require("sha256")
        do {
            guard let (ref, bytes) = try await store.document(sha, by: actor) else {
                return TeamPagesController.page(.notFound, MessagePage(title: "Document inconnu", message: "Aucun document de ce nom sur ce nœud.").html)
            }
            return AdminController.documentResponse(ref, bytes)
        } catch let error as AccessDenied {
            return TeamPagesController.page(.forbidden, MessagePage(title: "Accès refusé", message: error.description).html)
        }
    }

    // MARK: - Edit queue

    @Sendable func edits(_ request: Request, context: NodeRequestContext) async throws -> Response {
        guard let (actor, csrf) = signedIn(context) else { return signInPage(request) }
        let form = Self.query(request)
        let status = form["statut"].flatMap(EditQueuePage.Tab.init(rawValue:)) ?? .pending
        let after = form["apres"].flatMap { Int($0) } ?? 0
        let (page, total) = try await store.edits(status: status.status, structureId: nil, kind: nil, after: after,
                                                  limit: EditQueuePage.pageSize + 1, for: actor)
        let view = EditQueuePage(regionName: store.region.name, actor: actor, csrfToken: csrf, tab: status,
                                 edits: Array(page.prefix(EditQueuePage.pageSize)), total: total,
                                 next: page.count > EditQueuePage.pageSize ? page[EditQueuePage.pageSize - 1].id : nil,
                                 notice: form["fait"])
        return TeamPagesController.page(.ok, view.document.rendered)
    }

    func decide(_ request: Request, _ context: NodeRequestContext, approve: Bool) async throws -> Response {
        let form = try await TeamPagesController.form(DecisionForm.self, request)
        guard let (actor, csrf) = signedIn(context) else {
            return TeamPagesController.sessionExpired(store)
        }
        guard TeamPagesController.matches(form.csrf, csrf) else { return TeamPagesController.refusedForm() }
        let raw = try context.parameters.require("id")
        guard let id = Int(raw) else {
            return TeamPagesController.page(.notFound, MessagePage(title: "Modification inconnue", message: "Aucune modification \(raw).").html)
        }
        let title = approve ? "Validation impossible" : "Refus impossible"
        do {
            try await store.decideEdit(id, approve: approve, reason: approve ? nil : form.motif, by: actor)
        } catch {
            // The API's refusals (stale proposal, missing reason, rights), as a page in French.
            guard let refusal = NodeAPIError(error) else { throw error }
            return TeamPagesController.page(refusal.status, MessagePage(title: title, message: refusal.body.message).html)
        }
        return TeamPagesController.redirect("/equipe/modifications?fait=\(approve ? "valide" : "refuse")-\(id)")
    }
}
