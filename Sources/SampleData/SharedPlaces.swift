import Directory
import Foundation
import Reference

/// Structures whose places are often lieux mutualisés: Maisons de l'emploi, Cités des métiers,
/// France Services, and other local reception points.
extension RegionBuilder {
    /// Maisons de l'emploi; most host the local Mission locale and often Cap emploi and a PLIE.
    func maisonsEmploi() {
        var rng = stream("maison_emploi")
        let k = quotas[.maisonEmploi]
        let picks = pps(pool(minCity: lower(15_000), atLeast: k), count: k, weight: { Double($0.population) }, &rng)
        for (u, label) in zip(picks, labels(picks, &rng)) {
            let name = (rng.chance(0.7) ? "Maison de l'emploi " : "Maison de l'emploi et de la formation ") + French.de(label)
            let domain = "mde-" + French.slug(label) + ".fr"
            let contact = Contact(website: "https://www." + domain, email: "contact@" + domain, phone: phone(u, &rng))
            let s = addStructure(.maisonEmploi, name: name, unit: u, siret: randomSIRET(&rng), contact: contact, &rng)
            var present = [s]
            if rng.chance(0.6) {
                if missionLocaleOfUnit[u] >= 0 { present.append(missionLocaleOfUnit[u]) }
                if rng.chance(0.4), let cap = nearest(.capEmploi, to: u) { present.append(cap) }
                if rng.chance(0.5), let plie = nearest(.plie, to: u), geo.units[homes[plie]].zone == geo.units[u].zone {
                    present.append(plie)
                }
            }
            addPlace(PlaceSpec(structures: present, kind: .site, unit: u, name: name, hours: hours(.maisonEmploi, &rng),
                               building: "Maison de l'emploi", phone: contact.phone), &rng)
        }
    }

    /// Cités des métiers in big cities, shared by several networks.
    func citesDesMetiers() {
        var rng = stream("cite_des_metiers")
        let k = quotas[.citeDesMetiers]
        let picks = pps(pool(minCity: lower(100_000), atLeast: max(k, 1)), count: k, weight: { Double($0.population) }, &rng)
        let partners: [Network] = [.cio, .missionLocale, .franceTravail, .informationJeunesse, .cibc, .cma, .cci, .apec,
                                   .transitionsPro, .afpa, .cidff]
        for (u, label) in zip(picks, labels(picks, &rng)) {
            let name = "Cité des métiers " + French.de(label)
            let domain = "citedesmetiers-" + French.slug(label) + ".fr"
            let contact = Contact(website: "https://www." + domain, email: "contact@" + domain, phone: phone(u, &rng))
            let s = addStructure(.citeDesMetiers, name: name, unit: u, siret: randomSIRET(&rng), contact: contact, &rng)
            var order = partners
            rng.shuffle(&order)
            var present = [s]
            let wanted = rng.int(2...4)
            for n in order where present.count <= wanted {
                if let p = nearest(n, to: u) { present.append(p) }
            }
            addPlace(PlaceSpec(structures: present, kind: .site, unit: u, name: name, hours: hours(.citeDesMetiers, &rng),
                               phone: contact.phone), &rng)
        }
    }

    /// France Services in small towns (often in the town hall), where partners hold permanences.
    func franceServices() {
        var rng = stream("france_services")
        let k = quotas[.franceServices]
        let towns = pool(minCity: lower(1_000), maxCity: 25_000, atLeast: k)
        let partners: [(Network, Double)] = [(.capEmploi, 0.3), (.cidff, 0.35), (.franceTravail, 0.3), (.cibc, 0.2),
                                             (.prcVAE, 0.15), (.chambreAgriculture, 0.1)]
        for u in distinct(towns, count: k, weight: { Double($0.population).squareRoot() }, &rng) {
            let unit = geo.units[u]
            let name = "France Services " + French.de(unit.shortName)
            let town = "ville-" + French.slug(unit.cityName) + ".fr"
            let contact = Contact(website: nil, email: "franceservices@" + town, phone: phone(u, &rng))
            let siret = rng.chance(0.7) ? communeSIRET(u) : randomSIRET(&rng)
            let s = addStructure(.other, name: name, unit: u, siret: siret, contact: contact, &rng)
            var present = [s]
            if missionLocaleOfUnit[u] >= 0 && rng.chance(0.8) { present.append(missionLocaleOfUnit[u]) }
            for (n, p) in partners where rng.chance(p) {
                if let x = nearest(n, to: u), !present.contains(x) { present.append(x) }
            }
            if present.count == 1, let x = missionLocaleOfUnit[u] >= 0 ? missionLocaleOfUnit[u] : nearest(.capEmploi, to: u) {
                present.append(x)
            }
            let th = rng.chance(0.4) ? townHall(u) : nil
            addPlace(PlaceSpec(structures: present, kind: .site, unit: u, name: name,
                               hours: th.flatMap(\.osmOpeningHours) ?? hours(.other, &rng), townHall: th,
                               building: th == nil ? "Maison France Services" : nil, phone: contact.phone), &rng)
        }
    }

    /// Other local reception points: points accueil emploi (designated CEP operators in Bretagne),
    /// municipal job offices, associations.
    func otherLocal() {
        var rng = stream("other")
        let k = quotas[.otherLocal]
        let picks = pps(pool(minCity: lower(2_000), atLeast: k), count: k, weight: { pow07(Double($0.population)) }, &rng)
        let kinds = ["Espace Emploi Formation", "Bureau municipal de l'emploi", "Point Information Emploi", "Espace Métiers",
                     "Association Accueil Orientation Insertion", "Relais Emploi"]
        for (u, label) in zip(picks, labels(picks, &rng)) {
            let bretagne = region.rawValue == "53" && rng.chance(0.6)
            let kind = bretagne ? "Point Accueil Emploi" : rng.pick(kinds)
            let name = kind + " " + French.de(label)
            let domain = French.slug(kind).split(separator: "-").map { String($0.prefix(1)) }.joined() + "-" + French.slug(label) + ".fr"
            let contact = Contact(website: rng.chance(0.5) ? "https://www." + domain : nil, email: "accueil@" + domain,
                                  phone: phone(u, &rng))
            let basis: BasisOfMembership = bretagne && rng.chance(0.5) ? .regionalCEPOperator : .regionalCharter
            let s = addStructure(.other, name: name, unit: u, basis: basis, siret: randomSIRET(&rng), contact: contact, &rng)
            addPlace(PlaceSpec(structures: [s], kind: .site, unit: u, name: name, hours: hours(.other, &rng), phone: contact.phone), &rng)
        }
    }
}
