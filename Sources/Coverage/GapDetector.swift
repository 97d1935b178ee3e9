import Directory
import Foundation
import NationalDirectory
import Reference

/// Finds the gaps of every zone from its figures and its places. Each rule is one method.
struct GapDetector {
    let reference: ReferencePack
    let options: CoverageOptions
    let thresholdKm: Double
    let now: Date
    let lastUpdated: ((DirectoryPlace) -> Date?)?
    let regionsRequiringLieuMutualise: Set<RegionCode>

    /// Every gap of every zone, in no particular order.
    func gaps(zones: [ZoneCoverage], places: [DirectoryPlace], placesByZone: [ZoneEmploiCode: [Int]]) -> [CoverageGap] {
        var out: [CoverageGap] = []
        let clusters = concentrations(places)
        // Each place's last update, read once (the rules below look at places by index: a list of a zone's
        // places copied each one).
        let updated = lastUpdated.map { read in places.map(read) }
        for zone in zones {
            let zp = placesByZone[zone.code] ?? []
            out += familyGaps(zone)
            if zp.isEmpty { out.append(noPlace(zone)) }
            if let c = clusters[zone.code] { out.append(overConcentration(zone, c)) }
            if let updated, let g = stale(zone, zp, places: places, updated: updated) { out.append(g) }
            out += twoDoors(zone, zp, places: places)
            if let g = missingLieuMutualise(zone, zp, places: places) { out.append(g) }
        }
        return out
    }

    /// "region/id" of a place, as gaps list them.
    private static func key(_ p: DirectoryPlace) -> String { p.region.rawValue + "/" + p.place.id }

    // MARK: - Families beyond the threshold

    func familyGaps(_ zone: ZoneCoverage) -> [CoverageGap] {
        zone.families.compactMap { f -> CoverageGap? in
            guard let share = f.shareBeyondThreshold, share >= options.gapShare, share > 0 else { return nil }
            let severity: GapSeverity = share >= 0.8 ? .critical : share >= 0.5 ? .high : .medium
            let what: String
            switch f.family {
            case .overall: what = "de tout lieu d'accueil du SPRO"
            case .service(let s): what = "d'un lieu proposant « \(s.label) »"
            case .public(let p): what = "d'un lieu recevant le public « \(p.label) »"
            }
            let none = f.meanDistanceKm == nil ? " Aucun lieu de ce type n'est recensé." : ""
            return CoverageGap(
                kind: .familyBeyondThreshold, zone: zone.code, zoneName: zone.name, family: f.family, severity: severity,
                message: "\(French.percent(share)) de la population (\(French.plural(f.populationBeyondThreshold, "habitant", "habitants"))) "
                    + "vit à plus de \(French.decimal(thresholdKm, 0))\(French.thinSpace)km \(what).\(none)",
                population: f.populationBeyondThreshold, value: share)
        }
    }

    // MARK: - No place at all

    func noPlace(_ zone: ZoneCoverage) -> CoverageGap {
        CoverageGap(kind: .noPlace, zone: zone.code, zoneName: zone.name, severity: .critical,
                    message: "Aucun lieu d'accueil n'est recensé dans la zone (\(French.plural(zone.population, "habitant", "habitants"))).",
                    population: zone.population, value: 0)
    }

    // MARK: - Over-concentration

    /// A group of places close together: same commune, or within the radius of one place.
    struct Cluster {
        var commune: String
        var networks: Set<Network>
        var places: [String]
    }

    /// For each zone, its largest group of places holding at least `concentrationNetworks` networks
    /// with no lieu mutualisé among them; the group is anchored on a place of the zone.
    func concentrations(_ places: [DirectoryPlace]) -> [ZoneEmploiCode: Cluster] {
        // Networks as bits (22 networks fit in 32), so a group's networks are an OR.
        let bit = Dictionary(uniqueKeysWithValues: Network.allCases.enumerated().map { ($1, UInt32(1) << UInt32($0)) })
        let masks = places.map { p in p.structures.reduce(UInt32(0)) { $0 | bit[$1.network]! } }
        let mutualised = places.map(\.place.isLieuMutualise)
        var located: [GeoPoint] = [], locatedPlace: [Int] = []
        var byCommune: [CommuneCode: [Int]] = [:]
        // By index, not `enumerated()`: a copy of each place (its strings and arrays retained) cost more than the loop.
        for i in places.indices {
            if let pos = places[i].location.position {
                located.append(pos)
                locatedPlace.append(i)
            }
            if let c = places[i].location.commune { byCommune[c, default: []].append(i) }
        }
        let grid = CatchmentGrid(located, radiusKm: options.concentrationRadiusKm)
        func members(_ i: Int) -> [Int] {
            var out = places[i].location.commune.flatMap { byCommune[$0] } ?? [i]
            if let pos = places[i].location.position { grid.forEach(near: pos) { k, _ in out.append(locatedPlace[Int(k)]) } }
            return out
        }
        struct Anchor: Hashable { var position: GeoPoint?; var commune: CommuneCode? }
        var best: [ZoneEmploiCode: (anchor: Int, networks: Int, name: String)] = [:]
        var anchors = Set<Anchor>()
        for i in places.indices {
            guard let zone = places[i].location.zone else { continue }
            // Places sharing a position and commune give the same group: evaluate it once.
            guard anchors.insert(Anchor(position: places[i].location.position, commune: places[i].location.commune)).inserted else { continue }
            var mask: UInt32 = 0
            var anyMutualised = false
            for m in members(i) {
                mask |= masks[m]
                anyMutualised = anyMutualised || mutualised[m]
            }
            let count = mask.nonzeroBitCount
            guard !anyMutualised, count >= options.concentrationNetworks else { continue }
            let name = places[i].location.commune.flatMap { reference.communes[$0]?.name } ?? places[i].place.address.city
            // Keep the group with the most networks; on a tie, the first commune by name, so runs agree.
            if let current = best[zone], current.networks > count || (current.networks == count && current.name <= name) { continue }
            best[zone] = (i, count, name)
        }
        return best.mapValues { b in
            let group = Set(members(b.anchor)).map { places[$0] }
            return Cluster(commune: b.name, networks: Set(group.flatMap(\.networks)),
                           places: group.map(Self.key).sorted())
        }
    }

