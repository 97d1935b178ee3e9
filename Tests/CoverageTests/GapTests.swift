import Directory
import Foundation
import NationalDirectory
import Testing
@testable import Coverage

/// Each kind of gap appears when it should and not otherwise; zones are ranked by severity.
@Suite struct GapTests {
    typealias G = HandGeography

    func compute(_ places: [DirectoryPlace], lastUpdated: ((DirectoryPlace) -> Date?)? = nil,
                 requiring: Set<RegionCode> = [], options: CoverageOptions = CoverageOptions()) -> CoverageReport {
        CoverageCalculator(reference: G.pack, thresholdKm: 20, options: options)
            .compute(places: places, now: Self.now, lastUpdated: lastUpdated, regionsRequiringLieuMutualise: requiring)
    }

    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    func gaps(_ r: CoverageReport, _ kind: GapKind, _ zone: ZoneEmploiCode = G.zA) -> [CoverageGap] {
        r.gaps.filter { $0.kind == kind && $0.zone == zone }
    }

    /// Three places covering zone A for every standard family, each with CEP levels 1 and 2 for all publics.
    var wellServedA: [DirectoryPlace] {
        let everything = Service.aioMissions + [.cep1, .cep2]
        return [G.c1, G.c2, G.c3].enumerated().map { i, c in
            G.place("W\(i)", at: c, zone: G.zA, networks: [[.cio], [.franceTravail], [.capEmploi]][i], services: everything,
                    publics: [.tousPublics])
        }
    }

    @Test func aFamilyBeyondTheThresholdForASignificantShareIsAGap() throws {
        // VAE measured too, offered only at c1: c3 (1,000 of 5,000, 20%) is beyond 20 km, which reaches
        // the default 20% share.
        let withVAE = CoverageOptions(families: CoverageFamily.standard + [.service(.vae)])
        let places = wellServedA + [G.place("P1", at: G.c1, zone: G.zA, services: [.vae], publics: [.tousPublics])]
        let r = compute(places, options: withVAE)
        let vae = gaps(r, .familyBeyondThreshold).filter { $0.family == .service(.vae) }
        #expect(vae.count == 1)
        #expect(vae.first?.severity == .medium && vae.first?.population == 1000 && vae.first?.value == 0.2)
        #expect(vae.first?.message.contains("20\u{202F}% de la population (1\u{202F}000 habitants)") == true)
        #expect(vae.first?.message.contains("Validation des acquis") == true)
        // No other family of zone A is far: the well-served places cover every AIO mission and public.
        #expect(gaps(r, .familyBeyondThreshold).count == 1)
        // At a 25% share the same zone has no gap.
        var stricter = withVAE
        stricter.gapShare = 0.25
        #expect(gaps(compute(places, options: stricter), .familyBeyondThreshold).isEmpty)
    }

    @Test func severityGrowsWithTheShareBeyond() throws {
        // "Informer sur les métiers" only at c3: 80% of zone A beyond → critical; CEP 1 nowhere → 100% → critical.
        let r = compute([G.place("P2", at: G.c3, zone: G.zA, services: [.informerMetiers], publics: [.tousPublics])])
        let metiers = try #require(gaps(r, .familyBeyondThreshold).first { $0.family == .service(.informerMetiers) })
        #expect(metiers.severity == .critical && metiers.value == 0.8)
        let cep1 = try #require(gaps(r, .familyBeyondThreshold).first { $0.family == .service(.cep1) })
        #expect(cep1.value == 1 && cep1.message.contains("Aucun lieu de ce type"))
    }

    @Test func aZoneWithNoPlaceAtAllIsACriticalGap() {
        let r = compute(wellServedA)
        #expect(gaps(r, .noPlace, G.zB).count == 1)
        #expect(gaps(r, .noPlace, G.zB).first?.severity == .critical)
        #expect(gaps(r, .noPlace, G.zA).isEmpty)
    }

