import Directory
import Foundation
import Reference
import SafeHTML

/// The coverage report as one self-contained HTML page in French: an SVG map of the zones coloured by
/// an indicator, with its legend; sortable tables (a few lines of inline script; without script the
/// tables read the same, in rank order); the gaps; a section per Région; the worst-served communes
/// of each zone; the method. No external resource.
public enum CoverageHTML {
    /// Renders the page. Without `outlines` the map is replaced by a note.
    /// With `history`, the page shows the trends over the archived runs, what appeared and was resolved
    /// since the previous run, and the changes of places and referencing behind them.
    public static func render(_ report: CoverageReport, outlines: Outlines?, indicator: MapIndicator = .shareBeyondThreshold(.overall),
                              history: CoverageHistory? = nil, scorecards: ScorecardLinks? = nil) -> String
    {
        page(report, outlines: outlines, indicator: indicator, history: history, scorecards: scorecards).rendered
    }

    /// Where each Région's scorecard is: beside the report served (`/couverture/regions/<code>`), or on the
    /// national service a written report names (`spro coverage --service URL`).
    public struct ScorecardLinks: Sendable {
        /// The path or URL before the Région's code.
        public var prefix: String
        public init(prefix: String) { self.prefix = prefix }

        /// The scorecards of the national service at `base` ("https://annuaire.example.fr"), or nil when
        /// `base` is not an http(s) URL with a host.
        public init?(service base: String) {
            guard let url = URL(string: base), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false,
                  url.query == nil, url.fragment == nil else { return nil }
            prefix = (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/couverture/regions/"
        }
        func href(_ region: RegionCode) -> String { prefix + region.rawValue }
    }

    /// The page as markup: every name, label and message of the report goes in as escaped text.
    static func page(_ report: CoverageReport, outlines: Outlines?, indicator: MapIndicator, history: CoverageHistory? = nil,
                     scorecards: ScorecardLinks? = nil) -> HTML {
        let history = history.flatMap { $0.runs.count >= 2 ? $0 : nil }
        let evolutionLink: HTML = history == nil ? "" : "<a href=\"#evolution\">Évolution</a> · "
        let title: HTML = "Couverture du service public régional de l'orientation par zone d'emploi"
        return """
            <!DOCTYPE html>
            <html lang="fr">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title)</title>
            <style>\(style)</style>
            </head>
            <body>
            <header>
            <h1>\(title)</h1>
            <p>Rapport du \(frenchDate(report.generatedAt)). Seuil de distance : \(French.decimal(report.thresholdKm, 0))\(French.thinSpace)km ;
            lacune signalée à partir de \(French.percent(report.gapShare)) de la population d'une zone au-delà du seuil.
            \(report.zoneCount) zones d'emploi (INSEE 2020).</p>
            <nav><a href="#synthese">Synthèse nationale</a> · \(evolutionLink)<a href="#carte">Carte</a> · <a href="#classement">Classement des zones</a> ·
            <a href="#familles">Services et publics</a> · <a href="#lacunes">Lacunes</a> · <a href="#regions">Par région</a> ·
            <a href="#zones">Communes les moins bien desservies</a> · <a href="#methode">Méthode</a></nav>
            </header>
            <main>
            \(national(report))\(evolution(report, history))\(map(report, outlines: outlines, indicator: indicator))\(ranking(report))\
            \(familiesTable(report))\(gaps(report))\(regions(report, history, scorecards: scorecards))\(zones(report, history))\(method(report))</main>
            <script>\(script)</script>
            </body>
            </html>

            """
    }

    // MARK: - Sections

