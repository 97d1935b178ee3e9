import Directory
import Foundation
import NationalDirectory
import Testing
@testable import Coverage

/// Distances per service and per public on the hand-built geography, checked against values worked
/// out by hand from the three commune-to-commune distances.
@Suite struct FamilyDistanceTests {
    typealias G = HandGeography

    /// P1 at c1 offers CEP 1 and "aider à trouver un emploi" to young people; P2 at c3 informs on jobs,
    /// for every public.
    var report: CoverageReport {
        CoverageCalculator(reference: G.pack, thresholdKm: 20).compute(places: [
            G.place("P1", at: G.c1, zone: G.zA, services: [.cep1, .aiderEmploi], publics: [.jeunes]),
            G.place("P2", at: G.c3, zone: G.zA, networks: [.cio], services: [.informerMetiers], publics: [.tousPublics]),
        ])
    }

    @Test func theGeographyIsWhatTheTestsAssume() {
        #expect(G.d12 > 10 && G.d12 < 20)  // c2 is in the 10-20 km band from c1
        #expect(G.d23 > 20 && G.d23 < 30)  // c3 is in the 20-30 km band from c2, beyond the threshold
        #expect(G.d13 > 30)                // c1 and c3 are beyond the E2SFCA cut-off from each other
    }

    @Test func eachServiceIsMeasuredFromItsOwnPlaces() throws {
        let a = try #require(report.zone(G.zA))
        // "Aider à trouver un emploi": only P1 at c1. Distances 0, d12, d13 for 1,000, 3,000, 1,000 people.
        let emploi = try #require(a.family(.service(.aiderEmploi)))
        #expect(emploi.places == 1)
        #expect(abs(emploi.meanDistanceKm! - (0 * 1000 + G.d12 * 3000 + G.d13 * 1000) / 5000) < 1e-9)
        #expect(emploi.medianDistanceKm == G.d12)       // cumulative 1,000 then 4,000 ≥ 2,500
        #expect(emploi.p90DistanceKm == G.d13)          // 4,000 < 4,500 ≤ 5,000
        #expect(emploi.populationBeyondThreshold == 1000 && emploi.shareBeyondThreshold == 0.2)

        // "Informer sur les métiers": only P2 at c3. Distances d13, d23, 0.
        let metiers = try #require(a.family(.service(.informerMetiers)))
        #expect(abs(metiers.meanDistanceKm! - (G.d13 * 1000 + G.d23 * 3000 + 0 * 1000) / 5000) < 1e-9)
        // Sorted: 0 (1,000), d23 (3,000), d13 (1,000): median d23, p90 d13.
        #expect(metiers.medianDistanceKm == G.d23 && metiers.p90DistanceKm == G.d13)
        #expect(metiers.populationBeyondThreshold == 4000 && metiers.shareBeyondThreshold == 0.8)

        // Overall: the nearer of the two. c1 0, c2 d12, c3 0.
        #expect(abs(a.meanDistanceKm! - G.d12 * 3000 / 5000) < 1e-9)
        #expect(a.medianDistanceKm == G.d12 && a.shareBeyondThreshold == 0)
    }

    @Test func aServiceNobodyOffersLeavesEveryoneBeyondTheThreshold() throws {
        let a = try #require(report.zone(G.zA))
        let projets = try #require(a.family(.service(.accompagnerProjets)))
        #expect(projets.places == 0 && projets.meanDistanceKm == nil && projets.p90DistanceKm == nil)
        #expect(projets.shareBeyondThreshold == 1 && projets.populationBeyondThreshold == 5000)
    }

    @Test func aTousPublicsPlaceServesEveryPublic() throws {
        let a = try #require(report.zone(G.zA))
        // Young people reach P1 and P2: the same as overall.
        let jeunes = try #require(a.family(.public(.jeunes)))
        #expect(jeunes.places == 2 && jeunes.meanDistanceKm == a.meanDistanceKm)
        // Disabled people reach only P2, which is tous publics: the same as "informer sur les métiers".
        let handicap = try #require(a.family(.public(.personnesHandicapees)))
        #expect(handicap.places == 1 && handicap.meanDistanceKm == a.family(.service(.informerMetiers))?.meanDistanceKm)
    }

