import Directory
import Foundation
import NationalDirectory
import Testing
@testable import Coverage

/// The E2SFCA ratio on two places and three communes, worked out step by step.
@Suite struct AccessibilityTests {
    typealias G = HandGeography

    @Test func e2sfcaMatchesTheTwoStepsDoneByHand() throws {
        // Place A at c1 opens 30 h a week, place B at c3 opens 6 h.
        let places = [
            G.place("A", at: G.c1, zone: G.zA, hours: "Mo-Fr 09:00-12:00,14:00-17:00"),
            G.place("B", at: G.c3, zone: G.zA, networks: [.cio], hours: "Tu,Th 09:00-12:00"),
        ]
        let bands = AccessibilityParameters.rural  // ≤10 km: 1, ≤20 km: 0.3, ≤30 km: 0.1, beyond: 0
        // Weights, from the distances (see HandGeography): c1–A 0 km → 1; c2–A d12 (10-20) → 0.3; c3–A d13 (>30) → 0;
        // c1–B d13 → 0; c2–B d23 (20-30) → 0.1; c3–B 0 → 1. c4 and c5 are hundreds of km away → 0.
        #expect(bands.weight(atKm: 0) == 1 && bands.weight(atKm: G.d12) == 0.3 && bands.weight(atKm: G.d23) == 0.1
            && bands.weight(atKm: G.d13) == 0)
        // Step 1: each place's hours over the weighted population of its catchment.
        let rA = 30.0 / (1000 * 1 + 3000 * 0.3)  // 30 / 1,900
        let rB = 6.0 / (3000 * 0.1 + 1000 * 1)   // 6 / 1,300
        // Step 2: what each commune reaches, per 10,000 inhabitants.
        let a1 = 10_000 * rA * 1
        let a2 = 10_000 * (rA * 0.3 + rB * 0.1)
        let a3 = 10_000 * rB * 1

