import Directory
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Signing

/// The Région team's web pages under `/equipe/`: sign in with an API token, read the freshness and quality
/// of every record, confirm records. Plain HTML forms, no scripts.
///
/// Signing in creates a server-side session (`SessionMiddleware`): the cookie holds a random session id,
/// `HttpOnly`, `SameSite=Strict`, scoped to `/equipe`, `Secure` when the node is served over TLS, and the
/// session expires after the configured lifetime. Every state-changing form carries the session's CSRF
/// token; the sign-in form, sent before any session exists, must come from this host (`Origin`).
struct TeamPagesController {
    static let cookieName = "spro_equipe"
    let store: NodeStore

    struct SignInForm: Decodable { let jeton: String?; let retour: String? }
    struct ConfirmForm: Decodable {
        let type: String?
        let id: String?
        let retour: String?
        let csrf: String?
    }
    struct SignOutForm: Decodable { let csrf: String? }

    func addRoutes(to pages: RouterGroup<NodeRequestContext>) {
        pages.get("qualite", use: quality)
        pages.post("connexion", use: signIn)
        pages.post("deconnexion", use: signOut)
        pages.post("confirmer", use: confirm)
    }

    @Sendable func quality(_ request: Request, context: NodeRequestContext) async throws -> Response {
        guard let actor = context.identity, let session = context.sessions.session else {
            return Self.page(.unauthorized, SignInPage(regionName: store.region.name, error: nil, back: Self.back(request)).html)
        }
        let query = Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { a, _ in a })
        let view = QualityPage(regionName: store.region.name, actor: actor, records: try await store.quality(for: actor),
                               filter: .init(query: query), page: query["page"].flatMap { Int($0) } ?? 1,
                               confirmed: query["confirme"], csrfToken: session.csrfToken)
        return Self.page(.ok, view.html)
    }

    @Sendable func signIn(_ request: Request, context: NodeRequestContext) async throws -> Response {
        let form = try await Self.form(SignInForm.self, request)
        let token = (form.jeton ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty, token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }),
              try await store.principal(forToken: token) != nil else {
            return Self.page(.unauthorized, SignInPage(regionName: store.region.name, error: "Jeton inconnu ou révoqué.",
                                                       back: Self.safeBack(form.retour)).html)
        }
        // A new session id at each sign-in (no fixation); the token itself stays out of the cookie.
        context.sessions.createSession(TeamSession(tokenHash: sha256Hex(Data(token.utf8)), csrfToken: Self.randomToken()))
        return Self.redirect(Self.safeBack(form.retour) ?? "/equipe/")
    }

    /// The page asked for, where signing in leads back to.
    static func back(_ request: Request) -> String? { safeBack(request.uri.description) }

    /// A way back only into the team's pages of this node (never another site: no open redirect).
    static func safeBack(_ path: String?) -> String? {
        guard let path, path.hasPrefix("/equipe/") || path == "/equipe", !path.contains("//"), !path.contains("\\"),
              path.count <= 512, path.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else { return nil }
        return path
    }

    @Sendable func signOut(_ request: Request, context: NodeRequestContext) async throws -> Response {
        let form = try await Self.form(SignOutForm.self, request)
        guard let session = context.sessions.session else { return Self.redirect("/equipe/") }
        guard Self.matches(form.csrf, session.csrfToken) else { return Self.refusedForm() }
        context.sessions.clearSession()
        return Self.redirect("/equipe/")
    }

    @Sendable func confirm(_ request: Request, context: NodeRequestContext) async throws -> Response {
        let form = try await Self.form(ConfirmForm.self, request)
        guard let actor = context.identity, let session = context.sessions.session else { return Self.sessionExpired(store) }
        guard Self.matches(form.csrf, session.csrfToken) else { return Self.refusedForm() }
        guard let kind = form.type.flatMap(RecordKind.init(rawValue:)), let id = form.id, !id.isEmpty else {
            return Self.page(.badRequest, MessagePage(title: "Demande incomplète", message: "Le type et l'identifiant de la fiche sont requis.").html)
        }
        do {
            try await store.confirm(kind, id, by: actor)
        } catch let error as AccessDenied {
            return Self.page(.forbidden, MessagePage(title: "Confirmation impossible", message: error.description).html)
        } catch let error as RecordError {
            let status: HTTPResponse.Status = if case .notFound = error { .notFound } else { .unprocessableContent }
            return Self.page(status, MessagePage(title: "Confirmation impossible", message: error.description).html)
        }
        // Back to the same filter and page, saying which record was confirmed.
        let back = form.retour.flatMap { $0.hasPrefix("?") ? $0 : nil } ?? ""
        let separator = back.isEmpty ? "?" : "&"
        let confirmed = id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_"))) ?? ""
        return Self.redirect("/equipe/qualite\(back)\(separator)confirme=\(confirmed)#fiches")
    }

    // MARK: - Helpers

    /// The fields of an `application/x-www-form-urlencoded` body, decoded by the framework.
    static func form<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        let body = try await request.body.collect(upTo: 64 << 10)
        return try URLEncodedFormDecoder().decode(T.self, from: String(buffer: body))
    }

    /// Whether a write comes from this node's pages: its `Origin`, when sent, must name this host
    /// (`SameOriginMiddleware` asks it of every write to the team's pages).
    static func sameOrigin(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        guard let host = request.head.authority else { return false }
        return origin == "http://\(host)" || origin == "https://\(host)"
    }

    /// Compares the form's CSRF token with the session's in constant time.
    static func matches(_ sent: String?, _ expected: String) -> Bool {
        guard let sent, sent.utf8.count == expected.utf8.count else { return false }
        return zip(sent.utf8, expected.utf8).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// 256 random bits, in hex.
    static func randomToken() -> String {
        var rng = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        return String((0..<64).map { _ in digits[Int.random(in: 0..<16, using: &rng)] })
    }

    /// A form posted once the session has ended: the sign-in page, saying so.
    static func sessionExpired(_ store: NodeStore) -> Response {
        page(.unauthorized, SignInPage(regionName: store.region.name, error: "Session expirée : reconnectez-vous.").html)
    }

    static func refusedOrigin() -> Response {
        page(.forbidden, MessagePage(title: "Demande refusée", message: "Cette demande ne vient pas des pages de ce nœud.").html)
    }

    static func refusedForm() -> Response {
        page(.forbidden, MessagePage(title: "Demande refusée",
                                     message: "Ce formulaire n'est pas valable (jeton de formulaire absent ou périmé) : rechargez la page et recommencez.").html)
    }

    static func page(_ status: HTTPResponse.Status, _ html: String) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
