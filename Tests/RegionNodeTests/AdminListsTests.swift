import Directory
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SproTestSupport
import Testing
@testable import RegionNode

/// The admin API's lists (filters, search, cursor paging, what an editor sees) and its optimistic
/// concurrency (ETag / If-Match, 412 on a stale write, 409 on a stale proposal), through the node's router.
@Suite struct AdminListsTests {
    static func node() async throws -> (TestNode, admin: String, ml: String, ft: String, ij: String) {
        let node = try TestNode()
        try await node.store.adoptCharters([Fixtures.charter()])
        try await node.store.importDataset(Fixtures.dataset(placeCount: 5))
        return (node, try await node.store.issueToken(name: "equipe", role: .admin),
                try await node.store.issueToken(name: "ml", role: .editor, structureId: "53-ML-1"),
                try await node.store.issueToken(name: "ft", role: .editor, structureId: "53-FT-1"),
                try await node.store.issueToken(name: "ij", role: .editor, structureId: "53-IJ-1"))
    }

    struct Answer {
        let status: HTTPResponse.Status
        let json: [String: Any]
        let headers: HTTPFields
        var ids: [String] { (json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }
        var code: String? { json["code"] as? String }
        var field: String? { json["field"] as? String }
    }

    static func call(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, token: String,
                     headers: HTTPFields = [:], body: (any Encodable)? = nil) async throws -> Answer {
        var all = headers
        all[.authorization] = "Bearer \(token)"
        let bytes = try body.map { ByteBuffer(bytes: try SproJSON.encoder().encode($0)) }
        return try await client.execute(uri: uri, method: method, headers: all, body: bytes) { response in
            let object = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
            return Answer(status: response.status, json: object, headers: response.headers)
        }
    }

    static func app(_ node: TestNode) -> some ApplicationProtocol { Application(router: NodeServer.buildRouter(store: node.store)) }

    @Test func listsFilterSearchAndPageWithACursorThatFollowsOnToTheEnd() async throws {
        let (node, admin, _, _, _) = try await Self.node()
        try await Self.app(node).test(.router) { client in
            // Pages of two, followed through their cursors (and the Link header), cover every place once, in id order.
            var seen: [String] = []
            var uri = "/api/v1/places?limit=2&departement=29"
            var pages = 0
            while true {
                let page = try await Self.call(client, .get, uri, token: admin)
                #expect(page.status == .ok && page.json["total"] as? Int == 6)
                #expect(page.ids.count <= 2)
                seen += page.ids
                pages += 1
                guard let next = page.json["next"] as? String else {
                    #expect(page.headers[HTTPField.Name("Link")!] == nil)
                    break
                }
                let link = try #require(page.headers[HTTPField.Name("Link")!])
                #expect(link.contains("cursor=\(next)") && link.contains("departement=29") && link.hasSuffix("rel=\"next\""))
                uri = "/api/v1/places?limit=2&departement=29&cursor=\(next)"
            }
            #expect(pages == 3)
            #expect(seen == ["53-IJ-P", "53-P0", "53-P1", "53-P2", "53-P3", "53-P4"])

            // Filters: one parameter twice is either value; two parameters must both hold.
            #expect(try await Self.call(client, .get, "/api/v1/places?structure=53-FT-1", token: admin).ids == ["53-P0", "53-P1", "53-P3"])
            #expect(try await Self.call(client, .get, "/api/v1/places?structure=53-FT-1&commune=29019", token: admin).ids == ["53-P0"])
            #expect(try await Self.call(client, .get, "/api/v1/places?structure=53-FT-1&structure=53-IJ-1", token: admin).ids.count == 4)
            // The search folds accents and case, and matches whole words from their start.
            #expect(try await Self.call(client, .get, "/api/v1/places?q=accueil%2053-p3", token: admin).ids == ["53-P3"])
            #expect(try await Self.call(client, .get, "/api/v1/structures?q=STRUCTURE", token: admin).ids.count == 3)
            #expect(try await Self.call(client, .get, "/api/v1/structures?state=applied", token: admin).ids == ["53-IJ-1"])
            #expect(try await Self.call(client, .get, "/api/v1/structures?network=france_travail", token: admin).ids == ["53-FT-1"])
            let applications = try await Self.call(client, .get, "/api/v1/applications", token: admin)
            #expect(applications.ids == ["53-IJ-1"] && applications.json["total"] as? Int == 1)
            #expect(try await Self.call(client, .get, "/api/v1/indicators?code=visits", token: admin).json["total"] as? Int == 1)
            #expect(try await Self.call(client, .get, "/api/v1/charters", token: admin).status == .ok)

            // Every bad parameter is refused, naming it, in French.
            for (uri, field) in [("/api/v1/places?colour=red", "colour"), ("/api/v1/structures?state=AAA", "state"),
                                 ("/api/v1/places?limit=0", "limit"), ("/api/v1/places?limit=5000", "limit"),
                                 ("/api/v1/channels?cursor=%25%25", "cursor"), ("/api/v1/applications?state=referenced", "state"),
                                 ("/api/v1/edits?status=AAA", "status"), ("/api/v1/edits?status=pending&status=rejected", "status"),
                                 ("/api/v1/indicators?subject=region", "subject")] {
                let answer = try await Self.call(client, .get, uri, token: admin)
                #expect(answer.status == .unprocessableContent && answer.field == field, "\(uri)")
            }
            let unknown = try await Self.call(client, .get, "/api/v1/places?colour=red", token: admin)
            #expect((unknown.json["message"] as? String)?.contains("paramètre inconnu") == true)
            #expect(try await Self.call(client, .get, "/api/v1/charters/99", token: admin).status == .notFound)
        }
    }

