import Directory
import Foundation
import NationalDirectory

/// The release as CSV tables with their Frictionless data package: `structures.csv`, `lieux.csv`,
/// `structures-des-lieux.csv` (which structures receive at which place, the host marked),
/// `services-des-lieux.csv` (one row per service a place offers) and `canaux.csv`, described column by
/// column in `datapackage.json` (types, codes allowed, keys between the tables, licence and sources).
/// A list inside one cell (publics, languages) is written with `|` between values.
public enum TabularRelease {
    public static func files(_ set: OpenDataSet) throws -> [ReleaseFile] {
        let ids = NationalIds(set)
        let tables = Tables(ids: ids)
        let links = set.places.flatMap { p in
            p.structures.map { s in
                PlaceLink(place: ids.place(p), structure: ids.structure(s, in: p.region),
                          isHost: p.place.structures.contains { $0.structureId == s.id && $0.isHost })
            }
        }
        let services = set.places.flatMap { p in p.place.services.map { (place: ids.place(p), service: $0) } }
        var files = [
            ReleaseFile(name: tables.structures.path, mediaType: csvType, bytes: tables.structures.csv(set.structures)),
            ReleaseFile(name: tables.places.path, mediaType: csvType, bytes: tables.places.csv(set.places)),
            ReleaseFile(name: tables.links.path, mediaType: csvType, bytes: tables.links.csv(links)),
            ReleaseFile(name: tables.services.path, mediaType: csvType, bytes: tables.services.csv(services)),
            ReleaseFile(name: tables.channels.path, mediaType: csvType, bytes: tables.channels.csv(set.channels)),
        ]
        let package = DataPackage(
            name: "spro-annuaire-national", title: "Annuaire national du Service public régional de l'orientation (SPRO)",
            description: "Structures référencées par les Régions au titre du SPRO, leurs points d'accueil, les services "
                + "qu'ils rendent et leurs canaux à distance, moissonnés depuis les exports signés des Régions, vérifiés et géocodés.",
            created: ISOInstant.string(set.generatedAt), version: ISOInstant.string(set.generatedAt),
            licenses: [license], sources: sources(set),
            resources: [tables.structures.resource, tables.places.resource, tables.links.resource, tables.services.resource,
                        tables.channels.resource])
        files.append(ReleaseFile(name: "datapackage.json", mediaType: "application/json",
                                 bytes: try SproJSON.encoder(pretty: true).encode(package)))
        return files
    }

    static let csvType = "text/csv; charset=utf-8"

    /// Licence Ouverte / Open Licence 2.0 (Etalab), the licence of French public open data.
    static let license = DataPackage.License(name: "etalab-2.0", path: "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
                                             title: "Licence Ouverte / Open Licence version 2.0")

    /// The Régions whose exports the release is built from.
    static func sources(_ set: OpenDataSet) -> [DataPackage.Source] {
        let regions = Set(set.places.flatMap { $0.sources.map(\.region) } + set.structures.flatMap { $0.sources.map(\.region) })
        return regions.sorted().map { code in
            DataPackage.Source(title: "Export signé de la Région \(set.regionNames[code] ?? code.rawValue) (\(code.rawValue))", path: nil)
        }
    }

    struct PlaceLink {
        var place: String
        var structure: String
        var isHost: Bool
    }

    /// The tables' columns.
    struct Tables {
        let ids: NationalIds

