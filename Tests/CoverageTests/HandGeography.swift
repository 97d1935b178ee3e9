import Directory
import Foundation
import NationalDirectory
import Reference
import SproTestSupport

/// A small hand-built geography shared by the coverage tests.
///
/// Zone A ("0001", Région 84) has three communes on the 45th parallel: c1 at 1.0°E (1,000 people),
/// c2 at 1.2°E (3,000) and c3 at 1.5°E (1,000); c1–c2 is about 15.7 km, c2–c3 about 23.6 km and
/// c1–c3 about 39.3 km. Zone B ("0002", Région 84) is one commune c4 (500 people) some 200 km away.
/// Zone C ("0003", Région 75) is one commune c5 (800 people) farther still.
struct HandGeography {
    static let r84 = RegionCode(unchecked: "84"), r75 = RegionCode(unchecked: "75")
    static let zA = ZoneEmploiCode(unchecked: "0001"), zB = ZoneEmploiCode(unchecked: "0002"), zC = ZoneEmploiCode(unchecked: "0003")
    static let c1 = GeoPoint(lat: 45.0, lon: 1.0), c2 = GeoPoint(lat: 45.0, lon: 1.2), c3 = GeoPoint(lat: 45.0, lon: 1.5)
    static let c4 = GeoPoint(lat: 46.0, lon: 3.0), c5 = GeoPoint(lat: 47.0, lon: 5.0)
    static let communeOf: [GeoPoint: String] = [c1: "01001", c2: "01002", c3: "01003", c4: "01004", c5: "01005"]

    /// Distances in km between the commune centres, from the same haversine the code uses.
    static let d12 = c1.distance(to: c2) / 1000, d23 = c2.distance(to: c3) / 1000, d13 = c1.distance(to: c3) / 1000

    static func commune(_ code: String, _ zone: ZoneEmploiCode, _ region: RegionCode, _ pop: Int, _ centre: GeoPoint) -> Commune {
        Commune(code: CommuneCode(unchecked: code), kind: .commune, parent: nil, name: "C\(code)",
                departement: DepartementCode(unchecked: "01"), region: region, zone: zone, population: pop, postcodes: [], centre: centre)
    }

    static let pack = ReferencePack(
        directory: URL(fileURLWithPath: "/nonexistent"),
        communes: [commune("01001", zA, r84, 1000, c1), commune("01002", zA, r84, 3000, c2), commune("01003", zA, r84, 1000, c3),
                   commune("01004", zB, r84, 500, c4), commune("01005", zC, r75, 800, c5)],
        postcodes: [],
        zones: [ZoneEmploi(code: zA, name: "Zone A", mainRegion: r84, regions: [r84], communeCount: 3, population: 5000),
                ZoneEmploi(code: zB, name: "Zone B", mainRegion: r84, regions: [r84], communeCount: 1, population: 500),
                ZoneEmploi(code: zC, name: "Zone C", mainRegion: r75, regions: [r75, r84], communeCount: 1, population: 800)],
        departements: [], regions: [RegionInfo(code: r84, name: "Auvergne-Rhône-Alpes"), RegionInfo(code: r75, name: "Nouvelle-Aquitaine")])

    /// A place at `point`, in the commune whose centre that is (or `commune`), with its own structures.
    static func place(_ id: String, at point: GeoPoint, zone: ZoneEmploiCode, networks: [Network] = [.missionLocale],
                      services: [Service] = [.cep1, .aiderEmploi], publics: [Public] = [.jeunes],
                      hours: String? = "Mo-Fr 09:00-12:30,13:30-17:00; PH off", commune: String? = nil,
                      region: RegionCode = r84) -> DirectoryPlace {
        let structures = networks.enumerated().map { Fixtures.structure("\(id)-S\($0.offset)", network: $0.element) }
        var record = Fixtures.place(id, structures: structures.map(\.id), services: services, publics: publics)
        record.openingHours = hours
        let code = commune ?? communeOf[point] ?? "01001"
        return DirectoryPlace(region: region, place: record,
                              location: PlaceLocation(commune: CommuneCode(unchecked: code), zone: zone, position: point,
                                                      precision: "commune", score: 1, reason: nil, coordinatesFlag: nil),
                              structures: structures, sourceVersion: 1)
    }
}
