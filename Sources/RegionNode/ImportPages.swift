import Directory
import Foundation
import HTTPTypes
import Hummingbird
import Reference
import SafeHTML
import ServerFoundation

/// Files uploaded for an import, kept between the preview and its confirmation (30 minutes, 16 at most,
/// each tied to the session that sent it). In memory: a restart asks for the file again.
actor PendingImports {
    struct Upload: Sendable {
        let kind: ImportPreview.Kind
        let name: String
        let bytes: Data
        let allOrNothing: Bool
        let session: String
        let at: Date
    }

    private var uploads: [String: Upload] = [:]
    static let lifetime: TimeInterval = 30 * 60
    static let capacity = 16

    func keep(_ upload: Upload) -> String {
        uploads = uploads.filter { upload.at.timeIntervalSince($0.value.at) < Self.lifetime }
        while uploads.count >= Self.capacity, let oldest = uploads.min(by: { $0.value.at < $1.value.at })?.key { uploads[oldest] = nil }
        let token = TeamPagesController.randomToken()
        uploads[token] = upload
        return token
    }

    /// The upload, once: a confirmed import cannot be applied twice by reloading.
    func take(_ token: String, session: String, now: Date = Date()) -> Upload? {
        guard let upload = uploads[token], upload.session == session, now.timeIntervalSince(upload.at) < Self.lifetime else { return nil }
        uploads[token] = nil
        return upload
    }
}

/// `/equipe/import`: a CSV of places or structures, previewed (what it would add, change, refuse) before
/// it is applied.
struct ImportPage {
    let regionName: String
    let actor: Principal
    let csrfToken: String
    var preview: ImportPreview? = nil
    var fileName: String? = nil
    var pendingToken: String? = nil
    var applied: ImportReport? = nil
    var error: String? = nil

    var document: HTML {
        let alert: HTML? = error.map { "<p class=\"error\" role=\"alert\">\($0)</p>" }
        var body: HTML = "\(alert)"
        if let applied {
            body += "<p class=\"ok\" role=\"status\">Import appliqué : \(BackOfficeFormat.plural(applied.stored, "fiche enregistrée", "fiches enregistrées")), "
                + "\(applied.unchanged) inchangée(s), \(BackOfficeFormat.plural(applied.rejected, "ligne rejetée", "lignes rejetées")).</p>" + rejected(applied)
        }
        if let preview { body += previewSection(preview) }
        body += uploadForm
        return TeamPageLayout.chrome(title: "Import de fichiers", regionName: regionName, actor: actor, csrfToken: csrfToken, current: .imports)
            + body + "</main></body></html>"
    }

    private var uploadForm: HTML {
        let kinds = ImportPreview.Kind.allCases.html { k -> HTML in
            "<option value=\"\(k.rawValue)\">\(k.label.prefix(1).uppercased() + k.label.dropFirst())</option>"
        }
        return "<h2>Prévisualiser un fichier</h2><p>Un fichier CSV (UTF-8, séparateur virgule, colonnes décrites dans <code>docs/back-office.md</code> : pour les lieux <code>id, name, structure_ids, address, postcode, city</code> et en option <code>commune_code, kind, latitude, longitude, languages, opening_hours, reception_modes, publics, services, accessible, free_of_charge, phone</code>). "
            + "Rien n'est enregistré avant la confirmation.</p>"
            + "<form method=\"post\" action=\"/equipe/import/apercu\" enctype=\"multipart/form-data\" class=\"search\">"
            + "<input type=\"hidden\" name=\"csrf\" value=\"\(csrfToken)\">"
            + "<label for=\"f-type\">Contenu<select id=\"f-type\" name=\"type\">\(kinds)</select></label>"
            + "<label for=\"f-fichier\">Fichier CSV<input type=\"file\" id=\"f-fichier\" name=\"fichier\" accept=\".csv,text/csv\" required></label>"
            + "<label for=\"f-mode\">Lignes en erreur<select id=\"f-mode\" name=\"mode\"><option value=\"tolerant\">écartées, les autres importées</option>"
            + "<option value=\"strict\">tout le fichier refusé</option></select></label><button type=\"submit\">Prévisualiser</button></form>"
    }