        var structures: Table<NationalStructure> {
            Table(name: "structures", title: "Structures", description: "Une ligne par structure (par SIRET quand elle en a un).", columns: [
                .init(name: "id", type: .string, title: "Identifiant national", description: "Code de la Région / identifiant de la structure dans son export.",
                      required: true) { ids.structure($0) },
                .init(name: "region", type: .string, title: "Région", description: "Code INSEE de la Région dont l'enregistrement est publié.",
                      required: true) { $0.region.rawValue },
                .init(name: "source_id", type: .string, title: "Identifiant à la source", description: "Identifiant dans l'export de la Région.",
                      required: true) { $0.structure.id },
                .init(name: "regions", type: .string, title: "Régions", description: "Toutes les Régions qui la référencent, séparées par |.") {
                    $0.sources.map(\.region.rawValue).joined(separator: "|")
                },
                .init(name: "siret", type: .string, title: "SIRET", description: "Numéro SIRET (14 chiffres).") { $0.structure.siret?.rawValue ?? "" },
                .init(name: "name", type: .string, title: "Nom", description: "Nom de la structure.", required: true) { $0.structure.name },
                .init(name: "network", type: .string, title: "Réseau", description: "Réseau ou famille de la structure.",
                      values: Network.allCases.map(\.rawValue), required: true) { $0.structure.network.rawValue },
                .init(name: "basis", type: .string, title: "Fondement", description: "Au titre de quoi elle fait partie du SPRO.",
                      values: BasisOfMembership.allCases.map(\.rawValue), required: true) { $0.structure.basis.rawValue },
                .init(name: "referencing_state", type: .string, title: "État du référencement", description: "État public du référencement.",
                      values: ReferencingState.allCases.map(\.rawValue), required: true) { $0.structure.referencing.state.rawValue },
                .init(name: "referencing_since", type: .date, title: "Depuis le", description: "Date à laquelle l'état a commencé.") {
                    $0.structure.referencing.since
                },
                .init(name: "referencing_valid_until", type: .date, title: "Valable jusqu'au", description: "Fin de validité du référencement.") {
                    $0.structure.referencing.validUntil ?? ""
                },
                .init(name: "charter_version", type: .integer, title: "Version du cahier des charges",
                      description: "Version du cahier des charges régional au titre de laquelle elle est référencée.") {
                    $0.structure.referencing.charterVersion.map(String.init) ?? ""
                },
                .init(name: "phone", type: .string, title: "Téléphone", description: "Téléphone public de la structure.") { $0.structure.phone ?? "" },
                .init(name: "email", type: .string, title: "Courriel", description: "Adresse générique publique de la structure.") { $0.structure.email ?? "" },
                .init(name: "website", type: .string, title: "Site", description: "Site web (http ou https).") { $0.structure.website ?? "" },
                .init(name: "first_harvested", type: .datetime, title: "Premier moissonnage", description: "Première acceptation par l'annuaire national.",
                      required: true) { $0.firstHarvested },
                .init(name: "last_changed", type: .datetime, title: "Dernière modification", description: "Dernier export accepté qui l'a modifiée.",
                      required: true) { $0.lastChanged },
                .init(name: "last_confirmed", type: .date, title: "Dernière confirmation", description: "Dernière confirmation par la Région.") {
                    $0.structure.lastConfirmed ?? ""
                },
            ], primaryKey: ["id"])
        }

