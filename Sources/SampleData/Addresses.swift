import Directory
import Reference

extension RegionBuilder {
    /// A street address in the commune: "12 rue de la République", "3 bis avenue Jean Jaurès",
    /// "Place de la Mairie" or "ZA des Landes" / "5 rue de l'Industrie", with the commune's postcode
    /// and name. About 2% use a CEDEX postcode and 2% La Poste spellings.
    func streetAddress(_ unit: Unit, building: String?, business: Bool, _ rng: inout SeededRandom) -> Address {
        var lines: [String] = []
        if let building {
            lines.append(building)
        } else if rng.chance(0.12) {
            lines.append(rng.pick(Streets.buildings))
        }
        if business && rng.chance(0.6) {
            let parks = region.rawValue == "53" ? Streets.parks + Streets.bretonParks : Streets.parks
            let park = rng.pick(parks), street = streetNumber(&rng) + " " + rng.pick(Streets.businessStreets)
            if rng.chance(0.5) { lines.append(park + ", " + street) } else { lines += [park, street] }
        } else if rng.chance(0.08) {
            lines.append(rng.pick(Streets.squares))
        } else {
            lines.append(streetNumber(&rng) + " " + rng.pick(Streets.urban))
        }
        let postcode = unit.commune.postcodes.count > 1 && rng.chance(0.2)
            ? rng.pick(unit.commune.postcodes) : unit.commune.postcodes[0]
        var address = Address(lines: lines, postcode: postcode, city: unit.cityName, communeCode: unit.code)
        let r = rng.unit()
        if r < 0.02, unit.cityPopulation >= 5_000, let cedex = cedexPostcode(postcode, &rng) {
            address.lines.append(rng.chance(0.5) ? "CS \(French.padded(rng.int(10...99_999), 5))" : "BP \(rng.int(10...999))")
            address.postcode = cedex
            var city = French.laPoste(unit.cityName) + " CEDEX"
            if unit.isArrondissement {
                city += " " + String(postcode.rawValue.suffix(2))
            } else if rng.chance(0.3) {
                city += " \(rng.int(1...9))"
            }
            address.city = city
        } else if r < 0.04 {
            address.city = laPosteName(postcode, unit)
            if rng.chance(0.5) { address.lines = address.lines.map(French.laPoste) }
        }
        return address
    }

    /// "12", "3 bis", "140 ter": mostly small numbers.
    func streetNumber(_ rng: inout SeededRandom) -> String {
        let n = 1 + Int(rng.unit() * rng.unit() * 160)
        let r = rng.unit()
        return r < 0.08 ? "\(n) bis" : r < 0.1 ? "\(n) ter" : "\(n)"
    }

    /// La Poste's spelling of the commune for this postcode ("ST BRIEUC", "PARIS 15"), else computed.
    func laPosteName(_ postcode: Postcode, _ unit: Unit) -> String {
        reference.postcodes[postcode]?.first { $0.commune == unit.code }?.name ?? French.laPoste(unit.cityName)
    }

    /// A CEDEX-like code: the postcode's first three digits and two others that La Poste's base lacks.
    func cedexPostcode(_ postcode: Postcode, _ rng: inout SeededRandom) -> Postcode? {
        let prefix = String(postcode.rawValue.prefix(3))
        for _ in 0..<16 {
            let candidate = Postcode(unchecked: prefix + French.twoDigits(rng.int(1...99)))
            if reference.postcodes[candidate] == nil { return candidate }
        }
        return nil
    }

    /// The town hall's real address: "Mairie" then its street lines, postcode and city. Its postcode is
    /// kept when La Poste knows it in this département, or when it is a CEDEX code of the département;
    /// otherwise (a few rows of the annuaire are wrong) the commune's own postcode and name are used.
    func townHallAddress(_ townHall: TownHall, _ unit: Unit) -> Address {
        var lines = townHall.addressLines
        let first = lines.first?.lowercased() ?? ""
        if !first.hasPrefix("mairie") && !first.hasPrefix("hôtel de ville") { lines.insert("Mairie", at: 0) }
        if postcodeFits(townHall.postcode, unit) {
            return Address(lines: lines, postcode: townHall.postcode, city: townHall.city, communeCode: unit.code)
        }
        return Address(lines: lines, postcode: unit.commune.postcodes[0], city: unit.cityName, communeCode: unit.code)
    }

    func postcodeFits(_ postcode: Postcode, _ unit: Unit) -> Bool {
        if let entries = reference.postcodes[postcode] {
            return entries.contains { $0.commune == unit.code || reference.communes[$0.commune]?.departement == unit.departement }
        }
        return unit.commune.postcodes.contains { $0.departementPrefix == postcode.departementPrefix }
    }
}
