import Directory
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SproTestSupport
import Testing
@testable import RegionNode

/// Every admin route against every kind of caller: no token, an unknown token, the Région's team, the editor of
/// the record's structure and the editor of another structure, each on a node of its own (a write by one never
/// changes what the next is answered). Lists are checked for what each editor sees. A route the router has and
/// this matrix lacks fails the test.
@Suite struct AccessMatrixTests {
    enum Caller: String, CaseIterable, CustomStringConvertible {
        case none, unknown, admin, own, other
        var description: String { rawValue }
    }

    /// One route, asked once per caller.
    struct Row: Sendable {
        let method: HTTPRequest.Method
        /// The route as documented (`/api/v1/places/{id}`), and the request's path and query.
        let route: String
        let uri: String
        let body: Data?
        /// The structure whose editor is `own`, and the one whose editor is `other`.
        let own: String
        let other: String
        /// Statuses for admin, own, other (no token and an unknown one always get 401).
        let admin: HTTPResponse.Status
        let ownStatus: HTTPResponse.Status
        let otherStatus: HTTPResponse.Status
        /// For a list: the ids `own` and `other` see (as a set).
        let seen: (own: Set<String>, other: Set<String>)?

        init(_ method: HTTPRequest.Method, _ route: String, _ uri: String? = nil, body: (any Encodable)? = nil,
             ownStructure own: String = "53-ML-1", otherStructure other: String = "53-FT-1",
             admin: HTTPResponse.Status, own ownStatus: HTTPResponse.Status, other otherStatus: HTTPResponse.Status,
             seen: (own: Set<String>, other: Set<String>)? = nil) {
            self.method = method
            self.route = route
            self.uri = uri ?? route
            self.body = body.map { try! SproJSON.encoder().encode($0) }  // test fixtures: always encodable
            self.own = own
            self.other = other
            self.admin = admin
            self.ownStatus = ownStatus
            self.otherStatus = otherStatus
            self.seen = seen
        }

        var operation: String { "\(method.rawValue) \(route)" }

        func expected(_ caller: Caller) -> HTTPResponse.Status {
            switch caller {
            case .none, .unknown: .unauthorized
            case .admin: admin
            case .own: ownStatus
            case .other: otherStatus
            }
        }
    }

    /// A node with the fixtures' structures and places, a channel staffed by 53-ML-1, an application (53-CI-1)
    /// with its referencing event, and a place edit 53-ML-1's editor proposed (edit 1, on 53-P4).
    static func node() async throws -> (TestNode, tokens: [String: String], editId: Int) {
        let node = try TestNode()
        try await node.store.adoptCharters([Fixtures.charter()])
        try await node.store.importDataset(Fixtures.dataset(placeCount: 5))
        _ = try await node.store.submitChannel(channel, validator: RecordValidator(), by: .system)
        try await node.store.apply(application, places: [], validator: RecordValidator(), by: .system)
        var tokens = ["admin": try await node.store.issueToken(name: "equipe", role: .admin)]
        for structure in ["53-ML-1", "53-FT-1", "53-IJ-1", "53-CI-1"] {
            tokens[structure] = try await node.store.issueToken(name: "editeur \(structure)", role: .editor, structureId: structure)
        }
        let ml = Principal(name: "editeur 53-ML-1", role: .editor, structureId: "53-ML-1")
        var p4 = try #require(try await node.store.place("53-P4"))
        p4.name = "Mission locale — Brest Bellevue"
        guard case .pending(let editId) = try await node.store.submitPlace(p4, validator: RecordValidator(), by: ml) else {
            Issue.record("an editor's edit is queued")
            throw CancellationError()
        }
        return (node, tokens, editId)
    }

    static let channel = Channel(id: "53-CANAL-1", name: "Numéro unique orientation", kind: .telephone, address: "02 98 00 00 01",
                                 contributors: ["53-ML-1"], openingHours: "Mo-Fr 09:00-17:00", publics: [.tousPublics], services: [.cep1])
    static let application = Fixtures.structure("53-CI-1", network: .cidff, state: .applied, basis: .regionalCharter)

