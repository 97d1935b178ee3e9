import Directory
import Foundation
import Reference
import SproTestSupport
import Testing
@testable import Coverage

/// The coverage page fed hostile names in every field it shows (zones, Régions, communes, gap messages,
/// the report's date, the outlines' codes and names): each comes out as inert, escaped text.
@Suite struct CoverageHTMLEscapingTests {
    typealias G = HandGeography
    static let x = XSSPayloads.alerting

    /// `HandGeography`'s pack with every name hostile.
    static let pack: ReferencePack = {
        func commune(_ code: String, _ zone: ZoneEmploiCode, _ region: RegionCode, _ pop: Int, _ centre: GeoPoint) -> Commune {
            Commune(code: CommuneCode(unchecked: code), kind: .commune, parent: nil, name: x.value("commune-\(code)"),
                    departement: DepartementCode(unchecked: "01"), region: region, zone: zone, population: pop, postcodes: [], centre: centre)
        }
        return ReferencePack(
            directory: URL(fileURLWithPath: "/nonexistent"),
            communes: [commune("01001", G.zA, G.r84, 1000, G.c1), commune("01002", G.zA, G.r84, 3000, G.c2),
                       commune("01003", G.zA, G.r84, 1000, G.c3), commune("01004", G.zB, G.r84, 500, G.c4),
                       commune("01005", G.zC, G.r75, 800, G.c5)],
            postcodes: [],
            zones: [ZoneEmploi(code: G.zA, name: x.value("zone-A"), mainRegion: G.r84, regions: [G.r84], communeCount: 3, population: 5000),
                    ZoneEmploi(code: G.zB, name: x.value("zone-B"), mainRegion: G.r84, regions: [G.r84], communeCount: 1, population: 500),
                    ZoneEmploi(code: G.zC, name: x.value("zone-C"), mainRegion: G.r75, regions: [G.r75, G.r84], communeCount: 1, population: 800)],
            departements: [], regions: [RegionInfo(code: G.r84, name: x.value("region-84")), RegionInfo(code: G.r75, name: x.value("region-75"))])
    }()

    /// Zone outlines as the pack ships them (GeoJSON read by `Outlines.load`): zone A's, and one whose
    /// code and name are hostile and match no zone of the report (drawn grey, titled by its own name).
    static func outlines() throws -> Outlines {
        let dir = temporaryDirectory("coverage-xss")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("geo"), withIntermediateDirectories: true)
        func square(_ code: String, _ name: String, _ c: GeoPoint) -> [String: Any] {
            let ring = [[c.lon - 0.1, c.lat - 0.1], [c.lon + 0.1, c.lat - 0.1], [c.lon + 0.1, c.lat + 0.1], [c.lon - 0.1, c.lat + 0.1],
                        [c.lon - 0.1, c.lat - 0.1]]
            return ["type": "Feature", "properties": ["ze2020": code, "libze2020": name],
                    "geometry": ["type": "Polygon", "coordinates": [ring]]]
        }
        let collection: [String: Any] = ["type": "FeatureCollection", "features": [
            square("0001", "Zone A", G.c2), square(x.value("outline-code"), x.value("outline-name"), G.c4),
        ]]
        try JSONSerialization.data(withJSONObject: collection).write(to: dir.appendingPathComponent("geo/zones_emploi.geojson"))
        return try Outlines.load(.zonesEmploi, from: dir)
    }

    @Test func everyNameDateAndMessageOfTheReportIsShownAsInertText() throws {
        // One place at c1: zone A is partly served, zones B and C not at all, so there are gaps and far communes.
        var report = CoverageCalculator(reference: Self.pack).compute(places: [G.place("P1", at: G.c1, zone: G.zA)])
        report.generatedAt = Self.x.value("generated-at")
        try #require(!report.gaps.isEmpty)
        for i in report.gaps.indices { report.gaps[i].message = Self.x.value("gap-message") }
        let listed = Set(report.zones.flatMap(\.worstServed).map(\.code.rawValue))
        #expect(listed.isSuperset(of: ["01002", "01003", "01004", "01005"]), "\(listed)")

        let html = CoverageHTML.render(report, outlines: try Self.outlines())
        let fields = ["generated-at", "gap-message", "zone-A", "zone-B", "zone-C", "region-84", "region-75",
                      "outline-code", "outline-name"] + listed.sorted().map { "commune-\($0)" }
        let problems = Self.x.problems(in: html, shown: fields.map(Self.x.value))
        #expect(problems.isEmpty, "\(problems)")
        // The hostile outline's code is an attribute value: still one drawn path and one link per feature.
        #expect(html.components(separatedBy: "<path data-zone=").count - 1 == 2)
        #expect(html.contains("<a href=\"#ze-outline-code &lt;script&gt;"))
        // The page's structure is intact: every row and section closed.
        #expect(html.components(separatedBy: "<tr>").count == html.components(separatedBy: "</tr>").count)
        #expect(html.components(separatedBy: "<section").count == html.components(separatedBy: "</section>").count)
    }

    /// axe's "nested-interactive": an `svg role="img"` holding links hides them (an image's children are
    /// presentational). The map is a named group, and each zone's link is named by its own title.
    @Test func theMapIsAGroupOfNamedLinksNotAnImage() throws {
        let report = CoverageCalculator(reference: Self.pack).compute(places: [G.place("P1", at: G.c1, zone: G.zA)])
        let html = CoverageHTML.render(report, outlines: try Self.outlines())
        let start = try #require(html.range(of: "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 760 640\""))
        let map = String(html[start.lowerBound..<html.range(of: "</svg>", range: start.upperBound..<html.endIndex)!.upperBound])
        #expect(map.contains("role=\"group\" aria-label=\"Carte des zones d'emploi\"") && !map.contains("role=\"img\""))
        let links = map.components(separatedBy: "<a href=").dropFirst()
        #expect(links.count == 2 && links.allSatisfy { $0.contains("><title>") && $0.firstRange(of: "<title>")!.lowerBound < $0.firstRange(of: "<path")!.lowerBound })
    }
}
