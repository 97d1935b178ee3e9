import Directory
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SproTestSupport
import Testing
@testable import RegionNode

/// The back office's forms that send files (multipart): a charter adopted from its JSON file, with the
/// API's checks, CSRF and rights.
@Suite struct BackOfficeFormsTests {
    static func multipart(_ fields: [(String, String)], file: (field: String, name: String, bytes: Data)?) -> (String, ByteBuffer) {
        let boundary = "----spro\(UUID().uuidString.prefix(8))"
        var body = Data()
        for (name, value) in fields {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if let file {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: application/json\r\n\r\n".utf8)
            body += file.bytes + Data("\r\n".utf8)
        }
        body += Data("--\(boundary)--\r\n".utf8)
        return ("multipart/form-data; boundary=\(boundary)", ByteBuffer(data: body))
    }

    @Test func aCharterIsAdoptedFromItsFileWithTheAPIsChecks() async throws {
        let (node, admin, editor) = try await TeamPagesTests.node()
        try await node.store.adoptCharters([Fixtures.charter()])
        try await Application(router: NodeServer.buildRouter(store: node.store)).test(.router) { client in
            let cookie = try await TeamPagesTests.signIn(client, token: admin)
            let csrf = try await TeamPagesTests.csrf(client, cookie: cookie)
            func post(_ fields: [(String, String)], _ bytes: Data?, cookie: String) async throws -> (HTTPResponse.Status, String, String?) {
                let (type, body) = Self.multipart(fields, file: bytes.map { ("fichier", "charte.json", $0) })
                return try await client.execute(uri: "/equipe/cahiers-des-charges", method: .post, headers: [.cookie: cookie, .contentType: type], body: body) {
                    ($0.status, String(buffer: $0.body), $0.headers[.location])
                }
            }
            let v2 = try SproJSON.encoder().encode(Fixtures.charter(2))
            // Without the form's CSRF token: refused, nothing adopted.
            #expect(try await post([], v2, cookie: cookie).0 == .forbidden)
            // Not a charter, another Région's, a broken one: refused with the reason, in French.
            var (status, html, _) = try await post([("csrf", csrf)], Data("{\"version\": \"deux\"}".utf8), cookie: cookie)
            #expect(status == .unprocessableContent && html.contains("Cahier des charges non adopté"), "\(html.suffix(600))")
            (status, html, _) = try await post([("csrf", csrf)], try SproJSON.encoder().encode(Fixtures.charter(2, region: RegionCode(unchecked: "84"))), cookie: cookie)
            #expect(status == .unprocessableContent && html.contains("n&#39;est pas la Région de ce nœud") || html.contains("n'est pas la Région de ce nœud"))
            var broken = Fixtures.charter(2)
            broken.referencingValidityMonths = 0
            (status, html, _) = try await post([("csrf", csrf)], try SproJSON.encoder().encode(broken), cookie: cookie)
            #expect(status == .unprocessableContent && html.contains("referencingValidityMonths"), "\(html.suffix(600))")
            #expect(try await node.store.charters().map(\.version) == [1])
            // The real one is adopted.
            let adopted = try await post([("csrf", csrf)], v2, cookie: cookie)
            #expect(adopted.0 == .seeOther && adopted.2 == "/equipe/cahiers-des-charges?adoptee=2")
            #expect(try await node.store.charters().map(\.version) == [1, 2])
            // An editor may read the charters, not adopt one.
            let editorCookie = try await TeamPagesTests.signIn(client, token: editor)
            let editorCSRF = try await TeamPagesTests.csrf(client, cookie: editorCookie)
            var v3 = Fixtures.charter(3)
            v3.title = "v3"
            #expect(try await post([("csrf", editorCSRF)], try SproJSON.encoder().encode(v3), cookie: editorCookie).0 == .forbidden)
            #expect(try await node.store.charters().count == 2)
        }
    }

    @Test func aListPageLeadsToTheNextKeepingItsFilters() async throws {
        let node = try TestNode()
        try await node.store.importDataset(Fixtures.dataset(placeCount: 150))
        let admin = try await node.store.issueToken(name: "equipe", role: .admin)
        try await Application(router: NodeServer.buildRouter(store: node.store)).test(.router) { client in
            let cookie = try await TeamPagesTests.signIn(client, token: admin)
            func page(_ uri: String) async throws -> String {
                try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie]) { String(buffer: $0.body) }
            }
            let first = try await page("/equipe/lieux?q=accueil&departement=29")
            #expect(first.contains("151 résultats"))
            let link = try #require(first.firstMatch(of: /href="(\?[^"]+)" rel="next"/)?.1)
            #expect(link.contains("q=accueil") && link.contains("departement=29") && link.contains("curseur="))
            let second = try await page("/equipe/lieux" + String(link).replacingOccurrences(of: "&amp;", with: "&"))
            #expect(second.contains("(suite de la liste)"))
            let rows = { (html: String) in html.matches(of: /<small>(53-[A-Z0-9-]+)<\/small>/).map { String($0.1) } }
            #expect(rows(first).count == 100 && rows(second).count == 51)
            #expect(Set(rows(first)).isDisjoint(with: rows(second)))
            // A bad filter value is said on the page, not a 500.
            let bad = try await client.execute(uri: "/equipe/lieux?mutualise=peut-etre", method: .get, headers: [.cookie: cookie]) { ($0.status, String(buffer: $0.body)) }
            #expect(bad.0 == .unprocessableContent && bad.1.contains("valeur inconnue"))
        }
    }

    @Test func anImportIsPreviewedWithItsChangesThenAppliedOnce() async throws {
        let (node, admin, editor) = try await TeamPagesTests.node()
        let before = try await node.store.loadAll().places
        let csv = """
            id,name,structure_ids,address,postcode,city,commune_code,opening_hours,reception_modes,publics,services,accessible,free_of_charge
            53-P2,Accueil Brest Siam,53-ML-1,12 rue de Siam,29200,Brest,29019,Mo-Fr 09:00-12:00,sans_rendez_vous,jeunes_16_25,cep_niveau_1,oui,oui
            53-NEW,Permanence de Morlaix,53-ML-1,3 place des Otages,29600,Morlaix,29151,,sans_rendez_vous,jeunes_16_25,cep_niveau_1,oui,oui
            53-BAD,Permanence fantôme,53-INCONNUE,1 rue,29200,Brest,29019,,sans_rendez_vous,jeunes_16_25,cep_niveau_1,oui,oui
            """
        try await Application(router: NodeServer.buildRouter(store: node.store)).test(.router) { client in
            let cookie = try await TeamPagesTests.signIn(client, token: admin)
            let csrf = try await TeamPagesTests.csrf(client, cookie: cookie)
            let (type, body) = Self.multipart([("csrf", csrf), ("type", "lieux"), ("mode", "tolerant")],
                                              file: ("fichier", "lieux.csv", Data(csv.utf8)))
            let html = try await client.execute(uri: "/equipe/import/apercu", method: .post, headers: [.cookie: cookie, .contentType: type], body: body) {
                #expect($0.status == .ok)
                return String(buffer: $0.body)
            }
            #expect(html.contains("1 fiche nouvelle, 1 fiche modifiée, 0 inchangée(s), 1 ligne rejetée"), "\(html.suffix(3000))")
            #expect(html.contains("<caption>53-P2</caption>") && html.contains("Accueil Brest Siam"))
            #expect(html.contains("53-BAD") && html.contains("53-INCONNUE"))
            // Nothing stored by the preview.
            #expect(try await node.store.loadAll().places == before)
            let token = try #require(html.firstMatch(of: /name="envoi" value="([0-9a-f]+)"/)?.1)
            func apply() async throws -> (HTTPResponse.Status, String) {
                try await client.execute(uri: "/equipe/import/appliquer", method: .post,
                                         headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                         body: ByteBuffer(string: "csrf=\(csrf)&envoi=\(token)")) { ($0.status, String(buffer: $0.body)) }
            }
            let applied = try await apply()
            #expect(applied.0 == .ok && applied.1.contains("Import appliqué : 2 fiches enregistrées"), "\(applied.1.suffix(1500))")
            let added = try await node.store.place("53-NEW"), changed = try await node.store.place("53-P2")
            #expect(added != nil && changed?.name == "Accueil Brest Siam")
            // A reload cannot apply it twice.
            #expect(try await apply().0 == .conflict)
            // An editor cannot import.
            let editorCookie = try await TeamPagesTests.signIn(client, token: editor)
            let editorCSRF = try await TeamPagesTests.csrf(client, cookie: editorCookie)
            let (t2, b2) = Self.multipart([("csrf", editorCSRF), ("type", "lieux")], file: ("fichier", "lieux.csv", Data(csv.utf8)))
            #expect(try await client.execute(uri: "/equipe/import/apercu", method: .post, headers: [.cookie: editorCookie, .contentType: t2], body: b2) { $0.status } == .forbidden)
        }
    }

    @Test func theIndicatorPageLeadsFromPageToPageByItsCursor() async throws {
        let node = try TestNode()
        var dataset = Fixtures.dataset(placeCount: 5)
        dataset.indicators = (0..<5).flatMap { p in
            (0..<50).map { m in
                IndicatorValue(subject: .place, subjectId: "53-P\(p)", code: "visits", period: String(format: "%04d-%02d", 2020 + m / 12, m % 12 + 1),
                               value: Double(m), unit: "persons")
            }
        }
        try await node.store.importDataset(dataset)
        let admin = try await node.store.issueToken(name: "equipe", role: .admin)
        try await Application(router: NodeServer.buildRouter(store: node.store)).test(.router) { client in
            let cookie = try await TeamPagesTests.signIn(client, token: admin)
            func page(_ uri: String) async throws -> String {
                try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie]) { String(buffer: $0.body) }
            }
            let rows = { (html: String) in html.matches(of: /<tr><th scope="row">lieu (53-P[0-9])<\/th><td[^>]*>visits<\/td><td[^>]*>([0-9-]+)<\/td>/).map { "\($0.1) \($0.2)" } }
            let first = try await page("/equipe/indicateurs?code=visits")
            #expect(first.contains("250 valeurs") && rows(first).count == 200)
            let link = try #require(first.firstMatch(of: /href="(\?[^"]+)" rel="next"/)?.1)
            let second = try await page("/equipe/indicateurs" + String(link).replacingOccurrences(of: "&amp;", with: "&"))
            #expect(rows(second).count == 50 && Set(rows(first)).isDisjoint(with: rows(second)))
            #expect(!second.contains("rel=\"next\""))
        }
    }
}