    static func rows(editId: Int) -> [Row] {
        var ml = Fixtures.structure("53-ML-1")
        ml.phone = "02 98 11 22 33"
        var p2 = Fixtures.place("53-P2", structures: ["53-ML-1"])
        p2.name = "Accueil Brest centre"
        var channel = Self.channel
        channel.name = "Numéro unique de l'orientation"
        let closure = ["motive": "déménagement"]
        let indicator = [IndicatorValue(subject: .place, subjectId: "53-P2", code: "visits", period: "2025", value: 800, unit: "persons")]
        let newcomer = AdminController.Application(structure: Fixtures.structure("53-CI-2", network: .cidff, state: .applied, basis: .regionalCharter))
        return [
            Row(.get, "/api/v1/structures", admin: .ok, own: .ok, other: .ok, seen: (["53-ML-1"], ["53-FT-1"])),
            Row(.post, "/api/v1/structures", body: newcomer, admin: .created, own: .forbidden, other: .forbidden),
            Row(.get, "/api/v1/structures/{id}", "/api/v1/structures/53-ML-1", admin: .ok, own: .ok, other: .forbidden),
            Row(.put, "/api/v1/structures/{id}", "/api/v1/structures/53-ML-1", body: ml, admin: .ok, own: .accepted, other: .forbidden),
            Row(.post, "/api/v1/structures/{id}/transitions", "/api/v1/structures/53-CI-1/transitions",
                body: TransitionRequest(to: .underReview, motive: "instruction"), ownStructure: "53-CI-1", admin: .created, own: .forbidden, other: .forbidden),
            Row(.post, "/api/v1/structures/{id}/withdraw", "/api/v1/structures/53-CI-1/withdraw", body: ["motive": "projet abandonné"],
                ownStructure: "53-CI-1", admin: .created, own: .created, other: .forbidden),
            Row(.get, "/api/v1/structures/{id}/history", "/api/v1/structures/53-CI-1/history", ownStructure: "53-CI-1", admin: .ok, own: .ok, other: .forbidden),
            Row(.get, "/api/v1/structures/{id}/referencing", "/api/v1/structures/53-CI-1/referencing", ownStructure: "53-CI-1",
                admin: .ok, own: .ok, other: .forbidden),
            Row(.post, "/api/v1/structures/{id}/confirm", "/api/v1/structures/53-ML-1/confirm", admin: .ok, own: .ok, other: .forbidden),
            Row(.get, "/api/v1/applications", ownStructure: "53-CI-1", admin: .ok, own: .ok, other: .ok, seen: (["53-CI-1"], [])),
            Row(.get, "/api/v1/places", admin: .ok, own: .ok, other: .ok, seen: (["53-P0", "53-P2", "53-P4"], ["53-P0", "53-P1", "53-P3"])),
            Row(.get, "/api/v1/places/{id}", "/api/v1/places/53-P2", admin: .ok, own: .ok, other: .forbidden),
            Row(.put, "/api/v1/places/{id}", "/api/v1/places/53-P2", body: p2, admin: .ok, own: .accepted, other: .forbidden),
            Row(.post, "/api/v1/places/{id}/close", "/api/v1/places/53-P2/close", body: closure, admin: .ok, own: .accepted, other: .forbidden),
            Row(.post, "/api/v1/places/{id}/confirm", "/api/v1/places/53-P2/confirm", admin: .ok, own: .ok, other: .forbidden),
            Row(.get, "/api/v1/channels", admin: .ok, own: .ok, other: .ok, seen: (["53-CANAL-1"], [])),
            Row(.get, "/api/v1/channels/{id}", "/api/v1/channels/53-CANAL-1", admin: .ok, own: .ok, other: .forbidden),
            Row(.put, "/api/v1/channels/{id}", "/api/v1/channels/53-CANAL-1", body: channel, admin: .ok, own: .accepted, other: .forbidden),
            Row(.post, "/api/v1/channels/{id}/close", "/api/v1/channels/53-CANAL-1/close", body: closure, admin: .ok, own: .forbidden, other: .forbidden),
            Row(.post, "/api/v1/channels/{id}/confirm", "/api/v1/channels/53-CANAL-1/confirm", admin: .ok, own: .ok, other: .forbidden),
            Row(.get, "/api/v1/edits", admin: .ok, own: .ok, other: .ok, seen: (["53-P4"], [])),
            Row(.post, "/api/v1/edits/{id}/approve", "/api/v1/edits/\(editId)/approve", admin: .ok, own: .forbidden, other: .forbidden),
            Row(.post, "/api/v1/edits/{id}/reject", "/api/v1/edits/\(editId)/reject", body: ["reason": "nom déjà pris"],
                admin: .ok, own: .forbidden, other: .forbidden),
            Row(.get, "/api/v1/charters", admin: .ok, own: .ok, other: .ok),
            Row(.post, "/api/v1/charters", body: Fixtures.charter(2), admin: .created, own: .forbidden, other: .forbidden),
            Row(.get, "/api/v1/charters/{version}", "/api/v1/charters/1", admin: .ok, own: .ok, other: .ok),
            Row(.post, "/api/v1/referencings/expire", "/api/v1/referencings/expire?dryRun=true", admin: .ok, own: .forbidden, other: .forbidden),
            Row(.get, "/api/v1/audit", admin: .ok, own: .forbidden, other: .forbidden),
            Row(.get, "/api/v1/quality", admin: .ok, own: .ok, other: .ok,
                seen: (["53-ML-1", "53-P0", "53-P2", "53-P4", "53-CANAL-1"], ["53-FT-1", "53-P0", "53-P1", "53-P3"])),
            Row(.get, "/api/v1/indicators", otherStructure: "53-IJ-1", admin: .ok, own: .ok, other: .ok, seen: (["53-P0"], [])),
            Row(.post, "/api/v1/indicators", body: indicator, admin: .created, own: .created, other: .forbidden),
            // A body that is not a document the node accepts: the team is told why (422), editors are refused first.
            Row(.post, "/api/v1/documents", "/api/v1/documents?name=charte.pdf", body: ["pas": "un PDF"], admin: .unprocessableContent,
                own: .forbidden, other: .forbidden),
            Row(.get, "/api/v1/conventions", admin: .ok, own: .ok, other: .ok),
            Row(.post, "/api/v1/conventions", body: Convention(id: "spro-2024", title: "Convention SPRO Bretagne 2024", signedOn: "2024-03-01",
                                                               parties: [.init(role: .region, name: "Région Bretagne"), .init(role: .recteur, name: "Recteur"),
                                                                         .init(role: .prefet, name: "Préfet de région")]),
                admin: .created, own: .forbidden, other: .forbidden),
            Row(.get, "/api/v1/conventions/{id}", "/api/v1/conventions/inconnue", admin: .notFound, own: .notFound, other: .notFound),
            Row(.get, "/api/v1/documents/{sha256}", "/api/v1/documents/\(String(repeating: "0", count: 64))", admin: .notFound, own: .forbidden, other: .forbidden),
        ]
    }

