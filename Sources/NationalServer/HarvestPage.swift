import Coverage
import Directory
import Foundation
import Harvest
import NationalDirectory
import SafeHTML

/// The latest harvest report as a French page, for national coordinators and Régions (`/moissonnage`).
enum HarvestPage {
    static let statusLabels: [RegionOutcome.Status: String] = [
        .accepted: "Acceptée", .unchanged: "Inchangée", .refused: "Refusée",
    ]

    static func render(_ report: HarvestReport?, anomalies: RegionAnomalies = RegionAnomalies()) -> String {
        page(report, anomalies: anomalies).rendered
    }

    /// The page as markup: every region name, refusal and anomaly of the report goes in as escaped text.
    static func page(_ report: HarvestReport?, anomalies: RegionAnomalies) -> HTML {
        document(title: "Rapport de moissonnage", body: """
            <h1>Rapport de moissonnage</h1>
            \(report.map { body($0, anomalies: anomalies) } ?? "<p>Aucun moissonnage n'a encore été fait.</p>")
            <p><a href="/">Retour à la recherche</a> · <a href="/api/v1/harvest/report">Rapport au format JSON</a></p>
            """)
    }

    /// One Région's page: its status in the latest harvest and every anomaly to fix, grouped by kind.
    static func renderRegion(_ region: RegionCode, outcome: RegionOutcome?, anomalies: [RegionAnomaly]) -> String {
        let name = outcome.map { "\($0.region.rawValue) \($0.name)" } ?? "Région \(region.rawValue)"
        let status: HTML = outcome.map { o -> HTML in
            "<p>Dernier moissonnage : <strong>\(statusLabels[o.status] ?? o.status.rawValue)</strong>"
                + "\(o.versionInService.map { ", version \($0) en service" } ?? ""), \(o.places) lieux.</p>"
        } ?? "<p>Cette Région n'a pas été moissonnée lors du dernier moissonnage.</p>"
        let groups = RegionAnomaly.Kind.allCases.compactMap { kind -> HTML? in
            let items = anomalies.filter { $0.kind == kind }
            guard !items.isEmpty else { return nil }
            let list = items.html { a -> HTML in
                "<li>\(a.message)\(a.detail.map { d -> HTML in " <small>(détail : <code>\(d)</code>)</small>" })</li>"
            }
            return "<section><h2>\(kind.french) (\(items.count))</h2><ul>\(list)</ul></section>"
        }.joined()
        let summary: HTML = anomalies.isEmpty
            ? "<p>Aucune anomalie : les données de la Région ont été acceptées sans réserve.</p>"
            : "<p>\(anomalies.count) point\(anomalies.count > 1 ? "s" : "") à vérifier dans les données de la Région.</p>"
        return document(title: "Anomalies — \(name)", body: """
            <h1>Anomalies des données de la Région \(name)</h1>
            \(status)\(summary)\(groups)
            <p><a href="/moissonnage">Toutes les Régions</a> · <a href="/api/v1/harvest/\(region.rawValue)/anomalies">Ces anomalies au format JSON</a></p>
            """).rendered
    }

    static func document(title: String, body: HTML) -> HTML {
        """
        <!doctype html>
        <html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title) — annuaire national du SPRO</title>
        <style>
        body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 75rem; padding: 1rem; color: #1b1b1b; }
        table { border-collapse: collapse; width: 100%; font-size: .95rem; }
        th, td { border: 1px solid #ccc; padding: .3rem .5rem; text-align: left; vertical-align: top; }
        caption { text-align: left; font-weight: 700; margin-bottom: .3rem; }
        tr.refused { background: #fdecea; } tr.accepted { background: #eaf6ec; }
        code { font-size: .9em; }
        a { color: #00419e; }
        :focus-visible { outline: 3px solid #1b1b1b; outline-offset: 2px; }
        @media (max-width: 40rem) {
          .records thead { display: none; }
          .records tr, .records th, .records td { display: block; border: 0; }
          .records tr { border-bottom: 1px solid #ccc; padding: .4rem 0; }
          .records td[data-label]::before { content: attr(data-label) " : "; font-weight: 700; }
        }
        </style></head>
        <body><main>\(body)</main></body></html>
        """
    }

    static func body(_ report: HarvestReport, anomalies: RegionAnomalies) -> HTML {
        let refused = report.regions.filter { $0.status == .refused }.count
        let refusedNote: HTML = refused > 0
            ? ", \(refused) refusée\(refused > 1 ? "s" : "") (leurs dernières données valides restent en service).</p>" : ".</p>"
        let columns = ["Statut", "Version en service", "Lieux", "Ajoutés", "Modifiés", "Retirés", "Géocodés", "Localisations reprises",
                       "Anomalies", "Non localisés", "Durée", "Motif"]
        let rows = report.regions.html { o -> HTML in
            let status = (statusLabels[o.status] ?? o.status.rawValue) + (o.stale ? " — données périmées" : "")
            let geocoded = o.geocoding.map { String($0.geocoded) } ?? "—", reused = o.geocoding.map { String($0.reused) } ?? "—"
            let cells: [HTML] = [
                HTML(text: status), HTML(text: o.versionInService.map(String.init) ?? "—"), "\(o.places)", "\(o.added)", "\(o.updated)",
                "\(o.removed)", HTML(text: geocoded), HTML(text: reused),
                "<a href=\"/moissonnage/\(o.region.rawValue)\">\(anomalies.of(o.region).count)</a>", "\(o.unresolvedPlaces.count)",
                HTML(text: French.decimal(o.durationSeconds, 2) + "\u{A0}s"), HTML(text: o.refusal ?? "—"),
            ]
            // On a phone the rows become cards, each value after its column's name (`data-label`).
            return "<tr class=\"\(o.status.rawValue)\"><th scope=\"row\">\(o.region.rawValue) \(o.name)</th>"
                + zip(columns, cells).html { label, cell -> HTML in "<td data-label=\"\(label)\">\(cell)</td>" } + "</tr>\n"
        }
        let head = (["Région"] + columns).html { "<th scope=\"col\">\($0)</th>" }
        return """
            <p>Dernier moissonnage : \(OpenDataPage.frenchDate(report.finishedAt)), en \(French.decimal(report.durationSeconds, 1))\u{A0}s. \
            \(report.verifiedCount) Régions sur \(report.regions.count) vérifiées\(refusedNote)\
            <table class="records"><caption>Résultat par Région</caption>
            <thead><tr>\(head)</tr></thead><tbody>\(rows)</tbody></table>
            <p>La colonne « Anomalies » mène à la page de chaque Région : enregistrements rejetés, coordonnées écartées, \
            adresses mal localisées, fiches à confirmer, lieux fusionnés.</p>
            """
    }
}
