import Directory

/// What changed between two coverage reports (two harvests): per zone and indicator, what improved
/// and what got worse, and which gaps appeared or were resolved.
public struct CoverageComparison: Codable, Sendable {
    /// An indicator compared zone by zone.
    public enum Indicator: String, Codable, Sendable, CaseIterable {
        case places = "lieux"
        case meanDistanceKm = "distance_moyenne_km"
        case medianDistanceKm = "distance_mediane_km"
        case p90DistanceKm = "distance_p90_km"
        case shareBeyondThreshold = "part_au_dela_seuil"
        case accessibility = "accessibilite_e2sfca"
        case severityScore = "score_gravite"

        /// French label.
        public var label: String {
            switch self {
            case .places: "Nombre de lieux"
            case .meanDistanceKm: "Distance moyenne"
            case .medianDistanceKm: "Distance médiane"
            case .p90DistanceKm: "Distance (90e centile)"
            case .shareBeyondThreshold: "Part de la population au-delà du seuil"
            case .accessibility: "Accessibilité (E2SFCA)"
            case .severityScore: "Score de gravité des lacunes"
            }
        }

        /// Whether a higher value is better.
        var higherIsBetter: Bool { self == .places || self == .accessibility }
    }

    public enum Verdict: String, Codable, Sendable {
        case improved = "amelioration", worsened = "degradation"

        public var label: String { self == .improved ? "amélioration" : "dégradation" }
    }

    /// One indicator of one zone (and family, for per-family indicators) that moved.
    public struct Change: Codable, Sendable, Hashable {
        public var zone: ZoneEmploiCode
        public var zoneName: String
        public var indicator: Indicator
        public var family: CoverageFamily?
        /// Nil for a distance when the family had no place at all.
        public var before: Double?
        public var after: Double?
        public var verdict: Verdict
    }

    /// A zone's balance between the two reports.
    public struct ZoneBalance: Codable, Sendable, Hashable {
        public var zone: ZoneEmploiCode
        public var zoneName: String
        public var improved: Int
        public var worsened: Int
        public var gapsAppeared: Int
        public var gapsResolved: Int
        public var rankBefore: Int
        public var rankAfter: Int
    }

    /// `generatedAt` of each report.
    public var before: String
    public var after: String
    /// Every indicator that moved by more than the tolerance, by zone code then indicator.
    public var changes: [Change]
    /// Gaps in `after` and not in `before` (same kind, zone and family), and the reverse.
    public var gapsAppeared: [CoverageGap]
    public var gapsResolved: [CoverageGap]
    /// Zones with any change, those with the most new trouble first.
    public var zones: [ZoneBalance]

    public var improvedCount: Int { changes.filter { $0.verdict == .improved }.count }
    public var worsenedCount: Int { changes.filter { $0.verdict == .worsened }.count }

    /// Compares two reports. A value moves when it differs by more than `tolerance` relative to the
    /// larger of 1 and the two values; a distance appearing (a family getting its first place) is an
    /// improvement, one disappearing a worsening.
    public init(before a: CoverageReport, after b: CoverageReport, tolerance: Double = 1e-6) {
        before = a.generatedAt
        after = b.generatedAt
        var changes: [Change] = []
        let old = Dictionary(a.zones.map { ($0.code, $0) }, uniquingKeysWith: { x, _ in x })
        for z in b.zones {
            guard let y = old[z.code] else { continue }
            func note(_ ind: Indicator, _ fam: CoverageFamily?, _ x: Double?, _ w: Double?, missingIsWorst: Bool) {
                guard let verdict = Self.verdict(ind, x, w, tolerance: tolerance, missingIsWorst: missingIsWorst) else { return }
                changes.append(Change(zone: z.code, zoneName: z.name, indicator: ind, family: fam, before: x, after: w, verdict: verdict))
            }
            for f in z.families {
                guard let e = y.family(f.family) else { continue }
                note(.places, f.family, Double(e.places), Double(f.places), missingIsWorst: false)
                note(.meanDistanceKm, f.family, e.meanDistanceKm, f.meanDistanceKm, missingIsWorst: true)
                note(.medianDistanceKm, f.family, e.medianDistanceKm, f.medianDistanceKm, missingIsWorst: true)
                note(.p90DistanceKm, f.family, e.p90DistanceKm, f.p90DistanceKm, missingIsWorst: true)
                note(.shareBeyondThreshold, f.family, e.shareBeyondThreshold, f.shareBeyondThreshold, missingIsWorst: false)
            }
            note(.accessibility, nil, y.accessibility, z.accessibility, missingIsWorst: false)
            note(.severityScore, nil, Double(y.severityScore), Double(z.severityScore), missingIsWorst: false)
        }
        self.changes = changes
        let beforeGaps = Set(a.gaps.map(\.identity)), afterGaps = Set(b.gaps.map(\.identity))
        gapsAppeared = b.gaps.filter { !beforeGaps.contains($0.identity) }
        gapsResolved = a.gaps.filter { !afterGaps.contains($0.identity) }

        var balance: [ZoneEmploiCode: ZoneBalance] = [:]
        func touch(_ code: ZoneEmploiCode, _ name: String, _ edit: (inout ZoneBalance) -> Void) {
            var entry = balance[code] ?? ZoneBalance(zone: code, zoneName: name, improved: 0, worsened: 0, gapsAppeared: 0,
                                                     gapsResolved: 0, rankBefore: old[code]?.rank ?? 0,
                                                     rankAfter: b.zone(code)?.rank ?? 0)
            edit(&entry)
            balance[code] = entry
        }
        for c in changes { touch(c.zone, c.zoneName) { c.verdict == .improved ? ($0.improved += 1) : ($0.worsened += 1) } }
        for g in gapsAppeared { touch(g.zone, g.zoneName) { $0.gapsAppeared += 1 } }
        for g in gapsResolved { touch(g.zone, g.zoneName) { $0.gapsResolved += 1 } }
        zones = balance.values.sorted { x, y in
            let dx = x.gapsAppeared - x.gapsResolved, dy = y.gapsAppeared - y.gapsResolved
            if dx != dy { return dx > dy }
            if x.worsened - x.improved != y.worsened - y.improved { return x.worsened - x.improved > y.worsened - y.improved }
            return x.zone < y.zone
        }
    }

    private static func verdict(_ ind: Indicator, _ x: Double?, _ y: Double?, tolerance: Double, missingIsWorst: Bool) -> Verdict? {
        switch (x, y) {
        case (nil, nil): return nil
        case (nil, .some), (.some, nil):
            // Only distances give meaning to a missing value: no place of the family at all.
            guard missingIsWorst else { return nil }
            return x == nil ? .improved : .worsened
        case let (.some(p), .some(q)):
            guard abs(q - p) > tolerance * max(1, abs(p), abs(q)) else { return nil }
            return (q > p) == ind.higherIsBetter ? .improved : .worsened
        }
    }

    /// A few lines in French summing up the comparison.
    public var summary: String {
        "\(French.integer(improvedCount)) indicateurs en amélioration, \(French.integer(worsenedCount)) en dégradation ; "
            + "\(French.integer(gapsAppeared.count)) lacunes apparues, \(French.integer(gapsResolved.count)) résolues."
    }
}