    @Test func manyNetworksTogetherWithoutALieuMutualiseIsOverConcentration() throws {
        let networks: [Network] = [.cio, .missionLocale, .franceTravail, .capEmploi, .apec]
        // Five networks in five places of c2, one of them 0.8 km away in another commune: a gap.
        var five = networks.dropLast().enumerated().map { i, n in G.place("N\(i)", at: G.c2, zone: G.zA, networks: [n]) }
        five.append(G.place("N4", at: GeoPoint(lat: 45.0, lon: 1.21), zone: G.zA, networks: [.apec], commune: "01003"))
        let r = compute(five)
        let g = try #require(gaps(r, .overConcentration).first)
        #expect(g.severity == .low && g.value == 5 && g.places.count == 5)
        #expect(g.message.contains("5 réseaux") && g.message.contains("sans aucun lieu mutualisé"))
        // Four networks only: no gap.
        #expect(gaps(compute(Array(five.dropLast())), .overConcentration).isEmpty)
        // The fifth network 3 km away (beyond 2 km) in another commune: no gap either.
        var far = Array(five.dropLast())
        far.append(G.place("N4", at: GeoPoint(lat: 45.0, lon: 1.24), zone: G.zA, networks: [.apec], commune: "01003"))
        #expect(gaps(compute(far), .overConcentration).isEmpty)
        // The same five networks with a lieu mutualisé among them: no gap.
        let shared = G.place("M", at: G.c2, zone: G.zA, networks: [.cio, .missionLocale])
        #expect(shared.place.isLieuMutualise)
        #expect(gaps(compute(five + [shared]), .overConcentration).isEmpty)
    }

    @Test func staleDataIsAGapOnlyWhenDatesAreGiven() throws {
        let places = wellServedA
        let old = Self.now.addingTimeInterval(-241 * 86_400), recent = Self.now.addingTimeInterval(-239 * 86_400)
        #expect(gaps(compute(places), .staleData).isEmpty)  // no dates: the rule is skipped
        let r = compute(places, lastUpdated: { $0.place.id == "W0" ? old : recent })
        let g = try #require(gaps(r, .staleData).first)
        #expect(g.places == ["84/W0"] && g.severity == .low && g.message.hasPrefix("1 lieu sur 3"))
        #expect(gaps(compute(places, lastUpdated: { _ in recent }), .staleData).isEmpty)
        #expect(gaps(compute(places, lastUpdated: { _ in nil }), .staleData).isEmpty)  // unknown is not stale
        // Most places stale: medium.
        #expect(gaps(compute(places, lastUpdated: { _ in old }), .staleData).first?.severity == .medium)
    }

    @Test func aFirstLevelPlaceNeedsALevelTwoRouteForItsPublicsInTheZone() throws {
        let first = G.place("L1", at: G.c1, zone: G.zA, services: [.cep1], publics: [.jeunes, .demandeursEmploi, .femmes])
        let r = compute([first])
        let g = gaps(r, .twoDoors)
        // Young people and job seekers are checked; women are not among the rule's publics.
        #expect(g.map(\.family) == [.public(.demandeursEmploi), .public(.jeunes)])
        #expect(g.allSatisfy { $0.severity == .high && $0.places == ["84/L1"] })
        #expect(g.first?.message.contains("CEP niveau 2") == true)
        // A level-2 place for young people only: the job seekers' gap remains.
        let jeunes2 = G.place("L2", at: G.c3, zone: G.zA, networks: [.cio], services: [.cep2], publics: [.jeunes])
        #expect(gaps(compute([first, jeunes2]), .twoDoors).map(\.family) == [.public(.demandeursEmploi)])
        // A tous-publics level-2 place in the zone closes both.
        let all2 = G.place("L3", at: G.c3, zone: G.zA, networks: [.cio], services: [.cep2], publics: [.tousPublics])
        #expect(gaps(compute([first, all2]), .twoDoors).isEmpty)
        // The same level-2 place in another zone does not count.
        let elsewhere = G.place("L4", at: G.c4, zone: G.zB, networks: [.cio], services: [.cep2], publics: [.tousPublics])
        #expect(gaps(compute([first, elsewhere]), .twoDoors).count == 2)
        // A tous-publics first-level place is checked for all four publics.
        let open1 = G.place("L5", at: G.c1, zone: G.zA, services: [.cep1], publics: [.tousPublics])
        #expect(gaps(compute([open1]), .twoDoors).count == 4)
        // First-level places that are their own level-2 route: nothing missing.
        #expect(gaps(compute(wellServedA), .twoDoors).isEmpty)
    }

