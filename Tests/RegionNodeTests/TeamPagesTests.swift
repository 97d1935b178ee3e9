import Directory
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SproTestSupport
import Testing
@testable import RegionNode

/// The Région team's quality page under `/equipe/`: sign-in, what it lists, confirmation, and refusals.
@Suite struct TeamPagesTests {
    static let day: TimeInterval = 86_400

    /// A node whose records were last confirmed 250 days ago, except 53-P0 (10 days ago, complete).
    static func node() async throws -> (TestNode, admin: String, editor: String) {
        let node = try TestNode()
        let now = Date()
        try await node.store.importDataset(Fixtures.dataset(), at: now.addingTimeInterval(-250 * day))
        var complete = Fixtures.place("53-P0", structures: ["53-ML-1", "53-FT-1"])
        complete.phone = "02 98 00 00 01"
        complete.coordinates = GeoPoint(lat: 48.39, lon: -4.49)
        complete.freeOfCharge = true
        _ = try await node.store.submitPlace(complete, validator: RecordValidator(), by: .system, at: now.addingTimeInterval(-10 * day))
        let admin = try await node.store.issueToken(name: "equipe-spro", role: .admin)
        let editor = try await node.store.issueToken(name: "ml-editor", role: .editor, structureId: "53-ML-1")
        return (node, admin, editor)
    }

    static func signIn(_ client: some TestClientProtocol, token: String) async throws -> String {
        try await client.execute(uri: "/equipe/connexion", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                 body: ByteBuffer(string: "jeton=\(token)")) { response in
            #expect(response.status == .seeOther)
            let cookie = response.headers[.setCookie] ?? ""
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/equipe"))
            #expect(cookie.contains("Expires="), "the session cookie expires")
            #expect(!cookie.contains(token), "the API token never sits in the cookie")
            return String(cookie.split(separator: ";")[0])
        }
    }

