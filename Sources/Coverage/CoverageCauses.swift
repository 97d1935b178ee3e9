import Directory
import Foundation
import NationalDirectory

/// One change between two coverage runs that can move a zone: a place added, withdrawn, moved, its hours
/// or its structures changed, or a structure's referencing decision (suspended, reinstated, withdrawn,
/// expired). Found by comparing the runs' `CoverageFacts`.
public struct CoverageCause: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, CaseIterable, Comparable {
        case placeAdded = "lieu_ajoute"
        case placeWithdrawn = "lieu_retire"
        case placeMoved = "lieu_deplace"
        case hoursChanged = "horaires_modifies"
        case structureJoined = "structure_ajoutee_au_lieu"
        case structureLeft = "structure_partie_du_lieu"
        case suspended = "referencement_suspendu"
        case reinstated = "referencement_retabli"
        case withdrawn = "referencement_retire"
        case expired = "referencement_expire"

        /// French label.
        public var label: String {
            switch self {
            case .placeAdded: "Lieu ajouté"
            case .placeWithdrawn: "Lieu retiré"
            case .placeMoved: "Lieu déplacé"
            case .hoursChanged: "Horaires modifiés"
            case .structureJoined: "Structure ajoutée au lieu"
            case .structureLeft: "Structure partie du lieu"
            case .suspended: "Référencement suspendu"
            case .reinstated: "Référencement rétabli"
            case .withdrawn: "Référencement retiré"
            case .expired: "Référencement expiré"
            }
        }

        public static func < (a: Kind, b: Kind) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    public var kind: Kind
    /// The zone the change touches (a place moved between zones touches both).
    public var zone: ZoneEmploiCode
    /// `region/id` and name of the place, when the change is a place's.
    public var place: String?
    public var placeName: String?
    /// `region/id` and name of the structure, when the change is a structure's.
    public var structure: String?
    public var structureName: String?
    /// What changed, in French ("35 h → 20 h par semaine", "déplacé de 12,4 km").
    public var detail: String
}