    @Test func aCharterAskingForALieuMutualisePerBassinMakesItsZonesAccountable() throws {
        let single = G.place("S", at: G.c1, zone: G.zA, publics: [.tousPublics])
        // Région 84 asks for one: zones A and B (main Région 84) lack it; zone C answers to Région 75.
        let r = compute([single], requiring: [G.r84])
        #expect(gaps(r, .missingLieuMutualise).count == 1 && gaps(r, .missingLieuMutualise, G.zB).count == 1)
        #expect(gaps(r, .missingLieuMutualise, G.zC).isEmpty)
        #expect(gaps(r, .missingLieuMutualise).first?.message.contains("Auvergne-Rhône-Alpes") == true)
        // No Région asks: no gap.
        #expect(gaps(compute([single]), .missingLieuMutualise).isEmpty)
        // A lieu mutualisé for young people only does not count; one for all publics does.
        let youth = G.place("M1", at: G.c2, zone: G.zA, networks: [.missionLocale, .informationJeunesse], publics: [.jeunes])
        #expect(gaps(compute([single, youth], requiring: [G.r84]), .missingLieuMutualise).count == 1)
        let open = G.place("M2", at: G.c2, zone: G.zA, networks: [.cio, .franceTravail], publics: [.tousPublics])
        #expect(gaps(compute([single, open], requiring: [G.r84]), .missingLieuMutualise).isEmpty)
    }

    @Test func zonesAreRankedBySeverity() throws {
        let r = compute(wellServedA, requiring: [G.r84])
        // Zone B: no place (critical), all 11 families far (critical each), no lieu mutualisé (high).
        // Zone C: the same without the charter's rule. Zone A: only the missing lieu mutualisé.
        #expect(r.ranking == [G.zB, G.zC, G.zA])
        #expect(r.zones.map(\.rank) == [3, 1, 2])  // zones stay sorted by code
        let b = try #require(r.zone(G.zB)), c = try #require(r.zone(G.zC)), a = try #require(r.zone(G.zA))
        #expect(b.severityScore == 27 + 11 * 27 + 9 && c.severityScore == 27 + 11 * 27 && a.severityScore == 9)
        #expect(a.worstSeverity == .high && a.gapCount == 1)
        // Gaps come zone by zone in rank order, the most severe first.
        #expect(r.gaps.first?.zone == G.zB && r.gaps.last?.zone == G.zA)
        let bGaps = r.gaps(in: G.zB).map(\.severity)
        #expect(bGaps == bGaps.sorted(by: >))
        #expect(r.national.gapsByKind[GapKind.noPlace.rawValue] == 2)
    }

    @Test func regionViewsListStraddlingZonesInBothRegions() throws {
        let r = compute(wellServedA)
        let r84 = try #require(r.regions.first { $0.code == G.r84 }), r75 = try #require(r.regions.first { $0.code == G.r75 })
        #expect(r84.zones == [G.zA, G.zB, G.zC] && r84.straddlingZones == [G.zC])
        #expect(r75.zones == [G.zC] && r75.straddlingZones == [G.zC])
        // Each Région counts its own communes: 84 has c1-c4, 75 has c5.
        #expect(r84.totals.population == 5500 && r75.totals.population == 800)
        #expect(r84.totals.places == 3 && r75.totals.places == 0)
        #expect(r.national.population == 6300 && r.national.places == 3)
        #expect(r.zone(G.zC)?.straddlesRegions == true && r.zone(G.zA)?.straddlesRegions == false)
    }
}
