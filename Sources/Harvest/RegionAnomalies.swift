import Directory
import Foundation
import NationalDirectory
import Reference

/// One thing a Région's team should look at in its data, as the national directory found it: its export
/// refused, a record dropped, or a record served but flagged. Sent back to the Régions on
/// `/moissonnage/<code>` and `/api/v1/harvest/<code>/anomalies`.
public struct RegionAnomaly: Sendable, Equatable, Codable {
    /// What was found; the raw values are the API's stable codes.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// The whole export was refused: the previous one stays in service.
        case exportRefused = "export_refused"
        /// The export in service has expired: its data is served marked stale.
        case exportExpired = "export_expired"
        /// One record was dropped by the validator (a bad field), the rest accepted.
        case recordRefused = "record_refused"
        /// The Région's coordinates were set aside (outside France, far from the commune, 0,0).
        case coordinatesSetAside = "coordinates_set_aside"
        /// The postcode is not one of the commune's.
        case postcodeMismatch = "postcode_mismatch"
        /// The address was located at its commune's centre only.
        case communeLevel = "commune_level"
        /// The address could not be located at all: the place is listed, not on the map.
        case unresolved
        /// Not confirmed for more than `staleAfterDays` days (DORA's "update required").
        case stale
        /// The same place is listed by another Région: one merged place is served.
        case mergedWithOtherRegion = "merged_with_other_region"

        /// The heading on the Région's page.
        public var french: String {
            switch self {
            case .exportRefused: "Export refusé"
            case .exportExpired: "Export expiré"
            case .recordRefused: "Enregistrements rejetés"
            case .coordinatesSetAside: "Coordonnées écartées"
            case .postcodeMismatch: "Code postal ne correspondant pas à la commune"
            case .communeLevel: "Adresses localisées à la commune seulement"
            case .unresolved: "Adresses introuvables"
            case .stale: "Fiches à confirmer"
            case .mergedWithOtherRegion: "Lieux fusionnés avec ceux d'une autre Région"
            }
        }
    }

    public var kind: Kind
    /// "place", "structure", "channel"... (nil for the export itself).
    public var record: String?
    /// The record's id in the Région's export.
    public var id: String?
    public var field: String?
    /// What is wrong, in French, with the values involved.
    public var message: String
    /// What the geocoder or validator said, as it said it (may be technical).
    public var detail: String?
}

/// Every Région's anomalies for one content generation, computed once when the content is loaded.
public struct RegionAnomalies: Sendable {
    /// Days after which a record's `lastConfirmed` makes it stale (DORA: update required after 240 days).
    public static let staleAfterDays = 240

    public private(set) var byRegion: [RegionCode: [RegionAnomaly]] = [:]

    public init() {}

    /// Reads the latest harvest report (refusals) and every place and structure served (flags). With
    /// `reference`, each postcode is checked against its commune.
    public init(places: [DirectoryPlace], report: HarvestReport?, states: [AcceptedState], reference: ReferencePack?, now: Date) {
        for outcome in report?.regions ?? [] {
            if outcome.status == .refused, let refusal = outcome.refusal {
                add(outcome.region, RegionAnomaly(kind: .exportRefused, field: nil,
                                                  message: "export refusé : \(refusal) ; la version \(outcome.versionInService.map(String.init) ?? "—") reste en service",
                                                  detail: outcome.refusalCode))
            }
            for a in outcome.anomalies {
                add(outcome.region, RegionAnomaly(kind: .recordRefused, record: a.kind, id: a.id, field: a.field,
                                                  message: "\(a.kind) « \(a.id) » rejeté, champ \(a.field) : \(a.rule)"))
            }
        }
        for state in states where state.isStale(at: now) {
            add(state.region, RegionAnomaly(kind: .exportExpired, field: "expiresAt",
                                            message: "l'export en service (version \(state.version)) a expiré le \(state.expiresAt) : ses données sont servies comme périmées"))
        }
        let staleBefore = now.addingTimeInterval(-Double(Self.staleAfterDays) * 86_400)
        var structuresSeen = Set<String>()
        for p in places {
            let sources = p.sources.isEmpty
                ? [RecordSource(region: p.region, id: p.place.id, exportVersion: p.sourceVersion, generatedAt: "", firstHarvested: "", lastChanged: "")]
                : p.sources
            for source in sources {
                let region = source.region
                let id = source.id
                // Location flags describe the record shown; the others' own records were merged into it.
                if region == p.region && id == p.place.id {
                    flags(p, region: region, reference: reference).forEach { add(region, $0) }
                    if let confirmed = p.place.lastConfirmed, let day = ISODay.parse(confirmed), day < staleBefore {
                        add(region, RegionAnomaly(kind: .stale, record: "place", id: id, field: "lastConfirmed",
                                                  message: "lieu « \(p.place.name) » non confirmé depuis le \(confirmed)"))
                    }
                }
                let others = sources.filter { $0.region != region }
                if !others.isEmpty {
                    let names = others.map { "\($0.id) (Région \($0.region.rawValue))" }.joined(separator: ", ")
                    add(region, RegionAnomaly(kind: .mergedWithOtherRegion, record: "place", id: id,
                                              message: "lieu « \(p.place.name) » aussi déclaré par une autre Région : \(names) ; une seule fiche est servie"))
                }
            }
            for s in p.structures where s.lastConfirmed != nil && structuresSeen.insert("\(p.region.rawValue)/\(s.id)").inserted {
                if let confirmed = s.lastConfirmed, let day = ISODay.parse(confirmed), day < staleBefore {
                    add(p.region, RegionAnomaly(kind: .stale, record: "structure", id: s.id, field: "lastConfirmed",
                                                message: "structure « \(s.name) » non confirmée depuis le \(confirmed)"))
                }
            }
        }
    }

