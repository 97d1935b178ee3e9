import Directory
import Foundation
import Signing

/// Small hand-built records for tests: a Bretagne dataset with places in Brest and Quimper.
public enum Fixtures {
    public static let bretagne = RegionCode(unchecked: "53")
    public static let today = "2026-01-15"

    public static func region(_ code: RegionCode = bretagne, url: String = "http://127.0.0.1:1", keys: [PublicKeyEntry] = []) -> Region {
        Region(code: code, name: code == bretagne ? "Bretagne" : "Région \(code)", departements: [], nodeURL: url,
               port: 1, keys: keys)
    }

    public static func charter(_ version: Int = 1, region: RegionCode = bretagne) -> Charter {
        Charter(region: region, version: version, title: "Cahier des charges de test v\(version)", adoptedOn: "2015-04-10",
                source: "test", values: ["gratuité", "neutralité"],
                criteria: [Criterion(id: "gratuite", label: "Service gratuit", kind: .checkable, check: .freeOfCharge),
                           Criterion(id: "confiance", label: "Instaurer une relation de confiance", kind: .attested)],
                requiredIndicators: [RequiredIndicator(code: "visits", label: "Visites", unit: "persons", periodicity: .year)],
                referencingValidityMonths: 36, requiresLieuMutualisePerBassin: false)
    }

    public static func structure(_ id: String, network: Network = .missionLocale, state: ReferencingState = .referenced,
                                 basis: BasisOfMembership = .cepOperatorByLaw) -> Structure {
        Structure(id: id, siret: SIRET.completing(String(repeating: "1", count: 4) + String(format: "%09d", id.utf8.reduce(0) { ($0 &* 31 &+ Int($1)) % 1_000_000_000 })),
                  name: "Structure \(id)", network: network, basis: basis, website: "https://example.org/\(id)",
                  phone: "02 98 00 00 00", email: nil,
                  referencing: PublicReferencing(state: state, charterVersion: basis.isByLaw ? nil : 1, since: today, validUntil: nil))
    }

    /// A place in a real commune, with La Poste postcode and city.
    public static func place(_ id: String, structures: [String], postcode: String = "29200", city: String = "Brest",
                             commune: String? = "29019", services: [Service] = [.cep1, .aiderEmploi],
                             publics: [Public] = [.jeunes], coordinates: GeoPoint? = nil) -> Place {
        Place(id: id, name: "Accueil \(id)", kind: .site,
              structures: structures.enumerated().map { PlaceStructure(structureId: $1, isHost: $0 == 0) },
              address: Address(lines: ["12 rue de Siam"], postcode: Postcode(unchecked: postcode), city: city,
                               communeCode: commune.map(CommuneCode.init(unchecked:))),
              coordinates: coordinates, openingHours: "Mo-Fr 09:00-12:30,13:30-17:00; PH off",
              receptionModes: [.sansRendezVous], publics: publics, services: services, accessible: true)
    }

    /// Three structures (one only applying, so not public) and places in Brest and Quimper.
    public static func dataset(placeCount: Int = 4) -> RegionDataset {
        let structures = [structure("53-ML-1"), structure("53-FT-1", network: .franceTravail),
                          structure("53-IJ-1", network: .informationJeunesse, state: .applied, basis: .regionalCharter)]
        var places: [Place] = []
        for i in 0..<placeCount {
            let inQuimper = i % 2 == 1
            places.append(place("53-P\(i)", structures: i == 0 ? ["53-ML-1", "53-FT-1"] : [i % 2 == 0 ? "53-ML-1" : "53-FT-1"],
                                postcode: inQuimper ? "29000" : "29200", city: inQuimper ? "Quimper" : "Brest",
                                commune: inQuimper ? "29232" : "29019"))
        }
        places.append(place("53-IJ-P", structures: ["53-IJ-1"]))
        let indicators = [IndicatorValue(subject: .place, subjectId: "53-P0", code: "visits", period: "2025", value: 1200, unit: "persons")]
        return RegionDataset(region: bretagne, structures: structures, places: places, indicators: indicators)
    }
}