    @Test func communesCarryTheirDistancePerFamily() throws {
        let r = report
        let f = try #require(r.families.firstIndex(of: .service(.informerMetiers)))
        let c2 = try #require(r.communes.first { $0.code.rawValue == "01002" })
        #expect(c2.distancesKm[0] == G.d12 && c2.distancesKm[f] == G.d23)
        #expect(r.families.first == .overall && r.families.count == CoverageFamily.standard.count)
    }

    @Test func worstServedCommunesAreRankedByDistanceTimesPopulation() throws {
        // Only P1 at c1: c2 burdens 3,000 × d12 ≈ 47,000, c3 1,000 × d13 ≈ 39,000; c1 is at 0 and left out.
        let r = CoverageCalculator(reference: G.pack).compute(places: [G.place("P1", at: G.c1, zone: G.zA)])
        let a = try #require(r.zone(G.zA))
        #expect(a.worstServed.map(\.code.rawValue) == ["01002", "01003"])
        #expect(a.worstServed[0].distanceKm == G.d12 && a.worstServed[0].population == 3000)
    }

    @Test func thresholdAndFamiliesAreConfigurable() throws {
        let options = CoverageOptions(families: [.service(.cep2), .overall, .service(.cep2)])
        let r = CoverageCalculator(reference: G.pack, thresholdKm: 10, options: options)
            .compute(places: [G.place("P1", at: G.c1, zone: G.zA)])
        #expect(r.families == [.overall, .service(.cep2)])
        let a = try #require(r.zone(G.zA))
        #expect(a.shareBeyondThreshold == 0.8)  // c2 (d12 > 10 km) and c3
    }

    @Test func familyKeysRoundTrip() throws {
        for f in CoverageFamily.standard + [.service(.cep2), .public(.cadres)] {
            #expect(CoverageFamily(key: f.key) == f)
        }
        #expect(CoverageFamily(key: "service:nope") == nil)
        let data = try JSONEncoder().encode([CoverageFamily.public(.jeunes)])
        #expect(String(decoding: data, as: UTF8.self) == "[\"public:jeunes_16_25\"]")
    }

    /// Each unit's distance to the nearest place of each family is the least of its distances to every place
    /// of the family, whichever of its nearest positions of all (or the family's own grid) found it: places
    /// sharing positions, families present at few or no places, and more than `NearestDistances.probe`
    /// positions nearer than a family's nearest.
    @Test func nearestDistancesAreTheLeastDistanceToEachFamily() {
        var random = SystemRandomNumberGenerator()
        let units = (0..<400).map { _ in GeoPoint(lat: Double.random(in: 43...50, using: &random), lon: Double.random(in: -4...7, using: &random)) }
        var positions: [GeoPoint?] = (0..<300).map { _ in GeoPoint(lat: Double.random(in: 43...50, using: &random), lon: Double.random(in: -4...7, using: &random)) }
        positions += positions.prefix(40)  // shared positions
        positions.append(nil)              // a place without a position
        // Family 0 everywhere, family 1 at one place in three, family 2 at three places, family 3 nowhere.
        let rare = Set(positions.indices.shuffled(using: &random).prefix(3))
        let served = [positions.indices.map { _ in true }, positions.indices.map { $0 % 3 == 0 }, positions.indices.map { rare.contains($0) },
                      positions.indices.map { _ in false }]
        let nearest = NearestDistances(units: units, positions: positions, served: served)
        for f in served.indices {
            for (u, centre) in units.enumerated() {
                let expected = positions.indices.compactMap { i in served[f][i] ? positions[i].map { centre.distance(to: $0) / 1000 } : nil }.min() ?? .infinity
                #expect(abs(nearest.km[f][u] - expected) < 1e-9 || nearest.km[f][u] == expected, "famille \(f), unité \(u)")
            }
        }
    }
}
