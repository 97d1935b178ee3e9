import Directory
import Foundation
import NationalDirectory
import PerformanceKit
import Reference

/// Computes coverage per zone d'emploi from commune populations and the directory's places.
/// Paris, Lyon and Marseille count through their arrondissements, so nobody is counted twice.
public struct CoverageCalculator: Sendable {
    public let reference: ReferencePack
    /// Distance beyond which a commune counts as badly served, in km.
    public var thresholdKm: Double
    /// Families measured, gap rules and E2SFCA bands.
    public var options: CoverageOptions

    public init(reference: ReferencePack, thresholdKm: Double = 20, options: CoverageOptions = CoverageOptions()) {
        self.reference = reference
        self.thresholdKm = thresholdKm
        self.options = options
    }

    /// The Régions whose latest charter asks for one all-public lieu mutualisé per bassin d'emploi
    /// (Poitou-Charentes' rule, now Nouvelle-Aquitaine's), to pass to `compute`.
    public static func regionsRequiringLieuMutualise(charters: [Charter]) -> Set<RegionCode> {
        let latest = Dictionary(charters.map { ($0.region, $0) }, uniquingKeysWith: { $0.version >= $1.version ? $0 : $1 })
        return Set(latest.values.filter(\.requiresLieuMutualisePerBassin).map(\.region))
    }

    /// The day a place's Région last confirmed it, as published in its export.
    public static let lastConfirmed: @Sendable (DirectoryPlace) -> Date? = { $0.place.lastConfirmed.flatMap(ISODay.parse) }