    static func national(_ r: CoverageReport) -> HTML {
        let n = r.national, o = n.families.first
        let items: [(HTML, String)] = [
            ("Population", French.integer(r.nationalPopulation)),
            ("Lieux d'accueil", French.integer(n.places) + " (\(French.integer(n.placesWithPosition)) localisés)"),
            ("Structures", French.integer(n.structures)),
            ("Lieux mutualisés", French.integer(n.lieuxMutualises)),
            ("Réseaux présents", French.integer(n.networks.count)),
            ("Heures d'ouverture par semaine", French.integer(Int(n.weeklyHours.rounded()))
                + (r.placesWithEstimatedHours > 0 ? " (dont \(French.plural(r.placesWithEstimatedHours, "lieu", "lieux")) aux horaires estimés)" : "")),
            ("Distance moyenne au lieu le plus proche", French.km(o?.meanDistanceKm)),
            ("Distance médiane / 90e centile", French.km(o?.medianDistanceKm) + " / " + French.km(o?.p90DistanceKm)),
            ("Population à plus de \(French.decimal(r.thresholdKm, 0))\(French.thinSpace)km d'un lieu",
             French.integer(o?.populationBeyondThreshold ?? 0) + " (" + (o?.shareBeyondThreshold.map { French.percent($0, 1) } ?? "—") + ")"),
            ("Accessibilité moyenne (E2SFCA)", (n.accessibility.map { French.decimal($0, 1) } ?? "—") + " h/semaine pour 10\(French.thinSpace)000 hab."),
            ("Lacunes", French.integer(r.gaps.count) + gapKinds(n.gapsByKind)),
        ]
        return """
            <section id="synthese">
            <h2>Synthèse nationale</h2>
            <dl class="chiffres">
            \(items.html { k, v in "<dt>\(k)</dt><dd>\(v)</dd>\n" })</dl>
            </section>

            """
    }

    static func gapKinds(_ byKind: [String: Int]) -> String {
        let parts = GapKind.allCases.compactMap { k in byKind[k.rawValue].map { "\(k.label) : \(French.integer($0))" } }
        return parts.isEmpty ? "" : " — " + parts.joined(separator: " ; ")
    }

    static func map(_ r: CoverageReport, outlines: Outlines?, indicator: MapIndicator) -> HTML {
        let drawing: HTML
        if let outlines {
            let byCode = Dictionary(r.zones.map { ($0.code.rawValue, $0) }, uniquingKeysWith: { a, _ in a })
            drawing = CoverageMap.svg(outlines: outlines) { code in
                guard let z = byCode[code] else { return nil }
                let v = indicator.value(z)
                return (indicator.colour(v), "\(z.name) (\(z.code.rawValue)) : \(indicator.format(v)) — rang \(z.rank)")
            }
        } else {
            drawing = "<p class=\"note\">Carte indisponible : les contours des zones d'emploi n'ont pas été fournis.</p>"
        }
        let classes = indicator.classLabels.enumerated().map { c, label -> HTML in
            "<li><span class=\"pastille\" style=\"background:\(indicator.legendColour(c))\"></span>\(label)</li>\n"
        }
        return """
            <section id="carte">
            <h2>Carte des zones d'emploi</h2>
            <figure>
            \(drawing)
            <figcaption>
            <div class="legende">
            <h3>Légende</h3>
            <p>\(indicator.title(thresholdKm: r.thresholdKm))</p>
            <ul>
            \(classes)<li><span class="pastille" style="background:\(MapIndicator.noData)"></span>sans objet</li>
            </ul>
            <p>Chaque zone de la carte mène à son détail. Les mêmes valeurs, zone par zone, figurent dans le \
            <a href="#classement">classement des zones</a>.</p>
            </div>
            </figcaption>
            </figure>
            </section>

            """
    }

