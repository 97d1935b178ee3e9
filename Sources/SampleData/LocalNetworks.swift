import Directory
import Foundation
import Reference

/// Networks rooted in départements and towns: Information Jeunesse, Cap emploi, CIDFF, chambres
/// consulaires, E2C, PRC VAE, CIBC, MIFE, PLIE.
extension RegionBuilder {
    /// Information Jeunesse: the CRIJ in the largest city, BIJ in towns, many PIJ in small towns,
    /// often in the town hall.
    func informationJeunesse() {
        var rng = stream("information_jeunesse")
        let k = quotas[.informationJeunesse]
        let regionName = geo.name == "La Réunion" ? "Réunion" : geo.name
        let crijName = region.rawValue == "11" ? "CIDJ – Centre d'information et de documentation jeunesse" : "CRIJ " + regionName
        let crijDomain = region.rawValue == "11" ? "cidj.com" : "crij-" + French.slug(regionName) + ".fr"
        let crijContact = Contact(website: "https://www." + crijDomain, email: "contact@" + crijDomain, phone: phone(0, &rng))
        let crij = addStructure(.informationJeunesse, name: crijName, unit: 0, siret: randomSIRET(&rng), contact: crijContact, &rng)
        addPlace(PlaceSpec(structures: [crij], kind: .site, unit: 0, name: crijName, hours: hours(.informationJeunesse, &rng),
                           phone: crijContact.phone), &rng)

        let bijCount = max(1, Int((0.12 * Double(k - 1)).rounded()))
        let bij = pps(pool(minCity: lower(15_000), atLeast: bijCount), count: bijCount, weight: { Double($0.population) }, &rng)
        for (u, label) in zip(bij, labels(bij, &rng)) {
            let name = "BIJ " + French.de(label)
            let town = "ville-" + French.slug(geo.units[u].cityName) + ".fr"
            let contact = Contact(website: "https://www.\(town)/bij", email: "bij@" + town, phone: phone(u, &rng))
            let siret = rng.chance(0.5) ? communeSIRET(u) : randomSIRET(&rng)
            let s = addStructure(.informationJeunesse, name: name, unit: u, siret: siret, contact: contact, &rng)
            addPlace(PlaceSpec(structures: [s], kind: .site, unit: u, name: name, hours: hours(.informationJeunesse, &rng),
                               building: rng.chance(0.3) ? "Espace Jeunesse" : nil, phone: contact.phone), &rng)
        }

        let pijCount = max(0, k - 1 - bijCount)
        let small = pool(minCity: lower(1_000), maxCity: 40_000, atLeast: pijCount)
        for u in distinct(small, count: pijCount, weight: { pow(Double($0.population), 0.6) }, &rng) {
            let unit = geo.units[u]
            let name = (rng.chance(0.8) ? "PIJ " : "Point Information Jeunesse ") + French.de(unit.shortName)
            let town = "ville-" + French.slug(unit.cityName) + ".fr"
            let contact = Contact(website: rng.chance(0.5) ? "https://www.\(town)/jeunesse" : nil, email: "pij@" + town,
                                  phone: phone(u, &rng))
            let siret = rng.chance(0.6) ? communeSIRET(u) : randomSIRET(&rng)
            let s = addStructure(.informationJeunesse, name: name, unit: u, siret: siret, contact: contact, &rng)
            let th = rng.chance(0.4) ? townHall(u) : nil
            addPlace(PlaceSpec(structures: [s], kind: .site, unit: u, name: name,
                               hours: hours(.informationJeunesse, antenne: true, &rng), townHall: th, phone: contact.phone), &rng)
        }
    }

    /// One Cap emploi per département, with a few antennes and permanences.
    func capEmploi() {
        var rng = stream("cap_emploi")
        let f = extraFactor(0.6 + 0.45)
        for dep in geo.departements {
            guard let units = geo.unitsByDepartement[dep.code], let head = units.first else { continue }
            let name = "Cap emploi " + French.departement(dep.name)
            let domain = "capemploi" + dep.code.rawValue.lowercased() + ".com"
            let contact = Contact(website: "https://www." + domain, email: "contact@" + domain, phone: phone(head, &rng))
            let s = addStructure(.capEmploi, name: name, unit: head, siret: randomSIRET(&rng), contact: contact, &rng)
            addPlace(PlaceSpec(structures: [s], kind: .site, unit: head, name: name, hours: hours(.capEmploi, &rng),
                               phone: contact.phone), &rng)
            addOutposts(s, in: units, antennes: 0.6 * f, antenneMinCity: 8_000, permanences: 0.45 * f, &rng)
        }
    }