/// The causes between two runs' facts.
public enum CoverageCauses {
    /// Every change between `before` and `after` that touches a zone, by zone, kind, place, structure.
    /// - Parameter afterDay: the later run's day (YYYY-MM-DD): a structure gone whose validity ended by
    ///   then expired; one gone before its end was withdrawn.
    public static func between(_ before: CoverageFacts, _ after: CoverageFacts, afterDay: String) -> [CoverageCause] {
        let oldStructures = Dictionary(before.structures.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let newStructures = Dictionary(after.structures.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        var causes: [CoverageCause] = []
        func add(_ kind: CoverageCause.Kind, _ zone: ZoneEmploiCode?, place: PlaceFact? = nil, structure: StructureFact? = nil,
                 _ detail: String) {
            guard let zone else { return }
            causes.append(CoverageCause(kind: kind, zone: zone, place: place?.key, placeName: place?.name, structure: structure?.key,
                                        structureName: structure?.name, detail: detail))
        }
        // The places of both runs are sorted by `order` (`CoverageFacts`): walked side by side, as pairs by key.
        var pairs: [(PlaceFact?, PlaceFact?)] = []
        pairs.reserveCapacity(max(before.places.count, after.places.count))
        var i = 0, j = 0
        let old = before.places, new = after.places
        while i < old.count || j < new.count {
            if j == new.count || (i < old.count && old[i].order < new[j].order) {
                pairs.append((old[i], nil)); i += 1
            } else if i == old.count || new[j].order < old[i].order {
                pairs.append((nil, new[j])); j += 1
            } else {
                // Unchanged places (most of them) make no cause.
                if old[i] != new[j] { pairs.append((old[i], new[j])) }
                i += 1; j += 1
            }
        }
        for pair in pairs {
            switch pair {
            case (nil, let p?):
                add(.placeAdded, p.zone, place: p, "nouveau lieu" + hoursText(p.weeklyHours))
            case (let p?, nil):
                let gone = p.structureIds.allSatisfy { newStructures[p.region.rawValue + "/" + $0] == nil }
                add(.placeWithdrawn, p.zone, place: p, gone && !p.structureIds.isEmpty
                    ? "plus aucune structure référencée n'y reçoit le public" : "retiré de l'annuaire par la région")
            case (let a?, let b?):
                if a.zone != b.zone || distanceKm(a.position, b.position) > 0.001 {
                    let text = movedText(a, b)
                    add(.placeMoved, a.zone, place: b, text)
                    if b.zone != a.zone { add(.placeMoved, b.zone, place: b, text) }
                }
                if !sameHours(a.weeklyHours, b.weeklyHours) {
                    add(.hoursChanged, b.zone, place: b, "\(hoursValue(a.weeklyHours)) → \(hoursValue(b.weeklyHours)) par semaine")
                }
                let was = Set(a.structureIds), now = Set(b.structureIds)
                for id in now.subtracting(was).sorted() {
                    add(.structureJoined, b.zone, place: b, structure: newStructures[b.region.rawValue + "/" + id],
                        newStructures[b.region.rawValue + "/" + id]?.name ?? id)
                }
                for id in was.subtracting(now).sorted() {
                    add(.structureLeft, b.zone, place: b, structure: oldStructures[a.region.rawValue + "/" + id],
                        oldStructures[a.region.rawValue + "/" + id]?.name ?? id)
                }
            case (nil, nil): break
            }
        }
        // Referencing decisions, in every zone where the structure received the public in either run.
        var zonesOf: [String: Set<ZoneEmploiCode>] = [:]
        for p in before.places + after.places {
            guard let zone = p.zone else { continue }
            for id in p.structureIds { zonesOf[p.region.rawValue + "/" + id, default: []].insert(zone) }
        }
        for (key, old) in oldStructures {
            let zones = (zonesOf[key] ?? []).sorted()
            if let new = newStructures[key] {
                guard old.state != new.state else { continue }
                let kind: CoverageCause.Kind? = new.state == .suspended ? .suspended : old.state == .suspended ? .reinstated : nil
                guard let kind else { continue }
                for z in zones { add(kind, z, structure: new, "\(old.state.label) → \(new.state.label)") }
            } else if let end = old.validUntil, end <= afterDay {
                for z in zones { add(.expired, z, structure: old, "fin de validité le \(CoverageHTML.frenchDate(end))") }
            } else {
                for z in zones { add(.withdrawn, z, structure: old, "la structure ne figure plus dans l'export de sa région") }
            }
        }
        return causes.sorted { a, b in
            (a.zone.rawValue, a.kind, a.place ?? "", a.structure ?? "") < (b.zone.rawValue, b.kind, b.place ?? "", b.structure ?? "")
        }
    }

    static func distanceKm(_ a: GeoPoint?, _ b: GeoPoint?) -> Double {
        switch (a, b) {
        case (nil, nil): 0
        case let (p?, q?): p.distance(to: q) / 1000
        default: .infinity
        }
    }

    static func movedText(_ a: PlaceFact, _ b: PlaceFact) -> String {
        var parts: [String] = []
        let d = distanceKm(a.position, b.position)
        if d.isFinite, d > 0 { parts.append("déplacé de \(French.decimal(d, 1))\(French.thinSpace)km") }
        if a.position == nil, b.position != nil { parts.append("désormais localisé") }
        if a.position != nil, b.position == nil { parts.append("adresse désormais non localisée") }
        if a.zone != b.zone { parts.append("zone \(a.zone?.rawValue ?? "—") → \(b.zone?.rawValue ?? "—")") }
        return parts.joined(separator: ", ")
    }

    static func sameHours(_ a: Double?, _ b: Double?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case let (x?, y?): abs(x - y) < 0.01
        default: false
        }
    }

    static func hoursValue(_ h: Double?) -> String {
        h.map { French.decimal($0, $0 == $0.rounded() ? 0 : 1) + "\(French.thinSpace)h" } ?? "non renseignées"
    }

    static func hoursText(_ h: Double?) -> String { h.map { _ in ", \(hoursValue(h)) par semaine" } ?? "" }
}
