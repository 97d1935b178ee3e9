import Directory
import Foundation
import Harvest
import Hummingbird
import NationalDirectory
import Reference
import SproTestSupport
import Testing
@testable import NationalServer

/// The national server's pages fed hostile text in every field they show: each comes out as inert,
/// escaped text.
@Suite struct PageEscapingTests {
    static let x = XSSPayloads.alerting

    /// A harvest report with hostile text in every field `/moissonnage` shows, and those fields' names.
    static func harvestReport(_ x: XSSPayloads) -> (report: HarvestReport, fields: [String]) {
        let refused = RegionOutcome(region: RegionCode(unchecked: x.value("region-code")), name: x.value("region-name"), status: .refused,
                                    versionInService: 2, offeredVersion: 3, refusal: x.value("refusal"), refusalCode: "signature",
                                    added: 0, updated: 0, removed: 0, places: 5, unresolvedPlaces: [], anomalies: [], durationSeconds: 0.2,
                                    stale: true)
        let accepted = RegionOutcome(region: Fixtures.bretagne, name: x.value("other-region-name"), status: .accepted, versionInService: 4,
                                     offeredVersion: 4, refusal: nil, refusalCode: nil, added: 1, updated: 0, removed: 0, places: 9,
                                     unresolvedPlaces: [UnresolvedPlace(id: x.value("unresolved-id"), reason: x.value("unresolved-reason"))],
                                     anomalies: [Anomaly(kind: x.value("anomaly-kind"), id: x.value("anomaly-id"),
                                                         field: x.value("anomaly-field"), rule: x.value("anomaly-rule"))],
                                     durationSeconds: 0.4, stale: false, geocoding: GeocodingCounts(geocoded: 1, reused: 8))
        let report = HarvestReport(startedAt: "2026-03-01T10:00:00Z", finishedAt: x.value("finished-at"), durationSeconds: 0.7,
                                   regions: [refused, accepted])
        return (report, ["finished-at", "region-code", "region-name", "refusal", "other-region-name"])
    }

    /// What the Région's own page (`/moissonnage/53`) shows of the hostile report: its dropped record.
    static let regionPageFields = ["other-region-name", "anomaly-kind", "anomaly-id", "anomaly-field", "anomaly-rule"]

    @Test func theHarvestPageShowsEveryRegionRefusalAndAnomalyAsInertText() {
        let (report, fields) = Self.harvestReport(Self.x)
        let anomalies = RegionAnomalies(places: [], report: report, states: [], reference: nil, now: Date())
        let html = HarvestPage.render(report, anomalies: anomalies)
        let problems = Self.x.problems(in: html, shown: fields.map(Self.x.value))
        #expect(problems.isEmpty, "\(problems)")
        // Same page as ever around the hostile text: one row per Région, each linked to its anomalies.
        #expect(html.components(separatedBy: "<tr class=\"").count - 1 == 2)
        #expect(html.contains("<tr class=\"refused\"><th scope=\"row\">region-code &lt;script&gt;"))
        #expect(html.contains("<a href=\"/moissonnage/53\">1</a>"))
        #expect(html.contains("1 Régions sur 2 vérifiées, 1 refusée (leurs dernières données valides restent en service).</p>"))
        // The Région's page: the dropped record, hostile fields and all, as text.
        let page = HarvestPage.renderRegion(Fixtures.bretagne, outcome: report.regions[1], anomalies: anomalies.of(Fixtures.bretagne))
        let pageProblems = Self.x.problems(in: page, shown: Self.regionPageFields.map(Self.x.value))
        #expect(pageProblems.isEmpty, "\(pageProblems)")
        #expect(page.contains("<h2>Enregistrements rejetés (1)</h2>"))
    }

