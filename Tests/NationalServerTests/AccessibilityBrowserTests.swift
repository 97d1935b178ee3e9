import Coverage
import Directory
import Foundation
import Harvest
import Hummingbird
import NationalDirectory
import OpenData
import Reference
import Signing
import SproTestSupport
import Testing
@testable import NationalServer

/// The public pages checked for accessibility (RGAA 4 / WCAG 2.1 AA) in a real headless Chromium with
/// axe-core: the search page (empty, with results and their map, with errors, a choice of communes,
/// nothing near), with JavaScript on and off; a place page and a missing one; the coverage report; the
/// harvest pages. Each check prints axe's counts; any violation fails the test with its rule, impact and
/// elements. Then the search used with the keyboard alone. Serialized: one browser at a time.
@Suite(.serialized) struct AccessibilityBrowserTests {
    /// The search fixtures with the map's background, the coverage report over the real zones, and a
    /// harvest with one Région accepted and one refused.
    static func router() async throws -> Router<NationalRequestContext> {
        var content = try await SearchMapTests.content()
        let places = content.search.nearest(to: GeoPoint(lat: 48, lon: -4), limit: 100).map(\.place)
        let report = CoverageCalculator(reference: TestReference.pack).compute(places: places)
        content.coverage = report
        // With a history: an archived run without the last two places, so that the evolution, its trends and
        // its causes are on the page too.
        let before = Array(places.dropLast(2))
        let previous = CoverageCalculator(reference: TestReference.pack).compute(places: before, now: Date(timeIntervalSinceNow: -86_400))
        let history = CoverageHistory(points: [
            (CoverageHistory.Run(id: 1, computedAt: previous.generatedAt, harvestRun: 1, origin: .service), previous),
            (CoverageHistory.Run(id: nil, computedAt: report.generatedAt, harvestRun: nil, origin: nil), report),
        ], causes: CoverageCauses.between(CoverageFacts(of: before), CoverageFacts(of: places), afterDay: String(report.generatedAt.prefix(10))))
        content.coverageHTML = CoverageHTML.render(report, outlines: try Outlines.load(.zonesEmploi, from: TestReference.directory),
                                                   history: history, scorecards: CoverageHTML.ScorecardLinks(prefix: "/couverture/regions/"))
        #expect(content.coverageHTML?.contains("id=\"evolution\"") == true)
        let refused = RegionOutcome(region: RegionCode(unchecked: "52"), name: "Pays de la Loire", status: .refused, versionInService: 2,
                                    offeredVersion: 3, refusal: "signature invalide", refusalCode: "signature", added: 0, updated: 0,
                                    removed: 0, places: 5, unresolvedPlaces: [], anomalies: [], durationSeconds: 0.2, stale: true)
        let accepted = RegionOutcome(region: Fixtures.bretagne, name: "Bretagne", status: .accepted, versionInService: 3, offeredVersion: 3,
                                     refusal: nil, refusalCode: nil, added: 4, updated: 0, removed: 0, places: 4,
                                     unresolvedPlaces: [UnresolvedPlace(id: "lorient-pij", reason: "code postal inconnu : 56999")],
                                     anomalies: [Anomaly(kind: "invalid_record", id: "53-X-1", field: "siret", rule: "SIRET invalide (clé de Luhn)")],
                                     durationSeconds: 0.4, stale: false, geocoding: GeocodingCounts(geocoded: 4, reused: 0))
        content.harvestReport = HarvestReport(startedAt: "2026-03-01T10:00:00Z", finishedAt: "2026-03-01T10:00:01Z", durationSeconds: 0.7,
                                              regions: [refused, accepted])
        content.anomalies = RegionAnomalies(places: content.search.places, report: content.harvestReport, states: content.acceptedStates,
                                            reference: TestReference.pack, now: Date())
        // Indicators with the catalogue's long labels, for the scorecard's widest tables.
        content.indicatorTotals = IndicatorTotals([
            (Fixtures.bretagne, IndicatorValue(subject: .place, subjectId: "quimper-shared", code: "first_receptions", period: "2026-Q3", value: 56_570, unit: "persons")),
            (RegionCode(unchecked: "52"), IndicatorValue(subject: .place, subjectId: "x", code: "first_receptions", period: "2026-Q3", value: 60_908, unit: "persons")),
            (Fixtures.bretagne, IndicatorValue(subject: .place, subjectId: "quimper-shared", code: "share_without_appointment", period: "2026-Q3", value: 44, unit: "percent"))])
        content.indicatorCatalogue = IndicatorCatalogue(version: "t", source: "test", definitions: [
            IndicatorDefinition(code: "first_receptions", label: "Premiers accueils individualisés (niveau 1 du CEP / premier accueil SPRO)",
                                owner: .nationalCEP, unit: "persons", periodicity: .quarter, type: .count),
            IndicatorDefinition(code: "share_without_appointment", label: "Part des personnes reçues sans rendez-vous",
                                owner: .region(Fixtures.bretagne), unit: "percent", periodicity: .quarter, type: .percent)])
        // A published open-data release, for /donnees.
        let releases = try temporaryDirectory("donnees")
        try await OpenDataRelease.publish(content.openDataSet(at: Date()), version: 1, key: SigningKey(nationalKeyId: "national-test"), into: releases)
        content.releases = releases
        return NationalApp.buildRouter(content: content)
    }