    func overConcentration(_ zone: ZoneCoverage, _ c: Cluster) -> CoverageGap {
        CoverageGap(kind: .overConcentration, zone: zone.code, zoneName: zone.name, severity: .low,
                    message: "\(c.networks.count) réseaux (\(French.list(c.networks.sorted().map(\.label)))) accueillent à \(c.commune) "
                        + "ou à moins de \(French.decimal(options.concentrationRadiusKm, 0))\(French.thinSpace)km, sans aucun lieu mutualisé.",
                    value: Double(c.networks.count), places: Array(c.places.prefix(20)))
    }

    // MARK: - Stale data

    /// `zp`: the zone's places (indices into `places`); `updated`: each place's last update.
    func stale(_ zone: ZoneCoverage, _ zp: [Int], places: [DirectoryPlace], updated: [Date?]) -> CoverageGap? {
        guard !zp.isEmpty else { return nil }
        let limit = now.addingTimeInterval(-Double(options.staleAfterDays) * 86_400)
        let old = zp.filter { i in updated[i].map { $0 < limit } ?? false }
        guard !old.isEmpty else { return nil }
        let share = Double(old.count) / Double(zp.count)
        return CoverageGap(kind: .staleData, zone: zone.code, zoneName: zone.name, severity: share >= 0.5 ? .medium : .low,
                           message: "\(French.integer(old.count)) lieu\(old.count > 1 ? "x" : "") sur \(French.integer(zp.count)) "
                               + "n'\(old.count > 1 ? "ont" : "a") pas été mis à jour depuis plus de \(options.staleAfterDays) jours.",
                           value: share, places: Array(old.map { Self.key(places[$0]) }.sorted().prefix(20)))
    }

    // MARK: - "Pas plus de deux portes à pousser"

    /// A place offering CEP level 1 to one of the checked publics needs, in the same zone, a place
    /// offering CEP level 2 to that public (itself included); `tous_publics` receives every public.
    func twoDoors(_ zone: ZoneCoverage, _ zp: [Int], places: [DirectoryPlace]) -> [CoverageGap] {
        func offers(_ i: Int, _ service: Service, _ pub: Public) -> Bool {
            places[i].place.services.contains(service)
                && (places[i].place.publics.contains(pub) || places[i].place.publics.contains(.tousPublics))
        }
        var out: [CoverageGap] = []
        for pub in options.twoDoorsPublics {
            let firstLevel = zp.filter { offers($0, .cep1, pub) }
            guard !firstLevel.isEmpty else { continue }
            guard !zp.contains(where: { offers($0, .cep2, pub) }) else { continue }
            let n = firstLevel.count
            out.append(CoverageGap(
                kind: .twoDoors, zone: zone.code, zoneName: zone.name, family: .public(pub), severity: .high,
                message: "\(n > 1 ? "\(French.integer(n)) lieux de premier niveau reçoivent" : "Un lieu de premier niveau reçoit") "
                    + "le public « \(pub.label) » (CEP niveau 1) sans lieu de conseil personnalisé (CEP niveau 2) "
                    + "pour ce public dans la zone : une troisième porte est à pousser hors du bassin.",
                value: Double(n), places: Array(firstLevel.map { Self.key(places[$0]) }.sorted().prefix(20))))
        }
        return out
    }

    // MARK: - Lieu mutualisé per bassin

    func missingLieuMutualise(_ zone: ZoneCoverage, _ zp: [Int], places: [DirectoryPlace]) -> CoverageGap? {
        guard regionsRequiringLieuMutualise.contains(zone.mainRegion) else { return nil }
        guard !zp.contains(where: { places[$0].place.isLieuMutualise && places[$0].place.publics.contains(.tousPublics) }) else { return nil }
        let regionName = reference.regions[zone.mainRegion]?.name ?? "Région \(zone.mainRegion.rawValue)"
        return CoverageGap(kind: .missingLieuMutualise, zone: zone.code, zoneName: zone.name, severity: .high,
                           message: "Le cahier des charges de la région \(regionName) demande un lieu mutualisé tous publics "
                               + "par bassin d'emploi ; la zone n'en a aucun.",
                           population: zone.population)
    }
}