    private func rejected(_ report: ImportReport) -> HTML {
        guard !report.errors.isEmpty else { return HTML() }
        let rows = report.errors.prefix(ImportPreview.listed).html { e -> HTML in
            "<tr><td>\(e.line)</td><th scope=\"row\">\(e.record)</th><td>\(e.field)</td><td>\(e.rule)</td></tr>"
        }
        return "<table><caption>Lignes rejetées\(report.rejected > ImportPreview.listed ? " (les \(ImportPreview.listed) premières)" : "")</caption>"
            + "<thead><tr><th scope=\"col\">Ligne</th><th scope=\"col\">Fiche</th><th scope=\"col\">Champ</th><th scope=\"col\">Motif</th></tr></thead><tbody>\(rows)</tbody></table>"
    }

    private func previewSection(_ p: ImportPreview) -> HTML {
        let r = p.report
        let summary: HTML = "<p role=\"status\">Fichier « \(fileName ?? "") » (\(p.kind.label)) : \(BackOfficeFormat.plural(p.addedCount, "fiche nouvelle", "fiches nouvelles")), "
            + "\(BackOfficeFormat.plural(p.changedCount, "fiche modifiée", "fiches modifiées")), \(r.unchanged) inchangée(s), "
            + "\(BackOfficeFormat.plural(r.rejected, "ligne rejetée", "lignes rejetées"))\(r.refusedWhole ? " : en mode strict, le fichier entier serait refusé" : "").</p>"
        let added: HTML = p.added.isEmpty ? HTML()
            : "<h3>Fiches nouvelles\(p.addedCount > p.added.count ? " (les \(p.added.count) premières)" : "")</h3><p>\(p.added.joined(separator: ", "))</p>"
        let changed = p.changed.html { c -> HTML in
            let rows = c.changes.html { f -> HTML in
                "<tr><th scope=\"row\">\(BackOfficeFormat.field(f.field))</th><td class=\"before\"><del>\(BackOfficeFormat.value(f.before))</del></td>"
                    + "<td class=\"after\"><ins>\(BackOfficeFormat.value(f.after))</ins></td></tr>"
            }
            return "<table class=\"diff\"><caption>\(c.id)</caption><thead><tr><th scope=\"col\">Champ</th><th scope=\"col\">Valeur actuelle</th>"
                + "<th scope=\"col\">Valeur importée</th></tr></thead><tbody>\(rows)</tbody></table>"
        }
        let apply: HTML = pendingToken.map { token -> HTML in
            (r.refusedWhole || p.addedCount + p.changedCount == 0) ? "<p>Rien à appliquer.</p>"
                : "<form method=\"post\" action=\"/equipe/import/appliquer\"><input type=\"hidden\" name=\"csrf\" value=\"\(csrfToken)\">"
                    + "<input type=\"hidden\" name=\"envoi\" value=\"\(token)\"><button type=\"submit\">Appliquer l'import</button></form>"
        } ?? HTML()
        return "<h2>Aperçu</h2>\(summary)\(apply)\(added)" + (p.changed.isEmpty ? HTML() : "<h3>Fiches modifiées</h3>\(changed)") + rejected(r)
    }
}

/// The import pages' routes (the team only).
struct ImportPagesController {
    let store: NodeStore
    let validator: RecordValidator
    let pending = PendingImports()

    struct ApplyForm: Decodable {
        let csrf: String?
        let envoi: String?
    }

    func addRoutes(to pages: RouterGroup<NodeRequestContext>) {
        pages.get("import", use: page)
        pages.post("import/apercu", use: preview)
        pages.post("import/appliquer", use: apply)
    }

    func signedIn(_ request: Request, _ context: NodeRequestContext) -> (actor: Principal, csrf: String, session: String)? {
        guard let actor = context.identity, let session = context.sessions.session else { return nil }
        return (actor, session.csrfToken, session.tokenHash + session.csrfToken)
    }

