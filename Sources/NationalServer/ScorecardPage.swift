import Coverage
import Directory
import Foundation
import Harvest
import SafeHTML

/// `/couverture/regions/<code>`: a Région's scorecard, in French, for the national coordinators. Every
/// figure is in a table (printable, readable without colour).
enum ScorecardPage {
    static func render(_ card: RegionScorecard) -> String {
        let title = "Tableau de bord de la Région \(card.name)"
        return HarvestPage.document(title: title, body: """
            <h1>\(title)</h1>
            <p>Code \(card.region.rawValue). Chiffres du dernier moissonnage et du dernier calcul de couverture ; la médiane nationale porte sur les Régions qui ont déclaré l'indicateur.</p>
            \(coverage(card))\(referencing(card))\(quality(card))\(harvest(card))\(indicators(card))
            <p><a href="/couverture">Le rapport de couverture</a> · <a href="/moissonnage/\(card.region.rawValue)">Les anomalies de la Région</a></p>
            """).rendered
    }

    static func number(_ v: Double, _ digits: Int = 0) -> String {
        v.formatted(.number.precision(.fractionLength(digits)).locale(Locale(identifier: "fr_FR")))
    }

    static func percent(_ share: Double?) -> String { share.map { number($0 * 100, 1) + " %" } ?? "—" }

    /// A table whose rows become cards on a phone, each value after its column's name (`data-label`).
    static func table(_ caption: String, _ headers: [String], _ rows: [[String]]) -> HTML {
        let head = headers.html { "<th scope=\"col\">\($0)</th>" }
        let body = rows.html { row -> HTML in
            "<tr>" + row.enumerated().html { i, cell -> HTML in
                i == 0 ? "<th scope=\"row\">\(cell)</th>" : "<td data-label=\"\(i < headers.count ? headers[i] : "")\">\(cell)</td>"
            } + "</tr>"
        }
        return "<table class=\"records\"><caption>\(caption)</caption><thead><tr>\(head)</tr></thead><tbody>\(body)</tbody></table>"
    }

    static func coverage(_ card: RegionScorecard) -> HTML {
        guard let c = card.coverage else { return "<h2>Couverture</h2><p>Le rapport de couverture n'est pas encore calculé.</p>" }
        let t = c.totals
        var rows: [[String]] = [["Population", number(Double(t.population))], ["Lieux d'accueil", number(Double(t.places))],
                                ["Structures", number(Double(t.structures))], ["Lieux mutualisés", number(Double(t.lieuxMutualises))],
                                ["Accessibilité moyenne (E2SFCA)", t.accessibility.map { number($0, 1) + " h/semaine pour 10 000 hab." } ?? "—"]]
        if let overall = t.family(.overall) {
            rows.append(["Population à plus de \(number(card.thresholdKm ?? 0)) km d'un lieu",
                         "\(number(Double(overall.populationBeyondThreshold))) (\(percent(overall.shareBeyondThreshold)))"])
        }
        let gaps = t.gapsByKind.sorted { $0.key < $1.key }.map { [GapKind(rawValue: $0.key)?.label ?? $0.key, number(Double($0.value))] }
        return "<h2>Couverture</h2>" + table("Couverture de la Région (\(c.zones.count) bassins d'emploi)", ["Mesure", "Valeur"], rows)
            + (gaps.isEmpty ? "<p>Aucune lacune de couverture.</p>" : table("Lacunes par type", ["Type de lacune", "Bassins"], gaps))
    }

    static func referencing(_ card: RegionScorecard) -> HTML {
        let states = ReferencingState.allCases.map { [$0.label, String(card.states[$0] ?? 0)] }
        let charter: HTML = card.charter.map { c -> HTML in
            "<p>Cahier des charges en vigueur : <strong>v\(c.version)</strong>, « \(c.title) », adopté le \(QualityDate.french(c.adoptedOn)).</p>"
        } ?? "<p>Aucun cahier des charges moissonné pour cette Région.</p>"
        let expiring = card.expiringSoon.isEmpty ? HTML(text: "Aucun référencement n'arrive à échéance dans les 90 jours.")
            : table("Référencements arrivant à échéance sous 90 jours", ["Structure", "Valable jusqu'au"],
                    card.expiringSoon.map { ["\($0.name) (\($0.id))", QualityDate.french($0.validUntil)] })
        return "<h2>Référencement</h2>\(charter)" + table("Structures par état du référencement", ["État", "Structures"], states)
            + "<p>\(card.expiringSoon.count) référencement(s) à renouveler sous 90 jours.</p>" + (card.expiringSoon.isEmpty ? HTML() : expiring)
    }

