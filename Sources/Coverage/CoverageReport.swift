import Directory
import Foundation

/// Coverage of one zone d'emploi (bassin d'emploi).
public struct ZoneCoverage: Codable, Sendable {
    public var code: ZoneEmploiCode
    public var name: String
    public var mainRegion: RegionCode
    public var regions: [RegionCode]
    public var population: Int
    public var places: Int
    public var structures: Int
    public var lieuxMutualises: Int
    public var networks: [Network]
    public var placesPer100k: Double
    /// Population-weighted distance from commune centres to the nearest place, in km.
    public var meanDistanceKm: Double?
    public var medianDistanceKm: Double?
    public var p90DistanceKm: Double?
    /// Share of the population farther than the threshold from any place (0...1).
    public var shareBeyondThreshold: Double?
}

/// The whole report: one row per zone and national totals.
public struct CoverageReport: Codable, Sendable {
    public var generatedAt: String
    public var thresholdKm: Double
    public var zoneCount: Int
    public var nationalPopulation: Int
    public var nationalPlaces: Int
    public var nationalMeanDistanceKm: Double?
    public var zones: [ZoneCoverage]
}
