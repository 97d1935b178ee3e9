import Directory
import Foundation
import SafeHTML

/// The Région team's page of data freshness and quality (`/equipe/qualite`), in French, without
/// scripts: the most urgent records first, each with what it lacks and a button to confirm it.
struct QualityPage {
    /// How many records one page lists; the rest are reached page by page.
    static let pageSize = 200

    let regionName: String
    let actor: Principal
    let records: [RecordQuality]
    let filter: Filter
    let page: Int
    /// The record just confirmed, to say so at the top.
    let confirmed: String?
    /// The session's CSRF token, sent back by every form of the page.
    let csrfToken: String

    /// Which records the page lists.
    struct Filter: Equatable {
        var freshness: Freshness?
        var kind: RecordKind?

        init(freshness: Freshness? = nil, kind: RecordKind? = nil) {
            self.freshness = freshness
            self.kind = kind
        }

        /// Reads `fraicheur` and `type` from a query; unknown values list everything rather than nothing.
        init(query: [String: String]) {
            freshness = query["fraicheur"].flatMap(Freshness.init(rawValue:))
            kind = query["type"].flatMap(RecordKind.init(rawValue:))
        }

        func admits(_ r: RecordQuality) -> Bool {
            (freshness == nil || r.freshness == freshness) && (kind == nil || r.kind == kind)
        }

        func query(page: Int = 1) -> String {
            var items: [String] = []
            if let freshness { items.append("fraicheur=\(freshness.rawValue)") }
            if let kind { items.append("type=\(kind.rawValue)") }
            if page > 1 { items.append("page=\(page)") }
            return items.isEmpty ? "" : "?" + items.joined(separator: "&")
        }
    }

    static func label(_ f: Freshness) -> String {
        switch f {
        case .fresh: "À jour"
        case .updateNeeded: "Mise à jour à prévoir"
        case .updateRequired: "Mise à jour requise"
        }
    }

    static func label(_ k: RecordKind) -> String {
        switch k {
        case .structure: "Structure"
        case .place: "Lieu d'accueil"
        case .channel: "Canal à distance"
        }
    }

    /// The plural, for the filters and the per-criterion table.
    static func plural(_ k: RecordKind) -> String {
        switch k {
        case .structure: "structures"
        case .place: "lieux"
        case .channel: "canaux"
        }
    }

    var html: String { document.rendered }

    /// The page as markup: names, ids and labels from the store go in as escaped text.
    var document: HTML {
        let shown = records.filter(filter.admits)
        let pages = max(1, (shown.count + Self.pageSize - 1) / Self.pageSize)
        let current = min(max(1, page), pages)
        let slice = shown.dropFirst((current - 1) * Self.pageSize).prefix(Self.pageSize)
        let notice: HTML? = confirmed.map { "<p class=\"ok\" role=\"status\">La fiche \($0) est confirmée à jour.</p>" }
        let list: HTML
        if shown.isEmpty {
            list = "<p>Aucune fiche ne correspond à ce filtre.</p>"
        } else {
            let pageOf: HTML = pages > 1 ? ", page \(current) sur \(pages)" : ""
            list = "<p>\(shown.count) fiche\(shown.count > 1 ? "s" : "")\(pageOf)"
                + ". Le score est la part des critères de qualité remplis ; une fiche se confirme quand elle est exacte telle quelle.</p>"
                + table(slice) + (pages > 1 ? pager(current: current, pages: pages) : HTML())
        }
        return TeamPageLayout.chrome(title: "Qualité des données", regionName: regionName, actor: actor, csrfToken: csrfToken, current: .quality)
            + "\(notice)\(summary())\(criteria())\(filters())<h2 id=\"fiches\">Fiches, les plus urgentes d'abord</h2>\(list)</main></body></html>"
    }

    private func summary() -> HTML {
        var counts: [Freshness: Int] = [:]
        for r in records { counts[r.freshness, default: 0] += 1 }
        let mean = records.isEmpty ? 1 : records.reduce(0) { $0 + $1.score } / Double(records.count)
        let byFreshness = [Freshness.fresh, .updateNeeded, .updateRequired].html { f -> HTML in
            "<div class=\"\(f.rawValue)\"><dt>\(Self.label(f))</dt><dd>\(counts[f] ?? 0)</dd></div>"
        }
        return "<section aria-labelledby=\"synthese\"><h2 id=\"synthese\">Synthèse</h2><dl class=\"summary\">"
            + "<div><dt>Fiches</dt><dd>\(records.count)</dd></div>\(byFreshness)"
            + "<div><dt>Score moyen</dt><dd>\(Self.percent(mean))</dd></div></dl>"
            + "<p>Une fiche doit être confirmée tous les \(Freshness.updateNeededAfterDays) jours ; au-delà de \(Freshness.updateRequiredAfterDays) jours, la mise à jour est requise.</p></section>"
    }

    /// Per criterion, the share of records that meet it.
    private func criteria() -> HTML? {
        var order: [String] = []
        var tally: [String: (label: String, kind: RecordKind, passed: Int, total: Int)] = [:]
        for r in records {
            for c in r.checks {
                if tally[c.id] == nil { order.append(c.id); tally[c.id] = (c.label, r.kind, 0, 0) }
                tally[c.id]!.total += 1
                if c.passed { tally[c.id]!.passed += 1 }
            }
        }
        guard !order.isEmpty else { return nil }
        let rank = Dictionary(uniqueKeysWithValues: RecordKind.allCases.enumerated().map { ($1, $0) })
        let rows = order.sorted(by: { (rank[tally[$0]!.kind]!, $0) < (rank[tally[$1]!.kind]!, $1) }).html { id -> HTML in
            let t = tally[id]!
            return "<tr><th scope=\"row\">\(t.label) <small>(\(Self.plural(t.kind)))</small></th>"
                + "<td>\(t.passed) / \(t.total)</td><td>\(Self.percent(Double(t.passed) / Double(max(t.total, 1))))</td></tr>"
        }
        return "<section aria-labelledby=\"criteres\"><h2 id=\"criteres\">Score par critère</h2><table><thead><tr>"
            + "<th scope=\"col\">Critère</th><th scope=\"col\">Fiches qui le remplissent</th><th scope=\"col\">Part</th></tr></thead><tbody>"
            + "\(rows)</tbody></table></section>"
    }

