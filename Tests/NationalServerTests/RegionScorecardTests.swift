import Coverage
import Directory
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NationalDirectory
import SafeHTML
import SproTestSupport
import Testing
@testable import NationalServer

/// A Région's scorecard, checked by hand on a small national store: structures by state, referencings
/// ending within 90 days, the charter in force, the share of places confirmed within 180 and 240 days,
/// indicators aggregated per period and the national median.
@Suite struct RegionScorecardTests {
    static let now = ISODay.parse("2026-12-03")!
    static func day(_ offset: Int) -> String { ISODay.string(now.addingTimeInterval(Double(offset) * 86_400)) }

    static func structure(_ id: String, _ state: ReferencingState, until: String?) -> Structure {
        var s = Fixtures.structure(id, state: state, basis: .regionalCharter)
        s.referencing = PublicReferencing(state: state, charterVersion: 1, since: "2025-01-01", validUntil: until)
        return s
    }

    static func place(_ id: String, _ structure: String, confirmed: String?) -> (place: Place, location: PlaceLocation) {
        var p = Fixtures.place(id, structures: [structure], postcode: "61000", city: "Alençon", commune: "61001")
        p.lastConfirmed = confirmed
        return (p, PlaceLocation(commune: CommuneCode(unchecked: "61001"), zone: nil, position: GeoPoint(lat: 48.43, lon: 0.09),
                                 precision: confirmed == nil ? "municipality" : "housenumber", score: 0.9, reason: nil, coordinatesFlag: nil))
    }

    static func indicator(_ subject: String, _ code: String, _ value: Double, _ unit: String) -> IndicatorValue {
        IndicatorValue(subject: .place, subjectId: subject, code: code, period: "2025", value: value, unit: unit)
    }

    static func snapshot(_ region: String, charters: [Charter] = [], structures: [Structure], places: [(place: Place, location: PlaceLocation)],
                         indicators: [IndicatorValue]) -> RegionSnapshot {
        RegionSnapshot(region: RegionCode(unchecked: region), version: 1, contentHash: "h-\(region)", etag: nil, keyId: "k",
                       generatedAt: "2026-12-01T08:00:00Z", expiresAt: "2026-12-31T08:00:00Z", charters: charters,
                       structures: structures, places: places, indicators: indicators, tombstones: [])
    }

    static func content() async throws -> NationalContent {
        let store = try NationalStore(path: temporaryDirectory("scorecard").appendingPathComponent("n.sqlite").path)
        let normandie = RegionCode(unchecked: "28")
        try await store.replace(with: snapshot("28", charters: [Fixtures.charter(1, region: normandie), Fixtures.charter(2, region: normandie)],
            structures: [structure("28-A", .referenced, until: day(30)), structure("28-B", .referenced, until: day(200)),
                         structure("28-C", .suspended, until: day(10)), structure("28-D", .referenced, until: day(-5))],
            places: [place("28-P1", "28-A", confirmed: day(-10)), place("28-P2", "28-A", confirmed: day(-200)),
                     place("28-P3", "28-B", confirmed: day(-300)), place("28-P4", "28-B", confirmed: nil)],
            indicators: [indicator("28-P1", "visits", 100, "persons"), indicator("28-P2", "visits", 50, "persons"),
                         indicator("28-P1", "satisfaction_rate", 80, "percent"), indicator("28-P2", "satisfaction_rate", 90, "percent")]),
            acceptedAt: now.addingTimeInterval(-6 * 3600))
        try await store.replace(with: snapshot("52", structures: [structure("52-A", .referenced, until: day(400))],
            places: [place("52-P1", "52-A", confirmed: day(-1))],
            indicators: [indicator("52-P1", "visits", 300, "persons"), indicator("52-P1", "first_receptions", 40, "persons")]),
            acceptedAt: now.addingTimeInterval(-3600))
        try await store.replace(with: snapshot("53", structures: [structure("53-A", .referenced, until: day(400))],
            places: [place("53-P1", "53-A", confirmed: day(-1))], indicators: [indicator("53-P1", "visits", 10, "persons")]),
            acceptedAt: now.addingTimeInterval(-3600))
        return try await NationalContent.load(from: store, resolveQuery: { _ in .failure(QueryProblem("-")) }, reference: TestReference.pack, now: now)
    }

