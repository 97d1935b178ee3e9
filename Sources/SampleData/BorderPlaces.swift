import Directory
import Reference

/// Lieux mutualisés of the bassins d'emploi straddling two Régions, listed by every Région of the
/// bassin: the same two structures (same SIRETs, each Région with its own ids) at the same address, so
/// the national directory has real duplicates to merge. One per straddling bassin (14 in the 2020 zones).
extension RegionBuilder {
    /// Appends this Région's records of its border lieux; run last, so nothing else in the Région moves.
    func borderPlaces() {
        let zones = reference.zones.values.filter { $0.regions.count > 1 && $0.regions.contains(region) }.sorted { $0.code < $1.code }
        for zone in zones {
            // The lieu sits in the bassin's most populous commune of its main Région.
            guard let commune = reference.communeList
                .filter({ $0.zone == zone.code && $0.region == zone.mainRegion && !$0.hasArrondissements && !$0.postcodes.isEmpty })
                .min(by: { $0.population != $1.population ? $0.population > $1.population : $0.code < $1.code })
            else { continue }
            // Drawn from the bassin's own stream, so every Région writes the same lieu.
            var rng = SeededRandom(seed: context.seed, streams: "border", zone.code.rawValue)
            let label = French.de(zone.name)
            let digits = String(zone.code.rawValue.filter(\.isNumber).suffix(4))
            let siret = { (kind: String) in SIRET.completing(Luhn.complete("61" + French.padded(Int(digits) ?? 0, 4) + "0" + kind) + "0001") }
            let referenced = PublicReferencing(state: .referenced, charterVersion: 1, since: "2025-01-06", validUntil: "2028-01-06")
            let phone = "0" + String(rng.int(1...5)) + (0..<4).map { _ in " " + French.twoDigits(rng.int(10...99)) }.joined()
            let domain = "emploi-bassin-" + French.slug(zone.name) + ".fr"
            var local = SeededRandom(seed: context.seed, streams: region.rawValue, "border", zone.code.rawValue)
            let house = addStructure(.maisonEmploi, name: "Maison de l'emploi du bassin " + label, unit: 0, siret: siret("1"),
                                     contact: Contact(website: "https://www." + domain, email: "contact@" + domain, phone: phone), &local)
            let plie = addStructure(.plie, name: "PLIE du bassin " + label, unit: 0, siret: siret("2"),
                                    contact: Contact(website: nil, email: "plie@" + domain, phone: phone), &local)
            structures[house].referencing = referenced
            structures[plie].referencing = referenced
            placeNumbers[house] += 1
            let number = 1 + rng.int(0...80)
            let street = rng.pick(Streets.urban)
            places.append(Place(
                id: structures[house].id + "-" + French.padded(placeNumbers[house], 2), name: "Espace emploi du bassin " + label,
                kind: .site,
                structures: [PlaceStructure(structureId: structures[house].id, isHost: true),
                             PlaceStructure(structureId: structures[plie].id, isHost: false)],
                address: Address(lines: ["Espace emploi", "\(number) \(street)"], postcode: commune.postcodes[0], city: commune.name,
                                 communeCode: commune.code),
                openingHours: "Mo-Fr 09:00-12:30,13:30-17:00; PH off", receptionModes: [.sansRendezVous, .surRendezVous],
                publics: [.tousPublics, .demandeursEmploi], services: [.aiderEmploi, .accompagnerProjets, .cep1],
                accessible: true, phone: phone))
        }
    }
}
