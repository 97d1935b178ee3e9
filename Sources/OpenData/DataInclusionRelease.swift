import Directory
import Foundation
import NationalDirectory

/// The release in the data·inclusion schema, version 1 (as the PyPI package `data-inclusion-schema`
/// 1.0.x defines it): `data-inclusion/structures.json` and `data-inclusion/services.json`, JSON arrays.
///
/// Each structure of the directory is a structure, its id `spro--<key>` (the SIRET, or the Région and
/// the record's id). Each place yields one service per structure present and per service it offers,
/// at the place's address and position, with its hours (their format is ours, OSM `opening_hours`);
/// a place that lists no service yields one "Accueil et information" service per structure. Each channel
/// yields one remote service of the structure that runs it. Every record's source is "spro", its
/// `date_maj` the day it last changed, and its description names the Régions it comes from.
public enum DataInclusionRelease {
    /// The producer's identifier in every record.
    static let source = "spro"

    /// The two files of the release.
    public static func files(_ set: OpenDataSet) throws -> [ReleaseFile] {
        [
            ReleaseFile(name: "data-inclusion/structures.json", mediaType: "application/json", bytes: structures(set).releaseJSON()),
            ReleaseFile(name: "data-inclusion/services.json", mediaType: "application/json", bytes: services(set).releaseJSON()),
        ]
    }

    static func structureId(_ key: StructureKey) -> String { "\(source)--\(ReleaseKey.structure(key))" }

    static func structures(_ set: OpenDataSet) -> [DataInclusionStructure] {
        // A structure's address is that of the first place (by key) it hosts, if any.
        var hosted: [StructureKey: DirectoryPlace] = [:]
        for p in ReleaseKey.sorted(set.places, by: ReleaseKey.place) {
            for ps in p.place.structures where ps.isHost {
                guard let s = p.structures.first(where: { $0.id == ps.structureId }) else { continue }
                let key = StructureKey(s, region: p.region)
                if hosted[key] == nil { hosted[key] = p }
            }
        }
        return set.structures.sorted { $0.key < $1.key }.map { n in
            let s = n.structure
            let address = hosted[n.key].map(address)
            let regions = n.sources.isEmpty ? [n.region] : n.sources.map(\.region)
            return DataInclusionStructure(
                id: structureId(n.key), nom: s.name,
                dateMaj: ChangeDate(sources: n.sources, lastConfirmed: s.lastConfirmed, set: set).day,
                description: "\(s.network.label). \(set.provenance(regions))",
                siret: s.siret?.rawValue,
                commune: address?.commune, codePostal: address?.codePostal, codeInsee: address?.codeInsee,
                adresse: address?.adresse, complementAdresse: address?.complementAdresse,
                longitude: address?.longitude, latitude: address?.latitude,
                telephone: s.phone, courriel: s.email, siteWeb: s.website,
                reseauxPorteurs: DataInclusionVocabulary.reseauPorteur(s.network).map { [$0] })
        }
    }