    struct Answer {
        let status: HTTPResponse.Status
        let json: Any?
        /// The ids of a page's items (or of an array's entries): `recordId` for edits, `subjectId` for indicators.
        var ids: Set<String> {
            let items = (json as? [String: Any])?["items"] as? [[String: Any]] ?? json as? [[String: Any]] ?? []
            return Set(items.compactMap { ($0["recordId"] ?? $0["subjectId"] ?? $0["id"]) as? String })
        }
        var code: String? { (json as? [String: Any])?["code"] as? String }
        var message: String { (json as? [String: Any])?["message"] as? String ?? "" }
    }

    static func call(_ client: some TestClientProtocol, _ row: Row, token: String?) async throws -> Answer {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: row.uri, method: row.method, headers: headers, body: row.body.map { ByteBuffer(bytes: $0) }) { response in
            Answer(status: response.status, json: try? JSONSerialization.jsonObject(with: Data(buffer: response.body)))
        }
    }

    @Test func everyRouteAnswersEachCallerAsTheAccessPolicySays() async throws {
        let probe = try await Self.node()
        let rows = Self.rows(editId: probe.editId)
        for row in rows {
            for caller in Caller.allCases {
                // A node per caller: what one caller's write changes never decides the next one's answer.
                let (node, tokens, _) = caller == .none || caller == .unknown ? probe : try await Self.node()
                let token: String? = switch caller {
                case .none: nil
                case .unknown: "jeton-inconnu-0000"
                case .admin: tokens["admin"]
                case .own: tokens[row.own]
                case .other: tokens[row.other]
                }
                try await Application(router: NodeServer.buildRouter(store: node.store)).test(.router) { client in
                    let answer = try await Self.call(client, row, token: token)
                    #expect(answer.status == row.expected(caller), "\(row.operation) as \(caller): \(answer.status) \(answer.message)")
                    switch answer.status {
                    case .unauthorized: #expect(answer.code == "unauthenticated")
                    case .forbidden:
                        #expect(answer.code == "forbidden")
                        // Refusals are in French and say whose rights were short.
                        #expect(answer.message.contains("ne peut pas"), "\(row.operation): \(answer.message)")
                    default: break
                    }
                    if let seen = row.seen, caller == .own || caller == .other {
                        #expect(answer.ids == (caller == .own ? seen.own : seen.other), "\(row.operation) as \(caller)")
                    }
                }
            }
        }
    }

    /// The matrix covers the router: a new admin route must come with its line here.
    @Test func theMatrixHoldsEveryAdminRouteOfTheRouter() async throws {
        let node = try TestNode()
        let routed = try await AdminAPIDocumentTests.routedOperations(NodeServer.buildRouter(store: node.store))
            .filter { $0.contains(" /api/v1/") }
        let matrix = Set(Self.rows(editId: 1).map(\.operation))
        #expect(routed.count >= 30)
        #expect(routed.subtracting(matrix).isEmpty, "routes missing from the access matrix: \(routed.subtracting(matrix).sorted())")
        #expect(matrix.subtracting(routed).isEmpty, "matrix lines for no route: \(matrix.subtracting(routed).sorted())")
        #expect(Self.rows(editId: 1).count == matrix.count, "one line per route")
    }
}
