import Directory
import Foundation
import Reference
import SampleData
import Testing

@Suite("Sample generator: realistic content")
struct SampleContentTests {
    @Test("per-network counts are in plausible national ranges")
    func networkCounts() throws {
        let f = try Fixture.get()
        let s = SampleSummary(datasets: f.datasets)
        func check(_ n: Network, structures: ClosedRange<Int>? = nil, places: ClosedRange<Int>? = nil) {
            let c = s.counts(of: n)
            if let structures { #expect(structures.contains(c.structures), "\(n.rawValue): \(c.structures) structures") }
            if let places { #expect(places.contains(c.places), "\(n.rawValue): \(c.places) places") }
        }
        check(.franceTravail, structures: 800...1_000, places: 800...1_000)
        check(.missionLocale, structures: 400...480, places: 2_200...2_800)
        check(.cio, structures: 350...450)
        check(.informationJeunesse, structures: 1_150...1_500)
        check(.capEmploi, structures: 90...110)
        check(.apec, places: 35...60)
        check(.cidff, structures: 100...125, places: 250...500)
        check(.citeDesMetiers, places: 20...40)
        check(.transitionsPro, structures: 18...18)
        let chambres = s.counts(of: .cci).structures + s.counts(of: .cma).structures + s.counts(of: .chambreAgriculture).structures
        #expect((260...330).contains(chambres), "\(chambres) chambres consulaires")
        for n in Network.allCases where n != .other {
            #expect(s.counts(of: n).structures > 0, "no \(n.rawValue)")
        }
    }

    @Test("every région, overseas too, has the major networks")
    func majorNetworksEverywhere() throws {
        let f = try Fixture.get()
        for d in f.datasets {
            let networks = d.structures.map(\.network)
            for n in [Network.franceTravail, .missionLocale, .cio, .informationJeunesse, .capEmploi, .cidff, .cma,
                      .transitionsPro, .apec] {
                #expect(networks.contains(n), "région \(d.region) lacks \(n.rawValue)")
            }
            #expect(networks.filter { $0 == .franceTravail }.count >= 3, "région \(d.region)")
        }
    }

    @Test("every place references existing structures of its région, with exactly one host")
    func placeStructures() throws {
        let f = try Fixture.get()
        for d in f.datasets {
            let ids = Set(d.structures.map(\.id))
            for p in d.places {
                #expect(!p.structures.isEmpty)
                #expect(p.structures.filter(\.isHost).count == 1, "\(p.id)")
                #expect(Set(p.structures.map(\.structureId)).count == p.structures.count, "\(p.id) lists a structure twice")
                for s in p.structures { #expect(ids.contains(s.structureId), "\(p.id) -> \(s.structureId)") }
            }
            // Every structure has at least one place, hosted or shared.
            let present = Set(d.places.flatMap { $0.structures.map(\.structureId) })
            #expect(present == ids, "région \(d.region)")
        }
    }

    @Test("about 5% of places are lieux mutualisés")
    func lieuxMutualises() throws {
        let f = try Fixture.get()
        let places = f.datasets.flatMap(\.places)
        let share = Double(places.filter(\.isLieuMutualise).count) / Double(places.count)
        #expect((0.03...0.08).contains(share), "\(share)")
    }

    @Test("places lie in their own région, or for a border lieu in a bassin it shares; about 20% leave the commune code to the geocoder")
    func territory() throws {
        let f = try Fixture.get()
        var withoutCode = 0, total = 0, border: [String: Int] = [:]
        for d in f.datasets {
            for p in d.places {
                total += 1
                guard let code = p.address.communeCode else {
                    withoutCode += 1
                    continue
                }
                let commune = try #require(f.reference.communes[code], "\(p.id): unknown commune \(code)")
                let zone = try #require(f.reference.zones[commune.zone])
                if zone.regions.count > 1 && p.name.hasPrefix("Espace emploi du bassin") {
                    // Listed by every Région of the bassin, at the same address.
                    #expect(zone.regions.contains(d.region) && commune.region == zone.mainRegion, "\(p.id) in \(code)")
                    border[p.address.singleLine, default: 0] += 1
                    continue
                }
                #expect(commune.region == d.region, "\(p.id) in \(code) of région \(commune.region)")
                #expect(!commune.hasArrondissements, "\(p.id) should use an arrondissement, not \(code)")
            }
        }
        let share = Double(withoutCode) / Double(total)
        #expect((0.15...0.25).contains(share), "\(share)")
        let straddling = f.reference.zones.values.filter { $0.regions.count > 1 }
        #expect(border.count == straddling.count && border.values.allSatisfy { $0 == 2 }, "\(border)")
    }

    @Test("postcodes are La Poste's, or CEDEX-like in the right département; only a handful unresolvable")
    func postcodes() throws {
        let f = try Fixture.get()
        var unresolvable = 0, cedexOrLaPoste = 0, total = 0
        for d in f.datasets {
            let prefixes = Set(f.reference.communeList.filter { $0.region == d.region }.flatMap { $0.postcodes.map(\.departementPrefix) })
            for p in d.places {
                total += 1
                let a = p.address
                if a.city.hasPrefix("Lieu-dit ") {
                    unresolvable += 1
                    #expect(a.communeCode == nil)
                    continue
                }
                if a.city.uppercased().contains("CEDEX") || a.city == a.city.uppercased() { cedexOrLaPoste += 1 }
                if let entries = f.reference.postcodes[a.postcode] {
                    if let code = a.communeCode {
                        let dep = f.reference.communes[code]!.departement
                        #expect(entries.contains { f.reference.communes[$0.commune]!.departement == dep },
                                "\(p.id): \(a.postcode) is not in département \(dep)")
                    }
                } else {
                    #expect(prefixes.contains(a.postcode.departementPrefix), "\(p.id): \(a.postcode) \(a.city)")
                }
                #expect(!a.lines.isEmpty, "\(p.id) has no street line")
            }
        }
        #expect(unresolvable <= 10, "\(unresolvable) unresolvable addresses")
        let share = Double(cedexOrLaPoste) / Double(total)
        #expect((0.015...0.05).contains(share), "CEDEX or La Poste spelling: \(share)")
    }

    @Test("about 40% of places carry coordinates, a few of them deliberately wrong")
    func coordinates() throws {
        let f = try Fixture.get()
        let places = f.datasets.flatMap(\.places)
        let located = places.filter { $0.coordinates != nil }
        let share = Double(located.count) / Double(places.count)
        #expect((0.35...0.45).contains(share), "\(share)")
        var far = 0
        for p in located {
            let c = p.coordinates!
            #expect((-90...90).contains(c.lat) && (-180...180).contains(c.lon))
            if let code = p.address.communeCode, let commune = f.reference.communes[code],
               c.distance(to: commune.centre) > 15_000 || !c.isInFrance {
                far += 1
            }
        }
        let wrong = Double(far) / Double(places.count)
        #expect(far > 0 && wrong < 0.008, "\(far) places with coordinates far from their commune")
    }

    @Test("basis of membership and referencing follow the network")
    func referencing() throws {
        let f = try Fixture.get()
        var states: [ReferencingState: Int] = [:]
        for s in f.datasets.flatMap(\.structures) {
            switch s.network {
            case .franceTravail, .missionLocale, .capEmploi, .apec, .transitionsPro: #expect(s.basis == .cepOperatorByLaw, "\(s.id)")
            case .cci, .cma, .chambreAgriculture: #expect(s.basis == .chambreConsulaire, "\(s.id)")
            case .cio, .scuio: #expect(s.basis == .stateService, "\(s.id)")
            case .prcVAE: #expect(s.basis == .prcVAE, "\(s.id)")
            case .informationJeunesse, .cidff, .citeDesMetiers, .maisonEmploi, .plie, .e2c, .epide:
                #expect(s.basis == .regionalCharter, "\(s.id)")
            case .cibc, .mife, .other, .afpa: #expect(s.basis == .regionalCharter || s.basis == .regionalCEPOperator, "\(s.id)")
            }
            let r = s.referencing
            #expect(ISODay.parse(r.since) != nil, "\(s.id) since \(r.since)")
            if s.basis.isByLaw {
                #expect(r.state == .referenced && r.charterVersion == nil && r.validUntil == nil, "\(s.id)")
            } else {
                states[r.state, default: 0] += 1
                #expect(r.charterVersion == 1, "\(s.id)")
                if r.state == .referenced {
                    let since = try #require(ISODay.parse(r.since)), until = try #require(r.validUntil.flatMap(ISODay.parse))
                    #expect(ISODay.adding(months: 36, to: since) == until, "\(s.id)")
                }
            }
        }
        let charterBased = states.values.reduce(0, +)
        #expect(Double(states[.referenced] ?? 0) / Double(charterBased) > 0.75)
        for state in [ReferencingState.applied, .underReview, .suspended] {
            #expect((states[state] ?? 0) > 0, "no \(state.rawValue)")
        }
    }

    @Test("a regional CEP operator carries its designation, decided when it took part, the CREFOP consulted before; no other structure has one")
    func designations() throws {
        let f = try Fixture.get()
        var operators = 0
        for s in f.datasets.flatMap(\.structures) {
            guard s.basis == .regionalCEPOperator else {
                #expect(s.designation == nil, "\(s.id)")
                continue
            }
            operators += 1
            let d = try #require(s.designation, "\(s.id)")
            let decided = try #require(ISODay.parse(d.decidedOn)), consulted = try #require(ISODay.parse(d.crefopConsultedOn))
            #expect(d.decidedOn == s.referencing.since && consulted < decided && !d.sellsTraining, "\(s.id)")
        }
        #expect(operators > 0)
    }

    @Test("contact details look French")
    func contacts() throws {
        let f = try Fixture.get()
        for d in f.datasets {
            for s in d.structures {
                let phone = try #require(s.phone, "\(s.id)")
                let pairs = phone.split(separator: " ")
                #expect(pairs.count == 5 && pairs.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isNumber) }, "\(s.id): \(phone)")
                #expect(phone.hasPrefix("0"))
                if d.region.rawValue == "11" { #expect(phone.hasPrefix("01 "), "\(s.id): \(phone)") }
                if d.region.rawValue == "04" { #expect(phone.hasPrefix("02 62 "), "\(s.id): \(phone)") }
                if let w = s.website { #expect(w.hasPrefix("https://"), "\(s.id)") }
                if let e = s.email { #expect(e.contains("@") && !e.contains(" "), "\(s.id)") }
            }
        }
    }

    @Test("opening hours are OSM-like; permanences open a few hours, in town halls mostly")
    func openingHours() throws {
        let f = try Fixture.get()
        // "Mo-We,Fr 08:30-12:00,13:30-17:00"
        let rule = #/^[A-Z][a-z](-[A-Z][a-z])?(,[A-Z][a-z](-[A-Z][a-z])?)* \d\d:\d\d-\d\d:\d\d(,\d\d:\d\d-\d\d:\d\d)*$/#
        var permanences = 0, inTownHalls = 0
        for p in f.datasets.flatMap(\.places) {
            if let h = p.openingHours {
                for r in h.split(separator: "; ") where r != "PH off" {
                    #expect(String(r).wholeMatch(of: rule) != nil, "\(p.id): \(h)")
                }
            }
            if p.kind == .permanence {
                permanences += 1
                if p.address.lines.first == "Mairie" || p.address.lines.first?.lowercased().hasPrefix("mairie") == true
                    || p.address.lines.first?.lowercased().hasPrefix("hôtel de ville") == true {
                    inTownHalls += 1
                }
            }
        }
        #expect(permanences > 1_000)
        #expect(inTownHalls == permanences)
    }

    @Test("publics and services fit the network")
    func publicsAndServices() throws {
        let f = try Fixture.get()
        for d in f.datasets {
            let network = Dictionary(uniqueKeysWithValues: d.structures.map { ($0.id, $0.network) })
            for p in d.places {
                #expect(!p.publics.isEmpty && !p.services.isEmpty && !p.receptionModes.isEmpty, "\(p.id)")
                let host = network[p.structures.first(where: \.isHost)!.structureId]!
                switch host {
                case .missionLocale: #expect(p.publics.contains(.jeunes) && p.services.contains(.cep1), "\(p.id)")
                case .capEmploi: #expect(p.publics.contains(.personnesHandicapees), "\(p.id)")
                case .apec: #expect(p.publics.contains(.cadres), "\(p.id)")
                case .cidff: #expect(p.publics.contains(.femmes), "\(p.id)")
                case .prcVAE: #expect(p.services.contains(.vae), "\(p.id)")
                case .cibc: #expect(p.services.contains(.bilanCompetences), "\(p.id)")
                case .franceTravail: #expect(p.publics.contains(.demandeursEmploi) && p.services.contains(.aiderEmploi), "\(p.id)")
                default: break
                }
            }
        }
        let places = f.datasets.flatMap(\.places)
        let accessible = Double(places.filter(\.accessible).count) / Double(places.count)
        #expect((0.65...0.9).contains(accessible), "\(accessible)")
        #expect(f.datasets.first { $0.region.rawValue == "53" }!.places.contains { $0.languages.contains("br") })
    }

    @Test("indicators are aggregates with units, about existing subjects, one value per period")
    func indicators() throws {
        let f = try Fixture.get()
        let units = ["visits": "persons", "first_receptions": "persons", "share_without_appointment": "percent",
                     "median_delay_days": "days", "satisfaction_rate": "percent", "hours_open_per_week": "hours_per_week",
                     "trained_staff": "count"]
        for d in f.datasets {
            #expect(!d.indicators.isEmpty)
            let places = Set(d.places.map(\.id)), structures = Set(d.structures.map(\.id))
            var keys = Set<String>()
            for i in d.indicators {
                #expect(units[i.code] == i.unit, "\(i.code) in \(i.unit)")
                #expect(i.period == "2025" || i.period == "2026-Q3")
                #expect(i.value >= 0 && i.value.isFinite)
                if i.unit == "percent" { #expect(i.value <= 100) }
                #expect((i.subject == .place ? places : structures).contains(i.subjectId), "\(i.subjectId)")
                #expect(keys.insert("\(i.subject)|\(i.subjectId)|\(i.code)|\(i.period)").inserted)
            }
        }
    }
}
