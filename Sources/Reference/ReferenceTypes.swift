import Directory

/// A commune or a municipal arrondissement (Paris, Lyon, Marseille) of the COG.
public struct Commune: Sendable, Hashable {
    public enum Kind: String, Sendable { case commune = "COM", arrondissement = "ARM" }
    public let code: CommuneCode
    public let kind: Kind
    /// For an arrondissement, the commune it belongs to.
    public let parent: CommuneCode?
    public let name: String
    public let departement: DepartementCode
    public let region: RegionCode
    public let zone: ZoneEmploiCode
    /// Population municipale (2023; Mayotte 2017). A Paris/Lyon/Marseille commune equals its arrondissements' sum.
    public let population: Int
    public let postcodes: [Postcode]
    /// Centre of the commune's area.
    public let centre: GeoPoint

    public init(code: CommuneCode, kind: Kind, parent: CommuneCode?, name: String, departement: DepartementCode,
                region: RegionCode, zone: ZoneEmploiCode, population: Int, postcodes: [Postcode], centre: GeoPoint) {
        self.code = code
        self.kind = kind
        self.parent = parent
        self.name = name
        self.departement = departement
        self.region = region
        self.zone = zone
        self.population = population
        self.postcodes = postcodes
        self.centre = centre
    }

    /// Whether this commune is split into arrondissements (Paris, Lyon, Marseille).
    public var hasArrondissements: Bool { code.rawValue == "75056" || code.rawValue == "69123" || code.rawValue == "13055" }
}

/// One row of La Poste's postcode base.
public struct PostcodeEntry: Sendable, Hashable {
    public let postcode: Postcode
    /// The commune, or the arrondissement for Paris, Lyon and Marseille.
    public let commune: CommuneCode
    public let parentCommune: CommuneCode
    /// La Poste spelling: upper case, no accents.
    public let name: String
    public let libelleAcheminement: String
    /// Locality or old commune name inside the commune, if any.
    public let ligne5: String?

    public init(postcode: Postcode, commune: CommuneCode, parentCommune: CommuneCode, name: String,
                libelleAcheminement: String, ligne5: String?) {
        self.postcode = postcode
        self.commune = commune
        self.parentCommune = parentCommune
        self.name = name
        self.libelleAcheminement = libelleAcheminement
        self.ligne5 = ligne5
    }
}

/// An INSEE 2020 zone d'emploi (bassin d'emploi).
public struct ZoneEmploi: Sendable, Hashable {
    public let code: ZoneEmploiCode
    public let name: String
    public let mainRegion: RegionCode
    /// Régions it spans (14 zones span two).
    public let regions: [RegionCode]
    public let communeCount: Int
    public let population: Int

    public init(code: ZoneEmploiCode, name: String, mainRegion: RegionCode, regions: [RegionCode], communeCount: Int, population: Int) {
        self.code = code
        self.name = name
        self.mainRegion = mainRegion
        self.regions = regions
        self.communeCount = communeCount
        self.population = population
    }
}

/// A département with its région.
public struct Departement: Sendable, Hashable {
    public let code: DepartementCode
    public let region: RegionCode
    public let name: String

    public init(code: DepartementCode, region: RegionCode, name: String) {
        self.code = code
        self.region = region
        self.name = name
    }
}

/// A région of the COG.
public struct RegionInfo: Sendable, Hashable {
    public let code: RegionCode
    public let name: String

    public init(code: RegionCode, name: String) {
        self.code = code
        self.name = name
    }
}
