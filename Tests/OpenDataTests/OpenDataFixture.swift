import Directory
import Foundation
@testable import NationalDirectory
import OpenData

/// A small national directory written by hand: three places in Bretagne and Pays de la Loire, among them
/// a lieu mutualisé of a Mission locale and a CIO (the CIO without a SIRET), a permanence without a
/// position and without a service listed, hours with a lunch break and `PH off`, and a shared phone line.
enum OpenDataFixture {
    static let bretagne = RegionCode(unchecked: "53"), paysDeLaLoire = RegionCode(unchecked: "52")
    static let lunchBreakHours = "Mo-Fr 08:30-12:30,13:30-17:00; PH off"
    static let brest = GeoPoint(lat: 48.390394, lon: -4.486076), nantes = GeoPoint(lat: 47.218371, lon: -1.553621)

    static func referencing() -> PublicReferencing {
        PublicReferencing(state: .referenced, charterVersion: nil, since: "2025-01-01", validUntil: nil)
    }

    static let missionLocale = Structure(
        id: "53-ML-0001", siret: SIRET.completing("1300301330001"), name: "Mission locale du Pays de Brest",
        network: .missionLocale, basis: .cepOperatorByLaw, website: "https://www.mission-locale-brest.fr",
        phone: "+33298000001", email: "contact@mission-locale-brest.fr", referencing: referencing(), lastConfirmed: "2026-04-01")
    static let cio = Structure(
        id: "53-CIO-0001", siret: nil, name: "CIO de Brest", network: .cio, basis: .stateService, referencing: referencing())
    static let franceTravail = Structure(
        id: "52-FT-0001", siret: SIRET.completing("1300301330002"), name: "France Travail Nantes Est", network: .franceTravail,
        basis: .cepOperatorByLaw, website: "https://www.francetravail.fr", referencing: referencing())

    static func source(_ region: RegionCode, _ id: String, changed: String) -> RecordSource {
        RecordSource(region: region, id: id, exportVersion: 3, generatedAt: "2026-04-01T08:00:00Z",
                     firstHarvested: "2026-01-15T09:00:00Z", lastChanged: changed)
    }

    static func place(_ region: RegionCode, _ place: Place, _ structures: [Structure], at position: GeoPoint?, changed: String) -> DirectoryPlace {
        let location = PlaceLocation(commune: place.address.communeCode, zone: nil, position: position,
                                     precision: position == nil ? "unresolved" : "housenumber", score: position == nil ? 0 : 0.9,
                                     reason: position == nil ? "adresse introuvable" : nil, coordinatesFlag: nil)
        return DirectoryPlace(region: region, place: place, location: location, structures: structures, sourceVersion: 3,
                              sources: [source(region, place.id, changed: changed)])
    }

    static func national(_ s: Structure, _ region: RegionCode, changed: String) -> NationalStructure {
        NationalStructure(key: StructureKey(s, region: region), region: region, structure: s,
                          sources: [source(region, s.id, changed: changed)])
    }

    /// The set, released on Friday 1 May 2026 (a public holiday, as is the Friday after).
    static func set(generatedAt: Date = ISODay.parse("2026-05-01")!) throws -> OpenDataSet {
        let maisonEmploi = Place(
            id: "53-LIEU-0001", name: "Maison de l'emploi de Brest", kind: .site,
            structures: [PlaceStructure(structureId: missionLocale.id, isHost: true), PlaceStructure(structureId: cio.id, isHost: false)],
            address: Address(lines: ["Maison de l'emploi", "12 rue de Siam"], postcode: try Postcode("29200"), city: "Brest",
                             communeCode: try CommuneCode("29019")),
            openingHours: lunchBreakHours, receptionModes: [.sansRendezVous, .surRendezVous], publics: [.jeunes, .scolaires],
            services: [.informerMetiers, .informerFormations, .cep1], accessible: true, languages: ["en", "br"],
            phone: "+33298000002", freeOfCharge: true)
        let permanence = Place(
            id: "53-LIEU-0002", name: "Permanence de Lesneven", kind: .permanence,
            structures: [PlaceStructure(structureId: missionLocale.id, isHost: true)],
            address: Address(lines: ["Mairie, place du Château"], postcode: try Postcode("29260"), city: "Lesneven"),
            openingHours: "Tu 14:00-17:00", receptionModes: [.surRendezVous])
        let agence = Place(
            id: "52-LIEU-0001", name: "Agence France Travail Nantes Est", kind: .site,
            structures: [PlaceStructure(structureId: franceTravail.id, isHost: true)],
            address: Address(lines: ["3 rue de Rennes"], postcode: try Postcode("44000"), city: "Nantes", communeCode: try CommuneCode("44109")),
            openingHours: "Mo-Fr 09:00-17:00", receptionModes: [.sansRendezVous, .telephone], publics: [.tousPublics],
            services: [.aiderEmploi, .creationEntreprise], freeOfCharge: true)
        let line = Channel(id: "53-CANAL-1", name: "Numéro unique orientation Bretagne", kind: .telephone, address: "+33800000000",
                           contributors: [missionLocale.id, cio.id], openingHours: "Mo-Fr 09:00-18:00", publics: [.tousPublics],
                           services: [.cep1])
        return OpenDataSet(
            generatedAt: generatedAt,
            places: [
                place(bretagne, maisonEmploi, [missionLocale, cio], at: brest, changed: "2026-03-01T10:00:00Z"),
                place(bretagne, permanence, [missionLocale], at: nil, changed: "2026-02-01T10:00:00Z"),
                place(paysDeLaLoire, agence, [franceTravail], at: nantes, changed: "2026-04-10T10:00:00Z"),
            ],
            structures: [
                national(missionLocale, bretagne, changed: "2026-03-15T10:00:00Z"),
                national(cio, bretagne, changed: "2026-01-15T09:00:00Z"),
                national(franceTravail, paysDeLaLoire, changed: "2026-01-15T09:00:00Z"),
            ],
            channels: [DirectoryChannel(region: bretagne, channel: line, contributors: [missionLocale, cio])],
            regionNames: [bretagne: "Bretagne", paysDeLaLoire: "Pays de la Loire"])
    }
}
