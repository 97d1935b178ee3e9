import Coverage
import Directory
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NationalDirectory
import Reference
import ServerFoundation
import SproTestSupport
import Testing
@testable import NationalServer

/// `/couverture` and `/api/v1/coverage/...` over the real reference pack and outlines.
@Suite struct CoverageRoutesTests {
    static func content() async throws -> NationalContent {
        var content = try await NationalAppTests.content()
        let places = content.search.nearest(to: GeoPoint(lat: 48, lon: -4), limit: 100).map(\.place)
        let report = CoverageCalculator(reference: TestReference.pack).compute(places: places)
        content.coverage = report
        content.coverageHTML = CoverageHTML.render(report, outlines: try Outlines.load(.zonesEmploi, from: TestReference.directory))
        return content
    }

    @Test func coverageApiServesZonesRegionsAndRefusesUnknownCodes() async throws {
        let app = NationalAppTests.app(try await Self.content())
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/coverage", method: .get) { response in
                #expect(response.status == .ok)
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect((body?["zones"] as? [Any])?.count == 306)
                #expect((body?["communes"] as? [Any])?.isEmpty == true)
            }
            // Brest's zone holds the fixture places.
            let brestZone = TestReference.pack.communes[CommuneCode(unchecked: "29019")]!.zone
            try await client.execute(uri: "/api/v1/coverage/zones/\(brestZone)", method: .get) { response in
                #expect(response.status == .ok)
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                let zone = body?["zone"] as? [String: Any]
                #expect((zone?["places"] as? Int).map { $0 >= 2 } == true)
            }
            try await client.execute(uri: "/api/v1/coverage/regions/53", method: .get) { response in
                #expect(response.status == .ok)
            }
            for uri in ["/api/v1/coverage/zones/9999", "/api/v1/coverage/zones/abc", "/api/v1/coverage/regions/99"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .notFound, "\(uri)")
                    let body = try JSONDecoder().decode(ErrorBody.self, from: Data(buffer: response.body))
                    #expect(body.code == "not_found" && body.field == "code" && body.message.contains("inconnue"), "\(uri)")
                }
            }
        }
    }

    @Test func beforeCoverageIsComputedTheAPISaysSoAndThePageTooInFrench() async throws {
        try await NationalAppTests.app(try await NationalAppTests.content()).test(.router) { client in
            let brestZone = TestReference.pack.communes[CommuneCode(unchecked: "29019")]!.zone
            for uri in ["/api/v1/coverage", "/api/v1/coverage/zones/\(brestZone)", "/api/v1/coverage/regions/53"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .notFound, "\(uri)")
                    let body = try JSONDecoder().decode(ErrorBody.self, from: Data(buffer: response.body))
                    #expect(body == ErrorBody(code: "not_found", message: "rapport de couverture non calculé (no coverage report yet)"), "\(uri)")
                }
            }
            try await client.execute(uri: "/couverture", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(String(buffer: response.body).contains("pas encore calculé"))
            }
        }
    }

    @Test func coverageReportOpensInChromiumWithAColouredMap() async throws {
        let content = try await Self.content()
        let shot = temporaryDirectory("couverture").appendingPathComponent("couverture.png")
        let dom = try await Loopback.serve(NationalApp.buildRouter(content: content)) { base in
            try await HeadlessBrowser.render(base + "/couverture", screenshot: shot, width: 1400, height: 1800)
        }
        #expect(dom.contains("lang=\"fr\""))
        let zones = dom.components(separatedBy: "data-zone=").count - 1
        #expect(zones >= 306)
        // The map is coloured by indicator: several distinct fills.
        let fills = Set(dom.matches(of: /fill="(#[0-9a-fA-F]{6})"/).map { String($0.1) })
        #expect(fills.count >= 3, "fills: \(fills)")
        let png = try Data(contentsOf: shot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 50_000)
    }
}