    private func filters() -> HTML {
        let choices: [(String, Filter)] = [("Toutes les fiches", Filter())]
            + [Freshness.updateRequired, .updateNeeded, .fresh].map { (Self.label($0), Filter(freshness: $0, kind: filter.kind)) }
            + RecordKind.allCases.map { ("Seulement les \(Self.plural($0))", Filter(freshness: filter.freshness, kind: $0)) }
        let items = choices.html { label, f -> HTML in
            let current: HTML = f == filter ? " aria-current=\"page\"" : ""
            return "<li><a href=\"/equipe/qualite\(f.query())#fiches\"\(current)>\(label)</a></li>"
        }
        return "<nav aria-label=\"Filtres\"><ul class=\"filters\">\(items)</ul></nav>"
    }

    private func table(_ rows: ArraySlice<RecordQuality>) -> HTML {
        let body = rows.html { r -> HTML in
            let missing = r.checks.filter { !$0.passed }.map(\.label)
            return "<tr id=\"\(r.kind.rawValue)-\(r.id)\"><th scope=\"row\">\(r.name)<br><small>\(r.id)</small></th>"
                + "<td>\(Self.label(r.kind))</td><td>\(r.structureId)</td>"
                + "<td>\(Self.frenchDate(r.lastConfirmed)) <small>(il y a \(r.daysSinceConfirmed) j)</small></td>"
                + "<td class=\"\(r.freshness.rawValue)\">\(Self.label(r.freshness))</td><td>\(Self.percent(r.score))</td>"
                + "<td>\(missing.isEmpty ? "—" : missing.joined(separator: ", "))</td>"
                + "<td><form method=\"post\" action=\"/equipe/confirmer\"><input type=\"hidden\" name=\"csrf\" value=\"\(csrfToken)\"><input type=\"hidden\" name=\"type\" value=\"\(r.kind.rawValue)\">"
                + "<input type=\"hidden\" name=\"id\" value=\"\(r.id)\"><input type=\"hidden\" name=\"retour\" value=\"\(filter.query(page: page))\">"
                + "<button type=\"submit\" aria-label=\"Confirmer la fiche \(r.name)\">Confirmer</button></form></td></tr>"
        }
        return "<table class=\"records\"><thead><tr><th scope=\"col\">Fiche</th><th scope=\"col\">Type</th><th scope=\"col\">Structure</th>"
            + "<th scope=\"col\">Dernière confirmation</th><th scope=\"col\">État</th><th scope=\"col\">Score</th>"
            + "<th scope=\"col\">À compléter</th><th scope=\"col\"><span class=\"sr\">Action</span></th></tr></thead><tbody>"
            + "\(body)</tbody></table>"
    }

    private func pager(current: Int, pages: Int) -> HTML {
        let items = (1...pages).html { p -> HTML in
            let here: HTML = p == current ? " aria-current=\"page\"" : ""
            return "<li><a\(here) href=\"/equipe/qualite\(filter.query(page: p))#fiches\">\(p)</a></li>"
        }
        return "<nav aria-label=\"Pages\"><ul class=\"filters\">\(items)</ul></nav>"
    }

    static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded())) %" }

    /// "2026-03-05T..." as "05/03/2026".
    static func frenchDate(_ instant: String) -> String {
        let day = instant.prefix(10).split(separator: "-")
        return day.count == 3 ? "\(day[2])/\(day[1])/\(day[0])" : instant
    }
}

/// The sign-in page of the team's pages: the node's admin API token, kept in a session cookie.
struct SignInPage {
    let regionName: String
    let error: String?
    /// The page to go back to once signed in.
    var back: String? = nil

    var html: String { document.rendered }

    var document: HTML {
        let alert: HTML? = error.map { "<p class=\"error\" role=\"alert\">\($0)</p>" }
        return TeamPageLayout.head(title: "Connexion — \(regionName)")
            + "<header><h1>Espace de l'équipe SPRO</h1><p>\(regionName)</p></header><main>\(alert)"
            + "<form method=\"post\" action=\"/equipe/connexion\" class=\"signin\">"
            + "<label for=\"jeton\">Jeton d'accès</label>"
            + "<input id=\"jeton\" name=\"jeton\" type=\"password\" autocomplete=\"current-password\" required>"
            + (back.map { "<input type=\"hidden\" name=\"retour\" value=\"\($0)\">" } ?? HTML())
            + "<p class=\"hint\">Le jeton est remis par l'administrateur du nœud (<code>spro node token</code>). "
            + "Une structure ne voit que ses propres fiches.</p><button type=\"submit\">Se connecter</button></form></main></body></html>"
    }
}

/// A short message page (refusal, error), with a way back.
struct MessagePage {
    let title: String
    let message: String

    var html: String { document.rendered }

    var document: HTML {
        TeamPageLayout.head(title: title) + "<main><h1>\(title)</h1><p role=\"alert\">\(message)</p>"
            + "<p><a href=\"/equipe/\">Retour au tableau de bord</a></p></main></body></html>"
    }
}