        var places: Table<DirectoryPlace> {
            Table(name: "lieux", title: "Points d'accueil", description: "Une ligne par point d'accueil (un lieu listé par plusieurs Régions une seule fois).", columns: [
                .init(name: "id", type: .string, title: "Identifiant national", description: "Code de la Région / identifiant du lieu dans son export.",
                      required: true) { ids.place($0) },
                .init(name: "region", type: .string, title: "Région", description: "Code INSEE de la Région dont l'enregistrement est publié.",
                      required: true) { $0.region.rawValue },
                .init(name: "source_id", type: .string, title: "Identifiant à la source", description: "Identifiant dans l'export de la Région.",
                      required: true) { $0.place.id },
                .init(name: "regions", type: .string, title: "Régions", description: "Toutes les Régions qui le listent, séparées par |.") {
                    $0.sources.map(\.region.rawValue).joined(separator: "|")
                },
                .init(name: "name", type: .string, title: "Nom", description: "Nom du point d'accueil.", required: true) { $0.place.name },
                .init(name: "kind", type: .string, title: "Nature", description: "Nature du lieu.", values: PlaceKind.allCases.map(\.rawValue),
                      required: true) { $0.place.kind.rawValue },
                .init(name: "lieu_mutualise", type: .boolean, title: "Lieu mutualisé", description: "Plusieurs structures y reçoivent le public.",
                      required: true) { $0.place.isLieuMutualise ? "true" : "false" },
                .init(name: "address", type: .string, title: "Adresse", description: "Lignes d'adresse, séparées par |.") {
                    $0.place.address.lines.joined(separator: "|")
                },
                .init(name: "postcode", type: .string, title: "Code postal", description: "Code postal.", required: true) { $0.place.address.postcode.rawValue },
                .init(name: "city", type: .string, title: "Ville", description: "Ville telle qu'écrite sur le courrier.", required: true) { $0.place.address.city },
                .init(name: "commune", type: .string, title: "Commune", description: "Code INSEE de la commune où le moissonnage l'a placé.") {
                    $0.location.commune?.rawValue ?? ""
                },
                .init(name: "departement", type: .string, title: "Département", description: "Code du département.") {
                    $0.location.commune?.departement.rawValue ?? ""
                },
                .init(name: "zone_emploi", type: .string, title: "Zone d'emploi", description: "Code INSEE 2020 de la zone d'emploi (bassin d'emploi).") {
                    $0.location.zone?.rawValue ?? ""
                },
                .init(name: "lat", type: .number, title: "Latitude", description: "WGS84, degrés décimaux.") { $0.location.position.map { coordinate($0.lat) } ?? "" },
                .init(name: "lon", type: .number, title: "Longitude", description: "WGS84, degrés décimaux.") { $0.location.position.map { coordinate($0.lon) } ?? "" },
                .init(name: "precision", type: .string, title: "Précision du géocodage",
                      description: "housenumber (numéro), street (voie), given (coordonnées de la Région vérifiées), commune ou postcode (centre de la commune), unresolved (non localisé).",
                      values: GeocodePrecision.allCases.map(\.rawValue), required: true) { $0.location.precision },
                .init(name: "opening_hours", type: .string, title: "Horaires", description: "Horaires hebdomadaires, syntaxe opening_hours d'OpenStreetMap.") {
                    $0.place.openingHours ?? ""
                },
                .init(name: "reception_modes", type: .string, title: "Modes d'accueil",
                      description: "Séparés par | ; valeurs : " + ReceptionMode.allCases.map(\.rawValue).joined(separator: ", ") + ".") {
                    $0.place.receptionModes.map(\.rawValue).joined(separator: "|")
                },
                .init(name: "publics", type: .string, title: "Publics",
                      description: "Séparés par | ; valeurs : " + Public.allCases.map(\.rawValue).joined(separator: ", ") + ".") {
                    $0.place.publics.map(\.rawValue).joined(separator: "|")
                },
                .init(name: "accessible", type: .boolean, title: "Accessible PMR", description: "Accessible aux personnes en fauteuil roulant.",
                      required: true) { $0.place.accessible ? "true" : "false" },
                .init(name: "free_of_charge", type: .boolean, title: "Gratuit", description: "Accueil gratuit pour le public (vide : non déclaré).") {
                    $0.place.freeOfCharge.map { $0 ? "true" : "false" } ?? ""
                },
                .init(name: "languages", type: .string, title: "Langues", description: "Langues parlées à l'accueil autres que le français (ISO 639-1), séparées par |.") {
                    $0.place.languages.joined(separator: "|")
                },
                .init(name: "phone", type: .string, title: "Téléphone", description: "Téléphone public du lieu.") { $0.place.phone ?? "" },
                .init(name: "first_harvested", type: .datetime, title: "Premier moissonnage", description: "Première acceptation par l'annuaire national.",
                      required: true) { $0.firstHarvested },
                .init(name: "last_changed", type: .datetime, title: "Dernière modification", description: "Dernier export accepté qui l'a modifié.",
                      required: true) { $0.lastChanged },
                .init(name: "last_confirmed", type: .date, title: "Dernière confirmation", description: "Dernière confirmation par la Région.") {
                    $0.place.lastConfirmed ?? ""
                },
            ], primaryKey: ["id"])
        }

        var links: Table<PlaceLink> {
            Table(name: "structures-des-lieux", title: "Structures présentes dans chaque lieu",
                  description: "Une ligne par structure recevant le public dans un lieu ; la structure hôte est marquée.", columns: [
                .init(name: "place_id", type: .string, title: "Lieu", description: "Identifiant national du lieu.", required: true) { $0.place },
                .init(name: "structure_id", type: .string, title: "Structure", description: "Identifiant national de la structure.", required: true) { $0.structure },
                .init(name: "is_host", type: .boolean, title: "Hôte", description: "La structure accueille les autres dans ce lieu.",
                      required: true) { $0.isHost ? "true" : "false" },
            ], primaryKey: ["place_id", "structure_id"],
                  foreignKeys: [.init("place_id", to: "lieux", "id"), .init("structure_id", to: "structures", "id")])
        }

