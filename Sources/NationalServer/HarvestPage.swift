import Directory
import Foundation
import NationalDirectory

/// The latest harvest report as a French page, for national coordinators and Régions (`/moissonnage`).
enum HarvestPage {
    static let statusLabels: [RegionOutcome.Status: String] = [
        .accepted: "Acceptée", .unchanged: "Inchangée", .refused: "Refusée",
    ]

    static func render(_ report: HarvestReport?, now: Date = Date()) -> String {
        var body = ""
        if let report {
            let refused = report.regions.filter { $0.status == .refused }.count
            body += "<p>Dernier moissonnage : \(htmlEscaped(report.finishedAt)), en \(String(format: "%.1f", report.durationSeconds)) s. "
            body += "\(report.verifiedCount) Régions sur \(report.regions.count) vérifiées"
            body += refused > 0 ? ", \(refused) refusée\(refused > 1 ? "s" : "") (leurs dernières données valides restent en service).</p>" : ".</p>"
            body += """
            <table><caption>Résultat par Région</caption>
            <thead><tr><th scope="col">Région</th><th scope="col">Statut</th><th scope="col">Version en service</th>
            <th scope="col">Lieux</th><th scope="col">Ajoutés</th><th scope="col">Modifiés</th><th scope="col">Retirés</th>
            <th scope="col">Géocodés</th><th scope="col">Localisations reprises</th>
            <th scope="col">Anomalies</th><th scope="col">Non localisés</th><th scope="col">Durée</th><th scope="col">Motif</th></tr></thead><tbody>
            """
            for o in report.regions {
                let status = (statusLabels[o.status] ?? o.status.rawValue) + (o.stale ? " — données périmées" : "")
                body += "<tr class=\"\(o.status.rawValue)\"><th scope=\"row\">\(htmlEscaped(o.region.rawValue)) \(htmlEscaped(o.name))</th>"
                body += "<td>\(htmlEscaped(status))</td><td>\(o.versionInService.map(String.init) ?? "—")</td><td>\(o.places)</td>"
                body += "<td>\(o.added)</td><td>\(o.updated)</td><td>\(o.removed)</td>"
                body += "<td>\(o.geocoding.map { String($0.geocoded) } ?? "—")</td><td>\(o.geocoding.map { String($0.reused) } ?? "—")</td>"
                body += "<td>\(o.anomalies.count)</td>"
                body += "<td>\(o.unresolvedPlaces.count)</td><td>\(String(format: "%.2f s", o.durationSeconds))</td>"
                body += "<td>\(htmlEscaped(o.refusal ?? ""))</td></tr>\n"
            }
            body += "</tbody></table>"
            let withAnomalies = report.regions.filter { !$0.anomalies.isEmpty || !$0.unresolvedPlaces.isEmpty }
            if !withAnomalies.isEmpty {
                body += "<h2>Anomalies signalées aux Régions</h2>"
                for o in withAnomalies {
                    body += "<h3>\(htmlEscaped(o.region.rawValue)) \(htmlEscaped(o.name))</h3><ul>"
                    for a in o.anomalies {
                        body += "<li>Enregistrement rejeté : \(htmlEscaped(a.kind)) <code>\(htmlEscaped(a.id))</code>, champ <code>\(htmlEscaped(a.field))</code> : \(htmlEscaped(a.rule))</li>"
                    }
                    for u in o.unresolvedPlaces {
                        body += "<li>Lieu non localisé : <code>\(htmlEscaped(u.id))</code> — \(htmlEscaped(u.reason))</li>"
                    }
                    body += "</ul>"
                }
            }
        } else {
            body = "<p>Aucun moissonnage n'a encore été fait.</p>"
        }
        return """
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
        \(body)
        <p><a href="/">Retour à la recherche</a> · <a href="/api/v1/harvest/report">Rapport au format JSON</a></p>
        </body></html>
        """
    }
}
