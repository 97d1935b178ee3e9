import Directory
import Foundation
import NationalDirectory
import Reference

/// Computes coverage per zone d'emploi from commune populations and the directory's places.
/// Paris, Lyon and Marseille count through their arrondissements, so nobody is counted twice.
public struct CoverageCalculator: Sendable {
    public let reference: ReferencePack
    /// Distance beyond which a commune counts as badly served, in km.
    public var thresholdKm: Double

    public init(reference: ReferencePack, thresholdKm: Double = 20) {
        self.reference = reference
        self.thresholdKm = thresholdKm
    }

    public func compute(places: [DirectoryPlace], now: Date = Date()) -> CoverageReport {
        let located = places.filter { $0.location.position != nil }
        let grid = SpatialGrid(located.map { ($0.location.position!, ()) }, cellDegrees: 0.1)
        // Nearest-place distance for every population unit, grouped by zone.
        var distances: [ZoneEmploiCode: [(value: Double, weight: Double)]] = [:]
        var population: [ZoneEmploiCode: Int] = [:]
        var national: [(value: Double, weight: Double)] = []
        for unit in reference.populationUnits {
            population[unit.zone, default: 0] += unit.population
            guard let nearest = grid.nearest(to: unit.centre, k: 1).first else { continue }
            let pair = (value: nearest.distance / 1000, weight: Double(unit.population))
            distances[unit.zone, default: []].append(pair)
            national.append(pair)
        }
        var byZone: [ZoneEmploiCode: [DirectoryPlace]] = [:]
        for p in places {
            if let zone = p.location.zone { byZone[zone, default: []].append(p) }
        }
        let zones = reference.zones.values.sorted { $0.code < $1.code }.map { zone -> ZoneCoverage in
            let zp = byZone[zone.code] ?? []
            let pop = population[zone.code] ?? 0
            let d = distances[zone.code] ?? []
            let beyond = d.filter { $0.value > thresholdKm }.reduce(0) { $0 + $1.weight }
            let weight = d.reduce(0) { $0 + $1.weight }
            return ZoneCoverage(
                code: zone.code, name: zone.name, mainRegion: zone.mainRegion, regions: zone.regions,
                population: pop, places: zp.count,
                structures: Set(zp.flatMap { p in p.structures.map { p.region.rawValue + "/" + $0.id } }).count,
                lieuxMutualises: zp.filter(\.place.isLieuMutualise).count,
                networks: Set(zp.flatMap(\.networks)).sorted(),
                placesPer100k: pop > 0 ? Double(zp.count) * 100_000 / Double(pop) : 0,
                meanDistanceKm: WeightedStats.mean(d),
                medianDistanceKm: WeightedStats.percentile(d, 0.5),
                p90DistanceKm: WeightedStats.percentile(d, 0.9),
                shareBeyondThreshold: weight > 0 ? beyond / weight : nil)
        }
        return CoverageReport(
            generatedAt: ISOInstant.string(now), thresholdKm: thresholdKm, zoneCount: zones.count,
            nationalPopulation: reference.totalPopulation, nationalPlaces: places.count,
            nationalMeanDistanceKm: WeightedStats.mean(national), zones: zones)
    }
}