    func view(_ actor: Principal, _ csrf: String) -> ImportPage { ImportPage(regionName: store.region.name, actor: actor, csrfToken: csrf) }

    func refused(_ actor: Principal, _ csrf: String) -> Response {
        TeamPagesController.page(.forbidden, MessagePage(title: "Accès refusé",
                                                         message: AccessDenied(principal: actor, action: .importRecords("fiches")).description).html)
    }

    @Sendable func page(_ request: Request, context: NodeRequestContext) async throws -> Response {
        guard let (actor, csrf, _) = signedIn(request, context) else {
            return TeamPagesController.page(.unauthorized, SignInPage(regionName: store.region.name, error: nil, back: TeamPagesController.back(request)).html)
        }
        guard AccessPolicy.allows(actor, .importRecords("fiches")) else { return refused(actor, csrf) }
        return TeamPagesController.page(.ok, view(actor, csrf).document.rendered)
    }

    @Sendable func preview(_ request: Request, context: NodeRequestContext) async throws -> Response {
        guard let (actor, csrf, session) = signedIn(request, context) else {
            return TeamPagesController.sessionExpired(store)
        }
        var page = view(actor, csrf)
        do {
            let body = try await request.body.collect(upTo: ServerLimits.node.maxRequestBodyBytes)
            let form = try MultipartForm(body: Data(buffer: body), contentType: request.headers[.contentType] ?? "")
            guard TeamPagesController.matches(form.field("csrf"), csrf) else { return TeamPagesController.refusedForm() }
            guard AccessPolicy.allows(actor, .importRecords("fiches")) else { return refused(actor, csrf) }
            guard let kind = form.field("type").flatMap(ImportPreview.Kind.init(rawValue:)) else {
                throw RecordError.invalid(record: "import", field: "type", rule: "choisissez lieux ou structures")
            }
            guard let file = form.file("fichier") else { throw RecordError.invalid(record: "import", field: "fichier", rule: "choisissez un fichier CSV") }
            let name = file.filename ?? "fichier.csv"
            let strict = form.field("mode") == "strict"
            let preview = try await store.previewImport(kind, .bytes(file.data, name: name), validator: validator, allOrNothing: strict, by: actor)
            page.preview = preview
            page.fileName = name
            page.pendingToken = await pending.keep(.init(kind: kind, name: name, bytes: file.data, allOrNothing: strict, session: session, at: Date()))
        } catch let error as MultipartForm.Malformed {
            page.error = error.description
            return TeamPagesController.page(.badRequest, page.document.rendered)
        } catch {
            guard let refusal = NodeAPIError(error) else { throw error }
            page.error = refusal.body.message
            return TeamPagesController.page(refusal.status == .forbidden ? .forbidden : .unprocessableContent, page.document.rendered)
        }
        return TeamPagesController.page(.ok, page.document.rendered)
    }

    @Sendable func apply(_ request: Request, context: NodeRequestContext) async throws -> Response {
        let form = try await TeamPagesController.form(ApplyForm.self, request)
        guard let (actor, csrf, session) = signedIn(request, context) else {
            return TeamPagesController.sessionExpired(store)
        }
        guard TeamPagesController.matches(form.csrf, csrf) else { return TeamPagesController.refusedForm() }
        var page = view(actor, csrf)
        guard let token = form.envoi, let upload = await pending.take(token, session: session) else {
            page.error = "Cet aperçu n'est plus disponible (déjà appliqué, ou plus de 30 minutes) : envoyez le fichier à nouveau."
            return TeamPagesController.page(.conflict, page.document.rendered)
        }
        do {
            page.applied = try await store.importFile(upload.kind, .bytes(upload.bytes, name: upload.name), validator: validator,
                                                      allOrNothing: upload.allOrNothing, by: actor)
        } catch {
            guard let refusal = NodeAPIError(error) else { throw error }
            page.error = refusal.body.message
            return TeamPagesController.page(refusal.status, page.document.rendered)
        }
        return TeamPagesController.page(.ok, page.document.rendered)
    }
}