    /// Computes the whole report.
    /// - Parameters:
    ///   - places: every place of the national directory; those without a position count in their
    ///     zone's totals but not in distances.
    ///   - now: the report's date, and the reference for stale data.
    ///   - lastUpdated: when each place was last confirmed (by default its Région's `lastConfirmed`);
    ///     places older than `options.staleAfterDays` make a `staleData` gap. Nil skips that rule.
    ///   - regionsRequiringLieuMutualise: Régions whose charter asks for an all-public lieu mutualisé
    ///     per bassin; a zone answers to its main Région.
    ///   - weeklyHours: `WeeklyHours.of(places)`, when read already (the facts of a run read them too).
    public func compute(places: [DirectoryPlace], now: Date = Date(),
                        lastUpdated: ((DirectoryPlace) -> Date?)? = CoverageCalculator.lastConfirmed,
                        regionsRequiringLieuMutualise: Set<RegionCode> = [], weeklyHours: [Double?]? = nil) -> CoverageReport {
        let families = options.families
        let units = reference.populationUnits
        // Each place's families, decided once from the records (`places.map { f.isServed(by: $0.place) }`
        // copied each place for each family).
        let records = places.map(\.place)
        let served = families.map { f in records.map(f.isServed) }
        // Distances to the nearest place of each family, then E2SFCA accessibility, per unit: one after the
        // other, each on every core (run side by side, the second's slices were left to a single core).
        let nearest = NearestDistances(units: units.map(\.centre), positions: places.map(\.location.position), served: served)
        let hours = SupplyHours(records, weeklyHours: weeklyHours ?? WeeklyHours.of(places))
        // The capacity is the weekly hours of the places with a position: one without cannot be in any catchment.
        let supplies = places.indices.compactMap { i in
            places[i].location.position.map { (position: $0, hours: hours.hours[i], served: families.indices.map { served[$0][i] }) }
        }
        let familyAccessibility = Accessibility.e2sfca(units: units.map { (centre: $0.centre, population: $0.population) },
                                                       supplies: supplies, families: families.count, parameters: options.accessibility)
        let accessibility = familyAccessibility[0]

        var unitsByZone: [ZoneEmploiCode: [Int]] = [:]
        var unitsByRegion: [RegionCode: [Int]] = [:]
        for (u, unit) in units.enumerated() {
            unitsByZone[unit.zone, default: []].append(u)
            unitsByRegion[unit.region, default: []].append(u)
        }
        var placesByZone: [ZoneEmploiCode: [Int]] = [:]
        var placesByRegion: [RegionCode: [Int]] = [:]
        for i in places.indices {
            if let zone = places[i].location.zone { placesByZone[zone, default: []].append(i) }
            placesByRegion[places[i].region, default: []].append(i)
        }
        let area = AreaMeasure(units: units, nearest: nearest, accessibility: familyAccessibility, families: families,
                               thresholdKm: thresholdKm, places: places, hours: hours.hours, served: served)
        // The zones', the Régions' and the nation's distance pairs, each family's units sorted once for all.
        let zoneList = reference.zones.values.sorted { $0.code < $1.code }
        let regionList = reference.regions.values.sorted { $0.code < $1.code }
        let zoneIndex = Dictionary(uniqueKeysWithValues: zoneList.enumerated().map { ($1.code, $0) })
        let regionIndex = Dictionary(uniqueKeysWithValues: regionList.enumerated().map { ($1.code, $0) })
        let unitZones = units.map { zoneIndex[$0.zone] ?? zoneList.count }
        let unitRegions = units.map { regionIndex[$0.region] ?? regionList.count }
        let order = area.distanceOrder()
        let zonePairs = area.sortedPairs(order, groups: zoneList.count + 1) { unitZones[$0] }
        let regionPairs = area.sortedPairs(order, groups: regionList.count + 1) { unitRegions[$0] }
        let nationalPairs = area.sortedPairs(order, groups: 1) { _ in 0 }[0]

        // Zones measured in slices on every core (each zone's figures are its own).
        var zones = try! zoneList.inParallelChunks(parts: zoneList.count / 16 + 1) { $0.map { zone -> ZoneCoverage in
            let zu = unitsByZone[zone.code] ?? []
            let zp = placesByZone[zone.code] ?? []
            let totals = area.totals(units: zu, places: zp, pairs: zonePairs[zoneIndex[zone.code]!])
            let overall = totals.families[0]
            return ZoneCoverage(
                code: zone.code, name: zone.name, mainRegion: zone.mainRegion, regions: zone.regions,
                population: totals.population, places: zp.count, structures: totals.structures,
                lieuxMutualises: totals.lieuxMutualises, networks: totals.networks,
                placesPer100k: totals.population > 0 ? Double(zp.count) * 100_000 / Double(totals.population) : 0,
                meanDistanceKm: overall.meanDistanceKm, medianDistanceKm: overall.medianDistanceKm,
                p90DistanceKm: overall.p90DistanceKm, shareBeyondThreshold: overall.shareBeyondThreshold,
                straddlesRegions: zone.regions.count > 1, weeklyHours: totals.weeklyHours, accessibility: totals.accessibility,
                families: totals.families, worstServed: area.worstServed(zu, count: options.worstServedCount),
                gapCount: 0, worstSeverity: nil, severityScore: 0, rank: 0)
        } }.flatMap { $0 }

        // Gaps, while the nation's and the Régions' figures are measured; then zones ranked by the weight of their gaps.
        let detector = GapDetector(reference: reference, options: options, thresholdKm: thresholdKm, now: now,
                                   lastUpdated: lastUpdated, regionsRequiringLieuMutualise: regionsRequiringLieuMutualise)
        let (found, (nationalTotals, regionTotals)) = concurrently({ [zones] in
            detector.gaps(zones: zones, places: places, placesByZone: placesByZone)
        }, {
            (area.totals(units: Array(units.indices), places: Array(places.indices), pairs: nationalPairs),
             regionList.indices.map { r in
                 area.totals(units: unitsByRegion[regionList[r].code] ?? [], places: placesByRegion[regionList[r].code] ?? [], pairs: regionPairs[r])
             })
        })
        let gapsByZone = Dictionary(grouping: found, by: \.zone)
        for i in zones.indices {
            let g = gapsByZone[zones[i].code] ?? []
            zones[i].gapCount = g.count
            zones[i].worstSeverity = g.map(\.severity).max()
            zones[i].severityScore = g.reduce(0) { $0 + $1.severity.weight }
        }
        let ranking = zones.sorted { a, b in
            if a.severityScore != b.severityScore { return a.severityScore > b.severityScore }
            let pa = a.families.first?.populationBeyondThreshold ?? 0, pb = b.families.first?.populationBeyondThreshold ?? 0
            if pa != pb { return pa > pb }
            if a.population != b.population { return a.population > b.population }
            return a.code < b.code
        }.map(\.code)
        let rankOf = Dictionary(uniqueKeysWithValues: ranking.enumerated().map { ($1, $0 + 1) })
        for i in zones.indices { zones[i].rank = rankOf[zones[i].code]! }
        let gaps = found.sorted { a, b in
            if a.zone != b.zone { return rankOf[a.zone]! < rankOf[b.zone]! }
            if a.severity != b.severity { return a.severity > b.severity }
            if a.kind != b.kind { return a.kind < b.kind }
            return (a.family?.key ?? "") < (b.family?.key ?? "")
        }

        // National and regional views.
        var national = nationalTotals
        national.gapsByKind = Self.count(gaps)
        let regions = zip(regionList, regionTotals).map { info, totals -> RegionCoverage in
            let rz = zones.filter { $0.regions.contains(info.code) }
            let codes = Set(rz.map(\.code))
            var totals = totals
            totals.gapsByKind = Self.count(gaps.filter { codes.contains($0.zone) })
            return RegionCoverage(code: info.code, name: info.name, zones: rz.map(\.code),
                                  straddlingZones: rz.filter(\.straddlesRegions).map(\.code), totals: totals)
        }

        let communes = units.indices.map { u in
            CommuneCoverage(code: units[u].code, name: units[u].name, zone: units[u].zone, region: units[u].region,
                            population: units[u].population,
                            distancesKm: families.indices.map { f in nearest.km[f][u].isFinite ? nearest.km[f][u] : nil },
                            accessibility: accessibility[u])
        }
        return CoverageReport(
            generatedAt: ISOInstant.string(now), thresholdKm: thresholdKm, zoneCount: zones.count,
            nationalPopulation: reference.totalPopulation, nationalPlaces: places.count,
            nationalMeanDistanceKm: national.families[0].meanDistanceKm, zones: zones,
            gapShare: options.gapShare, families: families, accessibilityParameters: options.accessibility,
            placesWithEstimatedHours: hours.estimated, national: national, regions: regions, gaps: gaps,
            ranking: ranking, communes: communes)
    }

