import Directory

/// French spelling helpers for generated names, addresses and contact details.
enum French {
    /// "de Brest", "d'Angers", "du Mans", "des Sables-d'Olonne", "de La Rochelle".
    static func de(_ name: String) -> String {
        if name.hasPrefix("Le ") { return "du " + name.dropFirst(3) }
        if name.hasPrefix("Les ") { return "des " + name.dropFirst(4) }
        if let first = name.first, "AEIOUYÉÈÊÎÔÂŒ".contains(first) { return "d'" + name }
        return "de " + name
    }

    /// "du Finistère", "de la Gironde", "des Landes", "de l'Ain", "d'Ille-et-Vilaine", "de Paris".
    static func departement(_ name: String) -> String {
        if plural.contains(name) { return "des " + name }
        if feminine.contains(name) { return "de la " + name }
        if elided.contains(name) { return "de l'" + name }
        if name.hasPrefix("La ") || name == "Paris" || name == "Mayotte" { return "de " + name }
        if name.hasPrefix("Ille") { return "d'" + name }
        return "du " + name
    }

    private static let plural: Set<String> = [
        "Alpes-de-Haute-Provence", "Hautes-Alpes", "Alpes-Maritimes", "Ardennes", "Bouches-du-Rhône", "Côtes-d'Armor",
        "Deux-Sèvres", "Hautes-Pyrénées", "Pyrénées-Atlantiques", "Pyrénées-Orientales", "Landes", "Vosges", "Yvelines",
        "Hauts-de-Seine",
    ]
    private static let feminine: Set<String> = [
        "Charente", "Charente-Maritime", "Corrèze", "Côte-d'Or", "Creuse", "Dordogne", "Drôme", "Gironde", "Haute-Garonne",
        "Haute-Loire", "Haute-Marne", "Haute-Saône", "Haute-Savoie", "Haute-Vienne", "Haute-Corse", "Corse-du-Sud", "Loire",
        "Loire-Atlantique", "Lozère", "Manche", "Marne", "Mayenne", "Meuse", "Moselle", "Meurthe-et-Moselle", "Nièvre",
        "Saône-et-Loire", "Sarthe", "Savoie", "Somme", "Seine-Maritime", "Seine-et-Marne", "Seine-Saint-Denis", "Vendée", "Vienne",
        "Guadeloupe", "Martinique", "Guyane",
    ]
    private static let elided: Set<String> = [
        "Ain", "Aisne", "Allier", "Ardèche", "Ariège", "Aube", "Aude", "Aveyron", "Eure", "Eure-et-Loir", "Hérault",
        "Indre", "Indre-et-Loire", "Isère", "Oise", "Orne", "Essonne", "Yonne",
    ]

    private static let accents: [Character: String] = [
        "à": "a", "â": "a", "ä": "a", "á": "a", "é": "e", "è": "e", "ê": "e", "ë": "e", "î": "i", "ï": "i", "í": "i",
        "ô": "o", "ö": "o", "ó": "o", "ù": "u", "û": "u", "ü": "u", "ú": "u", "ç": "c", "ÿ": "y", "ñ": "n",
        "œ": "oe", "æ": "ae",
        "À": "A", "Â": "A", "Ä": "A", "É": "E", "È": "E", "Ê": "E", "Ë": "E", "Î": "I", "Ï": "I", "Ô": "O", "Ö": "O",
        "Ù": "U", "Û": "U", "Ü": "U", "Ç": "C", "Œ": "OE", "Æ": "AE",
    ]