    /// The CSRF token the page's forms carry for this session.
    static func csrf(_ client: some TestClientProtocol, cookie: String) async throws -> String {
        try await client.execute(uri: "/equipe/qualite", method: .get, headers: [.cookie: cookie]) { response in
            let html = String(buffer: response.body)
            guard let range = html.range(of: "name=\"csrf\" value=\"") else { return "" }
            return String(html[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    @Test func signingInLeadsBackToThePageAskedForAndNeverToAnotherSite() async throws {
        let (node, admin, _) = try await Self.node()
        try await Application(router: NodeServer.buildRouter(store: node.store)).test(.router) { client in
            try await client.execute(uri: "/equipe/lieux?mutualise=true", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(String(buffer: response.body).contains("name=\"retour\" value=\"/equipe/lieux?mutualise=true\""))
            }
            for (asked, landing) in [("/equipe/lieux?mutualise=true", "/equipe/lieux?mutualise=true"), ("//evil.example/equipe/", "/equipe/"),
                                     ("https://evil.example/", "/equipe/"), ("/equipe/\\evil", "/equipe/"), ("/export.json", "/equipe/")] {
                let body = "jeton=\(admin)&retour=" + (asked.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
                try await client.execute(uri: "/equipe/connexion", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                         body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .seeOther && response.headers[.location] == landing, "\(asked)")
                }
            }
        }
    }

    @Test func withoutASessionThePageAsksForTheTokenAndAWrongOneIsRefused() async throws {
        let (node, _, _) = try await Self.node()
        try await Application(router: NodeServer.buildRouter(store: node.store)).test(.router) { client in
            try await client.execute(uri: "/equipe/qualite", method: .get) { response in
                #expect(response.status == .unauthorized)
                let html = String(buffer: response.body)
                #expect(html.contains("<label for=\"jeton\">Jeton d'accès</label>") && html.contains("lang=\"fr\""))
                #expect(!html.contains("53-P3"), "no record is shown before sign-in")
            }
            try await client.execute(uri: "/equipe/connexion", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                     body: ByteBuffer(string: "jeton=spro_0123")) { response in
                #expect(response.status == .unauthorized && response.headers[.setCookie] == nil)
                #expect(String(buffer: response.body).contains("Jeton inconnu ou révoqué."))
            }
            try await client.execute(uri: "/equipe/qualite", method: .get, headers: [.cookie: "spro_equipe=spro_forged"]) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func theTeamSeesEveryRecordMostUrgentFirstWithPerCriterionScores() async throws {
        let (node, admin, _) = try await Self.node()
        try await Application(router: NodeServer.buildRouter(store: node.store)).test(.router) { client in
            let cookie = try await Self.signIn(client, token: admin)
            try await client.execute(uri: "/equipe/qualite", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("connecté en tant que <strong>equipe-spro</strong>"))
                // The summary counts what the JSON API reports.
                let records = try await node.store.quality(for: .system)
                let required = records.filter { $0.freshness == .updateRequired }.count
                #expect(required > 0 && html.contains("<dt>Mise à jour requise</dt><dd>\(required)</dd>"))
                #expect(html.contains("<dt>Fiches</dt><dd>\(records.count)</dd>"))
                // Per criterion: 53-P0 alone has a phone among the places.
                let places = records.filter { $0.kind == .place }.count
                #expect(html.contains("<th scope=\"row\">Téléphone <small>(lieux)</small></th><td>1 / \(places)</td>"), "\(html)")
                // Rows follow the API's urgency order; the fresh, complete place comes last.
                let order = records.map { "id=\"\($0.kind.rawValue)-\($0.id)\"" }
                let positions = order.map { html.range(of: $0)?.lowerBound }
                #expect(!positions.contains(nil))
                #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
                #expect(records.last?.id == "53-P0")
                #expect(html.contains("Coordonnées géographiques, Téléphone, Gratuité déclarée"))
            }
            // The filter lists only the records due for an update.
            try await client.execute(uri: "/equipe/qualite?fraicheur=a_jour", method: .get, headers: [.cookie: cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("id=\"place-53-P0\"") && !html.contains("id=\"place-53-P3\""))
                #expect(html.contains("aria-current=\"page\">À jour</a>"))
            }
        }
    }

    /// Every write to the team's pages, from another site's page, is refused before its form is read, whatever
    /// the form holds (a valid CSRF token included); the same write from the node's own page goes through.
    @Test(arguments: ["/equipe/connexion", "/equipe/deconnexion", "/equipe/confirmer", "/equipe/cahiers-des-charges",
                      "/equipe/structures/53-IJ-1/decision", "/equipe/modifications/1/valider", "/equipe/modifications/1/refuser",
                      "/equipe/import/apercu", "/equipe/import/appliquer"])
    func everyWriteFromAnotherSiteIsRefused(path: String) async throws {
        let (node, admin, _) = try await Self.node()
        let before = try await node.store.quality(for: .system)
        try await Application(router: NodeServer.buildRouter(store: node.store)).test(.router) { client in
            let cookie = try await Self.signIn(client, token: admin)
            let csrf = try await Self.csrf(client, cookie: cookie)
            let headers: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded", .origin: "https://evil.example"]
            try await client.execute(uri: path, method: .post, headers: headers,
                                     body: ByteBuffer(string: "type=place&id=53-P2&jeton=\(admin)&csrf=\(csrf)")) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("Cette demande ne vient pas des pages de ce nœud."))
            }
            // Still signed in: the sign-out was refused too.
            try await client.execute(uri: "/equipe/qualite", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(try await node.store.quality(for: .system) == before)
    }

    @Test func confirmingFromThePageMakesTheRecordFreshAndAForeignOriginChangesNothing() async throws {
        let (node, _, editor) = try await Self.node()
        try await Application(router: NodeServer.buildRouter(store: node.store)).test(.router) { client in
            let cookie = try await Self.signIn(client, token: editor)
            let csrf = try await Self.csrf(client, cookie: cookie)
            #expect(csrf.count == 64)
            let form: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"]
            // The Mission locale's editor sees its structure and its places only.
            try await client.execute(uri: "/equipe/qualite", method: .get, headers: [.cookie: cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("id=\"place-53-P2\"") && html.contains("id=\"structure-53-ML-1\""))
                #expect(!html.contains("id=\"place-53-P1\"") && !html.contains("id=\"structure-53-FT-1\""))
            }
            var foreign = form
            foreign[.origin] = "https://evil.example"
            try await client.execute(uri: "/equipe/confirmer", method: .post, headers: foreign,
                                     body: ByteBuffer(string: "type=place&id=53-P2&csrf=\(csrf)")) { response in
                #expect(response.status == .forbidden)
            }
            #expect(try await node.store.quality(for: .system).first { $0.id == "53-P2" }?.freshness == .updateRequired)
            // France Travail's place is not the editor's to confirm.
            try await client.execute(uri: "/equipe/confirmer", method: .post, headers: form,
                                     body: ByteBuffer(string: "type=place&id=53-P1&csrf=\(csrf)")) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("ml-editor (éditeur de la structure 53-ML-1) ne peut pas confirmer le lieu 53-P1"))
            }
            #expect(try await node.store.quality(for: .system).first { $0.id == "53-P1" }?.freshness == .updateRequired)
            try await client.execute(uri: "/equipe/confirmer", method: .post, headers: form,
                                     body: ByteBuffer(string: "type=place&id=53-P2&retour=%3Ffraicheur%3Dmise_a_jour_requise&csrf=\(csrf)")) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/equipe/qualite?fraicheur=mise_a_jour_requise&confirme=53-P2#fiches")
            }
            let p2 = try await node.store.quality(for: .system).first { $0.id == "53-P2" }
            #expect(p2?.freshness == .fresh && p2?.daysSinceConfirmed == 0)
            #expect(try await node.store.auditLog(target: "place/53-P2").contains { $0.action == "place.confirm" && $0.actor == "ml-editor" })
            try await client.execute(uri: "/equipe/qualite?confirme=53-P2", method: .get, headers: [.cookie: cookie]) { response in
                #expect(String(buffer: response.body).contains("La fiche 53-P2 est confirmée à jour."))
            }
            // Signing out ends the session on the server: the old cookie no longer opens the page.
            try await client.execute(uri: "/equipe/deconnexion", method: .post, headers: form, body: ByteBuffer(string: "csrf=\(csrf)")) { response in
                #expect(response.status == .seeOther && response.headers[.setCookie]?.hasPrefix("spro_equipe=") == true)
            }
            try await client.execute(uri: "/equipe/qualite", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func aFormWithoutTheSessionsCSRFTokenIsRefusedAndChangesNothing() async throws {
        let (node, admin, _) = try await Self.node()
        try await Application(router: NodeServer.buildRouter(store: node.store)).test(.router) { client in
            let cookie = try await Self.signIn(client, token: admin)
            let csrf = try await Self.csrf(client, cookie: cookie)
            let form: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"]
            // Another session's token (a page opened by another user, or an attacker's own session) is no good either.
            let other = try await Self.csrf(client, cookie: try await Self.signIn(client, token: admin))
            #expect(other != csrf)
            for body in ["type=place&id=53-P2", "type=place&id=53-P2&csrf=", "type=place&id=53-P2&csrf=\(other)"] {
                try await client.execute(uri: "/equipe/confirmer", method: .post, headers: form, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .forbidden, "\(body)")
                    #expect(String(buffer: response.body).contains("jeton de formulaire absent ou périmé"))
                }
            }
            #expect(try await node.store.quality(for: .system).first { $0.id == "53-P2" }?.freshness == .updateRequired)
            #expect(try await node.store.auditLog(target: "place/53-P2").allSatisfy { $0.action != "place.confirm" })
            // Signing out needs the token too: a forged sign-out leaves the session open.
            try await client.execute(uri: "/equipe/deconnexion", method: .post, headers: form, body: ByteBuffer(string: "")) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/equipe/qualite", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func aSessionExpiresAfterItsLifetimeAndARevokedTokenEndsIt() async throws {
        let (node, admin, editor) = try await Self.node()
        let clock = ManualClock()
        let router = NodeServer.buildRouter(store: node.store, arguments: NodeServerOptions(sessionLifetime: .seconds(3600)),
                                            sessions: MemoryPersistDriver(clock))
        try await Application(router: router).test(.router) { client in
            let cookie = try await Self.signIn(client, token: admin)
            clock.advance(by: .seconds(3599))
            try await client.execute(uri: "/equipe/qualite", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .ok)
            }
            clock.advance(by: .seconds(2))
            try await client.execute(uri: "/equipe/qualite", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .unauthorized)
                #expect(String(buffer: response.body).contains("<label for=\"jeton\">"))
            }
            // A session stands for its token: once the token is gone, so is the session.
            let editorCookie = try await Self.signIn(client, token: editor)
            try await node.store.revokeToken(name: "ml-editor")
            try await client.execute(uri: "/equipe/qualite", method: .get, headers: [.cookie: editorCookie]) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func theRecordsArePagedTwoHundredAtATime() {
        let records = (0..<450).map { i in
            RecordQuality(kind: .place, id: String(format: "53-P%03d", i), name: "Lieu \(i)", structureId: "53-ML-1",
                          updatedAt: ISOInstant.string(Date()), checks: [], now: Date())
        }
        let actor = Principal(name: "equipe", role: .admin)
        let first = QualityPage(regionName: "Bretagne", actor: actor, records: records, filter: .init(), page: 1, confirmed: nil, csrfToken: "t").html
        let last = QualityPage(regionName: "Bretagne", actor: actor, records: records, filter: .init(), page: 3, confirmed: nil, csrfToken: "t").html
        #expect(first.contains("450 fiches, page 1 sur 3") && first.contains("53-P000") && !first.contains("53-P200"))
        #expect(last.contains("53-P449") && !last.contains("53-P399") && last.components(separatedBy: "<tr id=").count == 51)
    }
}
