import Directory
import Foundation
import Reference

/// The CEP operators and State services: France Travail, Missions locales, CIO, Apec, Transitions Pro,
/// SCUIO, Afpa, EPIDE.
extension RegionBuilder {
    /// France Travail agencies in the larger communes, several in big cities; one SIREN nationally.
    func franceTravail() {
        var rng = stream("france_travail")
        let k = quotas[.franceTravail]
        let picks = pps(pool(minCity: lower(5_000), atLeast: k), count: k, weight: { Double($0.population) }, &rng)
        for (i, (u, label)) in zip(picks, labels(picks, &rng)).enumerated() {
            let name = "Agence France Travail " + label
            let contact = Contact(website: "https://www.francetravail.fr", email: nil, phone: phone(u, &rng))
            let s = addStructure(.franceTravail, name: name, unit: u, siret: sharedSIRET(.franceTravail, .franceTravail, index: i),
                                 contact: contact, &rng)
            addPlace(PlaceSpec(structures: [s], kind: .site, unit: u, name: name, hours: hours(.franceTravail, &rng),
                               phone: contact.phone), &rng)
        }
    }

    /// Missions locales: one per zone d'emploi first, then more in the big cities. Each covers the
    /// communes of its zone (zones without one go to the nearest) with antennes in towns and
    /// permanences in the town halls of smaller communes.
    func missionsLocales() {
        var rng = stream("mission_locale")
        let k = quotas[.missionLocale]
        var heads: [Int] = []
        for z in geo.zones where heads.count < k {
            let units = geo.unitsByZone[z]!
            let population = units.reduce(0) { $0 + geo.units[$1].population }
            if population < 30_000 && !heads.isEmpty { continue }
            heads.append(units[0])
        }
        if heads.count < k {
            let more = pool(minCity: lower(15_000), excluding: Set(heads), atLeast: 1)
            heads += pps(more, count: k - heads.count, weight: { Double($0.population) }, &rng)
        }
        heads.sort()
        var missions: [Int] = []
        for (u, label) in zip(heads, labels(heads, &rng)) {
            let unit = geo.units[u]
            let of = French.de(label)
            let name: String
            switch rng.unit() {
            case ..<0.35 where !unit.isArrondissement && unit.cityPopulation < 150_000: name = "Mission locale du Pays " + of
            case ..<0.75: name = "Mission locale " + of
            case ..<0.88: name = "Mission locale du bassin d'emploi " + of
            default: name = "Mission locale intercommunale " + of
            }
            let domain = "mission-locale-" + French.slug(label) + ".fr"
            let contact = Contact(website: "https://www." + domain, email: "contact@" + domain, phone: phone(u, &rng))
            missions.append(addStructure(.missionLocale, name: name, unit: u, siret: randomSIRET(&rng), contact: contact, &rng))
        }
        assignTerritories(missions)

        // Each Mission locale's communes, head office excluded.
        var territory: [Int: [Int]] = [:]
        for (u, m) in missionLocaleOfUnit.enumerated() where m >= 0 && homes[m] != u { territory[m, default: []].append(u) }
        let f = extraFactor(1.75 + 3.5)
        for m in missions {
            let name = structures[m].name
            let head = homes[m]
            let building = rng.chance(0.3)
                ? rng.pick(["Espace Jeunes", "Maison de la jeunesse", "Pôle jeunesse", "Maison des services"]) : nil
            addPlace(PlaceSpec(structures: [m], kind: .site, unit: head, name: name, hours: hours(.missionLocale, &rng),
                               building: building, phone: structures[m].phone), &rng)
            let communes = territory[m] ?? []
            let antennes = distinct(pool(communes, minCity: lower(2_500), atLeast: 0), count: rng.spread(mean: 1.75 * f),
                                    weight: { Double($0.population) }, &rng)
            for u in antennes {
                addPlace(PlaceSpec(structures: [m], kind: .antenne, unit: u, name: outpost(name, "antenne", u),
                                   hours: hours(.missionLocale, antenne: true, &rng), phone: phone(u, &rng)), &rng)
            }
            let small = pool(communes, minPop: 200, maxPop: 12_000, townHall: true, excluding: Set(antennes), atLeast: 0)
            for u in distinct(small, count: rng.spread(mean: 3.5 * f), weight: { Double($0.population).squareRoot() }, &rng) {
                let th = townHall(u)
                addPlace(PlaceSpec(structures: [m], kind: .permanence, unit: u, name: outpost(name, "permanence", u),
                                   hours: permanenceHours(th, &rng), townHall: th,
                                   phone: rng.chance(0.4) ? structures[m].phone : nil), &rng)
            }
        }
    }