    static func services(_ set: OpenDataSet) -> [DataInclusionService] {
        let national = Dictionary(set.structures.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let places = ReleaseKey.sorted(set.places, by: ReleaseKey.place)
        let channels = ReleaseKey.sorted(set.channels, by: ReleaseKey.channel)
        return places.flatMap { placeServices($0, national: national, set: set) }
            + channels.compactMap { channelService($0, national: national, set: set) }
    }

    /// One service per structure present and per service offered at the place.
    static func placeServices(_ p: DirectoryPlace, national: [StructureKey: NationalStructure], set: OpenDataSet) -> [DataInclusionService] {
        let place = p.place
        let address = address(p)
        let regions = p.sources.isEmpty ? [p.region] : p.sources.map(\.region)
        let offered: [Service?] = place.services.isEmpty ? [nil] : place.services.sorted().map { $0 }
        return p.structures.flatMap { s -> [DataInclusionService] in
            let key = StructureKey(s, region: p.region)
            let changed = [ChangeDate(sources: p.sources, lastConfirmed: place.lastConfirmed, set: set).day,
                           national[key].map { ChangeDate(sources: $0.sources, lastConfirmed: s.lastConfirmed, set: set).day }]
                .compactMap { $0 }.max()!
            let phone = place.phone ?? s.phone
            return offered.map { service in
                let name = service?.label ?? "Accueil et information"
                return DataInclusionService(
                    structureId: structureId(key),
                    id: "\(source)--\(ReleaseKey.place(p))--\(ReleaseKey.structure(key))--\(service?.rawValue ?? "accueil")",
                    nom: name,
                    description: "\(name) : \(s.name), \(place.name) (\(place.kind.label.lowercased()), \(place.address.city)). "
                        + set.provenance(regions),
                    dateMaj: changed,
                    type: service.map(DataInclusionVocabulary.type) ?? "information",
                    thematiques: service.map(DataInclusionVocabulary.thematiques),
                    frais: DataInclusionVocabulary.frais(place.freeOfCharge),
                    publics: DataInclusionVocabulary.publics(place.publics),
                    publicsPrecisions: place.publics.isEmpty ? nil : place.publics.map(\.label).joined(separator: ", "),
                    commune: address.commune, codePostal: address.codePostal, codeInsee: address.codeInsee,
                    adresse: address.adresse, complementAdresse: address.complementAdresse,
                    longitude: address.longitude, latitude: address.latitude,
                    telephone: phone, courriel: s.email,
                    modesAccueil: DataInclusionVocabulary.modesAccueil(place.receptionModes),
                    modesMobilisation: DataInclusionVocabulary.modesMobilisation(place.receptionModes, hasPhone: phone != nil),
                    mobilisablePar: ["usagers"],
                    horairesAccueil: place.openingHours)
            }
        }
    }

    /// A channel as a remote service of the structure that runs it (its first contributor).
    static func channelService(_ d: DirectoryChannel, national: [StructureKey: NationalStructure], set: OpenDataSet) -> DataInclusionService? {
        let c = d.channel
        guard let runner = d.contributors.first else { return nil }
        let key = StructureKey(runner, region: d.region)
        let themes = Set(c.services.flatMap(DataInclusionVocabulary.thematiques)).sorted()
        let others = d.contributors.dropFirst().map(\.name)
        let isLink = (c.kind == .tchat || c.kind == .visio) && c.address.hasPrefix("http")
        return DataInclusionService(
            structureId: structureId(key),
            id: "\(source)--\(ReleaseKey.channel(d))",
            nom: c.name,
            description: "\(c.kind.label) : \(c.name), tenu par \(runner.name)"
                + (others.isEmpty ? "" : " avec \(others.joined(separator: ", "))") + ". " + set.provenance([d.region]),
            dateMaj: ChangeDate(sources: [], lastConfirmed: c.lastConfirmed ?? national[key]?.structure.lastConfirmed, set: set).day,
            type: "information",
            thematiques: themes.isEmpty ? nil : themes,
            publics: DataInclusionVocabulary.publics(c.publics),
            publicsPrecisions: c.publics.isEmpty ? nil : c.publics.map(\.label).joined(separator: ", "),
            telephone: c.kind == .telephone ? c.address : nil,
            courriel: c.kind == .courriel ? c.address : nil,
            modesAccueil: ["a-distance"],
            modesMobilisation: (c.kind == .telephone ? "telephoner" : c.kind == .courriel ? "envoyer-un-courriel"
                                : isLink ? "utiliser-lien-mobilisation" : nil).map { [$0] },
            mobilisablePar: ["usagers"],
            lienMobilisation: isLink ? c.address : nil,
            horairesAccueil: c.openingHours)
    }

    /// The place's address: the last line is the street, the lines before it its complement.
    static func address(_ p: DirectoryPlace) -> DataInclusionAddress {
        let a = p.place.address
        return DataInclusionAddress(
            commune: a.city, codePostal: a.postcode.rawValue, codeInsee: (a.communeCode ?? p.location.commune)?.rawValue,
            adresse: a.lines.last, complementAdresse: a.lines.count > 1 ? a.lines.dropLast().joined(separator: ", ") : nil,
            longitude: p.location.position.map { TabularRelease.rounded($0.lon) }, latitude: p.location.position.map { TabularRelease.rounded($0.lat) })
    }
}
