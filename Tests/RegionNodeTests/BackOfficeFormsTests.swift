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
}