    /// The search page in each of its states.
    static let searchPages = [
        "/",                                             // empty
        "/?q=Quimper",                                   // results, beside the Région's channels
        "/?q=Quimper&rayon=abc&service=astrologie",      // two errors, listed with links to their fields
        "/?q=Saint-Denis",                               // a choice between communes
        "/?q=Rennes&rayon=5",                            // nothing near: the channels first
    ]

    /// The other pages: a place, a missing place, the coverage report, the harvest report, a Région's
    /// anomalies and the open-data releases.
    static let otherPages = ["/lieux/53/quimper-shared", "/lieux/53/nulle-part", "/couverture", "/couverture/regions/53", "/moissonnage", "/moissonnage/53", "/donnees"]

    /// Checks each page with axe and fails on any violation; with `scripts` off, the pages are loaded without
    /// JavaScript (scripts come back on for axe alone, the page's own having been skipped at load).
    func check(_ paths: [String], scripts: Bool, waitFor: [String: String] = [:]) async throws {
        let results = try await Loopback.serve(try await Self.router()) { base in
            try await BrowserSession.run(width: 1200, height: 1000) { page in
                var results: [Axe.Results] = []
                for path in paths {
                    try await page.setScriptsEnabled(scripts)
                    try await page.navigate(base + path)
                    if let condition = waitFor[path] { try await page.waitUntil(condition) }
                    if !scripts { try await page.setScriptsEnabled(true) }
                    results.append(try await page.axe())
                }
                return results
            }
        }
        #expect(results.count == paths.count)
        for (path, result) in zip(paths, results) {
            print("accessibilité (JavaScript \(scripts ? "activé" : "désactivé")) — \(result.summary)")
            #expect(result.url == path || result.url == path + "/", "\(result.url)")
            // axe ran its rules: a page with nothing checked would pass vacuously.
            #expect(result.passes >= 10, "\(result.summary)")
            #expect(result.violations.isEmpty, "\(result)")
        }
    }

    @Test func theSearchPageInEachStateHasNoViolationWithJavaScript() async throws {
        // With results, the map is drawn (and labelled) before the check.
        try await check(Self.searchPages, scripts: true, waitFor: ["/?q=Quimper": "document.querySelectorAll('#carte svg .point').length === 2"])
    }

    @Test func theSearchPageInEachStateHasNoViolationWithoutJavaScript() async throws {
        try await check(Self.searchPages, scripts: false)
    }

    @Test func thePlaceCoverageAndHarvestPagesHaveNoViolation() async throws {
        try await check(Self.otherPages, scripts: true)
    }

    /// Where the keyboard's focus is: the element's id or text, whether its focus is drawn, whether it is
    /// the first result's link.
    struct Stop: Decodable { let id: String; let text: String; let outline: String; let first: Bool }

