import Directory
import Foundation
import HTTPTypes
import Hummingbird

/// The Région team's web pages under `/equipe/`: sign in with an admin API token, read the freshness and
/// quality of every record, confirm records. Plain HTML forms, no scripts. The token is kept in an
/// `HttpOnly`, `SameSite=Strict` cookie scoped to `/equipe`; writes also refuse a foreign `Origin`.
enum TeamPages {
    static let cookieName = "spro_equipe"

    static func register(on router: Router<BasicRequestContext>, store: NodeStore) {
        let regionName = store.region.name
        router.get("equipe") { _, _ in redirect("/equipe/qualite") }
        router.get("equipe/qualite") { request, _ -> Response in
            guard let actor = try await signedIn(request, store) else {
                return page(.unauthorized, SignInPage(regionName: regionName, error: nil).html)
            }
            let query = Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { a, _ in a })
            let records = try await store.quality(for: actor)
            let view = QualityPage(regionName: regionName, actor: actor, records: records, filter: .init(query: query),
                                   page: query["page"].flatMap { Int($0) } ?? 1, confirmed: query["confirme"])
            return page(.ok, view.html)
        }
        router.post("equipe/connexion") { request, _ -> Response in
            let form = try await formFields(request)
            let token = (form["jeton"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty, token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }),
                  try await store.principal(forToken: token) != nil else {
                return page(.unauthorized, SignInPage(regionName: regionName, error: "Jeton inconnu ou révoqué.").html)
            }
            var response = redirect("/equipe/qualite")
            response.headers[.setCookie] = "\(cookieName)=\(token); Path=/equipe; HttpOnly; SameSite=Strict\(secure(request))"
            return response
        }
        router.post("equipe/deconnexion") { request, _ -> Response in
            var response = redirect("/equipe/qualite")
            response.headers[.setCookie] = "\(cookieName)=; Path=/equipe; HttpOnly; SameSite=Strict; Max-Age=0\(secure(request))"
            return response
        }
        router.post("equipe/confirmer") { request, _ -> Response in
            guard sameOrigin(request) else {
                return page(.forbidden, MessagePage(title: "Demande refusée", message: "Cette demande ne vient pas des pages de ce nœud.").html)
            }
            guard let actor = try await signedIn(request, store) else {
                return page(.unauthorized, SignInPage(regionName: regionName, error: "Session expirée : reconnectez-vous.").html)
            }
            let form = try await formFields(request)
            guard let kind = form["type"].flatMap(RecordKind.init(rawValue:)), let id = form["id"], !id.isEmpty else {
                return page(.badRequest, MessagePage(title: "Demande incomplète", message: "Le type et l'identifiant de la fiche sont requis.").html)
            }
            do {
                try await store.confirm(kind, id, by: actor)
            } catch let error as AdminError {
                let status: HTTPResponse.Status = switch error {
                case .forbidden: .forbidden
                case .notFound: .notFound
                default: .unprocessableContent
                }
                return page(status, MessagePage(title: "Confirmation impossible", message: error.description).html)
            }
            // Back to the same filter and page, saying which record was confirmed.
            let back = form["retour"].flatMap { $0.hasPrefix("?") ? $0 : nil } ?? ""
            let separator = back.isEmpty ? "?" : "&"
            let confirmed = id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_"))) ?? ""
            return redirect("/equipe/qualite\(back)\(separator)confirme=\(confirmed)#fiches")
        }
    }

    /// The caller from the team cookie or, for scripts, a bearer token.
    static func signedIn(_ request: Request, _ store: NodeStore) async throws -> Principal? {
        if let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
            return try await store.principal(forToken: String(header.dropFirst("Bearer ".count)))
        }
        guard let token = cookie(cookieName, in: request), !token.isEmpty else { return nil }
        return try await store.principal(forToken: token)
    }

    static func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }

    /// A write from another site's page is refused: its `Origin`, when sent, must name this host.
    static func sameOrigin(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        guard let host = request.head.authority else { return false }
        return origin == "http://\(host)" || origin == "https://\(host)"
    }

    /// `; Secure` behind a TLS-terminating proxy, so the cookie never travels in clear.
    static func secure(_ request: Request) -> String {
        request.headers[HTTPField.Name("X-Forwarded-Proto")!] == "https" ? "; Secure" : ""
    }

    /// The fields of an `application/x-www-form-urlencoded` body.
    static func formFields(_ request: Request) async throws -> [String: String] {
        let body = String(buffer: try await request.body.collect(upTo: 64 << 10))
        var components = URLComponents()
        components.percentEncodedQuery = body.replacingOccurrences(of: "+", with: "%20")
        var fields: [String: String] = [:]
        for item in components.queryItems ?? [] where fields[item.name] == nil { fields[item.name] = item.value ?? "" }
        return fields
    }

    static func page(_ status: HTTPResponse.Status, _ html: String) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
