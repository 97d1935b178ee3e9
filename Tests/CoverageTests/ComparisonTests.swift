import Directory
import Foundation
import NationalDirectory
import Testing
@testable import Coverage

/// Comparing two harvests: what improved, what got worse, which gaps appeared or were resolved.
@Suite struct ComparisonTests {
    typealias G = HandGeography

    /// A Mission locale at c1 (CEP 1 for young people); France Travail at c2 and c3 (CEP 2 and "aider à
    /// trouver un emploi" for young people and job seekers); a CIO at c2 with the six missions for everyone.
    var before: [DirectoryPlace] {
        [G.place("ML", at: G.c1, zone: G.zA, networks: [.missionLocale], services: [.cep1, .accompagnerInsertion], publics: [.jeunes]),
         G.place("FT1", at: G.c2, zone: G.zA, networks: [.franceTravail], services: [.cep2, .aiderEmploi],
                 publics: [.jeunes, .demandeursEmploi]),
         G.place("FT2", at: G.c3, zone: G.zA, networks: [.franceTravail], services: [.cep2, .aiderEmploi],
                 publics: [.jeunes, .demandeursEmploi]),
         G.place("CIO", at: G.c2, zone: G.zA, networks: [.cio], services: Service.aioMissions, publics: [.tousPublics])]
    }

    func report(_ places: [DirectoryPlace], day: Double) -> CoverageReport {
        CoverageCalculator(reference: G.pack).compute(places: places, now: Date(timeIntervalSince1970: 1_780_000_000 + day * 86_400))
    }

    @Test func removingANetworksPlacesInAZoneShowsItsGapsAppearing() throws {
        let old = report(before, day: 0)
        let afterPlaces = before.filter { !($0.networks.contains(.franceTravail) && $0.location.zone == G.zA) }
        let new = report(afterPlaces, day: 30)
        let aiderEmploi = CoverageFamily.service(.aiderEmploi)
        // Before: "aider à trouver un emploi" at c2 (FT1, CIO) and c3 (FT2); c1 is d12 from c2, under 20 km.
        #expect(old.zone(G.zA)?.family(aiderEmploi)?.shareBeyondThreshold == 0)
        #expect(!old.gaps(in: G.zA).contains { $0.kind == .twoDoors || $0.family == aiderEmploi })
        // After: only the CIO at c2 offers it; c3 (d23) is beyond 20 km: 1,000 of 5,000 people.
        #expect(new.zone(G.zA)?.family(aiderEmploi)?.shareBeyondThreshold == 0.2)

        let c = CoverageComparison(before: old, after: new)
        let appeared = Set(c.gapsAppeared.filter { $0.zone == G.zA }.map { "\($0.kind.rawValue) \($0.family?.key ?? "")" })
        #expect(appeared.contains("famille_eloignee service:aider_emploi"))
        #expect(appeared.contains("deux_portes public:jeunes_16_25"))  // the ML's young people lost their level-2 route
        #expect(c.gapsResolved.isEmpty)
        // The indicators of zone A that moved, and which way.
        let emploi = c.changes.filter { $0.zone == G.zA && $0.family == aiderEmploi }
        #expect(emploi.first { $0.indicator == .places }.map { ($0.before, $0.after, $0.verdict) }! == (3, 1, .worsened))
        let mean = try #require(emploi.first { $0.indicator == .meanDistanceKm })
        #expect(abs(mean.before! - G.d12 * 1000 / 5000) < 1e-9)
        #expect(mean.verdict == .worsened && abs(mean.after! - (G.d12 * 1000 + G.d23 * 1000) / 5000) < 1e-9)
        #expect(c.changes.contains { $0.zone == G.zA && $0.indicator == .severityScore && $0.verdict == .worsened })
        #expect(c.changes.allSatisfy { $0.verdict == .worsened })
        // Zone A tops the balance.
        #expect(c.zones.first?.zone == G.zA && (c.zones.first?.gapsAppeared ?? 0) >= 2)

        // The other way round, the same gaps are resolved and the same indicators improve.
        let back = CoverageComparison(before: new, after: old)
        #expect(back.gapsResolved.count == c.gapsAppeared.count && back.gapsAppeared.isEmpty)
        #expect(back.improvedCount == c.worsenedCount && back.worsenedCount == 0)
        #expect(back.summary.contains("lacunes apparues"))
    }

    @Test func twoIdenticalHarvestsShowNoChange() {
        let c = CoverageComparison(before: report(before, day: 0), after: report(before, day: 1))
        #expect(c.changes.isEmpty && c.gapsAppeared.isEmpty && c.gapsResolved.isEmpty && c.zones.isEmpty)
    }

    @Test func aFamilyGettingItsFirstPlacesIsAnImprovement() throws {
        // CEP 3 is not measured by default: add it. Nobody offers it before; places at c2 and c3 after.
        let calculator = CoverageCalculator(reference: G.pack, options: CoverageOptions(families: [.service(.cep3)]))
        let cep3 = [G.c2, G.c3].enumerated().map { i, c in
            G.place("C\(i)", at: c, zone: G.zA, networks: [.apec], services: [.cep3], publics: [.cadres])
        }
        let c = CoverageComparison(before: calculator.compute(places: before), after: calculator.compute(places: before + cep3))
        let mean = try #require(c.changes.first { $0.zone == G.zA && $0.family == .service(.cep3) && $0.indicator == .meanDistanceKm })
        #expect(mean.before == nil && mean.verdict == .improved)
        #expect(c.gapsResolved.contains { $0.zone == G.zA && $0.kind == .familyBeyondThreshold && $0.family == .service(.cep3) })
    }
}
