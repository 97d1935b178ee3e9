import Directory
import Foundation
import NationalDirectory
import SafeHTML

/// The report's history: trends as small inline SVG charts, each with its figures in a table beside it,
/// what appeared and was resolved since the previous run, and the changes behind them.
extension CoverageHTML {
    /// The indicators a trend shows: label, value, its text, and whether higher is better (for the summary).
    static let trendRows: [(label: String, value: @Sendable (CoverageHistory.Point) -> Double?, text: @Sendable (CoverageHistory.Point) -> String)] = [
        ("Lieux", { Double($0.places) }, { French.integer($0.places) }),
        ("Part au-delà du seuil", { $0.shareBeyondThreshold }, { $0.shareBeyondThreshold.map { French.percent($0, 1) } ?? "—" }),
        ("Distance moyenne", { $0.meanDistanceKm }, { French.km($0.meanDistanceKm) }),
        ("Accessibilité (h/sem. pour 10\(French.thinSpace)000 hab.)", { $0.accessibility }, { $0.accessibility.map { French.decimal($0, 1) } ?? "—" }),
        ("Lacunes", { Double($0.gaps) }, { French.integer($0.gaps) }),
    ]

    /// "12/03/2026 14:05" from an ISO instant; "ce rapport" for the unarchived one.
    static func runLabel(_ run: CoverageHistory.Run) -> String {
        let t = run.computedAt
        guard t.count >= 16 else { return t }
        let d = t.prefix(10).split(separator: "-")
        guard d.count == 3 else { return t }
        let time = t.dropFirst(11).prefix(5)
        return "\(d[2])/\(d[1])/\(d[0]) \(time)" + (run.id == nil ? " (ce rapport)" : "")
    }

    /// One table: a row per indicator, its chart, then its value at each run.
    static func trend(_ points: [CoverageHistory.Point?], runs: [CoverageHistory.Run], of subject: String) -> HTML {
        guard points.count == runs.count, points.contains(where: { $0 != nil }) else { return HTML() }
        let headers = runs.html { run -> HTML in "<th scope=\"col\">\(runLabel(run))</th>" }
        let rows = trendRows.html { row -> HTML in
            let values = points.map { $0.flatMap(row.value) }
            let cells = points.html { p -> HTML in
                "<td class=\"n\">\(p.map(row.text) ?? "—")</td>"
            }
            return "<tr><th scope=\"row\">\(row.label)</th><td class=\"courbe\">\(sparkline(values, label: "\(row.label) de \(subject)"))</td>\(cells)</tr>\n"
        }
        return """
            <div class="evolution">
            <table class="serie">
            <caption>Évolution de \(subject) sur les \(French.integer(runs.count)) dernières exécutions</caption>
            <thead><tr><th scope="col">Indicateur</th><th scope="col">Tendance</th>\(headers)</tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            </div>

            """
    }

    /// A small line chart of `values` (nil: a gap in the line), scaled to its own range. The figures are in
    /// the table cells beside it; the chart's name says where the series goes.
    static func sparkline(_ values: [Double?], label: String) -> HTML {
        let w = 96.0, h = 24.0, pad = 3.0
        let known = values.compactMap { $0 }
        guard let lo = known.min(), let hi = known.max() else { return HTML() }
        let x = { (i: Int) in values.count > 1 ? pad + Double(i) * (w - 2 * pad) / Double(values.count - 1) : w / 2 }
        let y = { (v: Double) in hi > lo ? h - pad - (v - lo) / (hi - lo) * (h - 2 * pad) : h / 2 }
        var segments: [[String]] = [[]]
        for (i, v) in values.enumerated() {
            if let v { segments[segments.count - 1].append(String(format: "%.1f,%.1f", x(i), y(v))) } else if !segments.last!.isEmpty { segments.append([]) }
        }
        let lines = segments.filter { $0.count > 1 }.html { pts -> HTML in "<polyline points=\"\(pts.joined(separator: " "))\"/>" }
        let last = values.indices.last { values[$0] != nil }!
        let first = values.indices.first { values[$0] != nil }!
        let direction = values[last]! > values[first]! ? "en hausse" : values[last]! < values[first]! ? "en baisse" : "stable"
        return "<svg class=\"tendance\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" width=\"\(Int(w))\" height=\"\(Int(h))\" role=\"img\" "
            + "aria-label=\"\(label) : \(direction)\"><title>\(label) : \(direction)</title>\(lines)"
            + "<circle cx=\"\(String(format: "%.1f", x(last)))\" cy=\"\(String(format: "%.1f", y(values[last]!)))\" r=\"2\"/></svg>"
    }

