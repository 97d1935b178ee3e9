import Directory
import Foundation
import NationalDirectory
import Reference
import SproTestSupport
import Testing
@testable import Coverage

/// The files the writer produces, and the whole computation on the real reference pack.
@Suite struct CoverageOutputTests {
    typealias G = HandGeography

    /// One place at the centre of each Région's most populated commune.
    static let realReport: CoverageReport = {
        let pack = TestReference.pack
        let byRegion = Dictionary(grouping: pack.populationUnits, by: \.region)
        let places = byRegion.keys.sorted().map { region -> DirectoryPlace in
            let c = byRegion[region]!.max { $0.population < $1.population }!
            return G.place("R\(region.rawValue)", at: c.centre, zone: c.zone, networks: [.franceTravail, .missionLocale],
                           services: [.cep1, .cep2, .aiderEmploi], publics: [.tousPublics], commune: c.code.rawValue, region: region)
        }
        return CoverageCalculator(reference: pack).compute(places: places, regionsRequiringLieuMutualise: [RegionCode(unchecked: "75")])
    }()

    @Test func theRealPackGivesEveryZoneAndTheWholePopulation() throws {
        let pack = TestReference.pack
        let r = Self.realReport
        #expect(r.zoneCount == 306 && r.zones.count == 306 && r.ranking.count == 306)
        #expect(r.nationalPopulation == pack.totalPopulation && r.national.population == pack.totalPopulation)
        #expect(r.zones.reduce(0) { $0 + $1.population } == pack.totalPopulation)
        #expect(r.regions.count == 18 && r.regions.reduce(0) { $0 + $1.totals.population } == pack.totalPopulation)
        // 14 zones span two Régions and are listed in both.
        let straddling = r.zones.filter(\.straddlesRegions)
        #expect(straddling.count == 14)
        for z in straddling { #expect(r.regions.filter { $0.zones.contains(z.code) }.count == 2) }
        #expect(r.communes.count == pack.populationUnits.count)
        #expect(Set(r.ranking) == Set(r.zones.map(\.code)))
    }

    @Test func aWrittenReportLinksToTheScorecardsOfTheServiceItNames() throws {
        let dir = temporaryDirectory("coverage")
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = CoverageCalculator(reference: G.pack).compute(places: [G.place("P1", at: G.c1, zone: G.zA)])
        let links = try #require(CoverageHTML.ScorecardLinks(service: "https://annuaire.example.fr/"))
        try CoverageWriter.write(report, to: dir, scorecards: links)
        let html = try String(contentsOf: dir.appendingPathComponent("coverage.html"), encoding: .utf8)
        #expect(!report.regions.isEmpty)
        for region in report.regions {
            #expect(html.contains("href=\"https://annuaire.example.fr/couverture/regions/\(region.code.rawValue)\""), "\(region.code)")
        }
        // Without a service, no links.
        try CoverageWriter.write(report, to: dir)
        #expect(!(try String(contentsOf: dir.appendingPathComponent("coverage.html"), encoding: .utf8)).contains("/couverture/regions/"))
        #expect(CoverageHTML.ScorecardLinks(service: "http://127.0.0.1:8080")?.prefix == "http://127.0.0.1:8080/couverture/regions/")
        for bad in ["ftp://annuaire.example.fr", "annuaire.example.fr", "https://", "https://a.example/?x=1", "javascript:alert(1)", ""] {
            #expect(CoverageHTML.ScorecardLinks(service: bad) == nil, "\(bad)")
        }
    }

    @Test func theWriterProducesEveryFileInUTF8() throws {
        let dir = temporaryDirectory("coverage")
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = CoverageCalculator(reference: G.pack).compute(places: [G.place("P1", at: G.c1, zone: G.zA)])
        try CoverageWriter.write(report, to: dir)
        for name in CoverageWriter.fileNames { #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path)) }
        // The JSON reads back, without the per-commune rows (those are in coverage-communes.csv).
        let decoded = try SproJSON.decoder().decode(CoverageReport.self, from: Data(contentsOf: dir.appendingPathComponent("coverage.json")))
        #expect(decoded.zoneCount == 3 && decoded.communes.isEmpty && decoded.gaps == report.gaps)
        #expect(decoded.families == report.families && decoded.zones[0].families == report.zones[0].families)
        func lines(_ name: String) throws -> [String] {
            try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").map(String.init)
        }
        // One row per zone and family: 7 service families, 3 public families.
        #expect(try lines("coverage-services.csv").count == 1 + 3 * 7)
        #expect(try lines("coverage-publics.csv").count == 1 + 3 * 3)
        #expect(try lines("coverage-communes.csv").count == 1 + 5)
        #expect(try lines("coverage-regions.csv").count == 1 + 2)
        #expect(try lines("gaps.csv").count == 1 + report.gaps.count)
        #expect(try lines("coverage.csv")[0].hasPrefix("ze2020,nom,region_principale,regions,population,lieux,structures,"
            + "lieux_mutualises,reseaux,lieux_pour_100000,distance_moyenne_km,distance_mediane_km,distance_p90_km,part_au_dela_seuil,"))
        #expect(try lines("coverage-publics.csv")[1].hasPrefix("0001,Zone A,84,public:jeunes_16_25,Public : Jeunes 16-25 ans,5000,1,"))
        // Without outlines the page says so instead of drawing.
        let html = try String(contentsOf: dir.appendingPathComponent("coverage.html"), encoding: .utf8)
        #expect(html.contains("Carte indisponible") && !html.contains("<svg"))
    }