    /// Every unit gets the Mission locale of its zone d'emploi (the nearest one when the zone has
    /// several); zones without one go to the Mission locale nearest to their largest commune.
    private func assignTerritories(_ missions: [Int]) {
        guard !missions.isEmpty else { return }
        var byZone: [ZoneEmploiCode: [Int]] = [:]
        for m in missions { byZone[geo.units[homes[m]].zone, default: []].append(m) }
        func nearestOf(_ candidates: [Int], _ u: Int) -> Int {
            let c = geo.units[u].commune.centre
            return candidates.min {
                approximateDistance(c, geo.units[homes[$0]].commune.centre) < approximateDistance(c, geo.units[homes[$1]].commune.centre)
            }!
        }
        for z in geo.zones where byZone[z] == nil {
            byZone[z] = [nearestOf(missions, geo.unitsByZone[z]![0])]
        }
        for u in geo.units.indices {
            let candidates = byZone[geo.units[u].zone]!
            missionLocaleOfUnit[u] = candidates.count == 1 ? candidates[0] : nearestOf(candidates, u)
        }
    }

    /// CIO in towns with lycées, a few with an antenne.
    func cio() {
        var rng = stream("cio")
        let k = quotas[.cio]
        let picks = pps(pool(minCity: lower(8_000), atLeast: k), count: k, weight: { pow08(Double($0.population)) }, &rng)
        for (u, label) in zip(picks, labels(picks, &rng)) {
            let unit = geo.units[u]
            let academie = French.academie(unit.departement)
            let name = "CIO " + French.de(label)
            let contact = Contact(website: "https://www.ac-\(academie).fr/cio-\(French.slug(label))",
                                  email: "cio.\(French.slug(label))@ac-\(academie).fr", phone: phone(u, &rng))
            let s = addStructure(.cio, name: name, unit: u, siret: namedSIRET("academie-" + academie, first: "17"), contact: contact, &rng)
            addPlace(PlaceSpec(structures: [s], kind: .site, unit: u, name: name, hours: hours(.cio, &rng), phone: contact.phone), &rng)
            let nearby = pool(geo.unitsByDepartement[unit.departement], minCity: lower(3_000), excluding: [u], atLeast: 0)
            for a in distinct(nearby, count: rng.count(mean: 0.06), weight: { Double($0.population) }, &rng) {
                addPlace(PlaceSpec(structures: [s], kind: .antenne, unit: a, name: outpost(name, "antenne", a),
                                   hours: hours(.cio, antenne: true, &rng), phone: contact.phone), &rng)
            }
        }
    }

    /// Apec centres in the big cities.
    func apec() {
        var rng = stream("apec")
        let k = quotas[.apec]
        let picks = pps(pool(minCity: lower(100_000), atLeast: max(k, 2)), count: k, weight: { Double($0.population) }, &rng)
        for (i, (u, label)) in zip(picks, labels(picks, &rng)).enumerated() {
            let name = "Centre Apec " + French.de(label)
            let contact = Contact(website: "https://www.apec.fr", email: nil, phone: phone(u, &rng))
            let s = addStructure(.apec, name: name, unit: u, siret: sharedSIRET(.apec, .apec, index: i), contact: contact, &rng)
            addPlace(PlaceSpec(structures: [s], kind: .site, unit: u, name: name, hours: hours(.apec, &rng),
                               building: rng.chance(0.4) ? "Centre d'affaires" : nil, phone: contact.phone), &rng)
        }
    }

