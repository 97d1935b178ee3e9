import Directory
import Reference

/// A place where points d'accueil may sit: a commune, or an arrondissement of Paris, Lyon or Marseille.
struct Unit: Sendable {
    let commune: Commune
    /// The commune's name as written on mail: "Paris" for "Paris 15e Arrondissement".
    let cityName: String
    /// The name used in labels: "Paris 15e", "Landerneau".
    let shortName: String
    /// Population of the whole city (Paris, not its 15th arrondissement), for size thresholds.
    let cityPopulation: Int

    var population: Int { commune.population }
    var code: CommuneCode { commune.code }
    var departement: DepartementCode { commune.departement }
    var zone: ZoneEmploiCode { commune.zone }
    var isArrondissement: Bool { commune.kind == .arrondissement }
}

/// One région's territory, indexed for the generator. Every list is in a fixed order (population
/// descending, then code), never in hash order.
struct RegionGeography: Sendable {
    let code: RegionCode
    let name: String
    /// Communes and arrondissements, most populous first.
    let units: [Unit]
    let population: Int
    /// Départements, by code.
    let departements: [Departement]
    /// Indices into `units`, per département and per zone d'emploi, most populous first.
    let unitsByDepartement: [DepartementCode: [Int]]
    let unitsByZone: [ZoneEmploiCode: [Int]]
    /// Zones d'emploi with at least one unit in the région, by regional population descending.
    let zones: [ZoneEmploiCode]

    var isOverseas: Bool { code.rawValue.hasPrefix("0") }

    /// Builds every région's geography from the pack.
    static func all(from reference: ReferencePack) -> [RegionGeography] {
        var byRegion: [RegionCode: [Unit]] = [:]
        for c in reference.communeList where !c.hasArrondissements {
            let parent = c.parent.flatMap { reference.communes[$0] }
            let unit = Unit(commune: c, cityName: parent?.name ?? c.name, shortName: French.shortName(c.name),
                            cityPopulation: parent?.population ?? c.population)
            byRegion[c.region, default: []].append(unit)
        }
        return reference.regions.keys.sorted().map { code in
            var units = byRegion[code] ?? []
            units.sort { $0.population != $1.population ? $0.population > $1.population : $0.code < $1.code }
            var byDep: [DepartementCode: [Int]] = [:]
            var byZone: [ZoneEmploiCode: [Int]] = [:]
            var zonePopulation: [ZoneEmploiCode: Int] = [:]
            for (i, u) in units.enumerated() {
                byDep[u.departement, default: []].append(i)
                byZone[u.zone, default: []].append(i)
                zonePopulation[u.zone, default: 0] += u.population
            }
            let zones = zonePopulation.keys.sorted {
                zonePopulation[$0]! != zonePopulation[$1]! ? zonePopulation[$0]! > zonePopulation[$1]! : $0 < $1
            }
            let deps = reference.departements.values.filter { $0.region == code }.sorted { $0.code < $1.code }
            return RegionGeography(
                code: code, name: reference.regions[code]?.name ?? code.rawValue, units: units,
                population: units.reduce(0) { $0 + $1.population }, departements: deps,
                unitsByDepartement: byDep, unitsByZone: byZone, zones: zones)
        }
    }
}
