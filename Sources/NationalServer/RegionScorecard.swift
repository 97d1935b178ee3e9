import Coverage
import Directory
import Foundation
import Harvest
import NationalDirectory

/// The indicator values the Régions reported, aggregated per Région, indicator code and period: counts
/// (persons, hours...) summed over the Région's places and structures, percentages averaged over them.
public struct IndicatorTotals: Sendable {
    public struct Key: Hashable, Sendable, Comparable {
        public var code: String
        public var period: String

        public static func < (a: Key, b: Key) -> Bool { (a.code, a.period) < (b.code, b.period) }
    }

    public struct Figure: Sendable, Equatable {
        public var value: Double
        public var unit: String
        /// How many places or structures reported it.
        public var subjects: Int
    }

    public private(set) var byRegion: [RegionCode: [Key: Figure]] = [:]

    public init() {}

    public init(_ values: [(region: RegionCode, value: IndicatorValue)]) {
        var sums: [RegionCode: [Key: (sum: Double, unit: String, n: Int)]] = [:]
        for (region, v) in values {
            let key = Key(code: v.code, period: v.period)
            var entry = sums[region]?[key] ?? (0, v.unit, 0)
            entry.sum += v.value
            entry.n += 1
            sums[region, default: [:]][key] = entry
        }
        byRegion = sums.mapValues { figures in
            figures.mapValues { s in
                Figure(value: Self.isShare(s.unit) ? s.sum / Double(s.n) : s.sum, unit: s.unit, subjects: s.n)
            }
        }
    }

    /// Units that are shares (averaged, not summed).
    static func isShare(_ unit: String) -> Bool { unit == "percent" }

    /// The median over the Régions that reported `key` (nil when none did).
    public func nationalMedian(_ key: Key) -> Double? {
        let values = byRegion.values.compactMap { $0[key]?.value }.sorted()
        guard !values.isEmpty else { return nil }
        let mid = values.count / 2
        return values.count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2
    }
}

/// One Région's scorecard for the national coordinators (`/couverture/regions/<code>`): its coverage, its
/// referencing, the freshness and location quality of its data, the health of its harvest, and the
/// quality indicators it reported with the national median beside each.
public struct RegionScorecard: Sendable {
    public struct Expiring: Sendable, Equatable {
        public var id: String
        public var name: String
        public var validUntil: String
    }

    public struct IndicatorRow: Sendable, Equatable {
        public var code: String
        /// The definition's French label, when the catalogue is known.
        public var label: String?
        /// Empty for a core indicator that no Région reported.
        public var period: String
        /// "persons", "percent"...: the figure's, else the definition's.
        public var unit: String
        /// Whether the indicator belongs to the national core set of the CEP.
        public var nationalCore: Bool
        /// The Région's figure; nil: a core indicator other Régions reported for the period and this one did not.
        public var figure: IndicatorTotals.Figure?
        public var nationalMedian: Double?
    }

    public var region: RegionCode
    public var name: String
    public var coverage: RegionCoverage?
    public var thresholdKm: Double?
    /// Structures of the Région by referencing state.
    public var states: [ReferencingState: Int]
    /// Referenced structures whose validity ends within 90 days of `today`, soonest first.
    public var expiringSoon: [Expiring]
    public var charter: Charter?
    public var places: Int
    /// Places confirmed within 180 and within 240 days.
    public var confirmedWithin180: Int
    public var confirmedWithin240: Int
    /// Places by geocoding precision ("housenumber", "street", "municipality", "none"...).
    public var precision: [String: Int]
    public var anomalies: [RegionAnomaly.Kind: Int]
    public var acceptedAt: String?
    /// Hours since the last export accepted (nil: none yet).
    public var exportAgeHours: Double?
    public var exportStale: Bool
    public var harvestStatus: String?
    public var refusedRecords: Int
    /// The national core set's indicators first (each period reported by any Région, declared here or not),
    /// in the catalogue's order, then the Région's other indicators by code and period.
    public var indicators: [IndicatorRow]

    /// The scorecard of `region` from the content served, as of `now`.
    public init(_ region: RegionCode, content: NationalContent, now: Date = Date()) {
        self.region = region
        name = content.regionName(region)
        coverage = content.coverage?.regions.first { $0.code == region }
        thresholdKm = content.coverage?.thresholdKm
        let today = ISODay.string(now)
        let horizon = ISODay.string(now.addingTimeInterval(90 * 86_400))
        let structures = content.structures.filter { $0.region == region || $0.sources.contains { $0.region == region } }
        states = structures.reduce(into: [:]) { $0[$1.structure.referencing.state, default: 0] += 1 }
        expiringSoon = structures.compactMap { s -> Expiring? in
            guard s.structure.referencing.state == .referenced, let end = s.structure.referencing.validUntil, end >= today, end <= horizon else { return nil }
            return Expiring(id: s.structure.id, name: s.structure.name, validUntil: end)
        }.sorted { ($0.validUntil, $0.id) < ($1.validUntil, $1.id) }
        charter = content.charters[region]?.max { $0.version < $1.version }
        let own = content.search.places.filter { $0.region == region }
        places = own.count
        func confirmed(within days: Int) -> Int {
            let since = ISODay.string(now.addingTimeInterval(-Double(days) * 86_400))
            return own.filter { ($0.place.lastConfirmed ?? "") >= since }.count
        }
        confirmedWithin180 = confirmed(within: 180)
        confirmedWithin240 = confirmed(within: 240)
        precision = own.reduce(into: [:]) { $0[$1.location.precision, default: 0] += 1 }
        anomalies = content.anomalies.of(region).reduce(into: [:]) { $0[$1.kind, default: 0] += 1 }
        let state = content.acceptedStates.first { $0.region == region }
        acceptedAt = state?.acceptedAt
        exportAgeHours = state.flatMap { ISOInstant.parse($0.acceptedAt) }.map { now.timeIntervalSince($0) / 3600 }
        exportStale = state?.isStale(at: now) ?? true
        let outcome = content.harvestReport?.regions.first { $0.region == region }
        harvestStatus = outcome?.status.rawValue
        refusedRecords = outcome?.anomalies.count ?? 0
        let totals = content.indicatorTotals
        let declared = totals.byRegion[region] ?? [:]
        let definitions = content.indicatorCatalogue?.definitions ?? []
        let core = definitions.filter { $0.owner == .nationalCEP }.map(\.code)
        let reported = Set(totals.byRegion.values.flatMap(\.keys))
        func row(_ key: IndicatorTotals.Key, core: Bool) -> IndicatorRow {
            let definition = definitions.first { $0.code == key.code && ($0.owner == .nationalCEP || $0.owner == .region(region)) }
                ?? definitions.first { $0.code == key.code }
            return IndicatorRow(code: key.code, label: definition?.label, period: key.period, unit: declared[key]?.unit ?? definition?.unit ?? "",
                                nationalCore: core, figure: declared[key],
                                nationalMedian: totals.nationalMedian(key))
        }
        // A core indicator no Région reported is listed too, without a period: nobody declares it yet.
        indicators = core.flatMap { code in
            let periods = reported.filter { $0.code == code }.sorted()
            return (periods.isEmpty ? [IndicatorTotals.Key(code: code, period: "")] : periods).map { row($0, core: true) }
        } + declared.keys.filter { !core.contains($0.code) }.sorted().map { row($0, core: false) }
    }

    /// Share of the Région's places confirmed within `days` (180 or 240), nil without places.
    public func freshShare(_ days: Int) -> Double? {
        guard places > 0 else { return nil }
        return Double(days <= 180 ? confirmedWithin180 : confirmedWithin240) / Double(places)
    }
}