    @Test func anEditorsListsAndReadsHoldOnlyWhatItsStructureMaySee() async throws {
        let (node, admin, ml, ft, ij) = try await Self.node()
        try await Self.app(node).test(.router) { client in
            #expect(try await Self.call(client, .get, "/api/v1/places", token: ml).ids == ["53-P0", "53-P2", "53-P4"])
            #expect(try await Self.call(client, .get, "/api/v1/places", token: ml).json["total"] as? Int == 3)
            #expect(try await Self.call(client, .get, "/api/v1/places", token: ij).ids == ["53-IJ-P"])
            // A filter on another structure gives nothing rather than that structure's places.
            #expect(try await Self.call(client, .get, "/api/v1/places?structure=53-FT-1", token: ml).ids == ["53-P0"])
            #expect(try await Self.call(client, .get, "/api/v1/structures", token: ml).ids == ["53-ML-1"])
            // The rejected or applying structures of others, with their referencing, stay out of sight.
            #expect(try await Self.call(client, .get, "/api/v1/applications", token: ml).ids == [])
            #expect(try await Self.call(client, .get, "/api/v1/applications", token: ij).ids == ["53-IJ-1"])
            #expect(try await Self.call(client, .get, "/api/v1/structures/53-IJ-1", token: ml).status == .forbidden)
            #expect(try await Self.call(client, .get, "/api/v1/places/53-P1", token: ml).status == .forbidden)
            #expect(try await Self.call(client, .get, "/api/v1/places/53-P0", token: ml).status == .ok)
            #expect(try await Self.call(client, .get, "/api/v1/places/53-P0", token: ft).status == .ok)
            // Indicators: the ones of places the structure staffs.
            #expect(try await Self.call(client, .get, "/api/v1/indicators", token: ft).json["total"] as? Int == 1)
            #expect(try await Self.call(client, .get, "/api/v1/indicators", token: ij).json["total"] as? Int == 0)
            // Edits: an editor's proposals are seen by the team and by that editor, not by another structure's.
            var p2 = try #require(try await node.store.place("53-P2"))
            p2.name = "Accueil Brest centre"
            #expect(try await Self.call(client, .put, "/api/v1/places/53-P2", token: ml, body: p2).status == .accepted)
            #expect(try await Self.call(client, .get, "/api/v1/edits", token: ml).json["total"] as? Int == 1)
            #expect(try await Self.call(client, .get, "/api/v1/edits", token: ft).json["total"] as? Int == 0)
            #expect(try await Self.call(client, .get, "/api/v1/edits?structure=53-ML-1", token: ft).json["total"] as? Int == 0)
            #expect(try await Self.call(client, .get, "/api/v1/edits?structure=53-ML-1", token: admin).json["total"] as? Int == 1)
            #expect(try await Self.call(client, .get, "/api/v1/edits?kind=channel", token: admin).json["total"] as? Int == 0)
        }
    }

