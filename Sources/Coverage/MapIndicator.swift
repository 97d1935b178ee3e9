import Directory

/// The indicator the HTML map colours zones by, with its classes.
public enum MapIndicator: Sendable, Hashable {
    /// Share of the population beyond the threshold from a place of the family (the default, overall).
    case shareBeyondThreshold(CoverageFamily)
    /// Population-weighted mean distance to the nearest place of the family.
    case meanDistance(CoverageFamily)
    /// E2SFCA accessibility, hours per week per 10,000 inhabitants.
    case accessibility
    /// Places per 100,000 inhabitants.
    case placesPer100k
    /// Sum of the zone's gap weights.
    case severity

    /// Parses a command-line value: `part`, `distance`, `accessibilite`, `lieux`, `gravite`; the first
    /// two may name a family, as in `part:service:cep_niveau_1` or `distance:public:jeunes_16_25`.
    public init?(argument: String) {
        let parts = argument.split(separator: ":", maxSplits: 1).map(String.init)
        let family = parts.count == 2 ? CoverageFamily(key: parts[1]) : .overall
        guard let family else { return nil }
        switch (parts[0], parts.count) {
        case ("part", _): self = .shareBeyondThreshold(family)
        case ("distance", _): self = .meanDistance(family)
        case ("accessibilite", 1): self = .accessibility
        case ("lieux", 1): self = .placesPer100k
        case ("gravite", 1): self = .severity
        default: return nil
        }
    }

    /// French title for the map and legend.
    public func title(thresholdKm: Double) -> String {
        switch self {
        case .shareBeyondThreshold(let f):
            "Part de la population à plus de \(French.decimal(thresholdKm, 0))\(French.thinSpace)km "
                + (f == .overall ? "de tout lieu d'accueil" : "— " + f.label)
        case .meanDistance(let f):
            "Distance moyenne au lieu le plus proche" + (f == .overall ? "" : " — " + f.label)
        case .accessibility: "Accessibilité (E2SFCA), heures d'ouverture par semaine pour 10\(French.thinSpace)000 habitants"
        case .placesPer100k: "Lieux d'accueil pour 100\(French.thinSpace)000 habitants"
        case .severity: "Gravité des lacunes (score)"
        }
    }

    /// The zone's value, nil when it has none (no population, or no place of the family anywhere).
    public func value(_ z: ZoneCoverage) -> Double? {
        switch self {
        case .shareBeyondThreshold(let f): z.family(f)?.shareBeyondThreshold
        case .meanDistance(let f): z.family(f)?.meanDistanceKm
        case .accessibility: z.accessibility
        case .placesPer100k: z.population > 0 ? z.placesPer100k : nil
        case .severity: Double(z.severityScore)
        }
    }

    /// Upper bounds of the first four classes (the fifth is open); values below the first bound fall
    /// in class 0.
    var breaks: [Double] {
        switch self {
        case .shareBeyondThreshold: [0.05, 0.10, 0.20, 0.40]
        case .meanDistance: [2, 5, 10, 20]
        case .accessibility: [5, 10, 20, 40]
        case .placesPer100k: [5, 10, 20, 40]
        case .severity: [1, 4, 10, 28]
        }
    }

    /// Whether higher values are better (the colours then run the other way).
    var higherIsBetter: Bool {
        switch self {
        case .accessibility, .placesPer100k: true
        default: false
        }
    }

    /// Class 0...4 of a value.
    func classIndex(_ v: Double) -> Int { breaks.firstIndex { v < $0 } ?? breaks.count }

    /// French label of each class.
    var classLabels: [String] {
        let b = breaks
        func fmt(_ x: Double) -> String {
            switch self {
            case .shareBeyondThreshold: French.percent(x)
            case .meanDistance: French.decimal(x, 0) + French.thinSpace + "km"
            default: French.decimal(x, 0)
            }
        }
        if case .severity = self {
            return ["aucune lacune", "1 à 3", "4 à 9", "10 à 27", "28 et plus"]
        }
        return ["moins de " + fmt(b[0])] + (1..<b.count).map { "de \(fmt(b[$0 - 1])) à moins de \(fmt(b[$0]))" }
            + [fmt(b[b.count - 1]) + " et plus"]
    }

    /// Formats a value for a tooltip.
    func format(_ v: Double?) -> String {
        guard let v else { return "sans objet" }
        switch self {
        case .shareBeyondThreshold: return French.percent(v, 1)
        case .meanDistance: return French.km(v)
        case .severity: return French.integer(Int(v))
        default: return French.decimal(v, 1)
        }
    }

    /// From good (class 0) to bad (class 4): ColorBrewer RdYlGn, reversed.
    static let palette = ["#1a9850", "#a6d96a", "#fee08b", "#fc8d59", "#d73027"]
    static let noData = "#cccccc"

    /// The fill colour of a value.
    func colour(_ v: Double?) -> String {
        guard let v else { return Self.noData }
        let c = classIndex(v)
        return Self.palette[higherIsBetter ? Self.palette.count - 1 - c : c]
    }

    /// The fill colour of class `c` as the legend shows it.
    func legendColour(_ c: Int) -> String { Self.palette[higherIsBetter ? Self.palette.count - 1 - c : c] }
}
