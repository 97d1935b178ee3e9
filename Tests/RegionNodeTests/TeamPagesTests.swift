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
            return String(cookie.split(separator: ";")[0])
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

    @Test func confirmingFromThePageMakesTheRecordFreshAndAForeignOriginChangesNothing() async throws {
        let (node, _, editor) = try await Self.node()
        try await Application(router: NodeServer.buildRouter(store: node.store)).test(.router) { client in
            let cookie = try await Self.signIn(client, token: editor)
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
                                     body: ByteBuffer(string: "type=place&id=53-P2")) { response in
                #expect(response.status == .forbidden)
            }
            #expect(try await node.store.quality(for: .system).first { $0.id == "53-P2" }?.freshness == .updateRequired)
            // France Travail's place is not the editor's to confirm.
            try await client.execute(uri: "/equipe/confirmer", method: .post, headers: form,
                                     body: ByteBuffer(string: "type=place&id=53-P1")) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("ml-editor confirms structure 53-ML-1"))
            }
            #expect(try await node.store.quality(for: .system).first { $0.id == "53-P1" }?.freshness == .updateRequired)
            try await client.execute(uri: "/equipe/confirmer", method: .post, headers: form,
                                     body: ByteBuffer(string: "type=place&id=53-P2&retour=%3Ffraicheur%3Dmise_a_jour_requise")) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/equipe/qualite?fraicheur=mise_a_jour_requise&confirme=53-P2#fiches")
            }
            let p2 = try await node.store.quality(for: .system).first { $0.id == "53-P2" }
            #expect(p2?.freshness == .fresh && p2?.daysSinceConfirmed == 0)
            #expect(try await node.store.auditLog(target: "place/53-P2").contains { $0.action == "place.confirm" && $0.actor == "ml-editor" })
            try await client.execute(uri: "/equipe/qualite?confirme=53-P2", method: .get, headers: [.cookie: cookie]) { response in
                #expect(String(buffer: response.body).contains("La fiche 53-P2 est confirmée à jour."))
            }
            // Signing out clears the cookie.
            try await client.execute(uri: "/equipe/deconnexion", method: .post, headers: [.cookie: cookie]) { response in
                #expect(response.headers[.setCookie]?.contains("Max-Age=0") == true)
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