    private static func count(_ gaps: [CoverageGap]) -> [String: Int] {
        Dictionary(grouping: gaps, by: \.kind.rawValue).mapValues(\.count)
    }
}

/// Weekly opening hours of each place: `OpeningHours(text).weeklyHours()` (`WeeklyHours`), else (no hours,
/// or a text the parser refuses) the median of the places of the same kind whose hours could be read, else
/// of all such places, else 0.
struct SupplyHours {
    let hours: [Double]
    /// How many places got the estimate.
    let estimated: Int

    /// `read`: `WeeklyHours` of the `places`.
    init(_ places: [Place], weeklyHours read: [Double?]) {
        func median(_ xs: [Double]) -> Double? {
            guard !xs.isEmpty else { return nil }
            let s = xs.sorted()
            return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
        let all = median(read.compactMap { $0 })
        var byKind: [PlaceKind: Double] = [:]
        for kind in PlaceKind.allCases {
            byKind[kind] = median(places.indices.filter { places[$0].kind == kind }.compactMap { read[$0] })
        }
        hours = places.indices.map { read[$0] ?? byKind[places[$0].kind] ?? all ?? 0 }
        estimated = read.filter { $0 == nil }.count
    }
}

/// Sums and weighted distance statistics over any set of units and places (a zone, a Région, the nation).
struct AreaMeasure {
    let units: [Commune]
    let nearest: NearestDistances
    /// `accessibility[f][u]`: the E2SFCA of family `f` at unit `u` (`f == 0`: every place).
    let accessibility: [[Double]]
    let families: [CoverageFamily]
    let thresholdKm: Double
    let places: [DirectoryPlace]
    let hours: [Double]
    /// `served[f][i]`: whether place `i` belongs to family `f`, decided once.
    let served: [[Bool]]
    /// Each place's structures as small integers ("region/id" numbered once), and its networks.
    let structureIds: [[Int]]
    let networks: [[Network]]

    init(units: [Commune], nearest: NearestDistances, accessibility: [[Double]], families: [CoverageFamily], thresholdKm: Double,
         places: [DirectoryPlace], hours: [Double], served: [[Bool]]) {
        self.units = units
        self.nearest = nearest
        self.accessibility = accessibility
        self.families = families
        self.thresholdKm = thresholdKm
        self.places = places
        self.hours = hours
        self.served = served
        // Numbered by national key: a structure listed by two Régions (one SIRET) counts once.
        var numbering: [StructureKey: Int] = [:]
        structureIds = places.map { p in
            p.structureKeys.map { key in
                if let n = numbering[key] { return n }
                numbering[key] = numbering.count
                return numbering.count - 1
            }
        }
        networks = places.map { $0.structures.map(\.network) }
    }