    @Test func theFiguresAreTheOnesCountedByHand() async throws {
        let card = RegionScorecard(RegionCode(unchecked: "28"), content: try await Self.content(), now: Self.now)
        #expect(card.name == "Normandie")
        #expect(card.states == [.referenced: 3, .suspended: 1])
        // Within 90 days: A (30 days); not B (200), not D (ended), not the suspended C.
        #expect(card.expiringSoon.map(\.id) == ["28-A"])
        #expect(card.charter?.version == 2)
        #expect(card.places == 4 && card.confirmedWithin180 == 1 && card.confirmedWithin240 == 2)
        #expect(card.freshShare(180) == 0.25 && card.freshShare(240) == 0.5)
        #expect(card.precision == ["housenumber": 3, "municipality": 1])
        #expect(abs((card.exportAgeHours ?? 0) - 6) < 0.01 && !card.exportStale)
        let visits = try #require(card.indicators.first { $0.code == "visits" })
        // 100 + 50 persons; the national median of 150 (28), 300 (52) and 10 (53) is 150.
        #expect(visits.figure == .init(value: 150, unit: "persons", subjects: 2) && visits.nationalMedian == 150)
        let satisfaction = try #require(card.indicators.first { $0.code == "satisfaction_rate" })
        #expect(satisfaction.figure?.value == 85 && satisfaction.nationalMedian == 85)
        // An even count of Régions takes the mean of the two middle ones.
        #expect(IndicatorTotals([(RegionCode(unchecked: "1"), Self.indicator("x", "v", 1, "persons")),
                                 (RegionCode(unchecked: "2"), Self.indicator("x", "v", 4, "persons"))]).nationalMedian(.init(code: "v", period: "2025")) == 2.5)
    }

    @Test func theNationalCoreSetComesFirstWithLabelsDeclaredOrNot() async throws {
        var content = try await Self.content()
        func definition(_ code: String, _ label: String, _ owner: IndicatorOwner, _ unit: String) -> IndicatorDefinition {
            IndicatorDefinition(code: code, label: label, owner: owner, unit: unit, periodicity: .year, type: unit == "percent" ? .percent : .count)
        }
        content.indicatorCatalogue = IndicatorCatalogue(version: "t", source: "test", definitions: [
            definition("first_receptions", "Premiers accueils", .nationalCEP, "persons"),
            definition("cep_level2_beneficiaries", "Conseil personnalisé", .nationalCEP, "persons"),
            definition("satisfaction_rate", "Satisfaction", .nationalCEP, "percent"),
            definition("visits", "Fréquentation", .region(RegionCode(unchecked: "28")), "persons")])
        content.coverage = CoverageCalculator(reference: TestReference.pack).compute(places: content.search.places, now: Self.now)
        let totals = try #require(content.coverage?.regions.first { $0.code.rawValue == "28" }?.totals)
        let card = RegionScorecard(RegionCode(unchecked: "28"), content: content, now: Self.now)
        // The core set in the catalogue's order, then the Région's own.
        #expect(card.indicators.map { "\($0.code) \($0.period) \($0.nationalCore)" }
                == ["first_receptions 2025 true", "cep_level2_beneficiaries  true", "satisfaction_rate 2025 true", "visits 2025 false"])
        // Reported by Pays de la Loire only: Normandie's is missing, the median is the one Région's 40.
        let first = card.indicators[0]
        #expect(first.figure == nil && first.nationalMedian == 40 && first.label == "Premiers accueils" && first.unit == "persons")
        #expect(card.indicators[1].figure == nil && card.indicators[1].nationalMedian == nil)
        #expect(card.indicators[2].figure?.value == 85 && card.indicators[3].label == "Fréquentation")
        try await Application(router: NationalApp.buildRouter(content: content)).test(.router) { client in
            try await client.execute(uri: "/couverture/regions/28", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("<caption>\(HTML(text: "Socle national d'indicateurs du CEP, par période").rendered)</caption>"))
                #expect(html.contains("<th scope=\"row\">Premiers accueils (first_receptions)</th><td data-label=\"Période\">2025</td><td data-label=\"Région\">non déclaré</td><td data-label=\"Déclarants\">0</td><td data-label=\"Médiane nationale\">40 personnes</td>"))
                #expect(html.contains("<th scope=\"row\">Conseil personnalisé (cep_level2_beneficiaries)</th><td data-label=\"Période\">—</td><td data-label=\"Région\">non déclaré</td><td data-label=\"Déclarants\">0</td><td data-label=\"Médiane nationale\">—</td>"))
                #expect(html.contains("<th scope=\"row\">Fréquentation (visits)</th><td data-label=\"Période\">2025</td><td data-label=\"Région\">150 personnes</td><td data-label=\"Déclarants\">2</td><td data-label=\"Médiane nationale\">150 personnes</td>"))
                // Accessibility in the report's unit; gaps and precisions by their French names.
                let accessibility = try #require(totals.accessibility)
                #expect(html.contains("<th scope=\"row\">Accessibilité moyenne (E2SFCA)</th><td data-label=\"Valeur\">\(ScorecardPage.number(accessibility, 1)) h/semaine pour 10 000 hab.</td>"))
                #expect(!totals.gapsByKind.isEmpty)
                for kind in totals.gapsByKind.keys {
                    #expect(html.contains("<th scope=\"row\">\(HTML(text: try #require(GapKind(rawValue: kind)).label).rendered)</th>"), "\(kind)")
                }
                #expect(html.contains("<th scope=\"row\">Numéro de la voie (BAN)</th><td data-label=\"Lieux\">3 (75,0 %)</td>"), "\(html)")
            }
        }
    }

    @Test func thePageShowsEveryFigureInATableAndAnUnknownRegionIsAPage() async throws {
        let content = try await Self.content()
        try await Application(router: NationalApp.buildRouter(content: content)).test(.router) { client in
            try await client.execute(uri: "/couverture/regions/28", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(response.status == .ok && response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(html.contains("<h1>Tableau de bord de la Région Normandie</h1>"))
                #expect(html.contains("<th scope=\"row\">Confirmés depuis moins de 180 jours</th><td data-label=\"Lieux\">1 (25,0 %)</td>"), "\(html.prefix(3000))")
                #expect(html.contains("<th scope=\"row\">visits</th><td data-label=\"Période\">2025</td><td data-label=\"Région\">150 personnes</td><td data-label=\"Déclarants\">2</td><td data-label=\"Médiane nationale\">150 personnes</td>"))
                #expect(html.contains("v2</strong>"))
            }
            try await client.execute(uri: "/couverture/regions/99", method: .get) { response in
                #expect(response.status == .notFound && String(buffer: response.body).contains("Région inconnue"))
            }
        }
    }
}