        var services: Table<(place: String, service: Service)> {
            Table(name: "services-des-lieux", title: "Services rendus dans chaque lieu", description: "Une ligne par service qu'un lieu rend.", columns: [
                .init(name: "place_id", type: .string, title: "Lieu", description: "Identifiant national du lieu.", required: true) { $0.place },
                .init(name: "service", type: .string, title: "Service", description: "Code du service.", values: Service.allCases.map(\.rawValue),
                      required: true) { $0.service.rawValue },
                .init(name: "label", type: .string, title: "Libellé", description: "Libellé du service.", required: true) { $0.service.label },
            ], primaryKey: ["place_id", "service"], foreignKeys: [.init("place_id", to: "lieux", "id")])
        }

        var channels: Table<DirectoryChannel> {
            Table(name: "canaux", title: "Canaux à distance", description: "Téléphone, tchat, visioconférence, courriel : un canal partagé une fois.", columns: [
                .init(name: "id", type: .string, title: "Identifiant national", description: "Code de la Région / identifiant du canal.", required: true) {
                    RecordJSON.nationalId($0.region, $0.channel.id)
                },
                .init(name: "region", type: .string, title: "Région", description: "Code INSEE de la Région.", required: true) { $0.region.rawValue },
                .init(name: "name", type: .string, title: "Nom", description: "Nom du canal.", required: true) { $0.channel.name },
                .init(name: "kind", type: .string, title: "Nature", description: "Nature du canal.", values: Channel.Kind.allCases.map(\.rawValue),
                      required: true) { $0.channel.kind.rawValue },
                .init(name: "address", type: .string, title: "Adresse du canal", description: "Numéro, adresse web ou courriel générique du canal.",
                      required: true) { $0.channel.address },
                .init(name: "opening_hours", type: .string, title: "Horaires", description: "Syntaxe opening_hours d'OpenStreetMap.") {
                    $0.channel.openingHours ?? ""
                },
                .init(name: "publics", type: .string, title: "Publics", description: "Séparés par |.") { $0.channel.publics.map(\.rawValue).joined(separator: "|") },
                .init(name: "services", type: .string, title: "Services", description: "Séparés par |.") { $0.channel.services.map(\.rawValue).joined(separator: "|") },
                .init(name: "structure_ids", type: .string, title: "Structures", description: "Identifiants nationaux des structures qui l'animent, séparés par |.") { c in
                    c.contributors.map { ids.structure($0, in: c.region) }.joined(separator: "|")
                },
                .init(name: "last_confirmed", type: .date, title: "Dernière confirmation", description: "Dernière confirmation par la Région.") {
                    $0.channel.lastConfirmed ?? ""
                },
            ], primaryKey: ["id"])
        }
    }

    /// Degrees rounded to 6 decimals (about 0.1 m), written as the GeoJSON writes them.
    static func coordinate(_ degrees: Double) -> String { rounded(degrees).description }

    /// Degrees rounded to 6 decimals: every format publishes the same position.
    static func rounded(_ degrees: Double) -> Double { (degrees * 1e6).rounded() / 1e6 }
}

/// The national ids of a release's records: a place's own, a structure's by its SIRET's one record.
struct NationalIds {
    private var structures: [StructureKey: String] = [:]

    init(_ set: OpenDataSet) {
        for s in set.structures { structures[s.key] = RecordJSON.nationalId(s.region, s.structure.id) }
    }

    func place(_ p: DirectoryPlace) -> String { RecordJSON.nationalId(p.region, p.place.id) }
    func structure(_ s: NationalStructure) -> String { RecordJSON.nationalId(s.region, s.structure.id) }
    /// A Région's structure record named by the national record of its SIRET (or of its Région and id).
    func structure(_ s: Structure, in region: RegionCode) -> String {
        structures[StructureKey(s, region: region)] ?? RecordJSON.nationalId(region, s.id)
    }
}
