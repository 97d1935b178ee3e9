/// Population-weighted statistics of distances.
public enum WeightedStats {
    /// Weighted mean of `values` with `weights`; nil when the total weight is zero.
    public static func mean(_ pairs: [(value: Double, weight: Double)]) -> Double? {
        let total = pairs.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return nil }
        return pairs.reduce(0) { $0 + $1.value * $1.weight } / total
    }

    /// Weighted percentile (0...1): the smallest value such that at least `q` of the total weight
    /// lies at or below it (the "lower weighted percentile", no interpolation).
    public static func percentile(_ pairs: [(value: Double, weight: Double)], _ q: Double) -> Double? {
        let sorted = pairs.filter { $0.weight > 0 }.sorted { $0.value < $1.value }
        return percentile(sorted: sorted, total: sorted.reduce(0) { $0 + $1.weight }, q)
    }

    /// Mean, median and 90th percentile in one sort.
    public static func summary(_ pairs: [(value: Double, weight: Double)]) -> (mean: Double?, median: Double?, p90: Double?) {
        summary(sorted: pairs.filter { $0.weight > 0 }.sorted { $0.value < $1.value })
    }

    /// `summary` of pairs already in the order `summary` sorts them: by value, ties in their given order,
    /// only positive weights.
    public static func summary(sorted: [(value: Double, weight: Double)]) -> (mean: Double?, median: Double?, p90: Double?) {
        let total = sorted.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return (nil, nil, nil) }
        return (sorted.reduce(0) { $0 + $1.value * $1.weight } / total,
                percentile(sorted: sorted, total: total, 0.5), percentile(sorted: sorted, total: total, 0.9))
    }

    private static func percentile(sorted: [(value: Double, weight: Double)], total: Double, _ q: Double) -> Double? {
        guard total > 0 else { return nil }
        var cumulative = 0.0
        for p in sorted {
            cumulative += p.weight
            if cumulative >= q * total - 1e-9 { return p.value }
        }
        return sorted.last?.value
    }
}