    /// One Transitions Pro per région, with antennes in some other départements.
    func transitionsPro() {
        var rng = stream("transitions_pro")
        let head = 0
        let regionName = geo.name == "La Réunion" ? "Réunion" : geo.name
        let name = "Transitions Pro " + regionName
        let domain = "transitionspro-" + French.slug(regionName) + ".fr"
        let contact = Contact(website: "https://www." + domain, email: "contact@" + domain, phone: phone(head, &rng))
        let s = addStructure(.transitionsPro, name: name, unit: head, siret: randomSIRET(&rng), contact: contact, &rng)
        addPlace(PlaceSpec(structures: [s], kind: .site, unit: head, name: name, hours: hours(.transitionsPro, &rng),
                           phone: contact.phone), &rng)
        let f = extraFactor(0.45)
        for dep in geo.departements where dep.code != geo.units[head].departement {
            let candidates = Array(pool(geo.unitsByDepartement[dep.code], minCity: lower(10_000), atLeast: 2).prefix(Int(3 * f)))
            for u in distinct(candidates, count: rng.count(mean: 0.45 * f), weight: { Double($0.population) }, &rng) {
                addPlace(PlaceSpec(structures: [s], kind: .antenne, unit: u, name: outpost(name, "antenne", u),
                                   hours: hours(.transitionsPro, antenne: true, &rng), phone: contact.phone), &rng)
            }
        }
    }

    /// University guidance services, in university cities.
    func scuio() {
        var rng = stream("scuio")
        let k = quotas[.scuio]
        let picks = pps(pool(minCity: lower(50_000), atLeast: k), count: k, weight: { Double($0.population) }, &rng)
        for (u, label) in zip(picks, labels(picks, &rng)) {
            let slug = French.slug(label)
            let name = "SCUIO-IP de l'Université " + French.de(label)
            let contact = Contact(website: "https://www.univ-\(slug).fr/orientation", email: "scuio@univ-\(slug).fr", phone: phone(u, &rng))
            let siret = namedSIRET("univ-" + region.rawValue + "-" + slug, first: "19")
            let s = addStructure(.scuio, name: name, unit: u, siret: siret, contact: contact, &rng)
            addPlace(PlaceSpec(structures: [s], kind: .site, unit: u, name: name, hours: hours(.scuio, &rng),
                               building: "Campus universitaire", phone: contact.phone), &rng)
            let campus = pool(geo.unitsByDepartement[geo.units[u].departement], minCity: lower(12_000), excluding: [u], atLeast: 0)
            for c in distinct(campus, count: rng.count(mean: 0.15), weight: { Double($0.population) }, &rng) {
                addPlace(PlaceSpec(structures: [s], kind: .antenne, unit: c, name: outpost(name, "campus", c),
                                   hours: hours(.scuio, antenne: true, &rng), phone: contact.phone), &rng)
            }
        }
    }

    /// Afpa training centres; one SIREN nationally.
    func afpa() {
        var rng = stream("afpa")
        let k = quotas[.afpa]
        let picks = pps(pool(minCity: lower(10_000), atLeast: k), count: k, weight: { pow07(Double($0.population)) }, &rng)
        for (i, (u, label)) in zip(picks, labels(picks, &rng)).enumerated() {
            let name = "Centre Afpa " + French.de(label)
            let contact = Contact(website: "https://www.afpa.fr", email: nil, phone: phone(u, &rng))
            let s = addStructure(.afpa, name: name, unit: u, siret: sharedSIRET(.afpa, .afpa, index: i), contact: contact, &rng)
            addPlace(PlaceSpec(structures: [s], kind: .site, unit: u, name: name, hours: hours(.afpa, &rng), phone: contact.phone,
                               business: true), &rng)
        }
    }

    /// EPIDE centres, in medium towns of metropolitan France; one SIREN nationally.
    func epide() {
        var rng = stream("epide")
        let k = quotas[.epide]
        guard k > 0 else { return }
        let towns = pool(minCity: lower(5_000), maxCity: 150_000, atLeast: k)
        let picks = pps(towns, count: k, weight: { Double($0.population).squareRoot() }, &rng)
        for (i, (u, label)) in zip(picks, labels(picks, &rng)).enumerated() {
            let name = "Centre EPIDE " + French.de(label)
            let contact = Contact(website: "https://www.epide.fr", email: nil, phone: phone(u, &rng))
            let s = addStructure(.epide, name: name, unit: u, siret: sharedSIRET(.epide, .epide, index: i), contact: contact, &rng)
            addPlace(PlaceSpec(structures: [s], kind: .site, unit: u, name: name, hours: hours(.epide, &rng), phone: contact.phone), &rng)
        }
    }
}

func pow08(_ x: Double) -> Double { pow(x, 0.8) }
func pow07(_ x: Double) -> Double { pow(x, 0.7) }