    @Test func aWriteOnAVersionNoLongerCurrentIsRefusedWith412AndNothingIsLost() async throws {
        let (node, admin, _, _, _) = try await Self.node()
        try await Self.app(node).test(.router) { client in
            let read = try await Self.call(client, .get, "/api/v1/places/53-P1", token: admin)
            let tag = try #require(read.headers[.eTag])
            #expect(tag == "\"1\"")
            // A client that has the version gets 304 without the record.
            #expect(try await Self.call(client, .get, "/api/v1/places/53-P1", token: admin, headers: [.ifNoneMatch: tag]).status == .notModified)

            // Two members of the team read version 1; the first writes, the second's write would erase it.
            var first = try #require(try await node.store.place("53-P1"))
            first.name = "Accueil Quimper gare"
            let written = try await Self.call(client, .put, "/api/v1/places/53-P1", token: admin, headers: [.ifMatch: tag], body: first)
            #expect(written.status == .ok && written.headers[.eTag] == "\"2\"")
            var second = try #require(try await node.store.place("53-P1"))
            second.name = "Accueil Quimper centre"
            let stale = try await Self.call(client, .put, "/api/v1/places/53-P1", token: admin, headers: [.ifMatch: tag], body: second)
            #expect(stale.status == .preconditionFailed && stale.code == "stale_version")
            #expect((stale.json["message"] as? String)?.contains("n'est plus la version en cours") == true)
            #expect(try await node.store.place("53-P1")?.name == "Accueil Quimper gare")
            // Rewriting the same bytes keeps the version; `*` only asks that the record exists.
            #expect(try await Self.call(client, .put, "/api/v1/places/53-P1", token: admin, headers: [.ifMatch: "\"2\""], body: first).headers[.eTag] == "\"2\"")
            #expect(try await Self.call(client, .put, "/api/v1/places/53-P9", token: admin, headers: [.ifMatch: "*"],
                                        body: Fixtures.place("53-P9", structures: ["53-ML-1"])).status == .preconditionFailed)
            // A referencing decision taken on a structure that changed since it was read.
            let structureTag = try #require(try await Self.call(client, .get, "/api/v1/structures/53-IJ-1", token: admin).headers[.eTag])
            var ij = try #require(try await node.store.structure("53-IJ-1"))
            ij.phone = "02 98 11 11 11"
            #expect(try await Self.call(client, .put, "/api/v1/structures/53-IJ-1", token: admin, headers: [.ifMatch: structureTag], body: ij).status == .ok)
            let review = TransitionRequest(to: .underReview, motive: "instruction")
            let refused = try await Self.call(client, .post, "/api/v1/structures/53-IJ-1/transitions", token: admin,
                                              headers: [.ifMatch: structureTag], body: review)
            #expect(refused.status == .preconditionFailed && refused.code == "stale_version")
            #expect(try await node.store.structure("53-IJ-1")?.referencing.state == .applied)
            let current = try #require(try await Self.call(client, .get, "/api/v1/structures/53-IJ-1", token: admin).headers[.eTag])
            let accepted = try await Self.call(client, .post, "/api/v1/structures/53-IJ-1/transitions", token: admin,
                                               headers: [.ifMatch: current], body: review)
            #expect(accepted.status == .created, "\(accepted.json)")
        }
    }

    @Test func aProposalOverTakenByTheRegionsEditIsRefusedAtApprovalAndARejectionCarriesItsReason() async throws {
        let (node, admin, ml, _, _) = try await Self.node()
        try await Self.app(node).test(.router) { client in
            // The editor proposes a new name on version 1.
            var proposal = try #require(try await node.store.place("53-P2"))
            proposal.name = "Mission locale — Brest centre"
            let queued = try await Self.call(client, .put, "/api/v1/places/53-P2", token: ml, body: proposal)
            #expect(queued.status == .accepted)
            let editId = try #require(queued.json["editId"] as? String)
            // The team sees what the proposal changes, field by field.
            let listed = try await Self.call(client, .get, "/api/v1/edits", token: admin)
            let edit = try #require((listed.json["items"] as? [[String: Any]])?.first)
            #expect(edit["baseVersion"] as? Int == 1)
            let changes = edit["changes"] as? [[String: Any]] ?? []
            #expect(changes.count == 1 && changes.first?["field"] as? String == "name")
            #expect(changes.first?["before"] as? String == "\"Accueil 53-P2\"" && changes.first?["after"] as? String == "\"Mission locale — Brest centre\"")

            // Meanwhile the team changes the opening hours directly.
            var direct = try #require(try await node.store.place("53-P2"))
            direct.openingHours = "Mo-Fr 09:00-17:00; PH off"
            #expect(try await Self.call(client, .put, "/api/v1/places/53-P2", token: admin, body: direct).status == .ok)
            // Approving would put the old hours back: refused, nothing changes.
            let approve = try await Self.call(client, .post, "/api/v1/edits/\(editId)/approve", token: admin)
            #expect(approve.status == .conflict && approve.code == "stale_proposal")
            #expect(try await node.store.place("53-P2") == direct.confirmed(try await node.store.place("53-P2")?.lastConfirmed))

            // A rejection needs its reason, which the editor then reads.
            let bare = try await Self.call(client, .post, "/api/v1/edits/\(editId)/reject", token: admin, body: ["reason": " "])
            #expect(bare.status == .unprocessableContent && bare.field == "reason")
            #expect(try await Self.call(client, .post, "/api/v1/edits/\(editId)/reject", token: admin,
                                        body: ["reason": "Horaires changés entre-temps : reproposez le nom"]).status == .ok)
            let mine = try await Self.call(client, .get, "/api/v1/edits?status=rejected", token: ml)
            let rejected = try #require((mine.json["items"] as? [[String: Any]])?.first)
            #expect(rejected["reason"] as? String == "Horaires changés entre-temps : reproposez le nom")
            #expect(rejected["decidedBy"] as? String == "equipe" && rejected["status"] as? String == "rejected")
            #expect(try await Self.call(client, .get, "/api/v1/edits?status=all", token: ml).json["total"] as? Int == 1)
        }
    }
}

extension Place {
    /// The record with the confirmation day `day` (which the store stamps on reads).
    func confirmed(_ day: String?) -> Place {
        var p = self
        p.lastConfirmed = day
        return p
    }
}