    static let readFocus = """
        (function () {
          var el = document.activeElement;
          return { id: el.id || "", text: (el.textContent || "").trim().slice(0, 60), outline: getComputedStyle(el).outlineStyle,
                   first: el.matches("#r1 h2 a") };
        })()
        """

    @Test func withTheKeyboardAloneTheFormLeadsToTheFirstResultAndTheQuickAccessLinkSkipsIt() async throws {
        let (stops, skip, skipped, place) = try await Loopback.serve(try await Self.router()) { base in
            try await BrowserSession.run(width: 1200, height: 1000) { page in
                // A shared link to a search, used with Tab alone until the first place's link.
                try await page.navigate(base + "/?q=Quimper")
                try await page.waitUntil("document.querySelectorAll('#carte svg .point').length === 2")
                var stops: [Stop] = []
                for _ in 0..<60 {
                    try await page.press(.tab)
                    let stop = try await page.evaluate(Self.readFocus, as: Stop.self)
                    stops.append(stop)
                    if stop.first { break }
                }
                // Again, with the quick-access link: Tab, Tab, Enter, then Tab lands on the first place.
                try await page.navigate(base + "/?q=Quimper")
                try await page.press(.tab)
                try await page.press(.tab)
                let skip = try await page.evaluate(Self.readFocus, as: Stop.self)
                try await page.press(.enter)
                try await page.press(.tab)
                let skipped = try await page.evaluate(Self.readFocus, as: Stop.self)
                // Enter on it opens the place's page (the quick-access link left the results and the focus in place).
                try await page.followingNavigation { try await page.press(.enter) }
                return (stops, skip, skipped, try await page.evaluate("location.pathname", as: String.self))
            }
        }
        print("clavier : \(stops.count) appuis sur Tab jusqu'au premier résultat : "
              + stops.map { $0.id.isEmpty ? "« \($0.text) »" : "#" + $0.id }.joined(separator: " → "))
        #expect(stops.last?.first == true, "Tab never reached the first result: \(stops.map(\.id))")
        // Every field of the form on the way, in the order they are shown, each with its focus drawn.
        let fields = ["q", "radius", "service", "public", "network", "sans_rdv", "accessible", "open_now", "open_at"]
        let order = stops.map(\.id).filter(fields.contains)
        #expect(order.reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } } == fields, "\(order)")
        #expect(stops.contains { $0.text == "Rechercher" })
        #expect(stops.allSatisfy { $0.outline != "none" }, "focus not drawn on \(stops.filter { $0.outline == "none" })")
        #expect(skip.text == "Aller aux résultats" && skip.outline != "none", "\(skip)")
        #expect(skipped.first, "after the quick-access link: \(skipped)")
        #expect(place == "/lieux/53/quimper-shared" || place == "/lieux/53/quimper-cio", "\(place)")
    }

    /// A Région's scorecard and the harvest report: tables of many columns, whose rows become cards on a phone.
    @Test(arguments: [("/couverture/regions/53", "Médiane nationale"), ("/moissonnage", "Localisations reprises")])
    func atPhoneWidthATablePageFitsWithoutSidewaysScrolling(path: String, label: String) async throws {
        let (fit, labels) = try await Loopback.serve(try await Self.router()) { base in
            try await BrowserSession.run(width: 390, height: 844) { page in
                try await page.setViewport(width: 390, height: 844, mobile: true)
                try await page.navigate(base + path)
                return (try await page.horizontalFit(), try await page.evaluate("""
                    Array.prototype.map.call(document.querySelectorAll("td[data-label]"), function (td) {
                      return getComputedStyle(td, "::before").content; })
                    """, as: [String].self))
            }
        }
        #expect(fit.fits(390), "too wide: \(fit.tooWide)")
        // Each value, a card's line, after its column's name.
        #expect(labels.contains("\"\(label) : \"") && labels.allSatisfy { $0.hasSuffix(" : \"") }, "\(labels.prefix(5))")
    }
}