        let report = CoverageCalculator(reference: G.pack).compute(places: places)
        func commune(_ code: String) -> Double { report.communes.first { $0.code.rawValue == code }!.accessibility }
        #expect(abs(commune("01001") - a1) < 1e-9)
        #expect(abs(commune("01002") - a2) < 1e-9)
        #expect(abs(commune("01003") - a3) < 1e-9)
        #expect(commune("01004") == 0)
        let zoneA = try #require(report.zone(G.zA))
        #expect(abs(zoneA.accessibility! - (1000 * a1 + 3000 * a2 + 1000 * a3) / 5000) < 1e-9)
        // All 36 hours go to zone A's 5,000 people: 36 × 10,000 / 5,000 = 72 (the method conserves supply).
        #expect(abs(zoneA.accessibility! - 72) < 1e-9)
        #expect(zoneA.weeklyHours == 36)
        #expect(report.zone(G.zB)?.accessibility == 0)
    }

    @Test func placesAtTheSamePositionPoolTheirHours() {
        let units = [(centre: G.c1, population: 1000), (centre: G.c2, population: 3000)]
        let pooled = Accessibility.e2sfca(units: units, supplies: [(G.c1, 30)], parameters: .rural)
        let split = Accessibility.e2sfca(units: units, supplies: [(G.c1, 10), (G.c1, 20)], parameters: .rural)
        #expect(pooled == split)
        #expect(abs(pooled[0] - 10_000 * 30 / 1900) < 1e-9)
    }

    /// The families computed together (one demand sum, one pass over the pairs) give each family what its
    /// own E2SFCA over its places alone gives, a family with no place included.
    @Test func familiesComputedTogetherEqualEachFamilyAlone() {
        let units = [(centre: G.c1, population: 1000), (centre: G.c2, population: 3000), (centre: G.c3, population: 500),
                     (centre: G.c4, population: 2000), (centre: G.c5, population: 0)]
        let supplies: [(position: GeoPoint, hours: Double, served: [Bool])] = [
            (G.c1, 30, [true, false, false]), (G.c2, 12, [true, true, false]), (G.c2, 8, [false, true, false]),
            (G.c3, 20, [false, true, false]), (G.c4, 5, [true, false, false]), (G.c5, 40, [true, true, false]),
        ]
        let together = Accessibility.e2sfca(units: units, supplies: supplies, families: 3, parameters: .rural)
        for f in 0..<3 {
            let alone = Accessibility.e2sfca(units: units, supplies: supplies.filter { $0.served[f] }.map { ($0.position, $0.hours) },
                                             parameters: .rural)
            #expect(together[f].count == units.count)
            for u in units.indices { #expect(abs(together[f][u] - alone[u]) < 1e-9, "family \(f), unit \(u)") }
        }
        #expect(together[0] != together[1])
        #expect(together[2] == [Double](repeating: 0, count: units.count))
    }

    @Test func aPlaceWithNobodyInReachOffersNothing() {
        let out = Accessibility.e2sfca(units: [(centre: G.c1, population: 0)], supplies: [(G.c1, 30)], parameters: .rural)
        #expect(out == [0])
    }

    @Test func bandsAreConfigurable() {
        // With DREES' 5/10/15 km bands, c2 (15.7 km) is out of A's catchment: A serves c1 alone.
        let report = CoverageCalculator(reference: G.pack, options: CoverageOptions(accessibility: .drees))
            .compute(places: [G.place("A", at: G.c1, zone: G.zA, hours: "Mo-Fr 09:00-12:00,14:00-17:00")])
        #expect(abs(report.communes[0].accessibility - 10_000 * 30 / 1000) < 1e-9)
        #expect(report.communes[1].accessibility == 0)
        #expect(AccessibilityParameters.drees.cutoffKm == 15 && AccessibilityParameters.rural.cutoffKm == 30)
    }

    @Test func supplyIsTheWeeklyOpeningHours() {
        let texts = ["Mo-Fr 09:00-12:30,13:30-17:00; PH off", "Mo-Fr 09:00-17:30; We 09:00-12:30; PH off", "24/7"]
        let places = texts.enumerated().map { G.place("H\($0.offset)", at: G.c1, zone: G.zA, hours: $0.element).place }
        // 5 × 7 h; 4 × 8.5 h + 3.5 h (the later rule closes Wednesday afternoon); every hour of the week.
        let supply = SupplyHours(places, weeklyHours: WeeklyHours.of(openingHours: places.map(\.openingHours)))
        #expect(supply.hours == [35, 37.5, 168] && supply.estimated == 0)
    }

    /// Read from the hours a search parsed already, the weekly hours are those read from the texts: shared,
    /// absent and unreadable texts included.
    @Test func weeklyHoursOfASearchAreThoseOfItsTexts() {
        let texts: [String?] = ["Mo-Fr 09:00-12:30,13:30-17:00; PH off", nil, "sur rendez-vous", "24/7", "Mo-Fr 09:00-12:30,13:30-17:00; PH off", "Tu 09:00-12:00"]
        let places = texts.enumerated().map { G.place("W\($0.offset)", at: G.c1, zone: G.zA, hours: $0.element) }
        let fromSearch = WeeklyHours.of(PlaceSearch(places: places))
        #expect(fromSearch == WeeklyHours.of(places))
        #expect(fromSearch == [35, nil, nil, 168, 35, 3])
    }

    @Test func placesWithoutReadableHoursGetTheMedianOfTheirKind() {
        var unknown = G.place("U", at: G.c2, zone: G.zA, hours: nil).place
        unknown.kind = .site
        var unreadable = G.place("X", at: G.c2, zone: G.zA, hours: "sur rendez-vous").place
        unreadable.kind = .site
        var permanence = G.place("Y", at: G.c2, zone: G.zA, hours: nil).place
        permanence.kind = .permanence  // no permanence with hours: the median of all places
        let known = [30.0, 35, 40].enumerated().map { i, h -> Place in
            var p = G.place("K\(i)", at: G.c1, zone: G.zA, hours: "Mo-Fr 08:00-\(8 + Int(h) / 5):00").place
            p.kind = .site
            return p
        }
        var antenne = G.place("Z", at: G.c2, zone: G.zA, hours: "Mo 08:00-18:00").place
        antenne.kind = .antenne
        let places = known + [antenne, unknown, unreadable, permanence]
        let supply = SupplyHours(places, weeklyHours: WeeklyHours.of(openingHours: places.map(\.openingHours)))
        // Sites read 30, 35, 40 (median 35); all readable places 10, 30, 35, 40 (median 32.5).
        #expect(supply.hours == [30, 35, 40, 10, 35, 35, 32.5] && supply.estimated == 3)
    }
}
