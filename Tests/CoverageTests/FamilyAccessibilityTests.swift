import Directory
import Foundation
import NationalDirectory
import Testing
@testable import Coverage

/// E2SFCA per family: each family's own supply over the same catchments, checked against a brute-force
/// computation; and the `--bands` argument, parsed and validated.
@Suite struct FamilyAccessibilityTests {
    typealias G = HandGeography

    /// Places of mixed families, two at the same position, one without a position.
    var places: [DirectoryPlace] {
        var unlocated = G.place("U", at: G.c2, zone: G.zA, networks: [.franceTravail], services: [.cep2], hours: "Mo-Fr 08:00-18:00")
        unlocated.location.position = nil
        return [
            G.place("ML", at: G.c1, zone: G.zA, services: [.cep1], publics: [.jeunes], hours: "Mo-Fr 09:00-12:00,14:00-17:00"),
            G.place("FT1", at: G.c2, zone: G.zA, networks: [.franceTravail], services: [.cep2, .aiderEmploi],
                    publics: [.demandeursEmploi], hours: "Mo-Th 08:30-16:30"),
            G.place("FT2", at: G.c3, zone: G.zA, networks: [.franceTravail], services: [.cep2], publics: [.demandeursEmploi],
                    hours: "Tu,Th 09:00-12:00"),
            G.place("CIO", at: G.c2, zone: G.zA, networks: [.cio], services: [.cep1], publics: [.tousPublics],
                    hours: "Mo-Fr 09:00-17:00"),
            G.place("B", at: G.c4, zone: G.zB, networks: [.apec], services: [.cep2], publics: [.cadres], hours: "We 14:00-17:00"),
            unlocated,
        ]
    }

    /// The two steps written out over every unit and place, with no pooling and no grid.
    func bruteForce(_ family: CoverageFamily, bands: AccessibilityParameters) -> [Double] {
        let units = G.pack.populationUnits
        let supply = places.compactMap { p -> (GeoPoint, Double)? in
            guard family.isServed(by: p.place), let at = p.location.position else { return nil }
            return (at, try! OpeningHours(p.place.openingHours!).weeklyHours())
        }
        func w(_ a: GeoPoint, _ b: GeoPoint) -> Double { bands.weight(atKm: a.distance(to: b) / 1000) }
        let ratios = supply.map { at, hours -> Double in
            let demand = units.reduce(0.0) { $0 + Double($1.population) * w($1.centre, at) }
            return demand > 0 ? hours / demand : 0
        }
        return units.map { u in 10_000 * zip(supply, ratios).reduce(0.0) { $0 + $1.1 * w(u.centre, $1.0.0) } }
    }

    func zoneMean(_ perUnit: [Double], zone: ZoneEmploiCode) -> Double {
        let units = G.pack.populationUnits
        let idx = units.indices.filter { units[$0].zone == zone }
        let pop = idx.reduce(0) { $0 + units[$1].population }
        return idx.reduce(0.0) { $0 + perUnit[$1] * Double(units[$1].population) } / Double(pop)
    }

    @Test(arguments: [AccessibilityParameters.rural, .drees, try! AccessibilityParameters(parsing: "16:1,25:0.5")])
    func aFamilysIndexEqualsTheBruteForceComputation(bands: AccessibilityParameters) throws {
        let cep2 = CoverageFamily.service(.cep2)
        let report = CoverageCalculator(reference: G.pack, options: CoverageOptions(families: [cep2, .public(.jeunes)], accessibility: bands))
            .compute(places: places)
        for family in [cep2, .public(.jeunes), .overall] {
            let expected = bruteForce(family, bands: bands)
            for zone in [G.zA, G.zB, G.zC] {
                let got = try #require(report.zone(zone)?.family(family)?.accessibility)
                #expect(abs(got - zoneMean(expected, zone: zone)) < 1e-9, "\(family.key) in \(zone.rawValue)")
            }
        }
        // The family of CEP 2 has less supply than all places together, and differs from it where it matters.
        let a = try #require(report.zone(G.zA))
        #expect(a.family(cep2)!.accessibility! < a.family(.overall)!.accessibility!)
        // The overall family's index is the zone's accessibility, as before.
        #expect(a.family(.overall)?.accessibility == a.accessibility)
        // Region and nation carry the family index too.
        #expect(report.national.family(cep2)?.accessibility != nil)
    }

    @Test func theBandsArgumentIsParsedAndWrittenBack() throws {
        let p = try AccessibilityParameters(parsing: "10:1, 20:0.3,30:0.1")
        #expect(p == .rural)
        #expect(p.argument == "10:1,20:0.3,30:0.1")
        #expect(try AccessibilityParameters(parsing: "7.5:1").bands == [DistanceBand(upToKm: 7.5, weight: 1)])
    }

    @Test(arguments: [
        ("", BandsError.empty), ("10", .malformed("10")), ("10:un", .malformed("10:un")), ("10:1,,20:0.5", .malformed("")),
        ("0:1", .distance("0:1")), ("-5:1", .distance("-5:1")), ("inf:1", .distance("inf:1")),
        ("10:0", .weight("10:0")), ("10:1.5", .weight("10:1.5")), ("10:-0.2", .weight("10:-0.2")),
        ("20:0.3,10:1", .unsorted("10:1")), ("10:1,10:0.5", .unsorted("10:0.5")),
    ])
    func badBandsAreRefusedNamingTheBand(text: String, error: BandsError) {
        #expect(throws: error) { try AccessibilityParameters(parsing: text) }
        #expect(error.description.contains("tranche") || error == .empty)
    }
}