    /// Département outlines read from GeoJSON as the pack ships them: one square around Quimper, hostile code.
    static func departements(code: String) throws -> Outlines {
        let dir = temporaryDirectory("map-xss")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("geo"), withIntermediateDirectories: true)
        let ring = [[-4.2, 47.95], [-4.0, 47.95], [-4.0, 48.05], [-4.2, 48.05], [-4.2, 47.95]]
        let collection: [String: Any] = ["type": "FeatureCollection", "features": [
            ["type": "Feature", "properties": ["code": code, "nom": "Finistère"], "geometry": ["type": "Polygon", "coordinates": [ring]]],
        ]]
        try JSONSerialization.data(withJSONObject: collection).write(to: dir.appendingPathComponent("geo/departements.geojson"))
        return try Outlines.load(.departements, from: dir)
    }

    /// A commune the search map may name.
    static func town(_ code: String, _ name: String, at centre: GeoPoint) -> Commune {
        Commune(code: CommuneCode(unchecked: code), kind: .commune, parent: nil, name: name, departement: DepartementCode(unchecked: "29"),
                region: Fixtures.bretagne, zone: ZoneEmploiCode(unchecked: "5310"), population: 5000, postcodes: [], centre: centre)
    }

    @Test func theSearchMapShowsDepartementCodesAndTownNamesAsInertText() throws {
        // The map names a town only where its label fits (about 0.6 em a glyph): one payload per town.
        let background = SearchMapBackground(outlines: try Self.departements(code: Self.x.value("departement-code")), communes: [
            Self.town("29001", Self.x.script, at: GeoPoint(lat: 48.05, lon: -4.25)),
            Self.town("29002", Self.x.attribute, at: GeoPoint(lat: 47.95, lon: -4.25)),
        ])
        let svg = SearchMap.svg(background, box: try SearchMap.box("-4.3,47.9,-3.9,48.1"))
        let problems = Self.x.problems(in: svg, shown: [Self.x.value("departement-code"), Self.x.script, Self.x.attribute])
        #expect(problems.isEmpty, "\(problems)")
        #expect(svg.components(separatedBy: "<text ").count - 1 == 2 && svg.components(separatedBy: "<path ").count - 1 == 1)
    }

    @Test func theSearchPageScriptNeverWritesMarkup() {
        // The server renders the results; the script imports the server's own page, parsed apart, and
        // writes the map's dots through the DOM and `textContent` only.
        for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "createContextualFragment"] {
            #expect(!SearchPage.script.rendered.contains(sink), "the search page uses \(sink)")
        }
        // The filters are the vocabularies, labels escaped like any text.
        let form = SearchPage.form(PublicSearch(SearchForm(), now: Date()), invalid: []).rendered
        #expect(form.contains("<option value=\"\(Service.cep1.rawValue)\">\(XSSPayloads.escaped(Service.cep1.label))</option>"))
    }

    @Test func theSearchAndPlacePagesShowHostileDataAsInertText() async throws {
        let content = try await PageEscapingBrowserTests.content()
        let x = PageEscapingBrowserTests.x
        let now = Date()
        let search = PublicSearch(SearchForm(q: "Quimper"), now: now)
        let page = SearchPage.render(search, SearchOutcome.run(search, content: content, now: now), content: content).rendered
        let shown = ["place-name", "structure-name", "address-line", "city", "phone", "origin-label"].map(x.value)
        #expect(x.problems(in: page, shown: shown).isEmpty, "\(x.problems(in: page, shown: shown))")
        let place = PlacePage.render(index: 0, content: content, now: now).rendered
        let onPlace = ["place-name", "structure-name", "address-line", "city", "phone"].map(x.value)
        #expect(x.problems(in: place, shown: onPlace).isEmpty, "\(x.problems(in: place, shown: onPlace))")
        // A hostile query comes back in the form and the error, as text.
        let typed = PublicSearch(SearchForm(q: x.value("query")), now: now)
        // The links carry it percent-encoded (`%3Cscript%3E`): inert, and left aside here.
        let refused = SearchPage.render(typed, SearchOutcome.run(typed, content: content, now: now), content: content).rendered
            .replacingOccurrences(of: PublicSearch.escaped(x.value("query")), with: "")
        #expect(x.problems(in: refused, shown: [x.value("query")]).isEmpty, "\(x.problems(in: refused, shown: [x.value("query")]))")
    }
}

/// The national pages with hostile data, loaded in a real headless Chromium: no payload runs or
/// becomes an element, and every hostile value reads as typed. Serialized: one browser at a time.
@Suite(.serialized) struct PageEscapingBrowserTests {
    static let x = XSSPayloads.marking

