import Directory
import Foundation
import Reference
import SampleData
import Testing

@Suite("Sample generator: shape and determinism")
struct SampleGeneratorTests {
    func encoded(_ datasets: [RegionDataset]) throws -> [Data] {
        try datasets.map { try SproJSON.encoder().encode($0) }
    }

    @Test("the same seed gives byte-identical JSON; another seed differs")
    func determinism() throws {
        let f = try Fixture.get()
        let again = SampleGenerator(reference: f.reference, townHalls: f.townHalls, seed: 2014).generate()
        #expect(try encoded(again) == encoded(f.datasets))
        let other = SampleGenerator(reference: f.reference, townHalls: f.townHalls, seed: 7).generate()
        #expect(try encoded(other) != encoded(f.datasets))
    }

    @Test("one dataset per région of regions.csv, sorted by code")
    func regions() throws {
        let f = try Fixture.get()
        #expect(f.datasets.count == 18)
        #expect(f.datasets.map(\.region) == f.reference.regions.keys.sorted())
        #expect(f.generator.regions == f.datasets.map(\.region))
    }

    @Test("about 8,000 places nationally")
    func total() throws {
        let f = try Fixture.get()
        let places = f.datasets.reduce(0) { $0 + $1.places.count }
        #expect((7_700...8_800).contains(places), "\(places) places")
    }

    @Test("generate(region:) equals that région's entry in generate()")
    func singleRegion() throws {
        let f = try Fixture.get()
        for d in f.datasets {
            #expect(f.generator.generate(region: d.region) == d, "région \(d.region)")
        }
    }

    @Test("datasets survive a JSON round trip (codes validate on decoding)")
    func roundTrip() throws {
        let f = try Fixture.get()
        for d in f.datasets {
            let back = try SproJSON.decoder().decode(RegionDataset.self, from: SproJSON.encoder().encode(d))
            #expect(back == d, "région \(d.region)")
        }
    }

    @Test("identifiers are unique and carry their région")
    func identifiers() throws {
        let f = try Fixture.get()
        var structureIds = Set<String>(), placeIds = Set<String>()
        for d in f.datasets {
            for s in d.structures {
                #expect(structureIds.insert(s.id).inserted, "duplicate structure \(s.id)")
                #expect(s.id.hasPrefix(d.region.rawValue + "-"))
            }
            for p in d.places {
                #expect(placeIds.insert(p.id).inserted, "duplicate place \(p.id)")
                #expect(p.id.hasPrefix(d.region.rawValue + "-"))
            }
        }
    }

    @Test("every SIRET passes the Luhn check, and so does its SIREN; only the border lieux' structures share one, across Régions")
    func sirets() throws {
        let f = try Fixture.get()
        var regionsOf: [String: [RegionCode]] = [:], networksOf: [String: Set<Network>] = [:]
        for d in f.datasets {
            var seen = Set<String>()
            for s in d.structures {
                let siret = try #require(s.siret, "\(s.id) has no SIRET")
                #expect(seen.insert(siret.rawValue).inserted, "\(s.id) reuses SIRET \(siret) in its Région")
                #expect(throws: Never.self) { try SIRET(siret.rawValue) }
                #expect(luhn(siret.siren), "\(s.id) SIREN \(siret.siren)")
                regionsOf[siret.rawValue, default: []].append(d.region)
                networksOf[siret.rawValue, default: []].insert(s.network)
            }
        }
        // Two structures (a Maison de l'emploi and a PLIE) per bassin d'emploi straddling Régions, listed by each.
        let straddling = f.reference.zones.values.filter { $0.regions.count > 1 }
        let shared = regionsOf.filter { $0.value.count > 1 }
        #expect(shared.count == 2 * straddling.count)
        #expect(shared.values.reduce(0) { $0 + $1.count } == 2 * straddling.reduce(0) { $0 + $1.regions.count })
        #expect(shared.keys.allSatisfy { networksOf[$0] == [.maisonEmploi] || networksOf[$0] == [.plie] })
    }

    @Test("scale 10 gives about 80,000 places with unique identifiers")
    func scaleTen() throws {
        let f = try Fixture.get()
        let big = SampleGenerator(reference: f.reference, townHalls: f.townHalls, seed: 2014, scale: 10).generate()
        let places = big.flatMap(\.places)
        #expect((70_000...90_000).contains(places.count), "\(places.count) places")
        #expect(Set(places.map(\.id)).count == places.count)
        let structures = big.flatMap(\.structures)
        #expect(Set(structures.map(\.id)).count == structures.count)
    }

    @Test("the summary adds up")
    func summary() throws {
        let f = try Fixture.get()
        let s = SampleSummary(datasets: f.datasets)
        #expect(s.places == f.datasets.reduce(0) { $0 + $1.places.count })
        #expect(s.networks.reduce(0) { $0 + $1.places } == s.places)
        #expect(s.networks.reduce(0) { $0 + $1.structures } == s.structures)
        #expect(s.regions.count == 18)
        #expect(s.description.contains("mission_locale"))
    }
}

/// Luhn check over a digit string.
func luhn(_ digits: String) -> Bool {
    var sum = 0
    for (i, c) in digits.utf8.reversed().enumerated() {
        let v = Int(c) - 48
        if i % 2 == 1 {
            let d = v * 2
            sum += d > 9 ? d - 9 : d
        } else {
            sum += v
        }
    }
    return sum % 10 == 0
}