    /// The anomalies of one Région, in the order of `Kind` then record id.
    public func of(_ region: RegionCode) -> [RegionAnomaly] {
        (byRegion[region] ?? []).sorted {
            let a = RegionAnomaly.Kind.allCases.firstIndex(of: $0.kind)!, b = RegionAnomaly.Kind.allCases.firstIndex(of: $1.kind)!
            return a != b ? a < b : ($0.id ?? "") < ($1.id ?? "")
        }
    }

    private mutating func add(_ region: RegionCode, _ anomaly: RegionAnomaly) {
        byRegion[region, default: []].append(anomaly)
    }

    /// What the geocoder noticed about the shown record of a place.
    private func flags(_ p: DirectoryPlace, region: RegionCode, reference: ReferencePack?) -> [RegionAnomaly] {
        var out: [RegionAnomaly] = []
        let id = p.place.id, name = p.place.name, loc = p.location
        if let flag = loc.coordinatesFlag {
            out.append(RegionAnomaly(kind: .coordinatesSetAside, record: "place", id: id, field: "coordinates",
                                     message: "lieu « \(name) » : coordonnées \(p.place.coordinates.map { "\($0.lat), \($0.lon)" } ?? "") écartées, position de la commune utilisée",
                                     detail: flag))
        }
        switch loc.precision {
        case GeocodePrecision.unresolved.rawValue:
            out.append(RegionAnomaly(kind: .unresolved, record: "place", id: id, field: "address",
                                     message: "lieu « \(name) » : adresse « \(p.place.address.singleLine) » introuvable ; le lieu n'apparaît pas sur la carte",
                                     detail: loc.reason))
        // Coordinates set aside already say the commune's centre is used.
        case GeocodePrecision.commune.rawValue where loc.coordinatesFlag == nil, GeocodePrecision.postcode.rawValue where loc.coordinatesFlag == nil:
            out.append(RegionAnomaly(kind: .communeLevel, record: "place", id: id, field: "address",
                                     message: "lieu « \(name) » : adresse « \(p.place.address.singleLine) » localisée au centre de la commune seulement",
                                     detail: loc.reason))
        default: break
        }
        if let reference, let commune = loc.commune ?? p.place.address.communeCode,
           let entries = reference.postcodes[p.place.address.postcode],
           !PostcodeRule.serves(entries, commune) {
            let communeName = reference.communes[commune]?.name ?? commune.rawValue
            out.append(RegionAnomaly(kind: .postcodeMismatch, record: "place", id: id, field: "address.postcode",
                                     message: "lieu « \(name) » : le code postal \(p.place.address.postcode.rawValue) n'est pas celui de \(communeName) (\(commune.rawValue))"))
        }
        return out
    }
}
