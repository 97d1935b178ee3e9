import Directory
import Foundation
import NationalDirectory
import Reference
import SproTestSupport
import Testing
@testable import Coverage

/// A hand-built geography: zone 0001 with three communes on a parallel, zone 0002 with one far away.
@Suite struct CoverageCalculatorTests {
    let r = RegionCode(unchecked: "84")
    let zA = ZoneEmploiCode(unchecked: "0001"), zB = ZoneEmploiCode(unchecked: "0002")
    let c1 = GeoPoint(lat: 45.0, lon: 1.0), c2 = GeoPoint(lat: 45.0, lon: 1.2), c3 = GeoPoint(lat: 45.0, lon: 1.5)
    let c4 = GeoPoint(lat: 46.0, lon: 3.0)

    func commune(_ code: String, _ zone: ZoneEmploiCode, _ pop: Int, _ centre: GeoPoint) -> Commune {
        Commune(code: CommuneCode(unchecked: code), kind: .commune, parent: nil, name: "C\(code)",
                departement: DepartementCode(unchecked: "01"), region: r, zone: zone, population: pop, postcodes: [], centre: centre)
    }

    var pack: ReferencePack {
        ReferencePack(directory: URL(fileURLWithPath: "/nonexistent"),
                      communes: [commune("01001", zA, 1000, c1), commune("01002", zA, 3000, c2),
                                 commune("01003", zA, 1000, c3), commune("01004", zB, 500, c4)],
                      postcodes: [],
                      zones: [ZoneEmploi(code: zA, name: "Zone A", mainRegion: r, regions: [r], communeCount: 3, population: 5000),
                              ZoneEmploi(code: zB, name: "Zone B", mainRegion: r, regions: [r], communeCount: 1, population: 500)],
                      departements: [], regions: [])
    }

    func place(at p: GeoPoint, zone: ZoneEmploiCode, structures: [Structure]) -> DirectoryPlace {
        let record = Fixtures.place("P-\(p.lon)", structures: structures.map(\.id))
        return DirectoryPlace(region: r, place: record,
                              location: PlaceLocation(commune: CommuneCode(unchecked: "01001"), zone: zone, position: p,
                                                      precision: "commune", score: 1, reason: nil, coordinatesFlag: nil),
                              structures: structures, sourceVersion: 1)
    }

    @Test func indicatorsMatchHandComputedValues() throws {
        let ml = Fixtures.structure("ML"), ft = Fixtures.structure("FT", network: .franceTravail)
        let report = CoverageCalculator(reference: pack, thresholdKm: 20).compute(places: [place(at: c1, zone: zA, structures: [ml, ft])])
        #expect(report.zoneCount == 2 && report.nationalPopulation == 5500)
        let a = try #require(report.zones.first { $0.code == zA })
        let d2 = c1.distance(to: c2) / 1000, d3 = c1.distance(to: c3) / 1000
        #expect(d2 < 20 && d3 > 20)  // the geography is built so that only the third commune is beyond 20 km
        #expect(a.population == 5000 && a.places == 1 && a.structures == 2 && a.lieuxMutualises == 1)
        #expect(a.networks == [.franceTravail, .missionLocale])
        #expect(abs(a.placesPer100k - 20) < 1e-9)  // 1 place for 5,000 people
        #expect(abs(a.meanDistanceKm! - (0 * 1000 + d2 * 3000 + d3 * 1000) / 5000) < 1e-9)
        // Weighted percentiles: cumulative weights 1000, 4000, 5000 over sorted distances 0, d2, d3.
        #expect(a.medianDistanceKm == d2)
        #expect(a.p90DistanceKm == d3)
        #expect(abs(a.shareBeyondThreshold! - 0.2) < 1e-9)
        let b = try #require(report.zones.first { $0.code == zB })
        #expect(b.places == 0 && b.placesPer100k == 0 && b.networks.isEmpty)
        #expect(abs(b.meanDistanceKm! - c4.distance(to: c1) / 1000) < 1e-9)
        #expect(b.shareBeyondThreshold == 1)
        // Zone B has no place: a critical gap, and it ranks first.
        #expect(report.gaps(in: zB).contains { $0.kind == .noPlace && $0.severity == .critical })
        #expect(report.ranking.first == zB && b.rank == 1 && a.rank == 2)
        // Every standard family is measured in every zone, overall first and equal to the zone's own figures.
        #expect(a.families.count == CoverageFamily.standard.count && a.families[0].meanDistanceKm == a.meanDistanceKm)
        // The place offers CEP 1 and "aider à trouver un emploi" to young people only.
        #expect(a.family(.service(.cep1))?.places == 1 && a.family(.service(.informerMetiers))?.places == 0)
        #expect(a.family(.public(.jeunes))?.meanDistanceKm == a.meanDistanceKm)
        #expect(a.family(.public(.demandeursEmploi))?.shareBeyondThreshold == 1)
    }

    @Test func noPlaceAtAllLeavesDistancesEmpty() {
        let report = CoverageCalculator(reference: pack).compute(places: [])
        #expect(report.zones.allSatisfy { $0.meanDistanceKm == nil && $0.places == 0 })
        #expect(report.nationalMeanDistanceKm == nil)
        // Nobody is within reach of a place: everyone is beyond the threshold, with no accessibility.
        #expect(report.zones.allSatisfy { $0.shareBeyondThreshold == 1 && $0.accessibility == 0 })
        #expect(report.zones.allSatisfy { $0.worstSeverity == .critical })
    }

    @Test func weightedPercentileHandlesTiesAndZeroWeights() {
        let pairs: [(value: Double, weight: Double)] = [(5, 0), (1, 1), (2, 1), (3, 2)]
        #expect(WeightedStats.percentile(pairs, 0.5) == 2)
        #expect(WeightedStats.percentile(pairs, 0.51) == 3)
        #expect(WeightedStats.percentile(pairs, 0) == 1)
        #expect(WeightedStats.mean(pairs) == (1 + 2 + 6) / 4.0)
        #expect(WeightedStats.mean([]) == nil)
    }

    @Test func nationalPopulationCountsArrondissementsNotTheirCommunes() {
        let real = TestReference.pack
        let report = CoverageCalculator(reference: real).compute(places: [])
        #expect(report.zoneCount == 306)
        #expect(report.zones.reduce(0) { $0 + $1.population } == real.totalPopulation)
        // Paris counted once: its 20 arrondissements sum to the commune's population.
        let paris = real.communes[CommuneCode(unchecked: "75056")]!.population
        let arrondissements = real.communeList.filter { $0.parent?.rawValue == "75056" }.reduce(0) { $0 + $1.population }
        #expect(paris == arrondissements && paris > 2_000_000)
    }

    @Test func csvHasOneRowPerZoneAndQuotesNames() {
        let report = CoverageCalculator(reference: pack).compute(places: [])
        var withComma = report
        withComma.zones[0].name = "Zone, A"
        let csv = CoverageWriter.csv(withComma).split(separator: "\n")
        #expect(csv.count == 3)
        #expect(csv[1].hasPrefix("0001,\"Zone, A\",84,84,5000,0,"))
    }
}