    /// Each family's units with a distance and people, nearest first, ties in unit order: the order
    /// `WeightedStats.summary` sorts a family's pairs in. Sorted once per family for every area (the zones,
    /// the Régions and the nation each sorted their units again).
    func distanceOrder() -> [[Int]] {
        families.indices.map { f in
            let km = nearest.km[f]
            return units.indices.filter { km[$0].isFinite && units[$0].population > 0 }.sorted { a, b in
                km[a] != km[b] ? km[a] < km[b] : a < b
            }
        }
    }

    /// Each family's (distance, population) pairs of the units of each group, in `order`: `out[g][f]`, where
    /// `group(u)` is unit `u`'s group.
    func sortedPairs(_ order: [[Int]], groups: Int, group: (Int) -> Int) -> [[[(value: Double, weight: Double)]]] {
        var out = [[[(value: Double, weight: Double)]]](repeating: [[(value: Double, weight: Double)]](repeating: [], count: families.count),
                                                        count: groups)
        for f in families.indices {
            let km = nearest.km[f]
            for u in order[f] { out[group(u)][f].append((km[u], Double(units[u].population))) }
        }
        return out
    }

    /// `pairs`: this area's pairs from `sortedPairs`, by family.
    func totals(units u: [Int], places p: [Int], pairs: [[(value: Double, weight: Double)]]) -> AreaCoverage {
        let population = u.reduce(0) { $0 + units[$1].population }
        var structures = Set<Int>(), present = Set<Network>()
        var located = 0, mutualised = 0, weeklyHours = 0.0
        for i in p {
            if places[i].location.position != nil { located += 1 }
            if places[i].place.isLieuMutualise { mutualised += 1 }
            weeklyHours += hours[i]
            structures.formUnion(structureIds[i])
            present.formUnion(networks[i])
        }
        return AreaCoverage(
            population: population, places: p.count, placesWithPosition: located, structures: structures.count,
            lieuxMutualises: mutualised, networks: present.sorted(), weeklyHours: weeklyHours,
            accessibility: meanAccessibility(0, units: u, population: population),
            families: families.indices.map { f in family(f, units: u, population: population, places: p, pairs: pairs[f]) },
            gapsByKind: [:])
    }

    /// The population-weighted mean of family `f`'s accessibility over the units; nil without population.
    private func meanAccessibility(_ f: Int, units u: [Int], population: Int) -> Double? {
        guard population > 0 else { return nil }
        var weighted = 0.0
        for i in u { weighted += accessibility[f][i] * Double(units[i].population) }
        return weighted / Double(population)
    }

    private func family(_ f: Int, units u: [Int], population: Int, places p: [Int], pairs: [(value: Double, weight: Double)]) -> FamilyCoverage {
        let km = nearest.km[f]
        var beyond = 0
        for i in u where km[i] > thresholdKm { beyond += units[i].population }
        let stats = WeightedStats.summary(sorted: pairs)
        return FamilyCoverage(
            family: families[f], places: p.reduce(0) { $0 + (served[f][$1] ? 1 : 0) },
            meanDistanceKm: stats.mean, medianDistanceKm: stats.median, p90DistanceKm: stats.p90,
            shareBeyondThreshold: population > 0 ? Double(beyond) / Double(population) : nil,
            populationBeyondThreshold: beyond, accessibility: meanAccessibility(f, units: u, population: population))
    }

    /// The `count` units where the most people live far from any place: by distance × population,
    /// then population; units with nobody, or at distance 0, are left out.
    func worstServed(_ u: [Int], count: Int) -> [CommuneDistance] {
        let km = nearest.km[0]
        let burden = { (i: Int) -> Double in km[i] * Double(units[i].population) }
        return u.filter { units[$0].population > 0 && km[$0] > 0 }
            .sorted { a, b in
                if burden(a) != burden(b) { return burden(a) > burden(b) }
                if units[a].population != units[b].population { return units[a].population > units[b].population }
                return units[a].code < units[b].code
            }
            .prefix(count)
            .map { CommuneDistance(code: units[$0].code, name: units[$0].name, population: units[$0].population,
                                   distanceKm: km[$0].isFinite ? km[$0] : nil) }
    }
}
