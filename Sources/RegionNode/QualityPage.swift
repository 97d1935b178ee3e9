import Directory
import Foundation

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

    var html: String {
        let shown = records.filter(filter.admits)
        let pages = max(1, (shown.count + Self.pageSize - 1) / Self.pageSize)
        let current = min(max(1, page), pages)
        let slice = shown.dropFirst((current - 1) * Self.pageSize).prefix(Self.pageSize)
        var out = TeamPageLayout.head(title: "Qualité des données — \(regionName)")
        out += "<header><h1>Qualité des données</h1><p>\(htmlEscaped(regionName)) · connecté en tant que <strong>\(htmlEscaped(actor.name))</strong> ("
        out += actor.role == .admin ? "équipe SPRO de la Région" : "éditeur de la structure \(htmlEscaped(actor.structureId ?? ""))"
        out += ")</p><form method=\"post\" action=\"/equipe/deconnexion\"><input type=\"hidden\" name=\"csrf\" value=\"\(htmlEscaped(csrfToken))\"><button type=\"submit\">Se déconnecter</button></form></header><main>"
        if let confirmed {
            out += "<p class=\"ok\" role=\"status\">La fiche \(htmlEscaped(confirmed)) est confirmée à jour.</p>"
        }
        out += summary()
        out += criteria()
        out += filters()
        out += "<h2 id=\"fiches\">Fiches, les plus urgentes d'abord</h2>"
        if shown.isEmpty {
            out += "<p>Aucune fiche ne correspond à ce filtre.</p>"
        } else {
            out += "<p>\(shown.count) fiche\(shown.count > 1 ? "s" : "")"
            if pages > 1 { out += ", page \(current) sur \(pages)" }
            out += ". Le score est la part des critères de qualité remplis ; une fiche se confirme quand elle est exacte telle quelle.</p>"
            out += table(slice)
            if pages > 1 { out += pager(current: current, pages: pages) }
        }
        out += "</main></body></html>"
        return out
    }

    private func summary() -> String {
        var counts: [Freshness: Int] = [:]
        for r in records { counts[r.freshness, default: 0] += 1 }
        let mean = records.isEmpty ? 1 : records.reduce(0) { $0 + $1.score } / Double(records.count)
        var out = "<section aria-labelledby=\"synthese\"><h2 id=\"synthese\">Synthèse</h2><dl class=\"summary\">"
        out += "<div><dt>Fiches</dt><dd>\(records.count)</dd></div>"
        for f in [Freshness.fresh, .updateNeeded, .updateRequired] {
            out += "<div class=\"\(f.rawValue)\"><dt>\(Self.label(f))</dt><dd>\(counts[f] ?? 0)</dd></div>"
        }
        out += "<div><dt>Score moyen</dt><dd>\(Self.percent(mean))</dd></div></dl>"
        out += "<p>Une fiche doit être confirmée tous les \(Freshness.updateNeededAfterDays) jours ; au-delà de \(Freshness.updateRequiredAfterDays) jours, la mise à jour est requise.</p></section>"
        return out
    }

    /// Per criterion, the share of records that meet it.
    private func criteria() -> String {
        var order: [String] = []
        var tally: [String: (label: String, kind: RecordKind, passed: Int, total: Int)] = [:]
        for r in records {
            for c in r.checks {
                if tally[c.id] == nil { order.append(c.id); tally[c.id] = (c.label, r.kind, 0, 0) }
                tally[c.id]!.total += 1
                if c.passed { tally[c.id]!.passed += 1 }
            }
        }
        guard !order.isEmpty else { return "" }
        var out = "<section aria-labelledby=\"criteres\"><h2 id=\"criteres\">Score par critère</h2><table><thead><tr>"
        out += "<th scope=\"col\">Critère</th><th scope=\"col\">Fiches qui le remplissent</th><th scope=\"col\">Part</th></tr></thead><tbody>"
        let rank = Dictionary(uniqueKeysWithValues: RecordKind.allCases.enumerated().map { ($1, $0) })
        for id in order.sorted(by: { (rank[tally[$0]!.kind]!, $0) < (rank[tally[$1]!.kind]!, $1) }) {
            let t = tally[id]!
            out += "<tr><th scope=\"row\">\(htmlEscaped(t.label)) <small>(\(Self.plural(t.kind)))</small></th>"
            out += "<td>\(t.passed) / \(t.total)</td><td>\(Self.percent(Double(t.passed) / Double(max(t.total, 1))))</td></tr>"
        }
        return out + "</tbody></table></section>"
    }

    private func filters() -> String {
        var out = "<nav aria-label=\"Filtres\"><ul class=\"filters\">"
        let choices: [(String, Filter)] = [("Toutes les fiches", Filter())]
            + [Freshness.updateRequired, .updateNeeded, .fresh].map { (Self.label($0), Filter(freshness: $0, kind: filter.kind)) }
            + RecordKind.allCases.map { ("Seulement les \(Self.plural($0))", Filter(freshness: filter.freshness, kind: $0)) }
        for (label, f) in choices {
            let current = f == filter ? " aria-current=\"page\"" : ""
            out += "<li><a href=\"/equipe/qualite\(f.query())#fiches\"\(current)>\(htmlEscaped(label))</a></li>"
        }
        return out + "</ul></nav>"
    }

    private func table(_ rows: ArraySlice<RecordQuality>) -> String {
        var out = "<table class=\"records\"><thead><tr><th scope=\"col\">Fiche</th><th scope=\"col\">Type</th><th scope=\"col\">Structure</th>"
        out += "<th scope=\"col\">Dernière confirmation</th><th scope=\"col\">État</th><th scope=\"col\">Score</th>"
        out += "<th scope=\"col\">À compléter</th><th scope=\"col\"><span class=\"sr\">Action</span></th></tr></thead><tbody>"
        for r in rows {
            let missing = r.checks.filter { !$0.passed }.map(\.label)
            out += "<tr id=\"\(htmlEscaped(r.kind.rawValue))-\(htmlEscaped(r.id))\"><th scope=\"row\">\(htmlEscaped(r.name))<br><small>\(htmlEscaped(r.id))</small></th>"
            out += "<td>\(Self.label(r.kind))</td><td>\(htmlEscaped(r.structureId))</td>"
            out += "<td>\(Self.frenchDate(r.lastConfirmed)) <small>(il y a \(r.daysSinceConfirmed) j)</small></td>"
            out += "<td class=\"\(r.freshness.rawValue)\">\(Self.label(r.freshness))</td><td>\(Self.percent(r.score))</td>"
            out += "<td>\(missing.isEmpty ? "—" : htmlEscaped(missing.joined(separator: ", ")))</td>"
            out += "<td><form method=\"post\" action=\"/equipe/confirmer\"><input type=\"hidden\" name=\"csrf\" value=\"\(htmlEscaped(csrfToken))\"><input type=\"hidden\" name=\"type\" value=\"\(r.kind.rawValue)\">"
            out += "<input type=\"hidden\" name=\"id\" value=\"\(htmlEscaped(r.id))\"><input type=\"hidden\" name=\"retour\" value=\"\(htmlEscaped(filter.query(page: page)))\">"
            out += "<button type=\"submit\" aria-label=\"Confirmer la fiche \(htmlEscaped(r.name))\">Confirmer</button></form></td></tr>"
        }
        return out + "</tbody></table>"
    }

    private func pager(current: Int, pages: Int) -> String {
        var out = "<nav aria-label=\"Pages\"><ul class=\"filters\">"
        for p in 1...pages {
            out += p == current ? "<li><a aria-current=\"page\" href=\"/equipe/qualite\(filter.query(page: p))#fiches\">\(p)</a></li>"
                                : "<li><a href=\"/equipe/qualite\(filter.query(page: p))#fiches\">\(p)</a></li>"
        }
        return out + "</ul></nav>"
    }

    static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded())) %" }

    /// "2026-03-05T..." as "05/03/2026".
    static func frenchDate(_ instant: String) -> String {
        let day = instant.prefix(10).split(separator: "-")
        return day.count == 3 ? "\(day[2])/\(day[1])/\(day[0])" : htmlEscaped(instant)
    }
}

