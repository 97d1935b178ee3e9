import Directory
import Foundation
import Hummingbird
import HummingbirdTesting
import SproTestSupport
import Testing
@testable import RegionNode

/// The team's dashboard shows what the national harvester found in the Région's data, fetched over
/// loopback HTTP from a national service; an unreachable one is said to be so, never shown as "no anomaly".
@Suite struct NationalFeedbackTests {
    static let report = #"""
        {"region": "53", "name": "Bretagne", "harvestedAt": "2026-12-05T06:00:00Z", "status": "accepted",
         "anomalies": [
           {"kind": "coordinates_set_aside", "record": "place", "id": "53-P1", "field": "coordinates", "message": "à 48 km de sa commune (Quimper)"},
           {"kind": "coordinates_set_aside", "record": "place", "id": "53-P3", "field": "coordinates", "message": "à 60 km de sa commune"},
           {"kind": "postcode_mismatch", "record": "place", "id": "53-P2", "field": "address.postcode", "message": "29000 n'est pas un code postal de Brest"}]}
        """#

    static func dashboard(_ node: TestNode, admin: String, national: String?) async throws -> String {
        let router = NodeServer.buildRouter(store: node.store, arguments: NodeServerOptions(nationalURL: national))
        return try await Application(router: router).test(.router) { client in
            let cookie = try await TeamPagesTests.signIn(client, token: admin)
            return try await client.execute(uri: "/equipe/", method: .get, headers: [.cookie: cookie]) { String(buffer: $0.body) }
        }
    }

    @Test func theDashboardListsTheNationalAnomaliesOrSaysTheServiceIsUnreachable() async throws {
        let (node, admin, _) = try await TeamPagesTests.node()
        let national = Router()
        let asked = Counter()
        national.get("/api/v1/harvest/53/anomalies") { _, _ in
            await asked.add()
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: Self.report)))
        }
        let html = try await Loopback.serve(national) { base in try await Self.dashboard(node, admin: admin, national: base) }
        #expect(await asked.value == 1)
        #expect(html.contains("Anomalies du moissonnage national</h2><p class=\"count\">3</p>"))
        #expect(html.contains("<li>Coordonnées écartées : 2</li>") && html.contains("<li>Code postal ne correspondant pas à la commune : 1</li>"))
        #expect(html.contains("29000 n&#39;est pas un code postal de Brest") || html.contains("29000 n'est pas un code postal de Brest"))
        #expect(html.contains("/moissonnage/53\""))

        let down = try await Self.dashboard(node, admin: admin, national: "http://127.0.0.1:1")
        #expect(down.contains("Rapport national indisponible"), "\(down.suffix(1500))")
        let none = try await Self.dashboard(node, admin: admin, national: nil)
        #expect(none.contains("Service national non configuré"))
    }
}

actor Counter {
    private(set) var value = 0
    func add() { value += 1 }
}