    static func ranking(_ r: CoverageReport) -> HTML {
        let byCode = Dictionary(r.zones.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let rows = r.ranking.compactMap { byCode[$0] }.html { z -> HTML in
            let cells: [HTML] = [
                num(Double(z.rank), French.integer(z.rank)),
                "<td><a href=\"#ze-\(z.code.rawValue)\">\(z.code.rawValue)</a></td><td>\(z.name)</td><td>\(regionsText(z, r))</td>",
                num(Double(z.population), French.integer(z.population)), num(Double(z.places), French.integer(z.places)),
                num(z.placesPer100k, French.decimal(z.placesPer100k, 1)), num(z.meanDistanceKm, z.meanDistanceKm.map { French.decimal($0, 1) }),
                num(z.p90DistanceKm, z.p90DistanceKm.map { French.decimal($0, 1) }),
                num(z.shareBeyondThreshold, z.shareBeyondThreshold.map { French.percent($0, 1) }),
                num(z.accessibility, z.accessibility.map { French.decimal($0, 1) }),
                num(Double(z.gapCount), French.integer(z.gapCount)),
                num(Double(z.severityScore), z.worstSeverity?.label ?? "aucune"),
            ]
            return "<tr>\(cells)</tr>\n"
        }
        return """
            <section id="classement">
            <h2>Classement des zones</h2>
            <p>Les zones sont classées par score de gravité de leurs lacunes (critique 27, élevée 9, modérée 3, faible 1), \
            puis par population éloignée. Un en-tête de colonne trie le tableau (clic, ou Entrée au clavier).</p>
            <table class="triable">
            <thead><tr><th>Rang</th><th>Code</th><th>Zone d'emploi</th><th>Région</th><th>Population</th>\
            <th>Lieux</th><th>Lieux pour 100\(French.thinSpace)000 hab.</th><th>Distance moyenne (km)</th><th>Distance P90 (km)</th>\
            <th>Part au-delà du seuil</th><th>Accessibilité</th><th>Lacunes</th><th>Gravité</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            </section>

            """
    }

    static func familiesTable(_ r: CoverageReport) -> HTML {
        let national = r.national.families.html { f -> HTML in
            let cells: [HTML] = [
                "<td>\(f.family.label)</td>", num(Double(f.places), French.integer(f.places)),
                num(f.meanDistanceKm, f.meanDistanceKm.map { French.decimal($0, 1) }),
                num(f.medianDistanceKm, f.medianDistanceKm.map { French.decimal($0, 1) }),
                num(f.p90DistanceKm, f.p90DistanceKm.map { French.decimal($0, 1) }),
                num(f.shareBeyondThreshold, f.shareBeyondThreshold.map { French.percent($0, 1) }),
                num(Double(f.populationBeyondThreshold), French.integer(f.populationBeyondThreshold)),
                num(f.accessibility, f.accessibility.map { French.decimal($0, 1) }),
            ]
            return "<tr>\(cells)</tr>\n"
        }
        let headers = r.families.html { f -> HTML in "<th title=\"\(f.label)\">\(f.shortLabel)</th>" }
        let zones = r.zones.html { z -> HTML in
            let shares = r.families.html { f -> HTML in
                let s = z.family(f)?.shareBeyondThreshold
                let alert: HTML = (s ?? 0) >= r.gapShare ? " class=\"alerte\"" : ""
                return "<td\(alert) data-v=\"\(s.map { CoverageWriter.num($0, 4) } ?? "")\">\(s.map { French.percent($0) } ?? "—")</td>"
            }
            return "<tr><td>\(z.code.rawValue)</td><td>\(z.name)</td>\(shares)</tr>\n"
        }
        return """
            <section id="familles">
            <h2>Distances et accessibilité par service et par public</h2>
            <h3>Ensemble du territoire</h3>
            <table class="triable">
            <thead><tr><th>Famille</th><th>Lieux</th><th>Distance moyenne (km)</th>\
            <th>Médiane (km)</th><th>P90 (km)</th><th>Part au-delà du seuil</th><th>Population au-delà</th>\
            <th>Accessibilité (h/semaine pour 10\(French.thinSpace)000 hab.)</th></tr></thead>
            <tbody>
            \(national)</tbody>
            </table>
            <h3>Part de la population au-delà du seuil, par zone</h3>
            <table class="triable compacte">
            <thead><tr><th>Code</th><th>Zone d'emploi</th>\(headers)</tr></thead>
            <tbody>
            \(zones)</tbody>
            </table>
            </section>

            """
    }

    static func gaps(_ r: CoverageReport) -> HTML {
        guard !r.gaps.isEmpty else {
            return "<section id=\"lacunes\">\n<h2>Lacunes</h2>\n<p>Aucune lacune détectée.</p>\n</section>\n"
        }
        let rank = Dictionary(r.zones.map { ($0.code, $0.rank) }, uniquingKeysWith: { a, _ in a })
        let rows = r.gaps.html { g -> HTML in
            let rk = rank[g.zone] ?? 0
            return "<tr>\(num(Double(rk), French.integer(rk)))<td><a href=\"#ze-\(g.zone.rawValue)\">\(g.zoneName) (\(g.zone.rawValue))</a></td>"
                + "<td>\(g.kind.label)</td><td>\(g.family.map(\.label) ?? "")</td>"
                + "\(num(Double(g.severity.rawValue), g.severity.label, cls: "gravite-\(g.severity.rawValue)"))<td>\(g.message)</td></tr>\n"
        }
        return """
            <section id="lacunes">
            <h2>Lacunes</h2>
            <table class="triable">
            <thead><tr><th>Rang de la zone</th><th>Zone d'emploi</th><th>Type</th><th>Service ou public</th>\
            <th>Gravité</th><th>Explication</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            </section>

            """
    }

    static func regions(_ r: CoverageReport, _ history: CoverageHistory? = nil, scorecards: ScorecardLinks? = nil) -> HTML {
        let byCode = Dictionary(r.zones.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let sections = r.regions.html { reg -> HTML in
            let t = reg.totals, o = t.families.first
            let rows = reg.zones.sorted(by: { (byCode[$0]?.rank ?? 0) < (byCode[$1]?.rank ?? 0) }).compactMap { byCode[$0] }.html { z -> HTML in
                let straddle = z.straddlesRegions
                    ? "oui, avec " + z.regions.filter { $0 != reg.code }.map { c in r.regions.first { $0.code == c }?.name ?? c.rawValue }.joined(separator: ", ")
                    : ""
                let straddleClass: HTML = straddle.isEmpty ? "" : " class=\"cheval\""
                let cells: [HTML] = [
                    num(Double(z.rank), French.integer(z.rank)),
                    "<td><a href=\"#ze-\(z.code.rawValue)\">\(z.code.rawValue)</a></td><td>\(z.name)</td><td\(straddleClass)>\(straddle)</td>",
                    num(Double(z.population), French.integer(z.population)), num(Double(z.places), French.integer(z.places)),
                    num(z.meanDistanceKm, z.meanDistanceKm.map { French.decimal($0, 1) }),
                    num(z.shareBeyondThreshold, z.shareBeyondThreshold.map { French.percent($0, 1) }),
                    num(z.accessibility, z.accessibility.map { French.decimal($0, 1) }),
                    num(Double(z.gapCount), French.integer(z.gapCount)),
                    num(Double(z.severityScore), z.worstSeverity?.label ?? "aucune"),
                ]
                return "<tr>\(cells)</tr>\n"
            }
            let share = o?.shareBeyondThreshold.map { French.percent($0, 1) } ?? "—"
            let accessibility = t.accessibility.map { French.decimal($0, 1) } ?? "—"
            return """
                <section class="region" id="reg-\(reg.code.rawValue)">
                <h3>\(reg.name) (\(reg.code.rawValue))</h3>
                \(scorecards.map { links -> HTML in "<p><a href=\"\(links.href(reg.code))\">Tableau de bord de la région \(reg.name)</a> : référencement, fraîcheur des données, moisson et indicateurs de qualité.</p>" } ?? HTML())
                <p>\(French.integer(t.population)) habitants ; \(French.plural(t.places, "lieu", "lieux")), \
                \(French.plural(t.structures, "structure", "structures")), \(French.plural(t.lieuxMutualises, "lieu mutualisé", "lieux mutualisés")), \
                \(French.plural(t.networks.count, "réseau", "réseaux")). Distance moyenne \(French.km(o?.meanDistanceKm)), \
                \(share) de la population au-delà du seuil ; \
                accessibilité \(accessibility) h/semaine pour 10\(French.thinSpace)000 hab. ; \
                \(French.plural(t.gapsByKind.values.reduce(0, +), "lacune", "lacunes")) dans ses \(French.plural(reg.zones.count, "zone", "zones")).</p>
                <table class="triable">
                <thead><tr><th>Rang</th><th>Code</th><th>Zone d'emploi</th><th>À cheval</th><th>Population</th><th>Lieux</th>\
                <th>Distance moyenne (km)</th><th>Part au-delà du seuil</th><th>Accessibilité</th><th>Lacunes</th><th>Gravité</th></tr></thead>
                <tbody>
                \(rows)</tbody>
                </table>
                \(history.map { h in trend(h.regions[reg.code] ?? [], runs: h.runs, of: "la région \(reg.name)") } ?? HTML())</section>

                """
        }
        return """
            <section id="regions">
            <h2>Par région</h2>
            <p>Chaque région compte ses propres communes et les lieux qu'elle publie. Une zone d'emploi à cheval sur deux régions \
            figure dans les deux, signalée comme telle.</p>
            \(sections)</section>

            """
    }

    static func zones(_ r: CoverageReport, _ history: CoverageHistory? = nil) -> HTML {
        let gapsByZone = Dictionary(grouping: r.gaps, by: \.zone)
        let details = r.zones.html { z -> HTML in
            let communes: HTML
            if z.worstServed.isEmpty {
                communes = "<p>Toutes les communes ont un lieu d'accueil sur place.</p>\n"
            } else {
                let rows = z.worstServed.html { c -> HTML in
                    "<tr><td>\(c.name) (\(c.code.rawValue))</td><td>\(French.integer(c.population))</td><td>\(French.km(c.distanceKm))</td></tr>\n"
                }
                communes = "<table><thead><tr><th>Commune</th><th>Population</th><th>Distance au lieu le plus proche</th></tr></thead><tbody>\n\(rows)</tbody></table>\n"
            }
            let gaps: HTML? = gapsByZone[z.code].map { gs in
                "<ul>\n\(gs.html { g -> HTML in "<li><strong>\(g.severity.label)</strong> — \(g.message)</li>\n" })</ul>\n"
            }
            let evolution: HTML = history.map { h in
                trend(h.zones[z.code] ?? [], runs: h.runs, of: "la zone \(z.name)") + causesList(h.causes(in: z.code), history: h)
            } ?? HTML()
            return "<details id=\"ze-\(z.code.rawValue)\"><summary>\(z.name) (\(z.code.rawValue)) — rang \(z.rank), "
                + "\(French.plural(z.gapCount, "lacune", "lacunes"))</summary>\n\(communes)\(gaps)\(evolution)</details>\n"
        }
        return """
            <section id="zones">
            <h2>Zones et communes les moins bien desservies</h2>
            <p>Pour chaque zone, les communes où le plus d'habitants vivent loin d'un lieu d'accueil : classées par \
            distance au lieu le plus proche multipliée par la population.</p>
            \(details)</section>

            """
    }

    static func method(_ r: CoverageReport) -> HTML {
        let bands = r.accessibilityParameters.bands
        var lower = 0.0
        let bandText = bands.map { b -> String in
            defer { lower = b.upToKm }
            return "\(French.decimal(lower, 0)) à \(French.decimal(b.upToKm, 0))\(French.thinSpace)km : \(French.decimal(b.weight, 2))"
        }.joined(separator: " ; ")
        return """
            <section id="methode">
            <h2>Méthode</h2>
            <p>Les distances sont mesurées à vol d'oiseau depuis le centre de chaque commune (arrondissement pour Paris, Lyon et Marseille)
            jusqu'au lieu d'accueil le plus proche, pour l'ensemble des lieux, pour chaque mission et pour chaque public. Les moyennes,
            médianes et 90es centiles sont pondérés par la population municipale.</p>
            <p>L'accessibilité suit la méthode à deux étapes des aires flottantes (E2SFCA) : chaque lieu offre ses heures d'ouverture
            hebdomadaires, partagées entre les habitants de sa zone de chalandise pondérés par la distance ; chaque commune additionne
            ensuite ce que lui offrent les lieux à sa portée, pondérés de même. Pondération : \(bandText) ; au-delà, 0.
            Le résultat est exprimé en heures d'ouverture par semaine pour 10\(French.thinSpace)000 habitants.</p>
            <p>Règle des « deux portes » : un lieu de premier niveau (CEP niveau 1) qui reçoit des jeunes, des demandeurs d'emploi,
            des salariés ou des cadres doit trouver, dans la même zone, un lieu de conseil personnalisé (CEP niveau 2) pour ce public.</p>
            <p>Sources : INSEE (COG, populations légales, zonage en zones d'emploi 2020), IGN Admin Express — Licence Ouverte 2.0 ;
            lieux : annuaire national moissonné auprès des régions.</p>
            </section>

            """
    }

    // MARK: - Helpers

    /// The zone's Région codes, and a mark when it spans two.
    static func regionsText(_ z: ZoneCoverage, _ r: CoverageReport) -> HTML {
        let straddles: HTML = z.straddlesRegions ? " <span class=\"cheval\">(à cheval)</span>" : ""
        return "\(z.regions.map(\.rawValue).joined(separator: ", "))\(straddles)"
    }

    /// A numeric cell: sorted by `data-v`, shown as `text`.
    static func num(_ v: Double?, _ text: String?, cls: String? = nil) -> HTML {
        "<td class=\"n\(cls.map { " " + $0 } ?? "")\" data-v=\"\(v.map { String($0) } ?? "")\">\(text ?? "—")</td>"
    }

    /// "2026-03-01T10:00:00Z" → "1er mars 2026".
    static func frenchDate(_ iso: String) -> String {
        let months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
        let p = iso.prefix(10).split(separator: "-").compactMap { Int($0) }
        guard p.count == 3, (1...12).contains(p[1]) else { return iso }
        return (p[2] == 1 ? "1er" : String(p[2])) + " " + months[p[1] - 1] + " " + String(p[0])
    }

    static let style: HTML = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1200px;padding:0 1rem 3rem;color:#222;line-height:1.4}
        h1{font-size:1.6rem}h2{border-bottom:2px solid #000091;padding-bottom:.2rem;margin-top:2.5rem}
        nav a{color:#000091}
        dl.chiffres{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dl.chiffres dt{font-weight:600}dl.chiffres dd{margin:0}
        figure{margin:0;display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}
        svg.carte{flex:1 1 520px;max-width:760px;height:auto;background:#f4f7fb}figcaption{flex:0 1 280px}
        svg.carte path{stroke:#fff;stroke-width:.4;fill-rule:evenodd}svg.carte a:hover path{stroke:#000;stroke-width:1.2}
        svg.carte .encart{fill:none;stroke:#999;stroke-width:.6}svg.carte .encart-nom{font-size:10px;fill:#333}
        .legende ul{list-style:none;padding:0}.legende li{margin:.2rem 0}
        .pastille{display:inline-block;width:1.2em;height:1em;margin-right:.4em;vertical-align:middle;border:1px solid #888}
        table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}
        th,td{border:1px solid #ccc;padding:.2rem .4rem;text-align:left;vertical-align:top}
        td.n{text-align:right;white-space:nowrap}th{background:#eef;position:sticky;top:0}
        table.triable th button{font:inherit;font-weight:700;color:inherit;background:none;border:0;padding:0;text-align:left;cursor:pointer}
        :focus-visible{outline:3px solid #000091;outline-offset:2px}th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
        table.compacte{font-size:.8rem}td.alerte{background:#fdd}
        .cheval{color:#8a4b00}.gravite-4{background:#f4c7c3}.gravite-3{background:#fde0c5}.gravite-2{background:#fff3c4}
        details{margin:.3rem 0}summary{cursor:pointer}.note{font-style:italic}
        table.serie{font-size:.8rem}table.serie caption{text-align:left;font-weight:600;padding:.2rem 0}td.courbe{padding:0 .3rem;vertical-align:middle}
        svg.tendance polyline{fill:none;stroke:#000091;stroke-width:1.5}svg.tendance circle{fill:#000091}
        .causes ul,.zones-evolution ul{margin:.2rem 0}caption{text-align:left;font-weight:600}
        @page{margin:1.5cm}
        @media print{
        body{max-width:none;font-size:10pt;padding:0}nav,table.triable th button::after{display:none}
        th{position:static;background:#eee}a{color:inherit;text-decoration:none}
        details::details-content{content-visibility:visible;display:contents}summary{list-style:none;font-weight:600}
        h2{break-after:avoid-page}tr,figure,.evolution,dl.chiffres{break-inside:avoid-page}
        svg.carte{max-width:100%;background:none}section{break-inside:auto}
        }
        """

    static let script: HTML = """
        // Printing opens every zone's details (browsers without ::details-content print them closed otherwise).
        window.addEventListener('beforeprint', function () {
          document.querySelectorAll('details').forEach(function (d) { d.open = true; });
        });
        document.querySelectorAll('table.triable').forEach(function (t) {
          t.querySelectorAll('thead th').forEach(function (th, i) {
            // Each header becomes a button: reached by Tab, pressed with Enter or Space, its state read
            // out from the header's aria-sort.
            var button = document.createElement('button');
            button.type = 'button';
            while (th.firstChild) button.appendChild(th.firstChild);
            th.appendChild(button);
            function sort() {
              var asc = th.getAttribute('aria-sort') !== 'ascending';
              t.querySelectorAll('thead th').forEach(function (x) { x.removeAttribute('aria-sort'); });
              th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
              var body = t.tBodies[0], rows = Array.prototype.slice.call(body.rows);
              rows.sort(function (a, b) {
                var x = a.cells[i], y = b.cells[i], r;
                var vx = x.getAttribute('data-v'), vy = y.getAttribute('data-v');
                if (vx !== null && vy !== null) {
                  var px = parseFloat(vx), py = parseFloat(vy);
                  if (isNaN(px)) px = -Infinity;
                  if (isNaN(py)) py = -Infinity;
                  r = px < py ? -1 : px > py ? 1 : 0;
                } else {
                  r = x.textContent.localeCompare(y.textContent, 'fr');
                }
                return asc ? r : -r;
              });
              rows.forEach(function (row) { body.appendChild(row); });
            }
            button.addEventListener('click', sort);
          });
        });
        """
}