    /// A CIDFF per département (two in the most populous), each with permanences in town halls.
    func cidff() {
        var rng = stream("cidff")
        let f = extraFactor(2.3)
        for dep in geo.departements {
            guard let units = geo.unitsByDepartement[dep.code], !units.isEmpty else { continue }
            let population = units.reduce(0) { $0 + geo.units[$1].population }
            let heads = population > 1_400_000 && units.count > 1 ? [units[0], units[1]] : [units[0]]
            for (i, head) in heads.enumerated() {
                let name = i == 0 ? "CIDFF " + French.departement(dep.name) : "CIDFF " + French.de(geo.units[head].shortName)
                let domain = "cidff" + (i == 0 ? dep.code.rawValue.lowercased() : "-" + French.slug(geo.units[head].shortName)) + ".fr"
                let contact = Contact(website: "https://www." + domain, email: "contact@" + domain, phone: phone(head, &rng))
                let s = addStructure(.cidff, name: name, unit: head, siret: randomSIRET(&rng), contact: contact, &rng)
                addPlace(PlaceSpec(structures: [s], kind: .site, unit: head, name: name, hours: hours(.cidff, &rng),
                                   phone: contact.phone), &rng)
                addOutposts(s, in: units, antennes: 0, antenneMinCity: 0, permanences: 2.3 * f, permanenceMaxPop: 40_000, &rng)
            }
        }
    }

    /// CCI, CMA and chambre d'agriculture per département (Île-de-France has one regional chambre
    /// d'agriculture; a few small départements share their neighbour's CCI).
    func chambres() {
        var rng = stream("chambres")
        let f = extraFactor(0.15)
        var hasCCI = false
        var regionalAgriculture: Int?
        for (n, dep) in geo.departements.enumerated() {
            guard let units = geo.unitsByDepartement[dep.code], let head = units.first else { continue }
            let population = units.reduce(0) { $0 + geo.units[$1].population }
            let of = French.departement(dep.name)
            var kinds: [(Network, String)] = []
            let lastChance = n == geo.departements.count - 1 && !hasCCI
            if population >= 220_000 || lastChance || rng.chance(0.5) {
                kinds.append((.cci, "CCI " + of))
                hasCCI = true
            }
            kinds.append((.cma, "Chambre de métiers et de l'artisanat " + of))
            if region.rawValue != "11" {
                kinds.append((.chambreAgriculture, "Chambre d'agriculture " + of))
            }
            for (network, name) in kinds {
                let site = network == .chambreAgriculture && units.count > 1 && rng.chance(0.3) ? units[1] : head
                let domain = NetworkProfile.of(network).code.lowercased() + "-" + French.slug(dep.name) + ".fr"
                let contact = Contact(website: "https://www." + domain, email: "contact@" + domain, phone: phone(site, &rng))
                let s = addStructure(network, name: name, unit: site, siret: randomSIRET(&rng), contact: contact, &rng)
                addPlace(PlaceSpec(structures: [s], kind: .site, unit: site, name: name, hours: hours(network, &rng),
                                   phone: contact.phone, business: network != .chambreAgriculture), &rng)
                addOutposts(s, in: units, antennes: 0.15 * f, antenneMinCity: 5_000, permanences: 0, &rng)
            }
            // Île-de-France: one chambre d'agriculture for the région, present in its rural départements.
            if region.rawValue == "11", ["77", "78", "91", "95"].contains(dep.code.rawValue) {
                let name = "Chambre d'agriculture de région Île-de-France"
                if regionalAgriculture == nil {
                    let contact = Contact(website: "https://www.chambre-agriculture-idf.fr", email: "contact@chambre-agriculture-idf.fr",
                                          phone: phone(head, &rng))
                    regionalAgriculture = addStructure(.chambreAgriculture, name: name, unit: head, siret: randomSIRET(&rng),
                                                       contact: contact, &rng)
                }
                let s = regionalAgriculture!
                addPlace(PlaceSpec(structures: [s], kind: placeNumbers[s] == 0 ? .site : .antenne, unit: head,
                                   name: name + " – " + dep.name, hours: hours(.chambreAgriculture, &rng),
                                   phone: structures[s].phone), &rng)
            }
        }
    }