    @Test func theComparisonIsWritten() throws {
        let dir = temporaryDirectory("coverage-cmp")
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = CoverageCalculator(reference: G.pack).compute(places: [G.place("P1", at: G.c1, zone: G.zA)])
        let b = CoverageCalculator(reference: G.pack).compute(places: [])
        let c = CoverageComparison(before: a, after: b)
        try CoverageWriter.write(c, to: dir)
        let csv = try String(contentsOf: dir.appendingPathComponent("comparison.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("ze2020,nom,indicateur,famille,avant,apres,evolution,explication\n"))
        #expect(csv.contains("lacune:aucun_lieu") && csv.contains(",apparue,"))
        #expect(try SproJSON.decoder().decode(CoverageComparison.self,
                                              from: Data(contentsOf: dir.appendingPathComponent("comparison.json"))).changes.count == c.changes.count)
    }

    @Test func theHTMLReportDrawsEveryZoneWithALegendInFrench() throws {
        let outlines = try Outlines.load(.zonesEmploi, from: TestReference.directory)
        let r = Self.realReport
        let html = CoverageHTML.render(r, outlines: outlines)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<html lang=\"fr\">") && html.hasSuffix("</html>\n"))
        // One path per zone, each naming its zone.
        #expect(html.components(separatedBy: "<path").count - 1 == 306)
        let zonesDrawn = html.components(separatedBy: "<path data-zone=\"").dropFirst().map { String($0.prefix(4)) }
        #expect(Set(zonesDrawn) == Set(r.zones.map(\.code.rawValue)))
        #expect(html.contains("<h3>Légende</h3>") && html.contains("moins de 5"))
        for heading in ["<h1>Couverture du service public régional de l'orientation par zone d'emploi</h1>",
                        "<h2>Synthèse nationale</h2>", "<h2>Carte des zones d'emploi</h2>", "<h2>Classement des zones</h2>",
                        "<h2>Lacunes</h2>", "<h2>Par région</h2>", "<h2>Méthode</h2>", "<h3>Nouvelle-Aquitaine (75)</h3>"] {
            #expect(html.contains(heading), "missing \(heading)")
        }
        // Self-contained: no external script, style sheet or image.
        #expect(!html.contains("<link") && !html.contains("src=") && !html.contains("@import"))
        #expect(html.contains("<table class=\"triable\">") && html.contains("<script>"))
        // Overseas zones sit in insets, and the file stays small.
        #expect(html.contains(">La Réunion</text>") && html.contains(">Guyane</text>"))
        #expect(html.utf8.count < 3_000_000)
        // Every <tr> is closed, every section too.
        #expect(html.components(separatedBy: "<tr>").count == html.components(separatedBy: "</tr>").count)
        #expect(html.components(separatedBy: "<section").count == html.components(separatedBy: "</section>").count)
    }

    @Test func theMapCanShowAnotherIndicator() throws {
        let outlines = try Outlines.load(.zonesEmploi, from: TestReference.directory)
        let html = CoverageHTML.render(Self.realReport, outlines: outlines, indicator: .accessibility)
        // The legend's title is text: its apostrophe is escaped (`&#39;`, read as "'").
        #expect(html.contains("Accessibilité (E2SFCA), heures d&#39;ouverture par semaine"))
        // Higher is better: the best class is green.
        #expect(html.contains("background:#1a9850\"></span>40 et plus"))
    }

    @Test func theMapIndicatorIsChosenByName() {
        #expect(MapIndicator(argument: "part") == .shareBeyondThreshold(.overall))
        #expect(MapIndicator(argument: "distance:service:cep_niveau_1") == .meanDistance(.service(.cep1)))
        #expect(MapIndicator(argument: "accessibilite") == .accessibility && MapIndicator(argument: "gravite") == .severity)
        #expect(MapIndicator(argument: "lieux") == .placesPer100k)
        #expect(MapIndicator(argument: "part:service:nope") == nil && MapIndicator(argument: "couleur") == nil)
    }

    @Test func theFrenchNumbersAreFormattedTheFrenchWay() {
        #expect(French.integer(1_234_567) == "1\u{202F}234\u{202F}567")
        #expect(French.decimal(12.345, 1) == "12,3" && French.decimal(-0.04, 1) == "0,0")
        #expect(French.percent(0.2) == "20\u{202F}%")
        #expect(CoverageWriter.num(2.005, 2) == "2.01" || CoverageWriter.num(2.005, 2) == "2.00")
        #expect(CoverageWriter.num(-1.5, 1) == "-1.5" && CoverageWriter.num(0.00001, 4) == "0.0000" && CoverageWriter.num(nil) == "")
        #expect(CoverageWriter.num(1234.5, 0) == "1235" || CoverageWriter.num(1234.5, 0) == "1234")
    }
}