    /// Removes French diacritics.
    static func ascii(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            if let r = accents[c] { out += r } else { out.append(c) }
        }
        return out
    }

    /// "pays-de-brest" for web addresses.
    static func slug(_ s: String) -> String {
        var out = ""
        var dash = false
        for c in ascii(s).lowercased() {
            if c.isASCII && (c.isLetter || c.isNumber) {
                out.append(c)
                dash = false
            } else if !dash && !out.isEmpty {
                out.append("-")
                dash = true
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out
    }

    /// La Poste style: upper case, no accents, no hyphens or apostrophes, SAINT abbreviated ST.
    static func laPoste(_ s: String) -> String {
        var t = ascii(s).uppercased()
        t = String(t.map { $0 == "-" || $0 == "'" || $0 == "’" ? " " : $0 })
        var words = t.split(separator: " ").map(String.init)
        for i in words.indices {
            if words[i] == "SAINT" { words[i] = "ST" } else if words[i] == "SAINTE" { words[i] = "STE" }
        }
        return words.joined(separator: " ")
    }

    /// "Paris 15e" for "Paris 15e Arrondissement".
    static func shortName(_ commune: String) -> String {
        commune.hasSuffix(" Arrondissement") ? String(commune.dropLast(" Arrondissement".count)) : commune
    }

    // MARK: - Phone numbers

    /// The leading digits of landlines: 01 Île-de-France, 02 north-west, 03 north-east, 04 south-east,
    /// 05 south-west, and the overseas "05 90", "05 96", "05 94", "02 62", "02 69".
    static func phonePrefix(region: RegionCode, departement: DepartementCode) -> String {
        switch region.rawValue {
        case "01": return "05 90"
        case "02": return "05 96"
        case "03": return "05 94"
        case "04": return "02 62"
        case "06": return "02 69"
        case "11": return "01"
        case "24", "28", "52", "53": return "02"
        case "27", "32", "44": return "03"
        case "84", "93", "94": return "04"
        case "76": return ["11", "30", "34", "48", "66"].contains(departement.rawValue) ? "04" : "05"
        default: return "05"
        }
    }

    /// A landline in the usual "02 98 45 12 34" form.
    static func phone(region: RegionCode, departement: DepartementCode, rng: inout SeededRandom) -> String {
        let prefix = phonePrefix(region: region, departement: departement)
        func pair() -> String { twoDigits(rng.int(0...99)) }
        if prefix.count > 2 { return "\(prefix) \(pair()) \(pair()) \(pair())" }
        // The second pair follows the département, as real numbering roughly does.
        var h: UInt32 = 7
        for b in departement.rawValue.utf8 { h = h &* 31 &+ UInt32(b) }
        let area = 10 + Int(h % 80) + (rng.chance(0.3) ? 1 : 0)
        return "\(prefix) \(twoDigits(area)) \(pair()) \(pair()) \(pair())"
    }

    static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// Zero-padded decimal, at least `width` digits.
    static func padded(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    // MARK: - Académies (for CIO web and mail addresses)

    /// The académie a département belongs to, as used in "ac-rennes.fr".
    static func academie(_ dep: DepartementCode) -> String {
        switch dep.rawValue {
        case "75": "paris"
        case "77", "93", "94": "creteil"
        case "78", "91", "92", "95": "versailles"
        case "18", "28", "36", "37", "41", "45": "orleans-tours"
        case "21", "58", "71", "89": "dijon"
        case "25", "39", "70", "90": "besancon"
        case "14", "27", "50", "61", "76": "normandie"
        case "59", "62": "lille"
        case "02", "60", "80": "amiens"
        case "67", "68": "strasbourg"
        case "54", "55", "57", "88": "nancy-metz"
        case "08", "10", "51", "52": "reims"
        case "44", "49", "53", "72", "85": "nantes"
        case "22", "29", "35", "56": "rennes"
        case "16", "17", "79", "86": "poitiers"
        case "19", "23", "87": "limoges"
        case "24", "33", "40", "47", "64": "bordeaux"
        case "11", "30", "34", "48", "66": "montpellier"
        case "09", "12", "31", "32", "46", "65", "81", "82": "toulouse"
        case "01", "42", "69": "lyon"
        case "07", "26", "38", "73", "74": "grenoble"
        case "03", "15", "43", "63": "clermont"
        case "04", "05", "13", "84": "aix-marseille"
        case "06", "83": "nice"
        case "2A", "2B": "corse"
        case "971": "guadeloupe"
        case "972": "martinique"
        case "973": "guyane"
        case "974": "reunion"
        case "976": "mayotte"
        default: "education"
        }
    }
}