    /// One hostile place near Quimper, with its structure; a resolver that labels "Quimper" with hostile
    /// text and echoes any other query in its refusal; the harvest report of `PageEscapingTests`; and a
    /// map naming hostile towns.
    static func content() async throws -> NationalContent {
        let store = try NationalStore(path: temporaryDirectory("nat-xss").appendingPathComponent("n.sqlite").path)
        var structure = Fixtures.structure("53-ML-1")
        structure.name = x.value("structure-name")
        let position = GeoPoint(lat: 47.996, lon: -4.102)
        var place = Fixtures.place("quimper-xss", structures: ["53-ML-1"], postcode: "29000", city: x.value("city"), commune: "29232",
                                   coordinates: position)
        place.name = x.value("place-name")
        place.address.lines = [x.value("address-line")]
        place.openingHours = x.value("opening-hours")
        place.phone = x.value("phone")
        let commune = CommuneCode(unchecked: "29232")
        let location = PlaceLocation(commune: commune, zone: TestReference.pack.communes[commune]?.zone, position: position,
                                     precision: "commune", score: 1, reason: nil, coordinatesFlag: nil)
        try await store.replace(with: RegionSnapshot(region: Fixtures.bretagne, version: 1, contentHash: "h", etag: nil, keyId: "k",
                                                     generatedAt: ISOInstant.string(Date()), expiresAt: ISOInstant.string(Date().addingTimeInterval(3600)),
                                                     charters: [], structures: [structure], places: [(place, location)], indicators: [],
                                                     tombstones: [], channels: []),
                                acceptedAt: Date())
        let label = x.value("origin-label")
        var content = try await NationalContent.load(from: store) { query in
            query == "Quimper" ? .success(SearchOrigin(position: GeoPoint(lat: 47.996, lon: -4.097), label: label))
                               : .failure(QueryProblem("Lieu introuvable : « \(query) »"))
        }
        // The hostile report (its Région code is no code a store would keep), and the anomalies read from it.
        content.harvestReport = PageEscapingTests.harvestReport(x).report
        content.anomalies = RegionAnomalies(places: content.search.places, report: content.harvestReport, states: content.acceptedStates,
                                            reference: nil, now: Date())
        content.searchMap = SearchMapBackground(outlines: SearchMapTests.background.outlines, communes: [
            PageEscapingTests.town("29001", x.script, at: GeoPoint(lat: 48.0, lon: -4.19)),
            PageEscapingTests.town("29002", x.attribute, at: GeoPoint(lat: 47.99, lon: -4.19)),
        ])
        return content
    }

    @Test func hostileResultsQueriesAndHarvestReportStayTextInTheBrowser() async throws {
        let query = Self.x.value("query")
        let encoded = try #require(query.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        let router = NationalApp.buildRouter(content: try await Self.content())
        let (results, towns, refusal, harvest) = try await Loopback.serve(router) { base in
            try await BrowserSession.run(width: 1200, height: 1000) { page in
                // A linked search runs on load: the list, then the map drawn over the server's background.
                try await page.navigate(base + "/?q=Quimper")
                try await page.waitUntil("document.querySelectorAll('#results > li').length === 1 && document.querySelector('#carte svg .point')")
                let results = try await page.evaluate(XSSPayloads.browserFindings, as: BrowserFindings.self)
                let towns = try await page.evaluate(
                    "Array.prototype.map.call(document.querySelectorAll('#carte svg .communes text'), function (t) { return t.textContent; })",
                    as: [String].self)
                // A query the resolver refuses comes back in the error message the page shows.
                try await page.navigate(base + "/?q=" + encoded)
                try await page.waitUntil("document.getElementById('status').className === 'error'")
                let refusal = try await page.evaluate(XSSPayloads.browserFindings, as: BrowserFindings.self)
                try await page.navigate(base + "/moissonnage")
                let harvest = try await page.evaluate(XSSPayloads.browserFindings, as: BrowserFindings.self)
                try await page.navigate(base + "/moissonnage/53")
                let regionPage = try await page.evaluate(XSSPayloads.browserFindings, as: BrowserFindings.self)
                return (results, towns, refusal, (harvest, regionPage))
            }
        }
        // The hostile opening hours are not valid hours: the page shows no OSM text at all, only hours in
        // French (none here), so they are not among the values shown; they must still run nothing.
        let shown = ["place-name", "structure-name", "address-line", "city", "phone", "origin-label"].map(Self.x.value)
        #expect(results.problems(shown: shown).isEmpty, "\(results.problems(shown: shown))")
        // The map's town names, parsed apart and drawn over the background, read as typed.
        #expect(Set(towns) == [Self.x.script, Self.x.attribute], "\(towns)")
        #expect(refusal.problems(shown: [query]).isEmpty, "\(refusal.problems(shown: [query]))")
        let fields = PageEscapingTests.harvestReport(Self.x).fields.map(Self.x.value)
        #expect(harvest.0.problems(shown: fields).isEmpty, "\(harvest.0.problems(shown: fields))")
        let regionFields = PageEscapingTests.regionPageFields.map(Self.x.value)
        #expect(harvest.1.problems(shown: regionFields).isEmpty, "\(harvest.1.problems(shown: regionFields))")
    }
}