    /// The causes of one zone, as a list.
    static func causesList(_ causes: [CoverageCause], history: CoverageHistory) -> HTML {
        guard history.causes != nil else { return HTML() }
        let previous = history.runs.count >= 2 ? runLabel(history.runs[history.runs.count - 2]) : ""
        guard !causes.isEmpty else {
            return "<p class=\"causes\">Aucun changement de lieu ni de référencement dans la zone depuis l'exécution du \(previous).</p>\n"
        }
        let items = causes.html { c -> HTML in "<li>\(CoverageWriter.causeText(c))</li>\n" }
        return "<div class=\"causes\"><p>Changements depuis l'exécution du \(previous) :</p>\n<ul>\n\(items)</ul></div>\n"
    }

    /// The national trends, the gaps appeared and resolved since the previous run, and the zones that moved.
    static func evolution(_ r: CoverageReport, _ history: CoverageHistory?) -> HTML {
        guard let history, let c = history.sincePrevious else { return HTML() }
        let previous = runLabel(history.runs[history.runs.count - 2])
        func gapRows(_ gaps: [CoverageGap]) -> HTML {
            gaps.html { g -> HTML in
                "<tr><td><a href=\"#ze-\(g.zone.rawValue)\">\(g.zoneName) (\(g.zone.rawValue))</a></td><td>\(g.kind.label)</td>"
                    + "<td>\(g.family.map(\.label) ?? "")</td><td>\(g.severity.label)</td><td>\(g.message)</td></tr>\n"
            }
        }
        func gapTable(_ caption: String, _ gaps: [CoverageGap]) -> HTML {
            guard !gaps.isEmpty else { return "<p>\(caption) : aucune.</p>\n" }
            return """
                <table class="triable">
                <caption>\(caption) (\(French.integer(gaps.count)))</caption>
                <thead><tr><th>Zone d'emploi</th><th>Type</th><th>Service ou public</th><th>Gravité</th><th>Explication</th></tr></thead>
                <tbody>
                \(gapRows(gaps))</tbody>
                </table>

                """
        }
        let causes = history.causes.map { Dictionary(grouping: $0, by: \.zone) }
        let moved = c.zones.filter { $0.gapsAppeared + $0.gapsResolved > 0 }
        let zoneItems = moved.prefix(40).html { z -> HTML in
            let why = (causes?[z.zone] ?? []).html { cause -> HTML in "<li>\(CoverageWriter.causeText(cause))</li>\n" }
            let whyList: HTML = causes == nil ? "" : (causes?[z.zone]?.isEmpty ?? true)
                ? "<p>Aucun changement de lieu ni de référencement dans la zone : l'évolution vient des zones voisines.</p>\n"
                : "<ul>\n\(why)</ul>\n"
            return "<li><a href=\"#ze-\(z.zone.rawValue)\">\(z.zoneName) (\(z.zone.rawValue))</a> : "
                + "\(French.plural(z.gapsAppeared, "lacune apparue", "lacunes apparues")), "
                + "\(French.plural(z.gapsResolved, "lacune résolue", "lacunes résolues")) ; rang \(z.rankBefore) → \(z.rankAfter)\n\(whyList)</li>\n"
        }
        let causesNote: HTML = history.causes == nil
            ? "<p class=\"note\">L'exécution précédente a été archivée sans le détail de ses lieux : les causes ne peuvent pas être établies.</p>\n"
            : ""
        let more: HTML = moved.count > 40 ? "<p>… et \(French.integer(moved.count - 40)) autres zones (détail de chaque zone plus bas).</p>\n" : ""
        return """
            <section id="evolution">
            <h2>Évolution</h2>
            <p>Les indicateurs principaux sur les exécutions archivées, de la plus ancienne à ce rapport ; chaque courbe a ses valeurs \
            dans le tableau, à côté. Chaque zone et chaque région a les siennes dans son détail.</p>
            \(trend(history.national, runs: history.runs, of: "l'ensemble du territoire"))\
            <h3>Depuis l'exécution du \(previous)</h3>
            <p>\(c.summary)</p>
            \(gapTable("Lacunes apparues", c.gapsAppeared))\(gapTable("Lacunes résolues", c.gapsResolved))\
            \(causesNote)<h3>Zones dont les lacunes ont changé, et pourquoi</h3>
            \(moved.isEmpty ? "<p>Aucune.</p>\n" as HTML : "<ul class=\"zones-evolution\">\n\(zoneItems)</ul>\n" as HTML)\(more)</section>

            """
    }
}
