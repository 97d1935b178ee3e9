/// A structure as the data·inclusion schema (v1) has it; encoded with snake_case keys, absent values left out.
struct DataInclusionStructure: Encodable {
    var source = DataInclusionRelease.source
    var id: String
    var nom: String
    var dateMaj: String
    var description: String?
    var siret: String?
    var commune: String?
    var codePostal: String?
    var codeInsee: String?
    var adresse: String?
    var complementAdresse: String?
    var longitude: Double?
    var latitude: Double?
    var telephone: String?
    var courriel: String?
    var siteWeb: String?
    var reseauxPorteurs: [String]?
}

/// A service as the data·inclusion schema (v1) has it: one structure's offer at one address.
struct DataInclusionService: Encodable {
    var source = DataInclusionRelease.source
    var structureId: String
    var id: String
    var nom: String
    var description: String
    var dateMaj: String
    var type: String?
    var thematiques: [String]?
    var frais: String?
    var publics: [String]?
    var publicsPrecisions: String?
    var commune: String?
    var codePostal: String?
    var codeInsee: String?
    var adresse: String?
    var complementAdresse: String?
    var longitude: Double?
    var latitude: Double?
    var telephone: String?
    var courriel: String?
    var modesAccueil: [String]?
    var modesMobilisation: [String]?
    var mobilisablePar: [String]?
    var lienMobilisation: String?
    var horairesAccueil: String?
}

/// The address fields both records share, from one of our places.
struct DataInclusionAddress {
    var commune: String
    var codePostal: String
    var codeInsee: String?
    var adresse: String?
    var complementAdresse: String?
    var longitude: Double?
    var latitude: Double?
}
