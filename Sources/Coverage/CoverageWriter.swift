import Directory
import Foundation
import PerformanceKit
import Reference

/// Writes a coverage report to a directory, UTF-8 throughout:
/// - `coverage.json`: the whole report except the per-commune rows;
/// - `coverage.csv`: one row per zone, overall figures;
/// - `coverage-services.csv`, `coverage-publics.csv`: one row per zone and family;
/// - `coverage-regions.csv`: one row per Région; `coverage-communes.csv`: one row per commune;
/// - `gaps.csv`: one row per gap, zones in rank order;
/// - `coverage.html`: the report in French, with the map when `outlines` are given.
public enum CoverageWriter {
    /// The files `write` produces.
    public static let fileNames = ["coverage.json", "coverage.csv", "coverage-services.csv", "coverage-publics.csv",
                                   "coverage-regions.csv", "coverage-communes.csv", "gaps.csv", "coverage.html"]

    /// Writes every file. `outlines` are the zones d'emploi outlines
    /// (`Outlines.load(.zonesEmploi, from: reference.directory)`); without them the HTML has no map.
    /// With `history`, the HTML report shows the trends, what changed since the previous run and why, and
    /// `causes.csv` lists those changes.
    public static func write(_ report: CoverageReport, to directory: URL, outlines: Outlines? = nil,
                             mapIndicator: MapIndicator = .shareBeyondThreshold(.overall), history: CoverageHistory? = nil,
                             scorecards: CoverageHTML.ScorecardLinks? = nil) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Two halves of about the same weight, made at the same time: the HTML page and the JSON; the CSV files.
        let (pages, tables) = try concurrently({ () throws -> [(String, Data)] in
            var light = report
            light.communes = []
            return [("coverage.json", try SproJSON.encoder(pretty: true).encode(light)),
                    ("coverage.html", Data(CoverageHTML.render(report, outlines: outlines, indicator: mapIndicator, history: history,
                                                             scorecards: scorecards).utf8))]
        }, { () throws -> [(String, Data)] in
            ([("coverage.csv", csv(report)),
              ("coverage-services.csv", familiesCSV(report, where: \.isService)),
              ("coverage-publics.csv", familiesCSV(report, where: \.isPublic)),
              ("coverage-regions.csv", regionsCSV(report)),
              ("coverage-communes.csv", communesCSV(report)),
              ("gaps.csv", gapsCSV(report))]
                + (history?.causes.map { [("causes.csv", causesCSV($0))] } ?? [])).map { ($0.0, Data($0.1.utf8)) }
        })
        for (name, bytes) in pages + tables {
            try bytes.write(to: directory.appendingPathComponent(name), options: .atomic)
        }
    }

    /// Writes `comparison.json` and `comparison.csv` (one row per changed indicator, then one per gap
    /// that appeared or was resolved).
    public static func write(_ comparison: CoverageComparison, to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try SproJSON.encoder(pretty: true).encode(comparison)
            .write(to: directory.appendingPathComponent("comparison.json"), options: .atomic)
        try Data(comparisonCSV(comparison).utf8).write(to: directory.appendingPathComponent("comparison.csv"), options: .atomic)
    }

    /// Writes two archived runs compared: `comparison.json` (with the runs and the causes), `comparison.csv`
    /// and, when both runs kept their facts, `causes.csv`.
    public static func write(_ c: RunComparison, to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try SproJSON.encoder(pretty: true).encode(c).write(to: directory.appendingPathComponent("comparison.json"), options: .atomic)
        try Data(comparisonCSV(c.comparison).utf8).write(to: directory.appendingPathComponent("comparison.csv"), options: .atomic)
        if let causes = c.causes {
            try Data(causesCSV(causes).utf8).write(to: directory.appendingPathComponent("causes.csv"), options: .atomic)
        }
    }

    /// One cause in a line of French: "Lieu retiré : Accueil X (84/X) — retiré de l'annuaire par la région".
    public static func causeText(_ c: CoverageCause) -> String {
        var subject: [String] = []
        if let name = c.placeName, let key = c.place { subject.append("\(name) (\(key))") }
        if let name = c.structureName, let key = c.structure { subject.append("structure \(name) (\(key))") }
        return "\(c.kind.label) : \(subject.joined(separator: ", ")) — \(c.detail)"
    }

    /// One row per cause, by zone.
    static func causesCSV(_ causes: [CoverageCause]) -> String {
        lines("ze2020,cause,libelle,lieu,nom_lieu,structure,nom_structure,detail", causes.map { c in
            [c.zone.rawValue, c.kind.rawValue, c.kind.label, c.place ?? "", c.placeName ?? "", c.structure ?? "", c.structureName ?? "", c.detail]
        })
    }

    // MARK: - CSV

    /// A number with `digits` decimals and a dot, like `%.2f` but without `String(format:)`, which
    /// dominated the time to write the 35,000 rows of `coverage-communes.csv`.
    static func num(_ v: Double?, _ digits: Int = 2) -> String {
        guard let v else { return "" }
        let scale = [1.0, 10, 100, 1000, 10_000, 100_000, 1_000_000][min(max(digits, 0), 6)]
        let scaled = (abs(v) * scale).rounded()
        guard v.isFinite, scaled < 1e15 else { return String(format: "%.\(digits)f", v) }
        let n = Int(scaled), s = Int(scale)
        var out = v < 0 && n > 0 ? "-" : ""
        out += String(n / s)
        if digits > 0 {
            let frac = String(n % s)
            out += "." + String(repeating: "0", count: digits - frac.count) + frac
        }
        return out
    }

    /// The header (column names joined by commas) and the rows, written by the shared `CSVWriter`,
    /// which quotes the fields that need it.
    private static func lines(_ header: String, _ rows: [[String]]) -> String {
        var writer = CSVWriter()
        writer.writeRow(header.split(separator: ",").map(String.init))
        for row in rows { writer.writeRow(row) }
        return writer.text
    }

    /// One row per zone; the first fourteen columns are those of the first version of the file.
    static func csv(_ report: CoverageReport) -> String {
        lines("ze2020,nom,region_principale,regions,population,lieux,structures,lieux_mutualises,reseaux,lieux_pour_100000,"
            + "distance_moyenne_km,distance_mediane_km,distance_p90_km,part_au_dela_seuil,"
            + "population_au_dela_seuil,heures_hebdo,accessibilite_e2sfca,a_cheval,lacunes,gravite_max,score_gravite,rang",
              report.zones.map { z in
                  [z.code.rawValue, z.name, z.mainRegion.rawValue, z.regions.map(\.rawValue).joined(separator: "|"),
                   String(z.population), String(z.places), String(z.structures), String(z.lieuxMutualises),
                   String(z.networks.count), num(z.placesPer100k), num(z.meanDistanceKm), num(z.medianDistanceKm),
                   num(z.p90DistanceKm), num(z.shareBeyondThreshold, 4),
                   String(z.families.first?.populationBeyondThreshold ?? 0), num(z.weeklyHours, 1), num(z.accessibility),
                   z.straddlesRegions ? "1" : "0", String(z.gapCount), z.worstSeverity?.label ?? "", String(z.severityScore),
                   String(z.rank)]
              })
    }

    /// One row per zone and family (services or publics).
    static func familiesCSV(_ report: CoverageReport, where keep: (CoverageFamily) -> Bool) -> String {
        var rows: [[String]] = []
        for z in report.zones {
            for f in z.families where keep(f.family) {
                rows.append([z.code.rawValue, z.name, z.mainRegion.rawValue, f.family.key, f.family.label,
                             String(z.population), String(f.places), num(f.meanDistanceKm), num(f.medianDistanceKm),
                             num(f.p90DistanceKm), num(f.shareBeyondThreshold, 4), String(f.populationBeyondThreshold),
                             num(f.accessibility)])
            }
        }
        return lines("ze2020,nom,region_principale,famille,libelle,population,lieux,distance_moyenne_km,distance_mediane_km,"
            + "distance_p90_km,part_au_dela_seuil,population_au_dela_seuil,accessibilite_e2sfca", rows)
    }

    /// One row per Région, over its own communes and places.
    static func regionsCSV(_ report: CoverageReport) -> String {
        lines("reg,nom,zones,zones_a_cheval,population,lieux,structures,lieux_mutualises,reseaux,heures_hebdo,"
            + "distance_moyenne_km,distance_p90_km,part_au_dela_seuil,accessibilite_e2sfca,lacunes",
              report.regions.map { r in
                  let t = r.totals, o = t.families.first
                  return [r.code.rawValue, r.name, r.zones.map(\.rawValue).joined(separator: "|"),
                          r.straddlingZones.map(\.rawValue).joined(separator: "|"), String(t.population), String(t.places),
                          String(t.structures), String(t.lieuxMutualises), String(t.networks.count), num(t.weeklyHours, 1),
                          num(o?.meanDistanceKm), num(o?.p90DistanceKm), num(o?.shareBeyondThreshold, 4), num(t.accessibility),
                          String(t.gapsByKind.values.reduce(0, +))]
              })
    }

    /// One row per commune (arrondissement for Paris, Lyon, Marseille): distance per family, accessibility.
    static func communesCSV(_ report: CoverageReport) -> String {
        let header = "code_insee,nom,ze2020,reg,population," + report.families.map { "distance_km_" + columnName($0) }.joined(separator: ",")
            + ",accessibilite_e2sfca"
        return lines(header, report.communes.map { c in
            [c.code.rawValue, c.name, c.zone.rawValue, c.region.rawValue, String(c.population)]
                + c.distancesKm.map { num($0) } + [num(c.accessibility, 3)]
        })
    }

    static func columnName(_ f: CoverageFamily) -> String {
        switch f {
        case .overall: "ensemble"
        case .service(let s): s.rawValue
        case .public(let p): p.rawValue
        }
    }

    /// One row per gap, zones in rank order.
    static func gapsCSV(_ report: CoverageReport) -> String {
        let rank = Dictionary(uniqueKeysWithValues: report.zones.map { ($0.code, $0.rank) })
        let region = Dictionary(uniqueKeysWithValues: report.zones.map { ($0.code, $0.mainRegion) })
        return lines("rang_zone,ze2020,nom,region_principale,type,famille,gravite,population_concernee,valeur,explication,lieux",
                     report.gaps.map { g in
                         [String(rank[g.zone] ?? 0), g.zone.rawValue, g.zoneName, region[g.zone]?.rawValue ?? "",
                          g.kind.rawValue, g.family?.key ?? "", g.severity.label, g.population.map(String.init) ?? "",
                          num(g.value, 4), g.message, g.places.joined(separator: "|")]
                     })
    }

    static func comparisonCSV(_ c: CoverageComparison) -> String {
        var rows = c.changes.map { ch in
            [ch.zone.rawValue, ch.zoneName, ch.indicator.rawValue, ch.family?.key ?? "", num(ch.before, 4), num(ch.after, 4),
             ch.verdict.rawValue, ""]
        }
        rows += c.gapsAppeared.map { g in
            [g.zone.rawValue, g.zoneName, "lacune:" + g.kind.rawValue, g.family?.key ?? "", "", "", "apparue", g.message]
        }
        rows += c.gapsResolved.map { g in
            [g.zone.rawValue, g.zoneName, "lacune:" + g.kind.rawValue, g.family?.key ?? "", "", "", "resolue", g.message]
        }
        return lines("ze2020,nom,indicateur,famille,avant,apres,evolution,explication", rows)
    }
}
