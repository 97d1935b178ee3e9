/// Word lists the normaliser uses: street types, their abbreviations, titles and house-number suffixes.
package enum StreetVocabulary {
    /// Street-type abbreviations and their spelled-out form (the canonical one).
    /// "R" is only read as RUE where a street type is expected (right after the house number).
    static let streetTypes: [Substring: String] = [
        "ALL": "ALLEE", "ALLE": "ALLEE", "ALLEES": "ALLEES",
        "AV": "AVENUE", "AVE": "AVENUE", "AVN": "AVENUE", "AVEN": "AVENUE",
        "BD": "BOULEVARD", "BLD": "BOULEVARD", "BVD": "BOULEVARD", "BLVD": "BOULEVARD", "BOUL": "BOULEVARD",
        "CHE": "CHEMIN", "CHEM": "CHEMIN", "CH": "CHEMIN",
        "CRS": "COURS",
        "FG": "FAUBOURG", "FBG": "FAUBOURG", "FAUB": "FAUBOURG",
        "IMP": "IMPASSE",
        "PL": "PLACE", "PLA": "PLACE",
        "QU": "QUAI", "QAI": "QUAI",
        "RTE": "ROUTE",
        "SQ": "SQUARE",
        "PROM": "PROMENADE",
        "PASS": "PASSAGE", "PAS": "PASSAGE",
        "RPT": "ROND POINT",
        "LOT": "LOTISSEMENT",
        "RES": "RESIDENCE", "RESID": "RESIDENCE",
        "HAM": "HAMEAU",
        "ESP": "ESPLANADE",
        "SENT": "SENTIER",
        "TRAV": "TRAVERSE",
        "MTE": "MONTEE",
        "CAR": "CARREFOUR", "CARR": "CARREFOUR",
        "PARV": "PARVIS",
        "VLA": "VILLA",
        "CTRE": "CENTRE",
    ]

    /// Abbreviations expanded wherever they stand; the others ("PAS", "LOT", "RES", "CAR", "R"...) are
    /// also words or names ("RUE DU PAS DE CALAIS") and are expanded only in the street-type position.
    static let unambiguousAbbreviations: Set<Substring> = [
        "BD", "BLD", "BVD", "BLVD", "AV", "AVE", "AVN", "IMP", "RTE", "FG", "FBG", "SQ", "CRS", "CHE", "CHEM",
        "PROM", "RPT", "MTE", "CTRE",
    ]

    /// Spelled-out street types, to recognise a street type once abbreviations are expanded.
    package static let spelledStreetTypes: Set<Substring> = [
        "RUE", "AVENUE", "BOULEVARD", "CHEMIN", "COURS", "FAUBOURG", "IMPASSE", "PLACE", "QUAI", "ROUTE",
        "SQUARE", "PROMENADE", "PASSAGE", "ROND", "LOTISSEMENT", "RESIDENCE", "HAMEAU", "ESPLANADE",
        "SENTIER", "TRAVERSE", "MONTEE", "CARREFOUR", "PARVIS", "VILLA", "CENTRE", "ALLEE", "ALLEES",
        "CITE", "ZA", "ZI", "ZAC", "LIEU", "LIEUDIT", "MAIL", "RUELLE", "VOIE", "VC", "ZONE", "PARC",
        "DOMAINE", "QUARTIER", "CLOS", "SENTE", "VENELLE", "CHAUSSEE", "PONT", "PORT",
    ]

    /// Abbreviated titles inside street names ("R DU GAL DE GAULLE").
    static let titles: [Substring: String] = [
        "DR": "DOCTEUR", "GAL": "GENERAL", "GEN": "GENERAL", "MAL": "MARECHAL", "PDT": "PRESIDENT",
        "PRES": "PRESIDENT", "CDT": "COMMANDANT", "CNE": "CAPITAINE", "LT": "LIEUTENANT", "MGR": "MONSEIGNEUR",
        "GD": "GRAND", "GDE": "GRANDE", "PROF": "PROFESSEUR",
    ]

    /// House-number suffixes and their canonical form: "3B", "3 b" and "3 bis" are all "3 BIS".
    package static let numberSuffixes: [Substring: String] = [
        "BIS": "BIS", "B": "BIS", "TER": "TER", "T": "TER", "QUATER": "QUATER", "Q": "QUATER",
        "QUINQUIES": "QUINQUIES", "QUINQUES": "QUINQUIES",
    ]

    /// Single letters also used as house-number suffixes ("12 A RUE ..."); only read as such when a
    /// street type follows, because "D", "L" also come from elided articles ("D'ARMOR").
    static let letterSuffixes: Set<Substring> = ["A", "C", "D", "E", "F", "G", "H"]

    /// Saint and Sainte: the canonical form is spelled out.
    static let saints: [Substring: Substring] = ["ST": "SAINT", "STE": "SAINTE", "STS": "SAINTS", "STES": "SAINTES"]

    /// Articles an old-style name puts in brackets at the end: "ABERGEMENT CLEMENCIAT (L')".
    static let trailingArticles: Set<Substring> = ["L", "LE", "LA", "LES"]
}
