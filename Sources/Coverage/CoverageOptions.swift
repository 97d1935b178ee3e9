import Directory
import Foundation

/// One distance band of the E2SFCA: people up to `upToKm` from a place (and beyond the previous
/// band) count with `weight`.
public struct DistanceBand: Codable, Sendable, Hashable {
    public var upToKm: Double
    public var weight: Double

    public init(upToKm: Double, weight: Double) {
        self.upToKm = upToKm
        self.weight = weight
    }
}

/// Parameters of the enhanced two-step floating catchment (E2SFCA). See `docs/coverage.md`.
public struct AccessibilityParameters: Codable, Sendable, Hashable {
    /// Bands in increasing distance; beyond the last one (the catchment cut-off) the weight is 0.
    public var bands: [DistanceBand]

    public init(bands: [DistanceBand]) {
        self.bands = bands.sorted { $0.upToKm < $1.upToKm }
    }

    /// DREES APL's weights (1, 0.3, 0.1) on bands twice as wide as its 5-minute steps, in straight-line
    /// km from the commune centre: 0-10 km, 10-20 km, 20-30 km. Suited to rural France, where the
    /// nearest guidance place is commonly in the chef-lieu 10 to 20 km away (see `docs/coverage.md`).
    public static let rural = AccessibilityParameters(bands: [
        DistanceBand(upToKm: 10, weight: 1), DistanceBand(upToKm: 20, weight: 0.3), DistanceBand(upToKm: 30, weight: 0.1),
    ])

    /// DREES APL's bands read as kilometres: 0-5 km, 5-10 km, 10-15 km.
    public static let drees = AccessibilityParameters(bands: [
        DistanceBand(upToKm: 5, weight: 1), DistanceBand(upToKm: 10, weight: 0.3), DistanceBand(upToKm: 15, weight: 0.1),
    ])

    /// The catchment cut-off, in km.
    public var cutoffKm: Double { bands.last?.upToKm ?? 0 }

    /// The weight at `km` (a distance exactly on a band's edge belongs to the nearer band).
    public func weight(atKm km: Double) -> Double {
        for b in bands where km <= b.upToKm { return b.weight }
        return 0
    }
}

extension AccessibilityParameters {
    /// Parses bands written `10:1,20:0.3,30:0.1` (upper edge in km, then weight), as `spro coverage --bands`
    /// takes them. The bands must come in strictly increasing distance, each edge positive and finite, each
    /// weight in (0, 1]: a band list out of order is refused rather than sorted, since it most likely
    /// pairs a weight with the wrong distance.
    public init(parsing text: String) throws(BandsError) {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !(items.count == 1 && items[0].isEmpty) else { throw .empty }
        var bands: [DistanceBand] = []
        for item in items {
            let parts = item.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let km = Double(parts[0]), let weight = Double(parts[1]) else { throw .malformed(item) }
            guard km.isFinite, km > 0 else { throw .distance(item) }
            guard weight > 0, weight <= 1 else { throw .weight(item) }
            if let last = bands.last, km <= last.upToKm { throw .unsorted(item) }
            bands.append(DistanceBand(upToKm: km, weight: weight))
        }
        self.init(bands: bands)
    }

    /// The bands written back as `--bands` takes them.
    public var argument: String {
        bands.map { "\(Self.short($0.upToKm)):\(Self.short($0.weight))" }.joined(separator: ",")
    }

    private static func short(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }
}

/// Why a `--bands` argument was refused; the message, in French, names the band at fault.
public enum BandsError: Error, Equatable, CustomStringConvertible {
    case empty
    /// Not `distance:weight` with two numbers.
    case malformed(String)
    /// A distance that is not a positive number.
    case distance(String)
    /// A weight outside (0, 1].
    case weight(String)
    /// A band whose distance is not beyond the previous band's.
    case unsorted(String)

    public var description: String {
        switch self {
        case .empty: "aucune tranche de distance : attendu par exemple 10:1,20:0.3,30:0.1"
        case .malformed(let b): "tranche « \(b) » illisible : attendu distance_km:poids, par exemple 10:1"
        case .distance(let b): "tranche « \(b) » : la distance doit être un nombre de kilomètres positif"
        case .weight(let b): "tranche « \(b) » : le poids doit être compris entre 0 (exclu) et 1 (inclus)"
        case .unsorted(let b): "tranche « \(b) » : les tranches doivent être données par distance strictement croissante"
        }
    }
}

/// Everything that tunes the report besides the distance threshold.
public struct CoverageOptions: Sendable {
    /// The families measured; `.overall` is always measured, first.
    public var families: [CoverageFamily]
    /// A family gap is reported when at least this share of a zone's population is beyond the threshold.
    public var gapShare: Double
    /// Over-concentration: at least this many networks...
    public var concentrationNetworks: Int
    /// ...in the same commune or within this radius of one another, with no lieu mutualisé among them.
    public var concentrationRadiusKm: Double
    /// A place not updated for this many days is stale (DORA: update required after 240 days).
    public var staleAfterDays: Int
    /// The publics the "two doors" rule checks: a level-1 place receiving one of them needs a level-2
    /// place for it in the same zone.
    public var twoDoorsPublics: [Public]
    /// How many worst-served communes each zone lists.
    public var worstServedCount: Int
    /// E2SFCA bands and cut-off.
    public var accessibility: AccessibilityParameters

    public init(families: [CoverageFamily] = CoverageFamily.standard, gapShare: Double = 0.2,
                concentrationNetworks: Int = 5, concentrationRadiusKm: Double = 2, staleAfterDays: Int = 240,
                twoDoorsPublics: [Public] = [.jeunes, .demandeursEmploi, .salaries, .cadres],
                worstServedCount: Int = 5, accessibility: AccessibilityParameters = .rural) {
        var seen: Set<CoverageFamily> = [.overall]
        self.families = [.overall] + families.filter { seen.insert($0).inserted }
        self.gapShare = gapShare
        self.concentrationNetworks = concentrationNetworks
        self.concentrationRadiusKm = concentrationRadiusKm
        self.staleAfterDays = staleAfterDays
        self.twoDoorsPublics = twoDoorsPublics
        self.worstServedCount = worstServedCount
        self.accessibility = accessibility
    }
}
