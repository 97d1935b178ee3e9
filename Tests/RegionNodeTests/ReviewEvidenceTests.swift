import Directory
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Referencing
import ServerFoundation
import Signing
import SproTestSupport
import Testing
@testable import RegionNode

/// Attested criteria carry their evidence: a text required when the criterion passes, and a document
/// stored on the node (checked, by SHA-256), read back by the team only.
@Suite struct ReviewEvidenceTests {
    static let pdf = Data("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)

    static func upload(_ client: some TestClientProtocol, token: String, name: String, type: String, bytes: Data) async throws
        -> (HTTPResponse.Status, [String: Any]) {
        try await client.execute(uri: "/api/v1/documents?name=\(name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")",
                                 method: .post, headers: [.authorization: "Bearer \(token)", .contentType: type],
                                 body: ByteBuffer(data: bytes)) { response in
            (response.status, (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:])
        }
    }

    @Test func anAttestedCriterionNeedsItsEvidenceAndTheDocumentStaysWithTheTeam() async throws {
        let (node, admin, ml, _, ij) = try await AdminListsTests.node()
        var place = try #require(try await node.store.place("53-IJ-P"))
        place.freeOfCharge = true
        _ = try await node.store.submitPlace(place, validator: RecordValidator(), by: .system)
        try await AdminListsTests.app(node).test(.router) { client in
            // Documents: kind, content and name are checked; the same bytes are stored once.
            var (status, body) = try await Self.upload(client, token: admin, name: "attestation.exe", type: "application/x-msdownload", bytes: Self.pdf)
            #expect(status == .unprocessableContent && body["field"] as? String == "mediaType")
            (status, body) = try await Self.upload(client, token: admin, name: "faux.pdf", type: "application/pdf", bytes: Data("<html>".utf8))
            #expect(status == .unprocessableContent && (body["message"] as? String)?.contains("%PDF-") == true)
            (status, body) = try await Self.upload(client, token: admin, name: "../../etc/passwd", type: "application/pdf", bytes: Self.pdf)
            #expect(status == .unprocessableContent && body["field"] as? String == "name")
            (status, _) = try await Self.upload(client, token: ij, name: "attestation.pdf", type: "application/pdf", bytes: Self.pdf)
            #expect(status == .forbidden)
            (status, body) = try await Self.upload(client, token: admin, name: "Charte d'accueil signée.pdf", type: "application/pdf", bytes: Self.pdf)
            #expect(status == .created && body["size"] as? Int == Self.pdf.count)
            let sha = try #require(body["sha256"] as? String)
            #expect(sha == sha256Hex(Self.pdf))

            let review = TransitionRequest(to: .underReview, motive: "instruction")
            #expect(try await AdminListsTests.call(client, .post, "/api/v1/structures/53-IJ-1/transitions", token: admin, body: review).status == .created)
            // A bare "yes" is refused, naming the criterion; so is a document the node does not hold.
            var decision = TransitionRequest(to: .referenced, motive: "conforme", attested: ["confiance": true])
            var answer = try await AdminListsTests.call(client, .post, "/api/v1/structures/53-IJ-1/transitions", token: admin, body: decision)
            #expect(answer.status == .unprocessableContent && answer.field == "evidence.confiance")
            decision.evidence = ["confiance": EvidenceRequest(text: "Charte signée", document: String(repeating: "0", count: 64))]
            answer = try await AdminListsTests.call(client, .post, "/api/v1/structures/53-IJ-1/transitions", token: admin, body: decision)
            #expect(answer.status == .unprocessableContent && answer.field == "evidence.confiance.document")
            #expect(try await node.store.structure("53-IJ-1")?.referencing.state == .underReview)

            decision.evidence = ["confiance": EvidenceRequest(text: "Charte d'accueil signée par la directrice", document: sha)]
            answer = try await AdminListsTests.call(client, .post, "/api/v1/structures/53-IJ-1/transitions", token: admin, body: decision)
            #expect(answer.status == .created, "\(answer.json)")
            let recorded = try #require(try await node.store.history("53-IJ-1").last?.criteria.first { $0.criterionId == "confiance" })
            #expect(recorded.evidence == Evidence(text: "Charte d'accueil signée par la directrice",
                                                  document: DocumentRef(sha256: sha, name: "Charte d'accueil signée.pdf", mediaType: "application/pdf", size: Self.pdf.count)))
            // The team reads the document back as an attachment; an editor, even the structure's, does not.
            try await client.execute(uri: "/api/v1/documents/\(sha)", method: .get, headers: [.authorization: "Bearer \(admin)"]) { response in
                #expect(response.status == .ok && Data(buffer: response.body) == Self.pdf)
                #expect(response.headers[.contentDisposition]?.hasPrefix("attachment;") == true && response.headers[.contentType] == "application/pdf")
            }
            #expect(try await AdminListsTests.call(client, .get, "/api/v1/documents/\(sha)", token: ij).status == .forbidden)
            #expect(try await AdminListsTests.call(client, .get, "/api/v1/documents/\(sha)", token: ml).status == .forbidden)
            // Documents never travel in the export.
            let export = try await node.store.currentExport()
            #expect(!String(decoding: export.body, as: UTF8.self).contains(sha))
        }
    }

    @Test func aMultipartBodyIsReadPartByPartAndAMalformedOneIsRefused() throws {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"document-confiance\"; filename=\"a%22b.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1\r\n\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"vide\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n--XyZ--\r\n"
        let form = try MultipartForm(body: Data(body.utf8), contentType: "multipart/form-data; boundary=XyZ")
        #expect(form.field("csrf") == "abc")
        let file = try #require(form.file("document-confiance"))
        #expect(file.filename == "a\"b.pdf" && file.mediaType == "application/pdf" && file.data == Data("%PDF-1\r\n".utf8))
        #expect(form.file("vide") == nil, "an empty file input sends no file")
        #expect(throws: MultipartForm.Malformed.self) { try MultipartForm(body: Data(body.utf8), contentType: "application/x-www-form-urlencoded") }
        #expect(throws: MultipartForm.Malformed.self) {
            try MultipartForm(body: Data("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end".utf8), contentType: "multipart/form-data; boundary=XyZ")
        }
    }

    @Test func aConventionIsARecordThatReferencingsNameAndItsSignatoriesFollow() async throws {
        let (node, admin, ml, _, _) = try await AdminListsTests.node()
        try await AdminListsTests.app(node).test(.router) { client in
            let (_, doc) = try await Self.upload(client, token: admin, name: "convention-spro-2024.pdf", type: "application/pdf", bytes: Self.pdf)
            let sha = try #require(doc["sha256"] as? String)
            var convention = Convention(id: "spro-bretagne-2024", title: "Convention régionale du SPRO de Bretagne", signedOn: "2024-03-01",
                                        parties: [.init(role: .region, name: "Région Bretagne"), .init(role: .recteur, name: "Recteur de la région académique"),
                                                  .init(role: .teteDeReseau, name: "ARML Bretagne")], document: sha)
            // The préfet is missing: refused, naming what lacks.
            var answer = try await AdminListsTests.call(client, .post, "/api/v1/conventions", token: admin, body: convention)
            #expect(answer.status == .unprocessableContent && answer.field == "parties" && (answer.json["message"] as? String)?.contains("prefet") == true)
            convention.parties.append(.init(role: .prefet, name: "Préfet de la région Bretagne"))
            #expect(try await AdminListsTests.call(client, .post, "/api/v1/conventions", token: ml, body: convention).status == .forbidden)
            #expect(try await AdminListsTests.call(client, .post, "/api/v1/conventions", token: admin, body: convention).status == .created)
            #expect(try await AdminListsTests.call(client, .post, "/api/v1/conventions", token: admin, body: convention).status == .conflict)
            var future = convention
            future.id = "avenant"
            future.signedOn = "2099-01-01"
            #expect(try await AdminListsTests.call(client, .post, "/api/v1/conventions", token: admin, body: future).field == "signedOn")
            // Editors read them.
            #expect(try await AdminListsTests.call(client, .get, "/api/v1/conventions/spro-bretagne-2024", token: ml).status == .ok)
            // A referencing names it; an unknown one is refused.
            var move = TransitionRequest(to: .underReview, motive: "instruction", conventionId: "inconnue")
            answer = try await AdminListsTests.call(client, .post, "/api/v1/structures/53-IJ-1/transitions", token: admin, body: move)
            #expect(answer.status == .unprocessableContent && answer.field == "conventionId")
            move.conventionId = "spro-bretagne-2024"
            #expect(try await AdminListsTests.call(client, .post, "/api/v1/structures/53-IJ-1/transitions", token: admin, body: move).status == .created)
            let event = try #require(try await node.store.history("53-IJ-1").last)
            #expect(event.conventionId == "spro-bretagne-2024" && event.signatories.contains("ARML Bretagne") && event.signatories.count == 4)
        }
    }
}
