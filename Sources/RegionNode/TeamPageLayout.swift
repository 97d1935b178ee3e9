import SafeHTML

/// The head and style every team page shares: readable contrast, visible focus, narrow screens.
enum TeamPageLayout {
    /// The sections of the team's pages, in the order the navigation lists them.
    enum Section: CaseIterable {
        case dashboard, applications, structures, places, channels, edits, indicators, charters, imports, quality

        var path: String {
            switch self {
            case .dashboard: "/equipe/"
            case .applications: "/equipe/candidatures"
            case .structures: "/equipe/structures"
            case .places: "/equipe/lieux"
            case .channels: "/equipe/canaux"
            case .edits: "/equipe/modifications"
            case .indicators: "/equipe/indicateurs"
            case .charters: "/equipe/cahiers-des-charges"
            case .imports: "/equipe/import"
            case .quality: "/equipe/qualite"
            }
        }

        var label: String {
            switch self {
            case .dashboard: "Tableau de bord"
            case .applications: "Candidatures"
            case .structures: "Structures"
            case .places: "Lieux d'accueil"
            case .channels: "Canaux à distance"
            case .edits: "Modifications proposées"
            case .indicators: "Indicateurs"
            case .charters: "Cahiers des charges"
            case .imports: "Import"
            case .quality: "Qualité des données"
            }
        }
    }

    /// The head, the banner (who is signed in, sign-out) and the navigation of a signed-in page, up to
    /// the opening of `<main>`; the page closes `</main></body></html>` itself.
    static func chrome(title: String, regionName: String, actor: Principal, csrfToken: String, current: Section?) -> HTML {
        let role: HTML = actor.role == .admin ? "équipe SPRO de la Région" : "éditeur de la structure \(actor.structureId ?? "")"
        let links = Section.allCases.html { section -> HTML in
            let here: HTML = section == current ? " aria-current=\"page\"" : ""
            return "<li><a href=\"\(section.path)\"\(here)>\(section.label)</a></li>"
        }
        return head(title: "\(title) — \(regionName)")
            + "<header><p class=\"brand\">SPRO \(regionName) · connecté en tant que <strong>\(actor.name)</strong> (\(role))</p>"
            + "<form method=\"post\" action=\"/equipe/deconnexion\"><input type=\"hidden\" name=\"csrf\" value=\"\(csrfToken)\"><button type=\"submit\">Se déconnecter</button></form>"
            + "<nav aria-label=\"Espace de l'équipe\"><ul class=\"menu\">\(links)</ul></nav></header><main><h1>\(title)</h1>"
    }

    static func head(title: String) -> HTML {
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + "<title>\(title)</title><style>\(style)</style></head><body>"
    }

    static let style: HTML = """
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
    header{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;padding-bottom:.5rem}.brand{flex:1;margin:.5rem 0}
    .menu{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.25rem .75rem}.menu a{color:#000091}.menu a[aria-current]{font-weight:bold;text-decoration:none;border-bottom:3px solid #000091}
    header nav{flex-basis:100%}.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:1rem}.cards section{border:1px solid #ccc;padding:.5rem 1rem}
    .count{font-size:2rem;margin:.25rem 0;color:#000091}form.inline{display:inline}textarea{width:100%;max-width:40rem;font:inherit}
    .search{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:1rem 0}.search label{display:flex;flex-direction:column}.search input,.search select{padding:.3rem;font:inherit}
    .before{background:#ffe9e9}.after{background:#b8fec9}del,ins{text-decoration:none}.state{font-weight:bold}
    @media print{header nav,header form,form{display:none}}
    @media (max-width:40rem){.records thead{display:none}.records tr,.records th,.records td{display:block;border:0}.records tr{border-bottom:1px solid #ccc;padding:.5rem 0}.records td[data-label]::before{content:attr(data-label) " : ";font-weight:bold}}
    """
}