    /// Écoles de la deuxième chance, some with several sites.
    func e2c() {
        var rng = stream("e2c")
        let k = quotas[.e2c]
        let picks = pps(pool(minCity: lower(20_000), atLeast: k), count: k, weight: { Double($0.population) }, &rng)
        for (u, label) in zip(picks, labels(picks, &rng)) {
            let name = "École de la deuxième chance " + French.de(label)
            let domain = "e2c-" + French.slug(label) + ".fr"
            let contact = Contact(website: "https://www." + domain, email: "contact@" + domain, phone: phone(u, &rng))
            let s = addStructure(.e2c, name: name, unit: u, siret: randomSIRET(&rng), contact: contact, &rng)
            addPlace(PlaceSpec(structures: [s], kind: .site, unit: u, name: name, hours: hours(.e2c, &rng), phone: contact.phone,
                               business: true), &rng)
            let others = pool(geo.unitsByDepartement[geo.units[u].departement], minCity: lower(5_000), excluding: [u], atLeast: 0)
            for o in distinct(others, count: rng.spread(mean: 1.5), weight: { Double($0.population) }, &rng) {
                addPlace(PlaceSpec(structures: [s], kind: .site, unit: o, name: name + " – site " + French.de(geo.units[o].shortName),
                                   hours: hours(.e2c, &rng), phone: phone(o, &rng)), &rng)
            }
        }
    }

    /// Points relais conseil VAE, run by GRETA, CIBC or local bodies.
    func prcVAE() {
        var rng = stream("prc_vae")
        let k = quotas[.prcVAE]
        let picks = pps(pool(minCity: lower(3_000), atLeast: k), count: k, weight: { pow08(Double($0.population)) }, &rng)
        for (u, label) in zip(picks, labels(picks, &rng)) {
            let of = French.de(label)
            let name = rng.weighted([
                ("Point relais conseil VAE " + of, 0.4), ("Point relais conseil VAE – GRETA " + of, 0.25),
                ("Point relais conseil VAE – CIBC " + of, 0.15), ("Point relais conseil VAE – Maison de l'emploi " + of, 0.1),
                ("Point relais conseil VAE – Maison de la formation " + of, 0.1),
            ])
            let domain = "vae-" + French.slug(label) + ".fr"
            let contact = Contact(website: rng.chance(0.5) ? "https://www." + domain : nil, email: "prc@" + domain, phone: phone(u, &rng))
            let s = addStructure(.prcVAE, name: name, unit: u, siret: randomSIRET(&rng), contact: contact, &rng)
            addPlace(PlaceSpec(structures: [s], kind: .site, unit: u, name: name,
                               hours: hours(.prcVAE, antenne: rng.chance(0.5), &rng), phone: contact.phone), &rng)
        }
    }

    /// CIBC (bilans de compétences) in about 60% of départements; some designated regional CEP operators.
    func cibc() {
        var rng = stream("cibc")
        let f = extraFactor(2)
        var any = false
        for (n, dep) in geo.departements.enumerated() {
            guard let units = geo.unitsByDepartement[dep.code], let head = units.first else { continue }
            guard rng.chance(0.6) || (n == geo.departements.count - 1 && !any) else { continue }
            any = true
            let name = rng.chance(0.5) ? "CIBC " + French.departement(dep.name) : "CIBC " + French.de(geo.units[head].shortName)
            let domain = "cibc-" + French.slug(dep.name) + ".fr"
            let contact = Contact(website: "https://www." + domain, email: "contact@" + domain, phone: phone(head, &rng))
            let basis: BasisOfMembership = rng.chance(0.3) ? .regionalCEPOperator : .regionalCharter
            let s = addStructure(.cibc, name: name, unit: head, basis: basis, siret: randomSIRET(&rng), contact: contact, &rng)
            addPlace(PlaceSpec(structures: [s], kind: .site, unit: head, name: name, hours: hours(.cibc, &rng), phone: contact.phone), &rng)
            addOutposts(s, in: units, antennes: 1.0 * f, antenneMinCity: 8_000, permanences: 1.0 * f, &rng)
        }
    }