    static func quality(_ card: RegionScorecard) -> HTML {
        let rows = [["Lieux publiés", String(card.places)],
                    ["Confirmés depuis moins de 180 jours", "\(card.confirmedWithin180) (\(percent(card.freshShare(180))))"],
                    ["Confirmés depuis moins de 240 jours", "\(card.confirmedWithin240) (\(percent(card.freshShare(240))))"]]
        let precision = card.precision.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            .map { [GeocodePrecision(rawValue: $0.key)?.label ?? $0.key, "\($0.value) (\(percent(card.places > 0 ? Double($0.value) / Double(card.places) : nil)))"] }
        let anomalies = RegionAnomaly.Kind.allCases.compactMap { k in card.anomalies[k].map { [k.french, String($0)] } }
        return "<h2>Qualité des données</h2>" + table("Fraîcheur des fiches", ["Mesure", "Lieux"], rows)
            + table("Précision de la localisation", ["Précision", "Lieux"], precision)
            + (anomalies.isEmpty ? "<p>Aucune anomalie relevée au moissonnage.</p>" : table("Anomalies du moissonnage", ["Anomalie", "Nombre"], anomalies))
    }

    static func harvest(_ card: RegionScorecard) -> HTML {
        let age = card.exportAgeHours.map { $0 < 48 ? "\(number($0, 1)) h" : "\(number($0 / 24, 1)) jours" } ?? "aucun export accepté"
        let rows = [["Dernier export accepté", card.acceptedAt.map(QualityDate.french) ?? "—"], ["Âge", age],
                    ["Export expiré", card.exportStale ? "oui : données servies marquées périmées" : "non"],
                    ["Dernier moissonnage", card.harvestStatus.map { HarvestPage.statusLabels[RegionOutcome.Status(rawValue: $0) ?? .refused] ?? $0 } ?? "—"],
                    ["Enregistrements rejetés", String(card.refusedRecords)]]
        return "<h2>Santé du moissonnage</h2>" + table("Moissonnage de la Région", ["Mesure", "Valeur"], rows)
    }

    static func indicators(_ card: RegionScorecard) -> HTML {
        guard !card.indicators.isEmpty else { return "<h2>Indicateurs qualité</h2><p>Aucun indicateur déclaré.</p>" }
        let headers = ["Indicateur", "Période", "Région", "Déclarants", "Médiane nationale"]
        func rows(_ core: Bool) -> [[String]] {
            card.indicators.filter { $0.nationalCore == core }.map { r -> [String] in
                let digits = IndicatorTotals.isShare(r.unit) ? 1 : 0
                func figure(_ v: Double) -> String { [number(v, digits), unitLabel(r.unit)].filter { !$0.isEmpty }.joined(separator: " ") }
                return [r.label.map { "\($0) (\(r.code))" } ?? r.code, r.period.isEmpty ? "—" : r.period, r.figure.map { figure($0.value) } ?? "non déclaré",
                        r.figure.map { String($0.subjects) } ?? "0", r.nationalMedian.map(figure) ?? "—"]
            }
        }
        let core = rows(true), own = rows(false)
        return "<h2>Indicateurs qualité</h2><p>Déclarés par les lieux et structures de la Région : effectifs additionnés, pourcentages moyennés.</p>"
            + (core.isEmpty ? HTML() : table("Socle national d'indicateurs du CEP, par période", headers, core))
            + (own.isEmpty ? HTML() : table(core.isEmpty ? "Indicateurs déclarés, par période" : "Autres indicateurs déclarés par la Région, par période",
                                            headers, own))
    }

    static func unitLabel(_ unit: String) -> String {
        switch unit {
        case "persons": "personnes"
        case "percent": "%"
        case "days": "jours"
        case "hours_per_week": "h/semaine"
        case "count": ""
        default: unit
        }
    }
}

/// Dates as people read them in French.
enum QualityDate {
    /// "2026-03-05" or an ISO instant as "05/03/2026".
    static func french(_ value: String) -> String {
        let day = value.prefix(10).split(separator: "-")
        return day.count == 3 ? "\(day[2])/\(day[1])/\(day[0])" : value
    }
}
