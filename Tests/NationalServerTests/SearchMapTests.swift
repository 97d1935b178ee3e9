import Directory
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServerFoundation
import SproTestSupport
import Testing
@testable import NationalServer

/// The search page's map background (`/carte.svg`) and the page's markup, without a browser.
@Suite struct SearchMapTests {
    /// The map's département outlines and communes, from the pack (read once: 3.7 MB of GeoJSON).
    static let background: SearchMapBackground = {
        do { return try SearchMapBackground.load(from: TestReference.pack) } catch { fatalError("\(error)") }
    }()

    /// The Brest and Quimper fixture places of `NationalAppTests`, with the map's background.
    static func content(map: Bool = true) async throws -> NationalContent {
        var content = try await NationalAppTests.content()
        if map { content.searchMap = background }
        return content
    }

    static func app(map: Bool = true) async throws -> some ApplicationProtocol {
        NationalAppTests.app(try await content(map: map))
    }

    @Test func mapAroundQuimperDrawsFinistereClippedToTheViewWithItsProjection() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/carte.svg?bbox=-4.25,47.9,-3.95,48.1", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("image/svg+xml") == true)
                let svg = String(buffer: response.body)
                #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
                #expect(svg.contains("role=\"img\"") && svg.contains("aria-label=\"Carte des environs du point recherché\""))
                #expect(svg.contains("<title>Carte des environs du point recherché</title>"))
                let codes = Set(svg.matches(of: /data-code="([0-9AB]+)"/).map { String($0.1) })
                #expect(codes == ["29"], "only Finistère is in view, got \(codes)")
                // The largest communes in view are named, Quimper first.
                let names = svg.matches(of: /<text [^>]*>([^<]+)<\/text>/).map { String($0.1) }
                #expect(names.first == "Quimper" && (2...SearchMap.namedTowns).contains(names.count), "\(names)")
                // Clipped: every point lies in the view, give or take the margin that hides the cut edges,
                // and the answer stays small although Finistère's coast has thousands of points.
                let numbers = svg.matches(of: /d="([^"]*)"/).flatMap { $0.1.matches(of: /-?[0-9]+(\.[0-9]+)?/).map { Double($0.0)! } }
                #expect(numbers.count > 20 && numbers.count % 2 == 0)
                let xs = stride(from: 0, to: numbers.count, by: 2).map { numbers[$0] }
                let ys = stride(from: 1, to: numbers.count, by: 2).map { numbers[$0] }
                #expect(xs.allSatisfy { (-4...(SearchMap.width + 4)).contains($0) } && ys.allSatisfy { (-4...(SearchMap.height + 4)).contains($0) })
                #expect(svg.utf8.count < 60_000, "\(svg.utf8.count) bytes")
                // The projection the page uses puts the box's centre in the middle of the drawing.
                let k = try #require(svg.firstMatch(of: /data-projection="([^"]+)"/)).1.split(separator: " ").compactMap { Double($0) }
                #expect(k.count == 6)
                let centre = GeoPoint(lat: 48.0, lon: -4.1)
                let x = k[0] + (centre.lon - k[2]) * k[4], y = k[1] + (k[3] - centre.lat) * k[5]
                #expect(abs(x - SearchMap.width / 2) < 1 && abs(y - SearchMap.height / 2) < 1, "(\(x), \(y))")
                // True shapes: a kilometre is as long east-west as north-south.
                let kmEast = k[4] / (111.32 * cos(48.0 * .pi / 180)), kmNorth = k[5] / 110.57
                #expect(abs(kmEast / kmNorth - 1) < 0.01)
            }
        }
    }

    @Test func badBoxesAre400NamingTheParameter() async throws {
        try await Self.app().test(.router) { client in
            let cases: [(String, String)] = [
                ("", "bbox"), ("bbox=1,2,3", "bbox"), ("bbox=a,b,c,d", "bbox"), ("bbox=-4,48,-5,47", "bbox"),
                ("bbox=-10,40,10,60", "bbox"), ("bbox=-4,95,-3,96", "bbox"), ("bbox=-4.2,47.9,-4,48.1&zoom=3", "zoom"),
            ]
            for (query, parameter) in cases {
                try await client.execute(uri: "/carte.svg?" + query, method: .get) { response in
                    #expect(response.status == .badRequest, "\(query)")
                    let body = try JSONDecoder().decode(ErrorBody.self, from: Data(buffer: response.body))
                    #expect(body.code == "bad_request" && body.field == parameter, "\(query)")
                }
            }
            // A box around a single point is widened, not refused.
            try await client.execute(uri: "/carte.svg?bbox=-4.1,48,-4.1,48", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("data-code=\"29\""))
            }
        }
    }

    @Test func withoutOutlinesThereIsNoMapButThePageIsServed() async throws {
        try await Self.app(map: false).test(.router) { client in
            try await client.execute(uri: "/carte.svg?bbox=-4.2,47.9,-4,48.1", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func searchPageHasAnAccessibleMapAfterTheListAndLoadsNothingFromElsewhere() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/?q=Quimper", method: .get) { response in
                let page = String(buffer: response.body)
                // The list comes first; the map, hidden until there are results, follows it with a French caption.
                let list = try #require(page.range(of: "<ol id=\"results\""))
                let map = try #require(page.range(of: "<figure id=\"carte\" hidden>"))
                #expect(list.lowerBound < map.lowerBound)
                #expect(page.contains("<figcaption>Les points numérotés sont les lieux de la liste"))
                #expect(page.contains("<ol id=\"results\" aria-label=\"Lieux d&#39;accueil les plus proches\" data-origin-lat="))
                #expect(page.contains("map.setAttribute(\"aria-label\", label)"))
                // Self-contained: no external script, style sheet, image or font.
                for external in ["src=\"http", "href=\"http", "url(http", "@import", "<link rel=\"stylesheet\"", "<script src"] {
                    #expect(!page.contains(external), "\(external)")
                }
            }
        }
    }
}
