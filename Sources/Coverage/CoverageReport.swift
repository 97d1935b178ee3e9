import Directory
import Foundation

/// Distance to the nearest place of one family, over a set of communes, weighted by population.
public struct FamilyCoverage: Codable, Sendable, Hashable {
    public var family: CoverageFamily
    /// Places of the family in the area (by the zone or région the place belongs to).
    public var places: Int
    /// Population-weighted distance from commune centres to the nearest place of the family, in km;
    /// nil when no place of the family exists anywhere.
    public var meanDistanceKm: Double?
    public var medianDistanceKm: Double?
    public var p90DistanceKm: Double?
    /// Share of the population farther than the threshold from any place of the family (0...1);
    /// 1 when the family has no place at all, nil when the area has no population.
    public var shareBeyondThreshold: Double?
    /// People farther than the threshold.
    public var populationBeyondThreshold: Int
    /// The family's own E2SFCA accessibility, population-weighted over the area: the weekly hours of the
    /// family's places with a position, shared among the people in their catchments (hours per week per
    /// 10,000 inhabitants). Nil when the area has no population, or in a report archived before it existed.
    public var accessibility: Double?

    public init(family: CoverageFamily, places: Int, meanDistanceKm: Double?, medianDistanceKm: Double?, p90DistanceKm: Double?,
                shareBeyondThreshold: Double?, populationBeyondThreshold: Int, accessibility: Double? = nil) {
        self.family = family
        self.places = places
        self.meanDistanceKm = meanDistanceKm
        self.medianDistanceKm = medianDistanceKm
        self.p90DistanceKm = p90DistanceKm
        self.shareBeyondThreshold = shareBeyondThreshold
        self.populationBeyondThreshold = populationBeyondThreshold
        self.accessibility = accessibility
    }
}

/// A commune far from any place, as a zone lists it.
public struct CommuneDistance: Codable, Sendable, Hashable {
    public var code: CommuneCode
    public var name: String
    public var population: Int
    /// Distance to the nearest place, in km; nil when there is no place at all.
    public var distanceKm: Double?
}

/// One population unit (commune, or arrondissement of Paris, Lyon, Marseille) with its distances.
public struct CommuneCoverage: Codable, Sendable, Hashable {
    public var code: CommuneCode
    public var name: String
    public var zone: ZoneEmploiCode
    public var region: RegionCode
    public var population: Int
    /// Distance in km to the nearest place of each of the report's `families`, in the same order;
    /// nil when the family has no place.
    public var distancesKm: [Double?]
    /// E2SFCA accessibility: hours of opening per week per 10,000 inhabitants.
    public var accessibility: Double
}

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

    /// Whether the zone spans two Régions (it then appears in both Régions' views).
    public var straddlesRegions: Bool
    /// Hours of opening per week of the zone's places (declared or estimated, see `docs/coverage.md`).
    public var weeklyHours: Double
    /// Population-weighted mean of the communes' E2SFCA accessibility (hours per week per 10,000 inhabitants).
    public var accessibility: Double?
    /// One entry per measured family, in the report's `families` order (the first is `.overall`).
    public var families: [FamilyCoverage]
    /// The communes where the most people live far from a place: ranked by distance × population.
    public var worstServed: [CommuneDistance]
    /// Number of gaps found in the zone, the worst severity, and the score zones are ranked by.
    public var gapCount: Int
    public var worstSeverity: GapSeverity?
    public var severityScore: Int
    /// 1 for the zone with the most severe gaps.
    public var rank: Int

    /// The zone's figures for one family, if measured.
    public func family(_ f: CoverageFamily) -> FamilyCoverage? { families.first { $0.family == f } }
}

/// Totals over an area (the nation or a Région): population, places, distances per family.
public struct AreaCoverage: Codable, Sendable {
    public var population: Int
    public var places: Int
    public var placesWithPosition: Int
    public var structures: Int
    public var lieuxMutualises: Int
    public var networks: [Network]
    public var weeklyHours: Double
    public var accessibility: Double?
    public var families: [FamilyCoverage]
    /// Gaps per kind (raw value of `GapKind`).
    public var gapsByKind: [String: Int]

    /// The area's figures for one family, if measured.
    public func family(_ f: CoverageFamily) -> FamilyCoverage? { families.first { $0.family == f } }
}

/// A Région's view: its own communes and places, and every zone it has a share of.
public struct RegionCoverage: Codable, Sendable {
    public var code: RegionCode
    public var name: String
    /// Zones with at least one commune in the Région, by code.
    public var zones: [ZoneEmploiCode]
    /// Those of `zones` that span two Régions (also listed in the other Région).
    public var straddlingZones: [ZoneEmploiCode]
    /// Over the Région's communes and over the places it published.
    public var totals: AreaCoverage
}

/// The whole report: one row per zone, gaps, and national and regional views.
public struct CoverageReport: Codable, Sendable {
    public var generatedAt: String
    public var thresholdKm: Double
    public var zoneCount: Int
    public var nationalPopulation: Int
    public var nationalPlaces: Int
    public var nationalMeanDistanceKm: Double?
    /// One row per zone, sorted by code.
    public var zones: [ZoneCoverage]

    /// Share of a zone's population beyond the threshold from which a family gap is reported.
    public var gapShare: Double
    /// The measured families; `.overall` first.
    public var families: [CoverageFamily]
    public var accessibilityParameters: AccessibilityParameters
    /// Places counted with estimated hours because theirs were missing or unreadable.
    public var placesWithEstimatedHours: Int
    public var national: AreaCoverage
    /// One per Région of the reference pack, sorted by code.
    public var regions: [RegionCoverage]
    /// Every gap, zones in rank order, the most severe first within a zone.
    public var gaps: [CoverageGap]
    /// Zone codes from the most to the least severe gaps.
    public var ranking: [ZoneEmploiCode]
    /// Every population unit with its distances. `CoverageWriter` writes these to
    /// `coverage-communes.csv` and leaves them out of `coverage.json`, which stays small.
    public var communes: [CommuneCoverage]

    /// A zone by code.
    public func zone(_ code: ZoneEmploiCode) -> ZoneCoverage? { zones.first { $0.code == code } }

    /// The gaps of one zone.
    public func gaps(in zone: ZoneEmploiCode) -> [CoverageGap] { gaps.filter { $0.zone == zone } }
}