    /// Maisons de l'information sur la formation et l'emploi, in larger towns.
    func mife() {
        var rng = stream("mife")
        let k = quotas[.mife]
        let picks = pps(pool(minCity: lower(20_000), atLeast: k), count: k, weight: { Double($0.population) }, &rng)
        for (u, label) in zip(picks, labels(picks, &rng)) {
            let name = "MIFE " + French.de(label)
            let domain = "mife-" + French.slug(label) + ".fr"
            let contact = Contact(website: "https://www." + domain, email: "contact@" + domain, phone: phone(u, &rng))
            let basis: BasisOfMembership = rng.chance(0.25) ? .regionalCEPOperator : .regionalCharter
            let s = addStructure(.mife, name: name, unit: u, basis: basis, siret: randomSIRET(&rng), contact: contact, &rng)
            addPlace(PlaceSpec(structures: [s], kind: .site, unit: u, name: name, hours: hours(.mife, &rng), phone: contact.phone), &rng)
            addOutposts(s, in: geo.unitsByDepartement[geo.units[u].departement] ?? [], antennes: 0.15, antenneMinCity: 8_000,
                        permanences: 0, &rng)
        }
    }

    /// PLIE (plans locaux pour l'insertion et l'emploi) in urban areas, a few with permanences.
    func plie() {
        var rng = stream("plie")
        let k = quotas[.plie]
        let picks = pps(pool(minCity: lower(15_000), atLeast: k), count: k, weight: { Double($0.population) }, &rng)
        for (u, label) in zip(picks, labels(picks, &rng)) {
            let name = (rng.chance(0.5) ? "PLIE " : "PLIE de l'agglomération ") + French.de(label)
            let domain = "plie-" + French.slug(label) + ".fr"
            let contact = Contact(website: rng.chance(0.6) ? "https://www." + domain : nil, email: "contact@" + domain,
                                  phone: phone(u, &rng))
            let s = addStructure(.plie, name: name, unit: u, siret: randomSIRET(&rng), contact: contact, &rng)
            addPlace(PlaceSpec(structures: [s], kind: .site, unit: u, name: name, hours: hours(.plie, &rng), phone: contact.phone), &rng)
            addOutposts(s, in: geo.unitsByZone[geo.units[u].zone] ?? [], antennes: 0, antenneMinCity: 0, permanences: 0.4, &rng)
        }
    }

    /// Antennes in towns and permanences in town halls of smaller communes among `units`.
    func addOutposts(_ s: Int, in units: [Int], antennes: Double, antenneMinCity: Int, permanences: Double,
                     permanenceMaxPop: Int = 20_000, _ rng: inout SeededRandom) {
        let network = structures[s].network
        let name = structures[s].name
        let head = homes[s]
        var taken: Set<Int> = [head]
        if antennes > 0 {
            let towns = pool(units, minCity: lower(antenneMinCity), excluding: taken, atLeast: 0)
            for u in distinct(towns, count: rng.spread(mean: antennes), weight: { Double($0.population) }, &rng) {
                taken.insert(u)
                addPlace(PlaceSpec(structures: [s], kind: .antenne, unit: u, name: outpost(name, "antenne", u),
                                   hours: hours(network, antenne: true, &rng), phone: phone(u, &rng),
                                   business: network.isChambreConsulaire), &rng)
            }
        }
        if permanences > 0 {
            let small = pool(units, minPop: 500, maxPop: permanenceMaxPop, townHall: true, excluding: taken, atLeast: 0)
            for u in distinct(small, count: rng.spread(mean: permanences), weight: { pow(Double($0.population), 0.6) }, &rng) {
                let th = townHall(u)
                addPlace(PlaceSpec(structures: [s], kind: .permanence, unit: u, name: outpost(name, "permanence", u),
                                   hours: permanenceHours(th, &rng), townHall: th,
                                   phone: rng.chance(0.4) ? structures[s].phone : nil), &rng)
            }
        }
    }
}