/// The sign-in page of the team's pages: the node's admin API token, kept in a session cookie.
struct SignInPage {
    let regionName: String
    let error: String?

    var html: String {
        var out = TeamPageLayout.head(title: "Connexion — \(regionName)")
        out += "<header><h1>Espace de l'équipe SPRO</h1><p>\(htmlEscaped(regionName))</p></header><main>"
        if let error { out += "<p class=\"error\" role=\"alert\">\(htmlEscaped(error))</p>" }
        out += "<form method=\"post\" action=\"/equipe/connexion\" class=\"signin\">"
        out += "<label for=\"jeton\">Jeton d'accès</label>"
        out += "<input id=\"jeton\" name=\"jeton\" type=\"password\" autocomplete=\"current-password\" required>"
        out += "<p class=\"hint\">Le jeton est remis par l'administrateur du nœud (<code>spro node token</code>). "
        out += "Une structure ne voit que ses propres fiches.</p><button type=\"submit\">Se connecter</button></form></main></body></html>"
        return out
    }
}

/// A short message page (refusal, error), with a way back.
struct MessagePage {
    let title: String
    let message: String

    var html: String {
        TeamPageLayout.head(title: title) + "<main><h1>\(htmlEscaped(title))</h1><p role=\"alert\">\(htmlEscaped(message))</p>"
            + "<p><a href=\"/equipe/qualite\">Retour à la qualité des données</a></p></main></body></html>"
    }
}

/// The head and style every team page shares: readable contrast, visible focus, narrow screens.
enum TeamPageLayout {
    static func head(title: String) -> String {
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + "<title>\(htmlEscaped(title))</title><style>\(style)</style></head><body>"
    }

    static let style = """
    body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fff;line-height:1.4}
    header,main{padding:0 1rem;max-width:80rem;margin:auto}header{border-bottom:2px solid #000091}
    h1{color:#000091}table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
    thead th{background:#eef}.a_jour{color:#18753c}.mise_a_jour_a_prevoir{color:#8a4b00}.mise_a_jour_requise{color:#ce0500;font-weight:bold}
    .summary{display:flex;flex-wrap:wrap;gap:1rem}.summary div{border:1px solid #ccc;padding:.5rem 1rem}.summary dd{margin:0;font-size:1.5rem}
    .filters{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem}.filters a{padding:.2rem .5rem;border:1px solid #000091;color:#000091}
    .filters a[aria-current]{background:#000091;color:#fff}button{background:#000091;color:#fff;border:0;padding:.4rem .8rem;cursor:pointer}
    :focus-visible{outline:3px solid #0a76f6;outline-offset:2px}.ok{background:#b8fec9;padding:.5rem}.error{background:#ffe9e9;color:#ce0500;padding:.5rem}
    .signin{display:flex;flex-direction:column;gap:.5rem;max-width:24rem}.signin input{padding:.4rem;font-size:1rem}.hint{color:#3a3a3a}
    .sr{position:absolute;left:-9999px}small{color:#3a3a3a}
    @media (max-width:40rem){.records thead{display:none}.records tr,.records th,.records td{display:block;border:0}.records tr{border-bottom:1px solid #ccc;padding:.5rem 0}}
    """
}
