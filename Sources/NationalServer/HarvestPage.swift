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

    static func render(_ report: HarvestReport?, now: Date = Date()) -> String {
        page(report).rendered
    }

    /// The page as markup: every region name, refusal and anomaly of the report goes in as escaped text.
    static func page(_ report: HarvestReport?) -> HTML {
        """
        <!doctype html>
        <html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Rapport de moissonnage — annuaire national du SPRO</title>
        <style>
        body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 75rem; padding: 1rem; color: #1b1b1b; }
        table { border-collapse: collapse; width: 100%; font-size: .95rem; }
        th, td { border: 1px solid #ccc; padding: .3rem .5rem; text-align: left; vertical-align: top; }
        caption { text-align: left; font-weight: 700; margin-bottom: .3rem; }
        tr.refused { background: #fdecea; } tr.accepted { background: #eaf6ec; }
        code { font-size: .9em; }
        </style></head>
        <body><h1>Rapport de moissonnage</h1>
        \(report.map(body) ?? "<p>Aucun moissonnage n'a encore été fait.</p>")
        <p><a href="/">Retour à la recherche</a> · <a href="/api/v1/harvest/report">Rapport au format JSON</a></p>
        </body></html>
        """
    }

    static func body(_ report: HarvestReport) -> HTML {
        let refused = report.regions.filter { $0.status == .refused }.count
        let refusedNote: HTML = refused > 0
            ? ", \(refused) refusée\(refused > 1 ? "s" : "") (leurs dernières données valides restent en service).</p>" : ".</p>"
        let rows = report.regions.html { o -> HTML in
            let status = (statusLabels[o.status] ?? o.status.rawValue) + (o.stale ? " — données périmées" : "")
            let geocoded = o.geocoding.map { String($0.geocoded) } ?? "—", reused = o.geocoding.map { String($0.reused) } ?? "—"
            return "<tr class=\"\(o.status.rawValue)\"><th scope=\"row\">\(o.region.rawValue) \(o.name)</th>"
                + "<td>\(status)</td><td>\(o.versionInService.map(String.init) ?? "—")</td><td>\(o.places)</td>"
                + "<td>\(o.added)</td><td>\(o.updated)</td><td>\(o.removed)</td>"
                + "<td>\(geocoded)</td><td>\(reused)</td>"
                + "<td>\(o.anomalies.count)</td>"
                + "<td>\(o.unresolvedPlaces.count)</td><td>\(String(format: "%.2f s", o.durationSeconds))</td>"
                + "<td>\(o.refusal ?? "")</td></tr>\n"
        }
        let withAnomalies = report.regions.filter { !$0.anomalies.isEmpty || !$0.unresolvedPlaces.isEmpty }
        let anomalies: HTML? = withAnomalies.isEmpty ? nil : "<h2>Anomalies signalées aux Régions</h2>" + withAnomalies.html { o -> HTML in
            let rejected = o.anomalies.html { a -> HTML in
                "<li>Enregistrement rejeté : \(a.kind) <code>\(a.id)</code>, champ <code>\(a.field)</code> : \(a.rule)</li>"
            }
            let unlocated = o.unresolvedPlaces.html { u -> HTML in "<li>Lieu non localisé : <code>\(u.id)</code> — \(u.reason)</li>" }
            return "<h3>\(o.region.rawValue) \(o.name)</h3><ul>\(rejected)\(unlocated)</ul>"
        }
        return """
            <p>Dernier moissonnage : \(report.finishedAt), en \(String(format: "%.1f", report.durationSeconds)) s. \
            \(report.verifiedCount) Régions sur \(report.regions.count) vérifiées\(refusedNote)\
            <table><caption>Résultat par Région</caption>
            <thead><tr><th scope="col">Région</th><th scope="col">Statut</th><th scope="col">Version en service</th>
            <th scope="col">Lieux</th><th scope="col">Ajoutés</th><th scope="col">Modifiés</th><th scope="col">Retirés</th>
            <th scope="col">Géocodés</th><th scope="col">Localisations reprises</th>
            <th scope="col">Anomalies</th><th scope="col">Non localisés</th><th scope="col">Durée</th><th scope="col">Motif</th></tr></thead><tbody>\(rows)</tbody></table>\(anomalies)
            """
    }
}
