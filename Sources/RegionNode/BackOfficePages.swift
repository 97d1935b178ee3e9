import Directory
import Foundation
import Referencing
import SafeHTML

/// The back office's views, in French, without scripts. Every value from the store goes in as escaped text.
enum BackOfficeFormat {
    /// "2026-03-05" or "2026-03-05T10:00:00Z" as "05/03/2026".
    static func date(_ day: String?) -> String {
        guard let day else { return "—" }
        return QualityPage.frenchDate(day)
    }

    static func state(_ s: ReferencingState) -> HTML { "<span class=\"state\">\(s.label)</span>" }

    /// A link to a structure's page.
    static func structureLink(_ id: String, _ name: String? = nil) -> HTML {
        "<a href=\"/equipe/structures/\(id)\">\(name ?? id)</a>"
    }

    static func plural(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n > 1 ? many : one)" }

    /// The French name of a record's field path ("address.lines[0]" → "Adresse › lignes 1"); unknown keys stay as they are.
    static func field(_ path: String) -> String {
        let names = ["name": "Nom", "address": "Adresse", "lines": "lignes", "postcode": "code postal", "city": "commune",
                     "communeCode": "code commune", "coordinates": "Coordonnées", "lat": "latitude", "lon": "longitude",
                     "openingHours": "Horaires", "receptionModes": "Modes d'accueil", "publics": "Publics", "services": "Services",
                     "accessible": "Accessibilité", "phone": "Téléphone", "email": "Courriel", "website": "Site web",
                     "structures": "Structures", "structureId": "structure", "isHost": "hôte", "kind": "Type",
                     "freeOfCharge": "Gratuité", "siret": "SIRET", "network": "Réseau", "basis": "Base", "referencing": "Référencement",
                     "contributors": "Structures contributrices", "languages": "Langues", "fees": "Tarifs", "(lieu)": "Lieu",
                     "networkHeadId": "Tête de réseau"]
        var out: [String] = []
        for part in path.split(separator: ".") {
            var key = String(part)
            var index = ""
            if let bracket = key.firstIndex(of: "["), let n = Int(key[key.index(after: bracket)...].dropLast()) {
                index = " \(n + 1)"
                key = String(key[..<bracket])
            }
            out.append((names[key] ?? key) + index)
        }
        return out.joined(separator: " › ")
    }

    /// The page's own query with `key` set to `value` ("?q=brest&curseur=..."), every value percent-encoded.
    static func query(_ form: [String: String], setting key: String, to value: String) -> String {
        let kept = form.filter { $0.key != key }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } + [(key, value)]
        return "?" + kept.map { "\(encoded($0.0))=\(encoded($0.1))" }.joined(separator: "&")
    }

    private static func encoded(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? "" }

    /// A field's JSON value as read by a person: strings without their quotes, absent as "—".
    static func value(_ json: String?) -> String {
        guard let json else { return "—" }
        guard let data = json.data(using: .utf8) else { return json }
        if let text = try? JSONDecoder().decode(String.self, from: data) { return text }
        if let flag = try? JSONDecoder().decode(Bool.self, from: data) { return flag ? "oui" : "non" }
        if let list = try? JSONDecoder().decode([String].self, from: data) { return list.isEmpty ? "(aucun)" : list.joined(separator: ", ") }
        return json
    }
}

/// `/equipe/`: what needs the team's attention (or, for an editor, their structure and proposals).
struct DashboardPage {
    let regionName: String
    let actor: Principal
    let csrfToken: String
    let today: String
    let applications: (items: [Structure], total: Int)
    let expiring: [Structure]
    let suspended: (items: [Structure], total: Int)
    let pending: (page: [PendingEdit], total: Int)
    let recentRejections: [PendingEdit]
    let charter: Charter?
    var national: NationalFeedback.State = .notConfigured

    var document: HTML {
        let title = actor.role == .admin ? "Tableau de bord" : "Ma structure"
        return TeamPageLayout.chrome(title: title, regionName: regionName, actor: actor, csrfToken: csrfToken, current: .dashboard)
            + "<div class=\"cards\">\(ownCard)\(applicationsCard)\(expiringCard)\(suspendedCard)\(editsCard)\(charterCard)\(nationalCard)</div>"
            + "\(rejections)</main></body></html>"
    }

    private func structureList(_ items: [Structure], detail: (Structure) -> HTML) -> HTML {
        guard !items.isEmpty else { return "<p>Aucune.</p>" }
        return "<ul>" + items.prefix(10).html { s -> HTML in "<li>\(BackOfficeFormat.structureLink(s.id, s.name)) \(detail(s))</li>" }
            + (items.count > 10 ? "<li>…</li>" : "") + "</ul>"
    }

    private var applicationsCard: HTML {
        "<section aria-labelledby=\"c-candidatures\"><h2 id=\"c-candidatures\">Candidatures à instruire</h2>"
            + "<p class=\"count\">\(applications.total)</p>"
            + structureList(applications.items) { s in "<small>(\(s.referencing.state.label), depuis le \(BackOfficeFormat.date(s.referencing.since)))</small>" }
            + "<p><a href=\"/equipe/candidatures\">Toutes les candidatures</a></p></section>"
    }

    private var expiringCard: HTML {
        "<section aria-labelledby=\"c-echeances\"><h2 id=\"c-echeances\">Référencements arrivant à échéance sous 90 jours</h2>"
            + "<p class=\"count\">\(expiring.count)</p>"
            + structureList(expiring) { s in
                let ended: HTML = (s.referencing.validUntil ?? "") < today ? " — échu" : ""
                return "<small>(valable jusqu'au \(BackOfficeFormat.date(s.referencing.validUntil))\(ended))</small>"
            } + "</section>"
    }

    private var suspendedCard: HTML {
        "<section aria-labelledby=\"c-suspendues\"><h2 id=\"c-suspendues\">Structures suspendues</h2>"
            + "<p class=\"count\">\(suspended.total)</p>"
            + structureList(suspended.items) { s in "<small>(depuis le \(BackOfficeFormat.date(s.referencing.since)))</small>" }
            + "</section>"
    }

    private var editsCard: HTML {
        let heading = actor.role == .admin ? "Modifications en attente de validation" : "Mes propositions en attente"
        let items = pending.page.html { e -> HTML in
            "<li>n° \(e.id) — \(EditQueuePage.what(e)) <small>(\(e.submittedBy), \(BackOfficeFormat.date(e.submittedAt)))</small></li>"
        }
        return "<section aria-labelledby=\"c-modifications\"><h2 id=\"c-modifications\">\(heading)</h2>"
            + "<p class=\"count\">\(pending.total)</p>" + (pending.page.isEmpty ? "" : "<ul>\(items)</ul>")
            + "<p><a href=\"/equipe/modifications\">File des modifications</a></p></section>"
    }

    private var charterCard: HTML {
        guard let charter else {
            return "<section aria-labelledby=\"c-charte\"><h2 id=\"c-charte\">Cahier des charges en vigueur</h2><p>Aucun cahier des charges adopté.</p></section>"
        }
        return "<section aria-labelledby=\"c-charte\"><h2 id=\"c-charte\">Cahier des charges en vigueur</h2>"
            + "<p class=\"count\">v\(charter.version)</p><p>\(charter.title), adopté le \(BackOfficeFormat.date(charter.adoptedOn)) ; "
            + "\(BackOfficeFormat.plural(charter.criteria.count, "critère", "critères")), référencement valable \(charter.referencingValidityMonths) mois.</p>"
            + "<p><a href=\"/equipe/cahiers-des-charges\">Les versions adoptées</a></p></section>"
    }

    /// An editor's own structure: its page (records, referencing, history).
    private var ownCard: HTML? {
        guard actor.role != .admin, let own = actor.structureId else { return nil }
        return "<section aria-labelledby=\"c-structure\"><h2 id=\"c-structure\">Ma structure</h2><p>\(BackOfficeFormat.structureLink(own))</p>"
            + "<p><a href=\"/equipe/lieux\">Mes lieux d'accueil</a> · <a href=\"/equipe/qualite\">Qualité de mes fiches</a></p></section>"
    }

    private var nationalCard: HTML? {
        guard actor.role == .admin else { return nil }
        let heading: HTML = "<h2 id=\"c-national\">Anomalies du moissonnage national</h2>"
        switch national {
        case .notConfigured:
            return "<section aria-labelledby=\"c-national\">\(heading)<p>Service national non configuré (option <code>--national</code> du nœud).</p></section>"
        case .unreachable(let why, let page):
            return "<section aria-labelledby=\"c-national\">\(heading)<p class=\"error\">Rapport national indisponible : \(why).</p>"
                + "<p><a href=\"\(page)\">Page de la Région sur le service national</a></p></section>"
        case .fetched(let report, _, let page):
            var byKind: [String: Int] = [:]
            for a in report.anomalies { byKind[a.kind, default: 0] += 1 }
            let kinds = byKind.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.html { kind, n -> HTML in "<li>\(Self.anomalyLabel(kind)) : \(n)</li>" }
            let first = report.anomalies.prefix(5).html { a -> HTML in
                "<li>\(a.record.map { "\($0) " } ?? "")\(a.id ?? "")\(a.field.map { " (\($0))" } ?? "") — \(a.message)</li>"
            }
            let when = report.harvestedAt.map { " (moissonnage du \(BackOfficeFormat.date($0)))" } ?? ""
            return "<section aria-labelledby=\"c-national\">\(heading)<p class=\"count\">\(report.anomalies.count)</p>"
                + "<p>Constatées par le service national\(when).</p>"
                + (report.anomalies.isEmpty ? HTML() : "<ul>\(kinds)</ul><details><summary>Les premières</summary><ul>\(first)</ul></details>")
                + "<p><a href=\"\(page)\">Toutes les anomalies, sur le service national</a></p></section>"
        }
    }

    /// The national API's anomaly codes, in French (as the national pages name them).
    static func anomalyLabel(_ kind: String) -> String {
        switch kind {
        case "export_refused": "Export refusé"
        case "export_expired": "Export expiré"
        case "record_refused": "Enregistrements rejetés"
        case "coordinates_set_aside": "Coordonnées écartées"
        case "postcode_mismatch": "Code postal ne correspondant pas à la commune"
        case "commune_level": "Adresses localisées à la commune seulement"
        case "unresolved": "Adresses introuvables"
        case "stale": "Fiches à confirmer"
        case "merged_with_other_region": "Lieux fusionnés avec ceux d'une autre Région"
        default: kind
        }
    }

    private var rejections: HTML {
        guard !recentRejections.isEmpty else { return HTML() }
        let items = recentRejections.html { e -> HTML in
            "<li>n° \(e.id) — \(EditQueuePage.what(e)) : refusée le \(BackOfficeFormat.date(e.decidedAt)). Motif : « \(e.reason ?? "") »</li>"
        }
        return "<section aria-labelledby=\"refus\"><h2 id=\"refus\">Derniers refus</h2><ul>\(items)</ul></section>"
    }
}

/// The lists of structures, applications, places and channels, with a search form and cursor paging.
struct RecordListPage {
    enum Kind {
        case structures, applications, places, channels

        var section: TeamPageLayout.Section {
            switch self {
            case .structures: .structures
            case .applications: .applications
            case .places: .places
            case .channels: .channels
            }
        }

        /// The page's form fields (French names) as the admin API's list parameters.
        func query(_ form: [String: String]) throws -> NodeListQuery {
            let names: [String: String] = ["q": "q", "curseur": "cursor", "etat": "state", "reseau": "network", "structure": "structure",
                                           "departement": "departement", "commune": "commune", "mutualise": "mutualise", "type": "kind"]
            var parameters: [(String, String)] = []
            for (field, value) in form.sorted(by: { $0.key < $1.key }) {
                guard let name = names[field], !value.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
                parameters.append((name, value))
            }
            var query: NodeListQuery
            switch self {
            case .structures: query = try NodeListQuery(parameters.filter { ["q", "cursor", "state", "network"].contains($0.0) }, filters: AdminController.structureFilters)
            case .applications:
                var filters = AdminController.structureFilters
                filters["state"] = AdminController.applicationStates
                query = try NodeListQuery(parameters.filter { ["q", "cursor", "state"].contains($0.0) }, filters: filters)
                if query.values["state"] == nil { query.facets.append(AdminController.applicationStates.sorted().map { "state=\($0)" }) }
            case .places:
                query = try NodeListQuery(parameters.filter { ["q", "cursor", "structure", "departement", "commune", "mutualise", "kind"].contains($0.0) },
                                          filters: AdminController.placeFilters)
            case .channels: query = try NodeListQuery(parameters.filter { ["q", "cursor", "structure", "kind"].contains($0.0) }, filters: AdminController.channelFilters)
            }
            query.limit = 100
            return query
        }
    }

    enum Row {
        case structure(Structure)
        case place(Place)
        case channel(Channel)
    }

    let kind: Kind
    let regionName: String
    let actor: Principal
    let csrfToken: String
    let form: [String: String]
    var rows: [Row] = []
    var total = 0
    var next: String?
    var error: String?

    init(kind: Kind, regionName: String, actor: Principal, csrfToken: String, form: [String: String]) {
        self.kind = kind
        self.regionName = regionName
        self.actor = actor
        self.csrfToken = csrfToken
        self.form = form
    }

    var document: HTML {
        let alert: HTML? = error.map { "<p class=\"error\" role=\"alert\">\($0)</p>" }
        let count: HTML = "<p role=\"status\">\(BackOfficeFormat.plural(total, "résultat", "résultats"))\(form["curseur"] == nil ? "" : " (suite de la liste)")</p>"
        return TeamPageLayout.chrome(title: kind.section.label, regionName: regionName, actor: actor, csrfToken: csrfToken, current: kind.section)
            + "\(searchForm)\(alert)\(error == nil ? count : HTML())\(rows.isEmpty ? (error == nil ? "<p>Aucune fiche ne correspond.</p>" : HTML()) : table)\(nextLink)</main></body></html>"
    }

    private func select(_ name: String, _ label: String, _ options: [(String, String)]) -> HTML {
        let chosen = form[name] ?? ""
        let items = ([("", "Tous")] + options).html { value, text -> HTML in
            "<option value=\"\(value)\"\(value == chosen ? HTML(trusted: " selected") : HTML())>\(text)</option>"
        }
        return "<label for=\"f-\(name)\">\(label)<select id=\"f-\(name)\" name=\"\(name)\">\(items)</select></label>"
    }

    private var searchForm: HTML {
        var fields: HTML = "<label for=\"f-q\">Nom<input id=\"f-q\" name=\"q\" type=\"search\" value=\"\(form["q"] ?? "")\"></label>"
        switch kind {
        case .structures:
            fields += select("etat", "État du référencement", ReferencingState.allCases.map { ($0.rawValue, $0.label) })
            fields += select("reseau", "Réseau", Network.allCases.map { ($0.rawValue, $0.label) })
        case .applications:
            fields += select("etat", "État", [ReferencingState.applied, .underReview].map { ($0.rawValue, $0.label) })
        case .places:
            fields += select("mutualise", "Lieu mutualisé", [("true", "Oui"), ("false", "Non")])
            fields += select("type", "Type de lieu", PlaceKind.allCases.map { ($0.rawValue, $0.label) })
            fields += "<label for=\"f-departement\">Département<input id=\"f-departement\" name=\"departement\" size=\"4\" value=\"\(form["departement"] ?? "")\"></label>"
            fields += "<label for=\"f-structure\">Structure (identifiant)<input id=\"f-structure\" name=\"structure\" size=\"12\" value=\"\(form["structure"] ?? "")\"></label>"
        case .channels:
            fields += select("type", "Type de canal", Channel.Kind.allCases.map { ($0.rawValue, $0.label) })
        }
        return "<form method=\"get\" class=\"search\" role=\"search\" aria-label=\"Rechercher\">\(fields)<button type=\"submit\">Rechercher</button></form>"
    }

    private var table: HTML {
        switch kind {
        case .structures, .applications:
            let review = kind == .applications && actor.role == .admin
            let body = rows.html { row -> HTML in
                guard case .structure(let s) = row else { return HTML() }
                return "<tr><th scope=\"row\">\(BackOfficeFormat.structureLink(s.id, s.name))<br><small>\(s.id)</small></th><td data-label=\"Réseau\">\(s.network.label)</td>"
                    + "<td data-label=\"Base\">\(s.basis.label)</td><td data-label=\"État\">\(BackOfficeFormat.state(s.referencing.state))</td>"
                    + "<td data-label=\"Depuis le\">\(BackOfficeFormat.date(s.referencing.since))</td><td data-label=\"Valable jusqu'au\">\(BackOfficeFormat.date(s.referencing.validUntil))</td>"
                    + (review ? "<td><a href=\"/equipe/structures/\(s.id)/instruction\" aria-label=\"Instruire la candidature de \(s.name)\">Instruire</a></td>" : HTML()) + "</tr>"
            }
            return "<table class=\"records\"><thead><tr><th scope=\"col\">Structure</th><th scope=\"col\">Réseau</th><th scope=\"col\">Base</th>"
                + "<th scope=\"col\">État</th><th scope=\"col\">Depuis le</th><th scope=\"col\">Valable jusqu'au</th>"
                + (review ? "<th scope=\"col\"><span class=\"sr\">Instruction</span></th>" : HTML()) + "</tr></thead><tbody>\(body)</tbody></table>"
        case .places:
            let body = rows.html { row -> HTML in
                guard case .place(let p) = row else { return HTML() }
                let structures = p.structures.map { BackOfficeFormat.structureLink($0.structureId) }.joined(separator: ", ")
                return "<tr><th scope=\"row\">\(p.name)<br><small>\(p.id)</small></th>"
                    + "<td data-label=\"Adresse\">\(p.address.lines.joined(separator: ", ")), \(p.address.postcode.rawValue) \(p.address.city)</td>"
                    + "<td data-label=\"Structures\">\(structures)</td><td data-label=\"Type\">\(p.kind.label)</td>"
                    + "<td data-label=\"Lieu mutualisé\">\(p.isLieuMutualise ? "Oui" : "Non")</td>"
                    + "<td data-label=\"Services\">\(p.services.map(\.label).joined(separator: ", "))</td></tr>"
            }
            return "<table class=\"records\"><thead><tr><th scope=\"col\">Lieu</th><th scope=\"col\">Adresse</th><th scope=\"col\">Structures</th>"
                + "<th scope=\"col\">Type</th><th scope=\"col\">Lieu mutualisé</th><th scope=\"col\">Services</th></tr></thead><tbody>\(body)</tbody></table>"
        case .channels:
            let body = rows.html { row -> HTML in
                guard case .channel(let c) = row else { return HTML() }
                let contributors = c.contributors.map { BackOfficeFormat.structureLink($0) }.joined(separator: ", ")
                return "<tr><th scope=\"row\">\(c.name)<br><small>\(c.id)</small></th><td data-label=\"Type\">\(c.kind.label)</td><td data-label=\"Adresse\">\(c.address)</td>"
                    + "<td data-label=\"Structures\">\(contributors)</td><td data-label=\"Horaires\">\(c.openingHours ?? "—")</td></tr>"
            }
            return "<table class=\"records\"><thead><tr><th scope=\"col\">Canal</th><th scope=\"col\">Type</th><th scope=\"col\">Adresse</th>"
                + "<th scope=\"col\">Structures</th><th scope=\"col\">Horaires</th></tr></thead><tbody>\(body)</tbody></table>"
        }
    }

    private var nextLink: HTML {
        guard let next else { return HTML() }
        return "<p><a href=\"\(BackOfficeFormat.query(form, setting: "curseur", to: next))\" rel=\"next\">Page suivante</a></p>"
    }
}

/// `/equipe/indicateurs`: the indicator values, filtered by code, period and subject.
struct IndicatorListPage {
    static let pageSize = 200
    let regionName: String
    let actor: Principal
    let csrfToken: String
    let form: [String: String]
    let rows: [IndicatorValue]
    let total: Int
    /// The cursor of the next page, when there is one.
    let next: String?

    var document: HTML {
        let fields: HTML = "<label for=\"f-code\">Code<input id=\"f-code\" name=\"code\" value=\"\(form["code"] ?? "")\"></label>"
            + "<label for=\"f-periode\">Période<input id=\"f-periode\" name=\"periode\" size=\"8\" value=\"\(form["periode"] ?? "")\"></label>"
            + "<label for=\"f-sujet\">Lieu ou structure (identifiant)<input id=\"f-sujet\" name=\"sujet\" value=\"\(form["sujet"] ?? "")\"></label>"
        let body = rows.html { v -> HTML in
            let subject: HTML = v.subject == .structure ? BackOfficeFormat.structureLink(v.subjectId) : "lieu \(v.subjectId)"
            return "<tr><th scope=\"row\">\(subject)</th><td data-label=\"Indicateur\">\(v.code)</td><td data-label=\"Période\">\(v.period)</td><td data-label=\"Valeur\">\(v.value.formatted(.number.locale(Locale(identifier: "fr_FR"))))</td><td data-label=\"Unité\">\(v.unit)</td></tr>"
        }
        let table: HTML = rows.isEmpty ? "<p>Aucune valeur ne correspond.</p>"
            : "<table class=\"records\"><thead><tr><th scope=\"col\">Sujet</th><th scope=\"col\">Indicateur</th><th scope=\"col\">Période</th>"
                + "<th scope=\"col\">Valeur</th><th scope=\"col\">Unité</th></tr></thead><tbody>\(body)</tbody></table>"
        var more: HTML = HTML()
        if let next {
            more = "<p><a href=\"\(BackOfficeFormat.query(form, setting: "curseur", to: next))\" rel=\"next\">Page suivante</a></p>"
        }
        return TeamPageLayout.chrome(title: "Indicateurs", regionName: regionName, actor: actor, csrfToken: csrfToken, current: .indicators)
            + "<form method=\"get\" class=\"search\" role=\"search\" aria-label=\"Filtrer les indicateurs\">\(fields)<button type=\"submit\">Filtrer</button></form>"
            + "<p role=\"status\">\(BackOfficeFormat.plural(total, "valeur", "valeurs"))</p>\(table)\(more)</main></body></html>"
    }
}

/// `/equipe/cahiers-des-charges`: every adopted version, the newest (in force) first, with its criteria.
struct ChartersPage {
    let regionName: String
    let actor: Principal
    let csrfToken: String
    let charters: [Charter]
    /// The version just adopted, or why the last one was refused.
    var adopted: Int? = nil
    var error: String? = nil

    var document: HTML {
        let notice: HTML? = adopted.map { "<p class=\"ok\" role=\"status\">Version \($0) adoptée : elle s'applique aux instructions à venir et part dans le prochain export.</p>" }
        let alert: HTML? = error.map { "<p class=\"error\" role=\"alert\">Cahier des charges non adopté : \($0)</p>" }
        let form: HTML? = actor.role == .admin
            ? "<form method=\"post\" action=\"/equipe/cahiers-des-charges\" enctype=\"multipart/form-data\" class=\"search\">"
                + "<input type=\"hidden\" name=\"csrf\" value=\"\(csrfToken)\"><label for=\"fichier\">Adopter une nouvelle version (fichier JSON du cahier des charges)"
                + "<input type=\"file\" id=\"fichier\" name=\"fichier\" accept=\".json,application/json\" required></label>"
                + "<button type=\"submit\">Adopter</button></form><p><small>Une version adoptée ne change plus ; les référencements accordés gardent la version sous laquelle ils l'ont été.</small></p>"
            : nil
        let sections = charters.reversed().enumerated().html { index, c -> HTML in
            let criteria = c.criteria.html { k -> HTML in
                let how: HTML = k.kind == .checkable ? "vérifié automatiquement" : "attesté par l'instructeur"
                return "<tr><th scope=\"row\">\(k.label)</th><td>\(how)</td><td>\(k.threshold.map { String($0) } ?? "—")</td></tr>"
            }
            let inForce: HTML = index == 0 ? " (en vigueur)" : ""
            return "<section aria-labelledby=\"v\(c.version)\"><h2 id=\"v\(c.version)\">Version \(c.version)\(inForce) — \(c.title)</h2>"
                + "<p>Adoptée le \(BackOfficeFormat.date(c.adoptedOn)). Référencement valable \(c.referencingValidityMonths) mois. Valeurs : \(c.values.joined(separator: ", ")).</p>"
                + "<table><thead><tr><th scope=\"col\">Critère</th><th scope=\"col\">Contrôle</th><th scope=\"col\">Seuil</th></tr></thead><tbody>\(criteria)</tbody></table></section>"
        }
        return TeamPageLayout.chrome(title: "Cahiers des charges", regionName: regionName, actor: actor, csrfToken: csrfToken, current: .charters)
            + "\(notice)\(alert)\(form)" + (charters.isEmpty ? "<p>Aucun cahier des charges adopté sur ce nœud.</p>" : sections) + "</main></body></html>"
    }
}

/// `/equipe/structures/<id>`: a structure, its places and its referencing history with each decision.
struct StructurePage {
    let regionName: String
    let actor: Principal
    let csrfToken: String
    let structure: Structure
    let places: [Place]
    let history: [ReferencingEvent]
    /// The decision just recorded, to say so at the top.
    var decided: ReferencingState? = nil

    var document: HTML {
        let s = structure
        let details: HTML = "<dl class=\"summary\"><div><dt>Identifiant</dt><dd>\(s.id)</dd></div><div><dt>SIRET</dt><dd>\(s.siret?.rawValue ?? "—")</dd></div>"
            + "<div><dt>Réseau</dt><dd>\(s.network.label)</dd></div><div><dt>Base</dt><dd>\(s.basis.label)</dd></div>"
            + "<div><dt>Tête de réseau</dt><dd>\(s.networkHeadId.map { BackOfficeFormat.structureLink($0) } ?? "—")</dd></div>"
            + "<div><dt>Référencement</dt><dd>\(BackOfficeFormat.state(s.referencing.state)) depuis le \(BackOfficeFormat.date(s.referencing.since))</dd></div>"
            + "<div><dt>Valable jusqu'au</dt><dd>\(BackOfficeFormat.date(s.referencing.validUntil))</dd></div>"
            + "<div><dt>Cahier des charges</dt><dd>\(s.referencing.charterVersion.map { "v\($0)" } ?? "— (par la loi)")</dd></div>"
            + "<div><dt>Contact</dt><dd>\(s.phone ?? "—") · \(s.website ?? "—")</dd></div></dl>"
        let placeRows = places.html { p -> HTML in
            "<tr><th scope=\"row\">\(p.name)<br><small>\(p.id)</small></th><td>\(p.address.postcode.rawValue) \(p.address.city)</td><td>\(p.isLieuMutualise ? "Oui" : "Non")</td></tr>"
        }
        let placesTable: HTML = places.isEmpty ? "<p>Aucun lieu d'accueil.</p>"
            : "<table><thead><tr><th scope=\"col\">Lieu</th><th scope=\"col\">Commune</th><th scope=\"col\">Lieu mutualisé</th></tr></thead><tbody>\(placeRows)</tbody></table>"
        let events = history.reversed().html { e -> HTML in
            let criteria = e.criteria.html { c -> HTML in
                var item: HTML = "<li>\(c.passed ? "✓ rempli" : "✗ non rempli") — \(c.criterionId)\(c.detail.isEmpty ? "" : " : \(c.detail)")"
                if let evidence = c.evidence {
                    item += "<br><small>Justificatif : « \(evidence.text) »</small>"
                    if let d = evidence.document {
                        item += " <a href=\"/equipe/documents/\(d.sha256)\">\(d.name)</a> <small>(\(d.size / 1024 + 1) Ko)</small>"
                    }
                }
                return item + "</li>"
            }
            let from: HTML = e.from.map { "\($0.label) → " } ?? ""
            return "<tr><td>\(BackOfficeFormat.date(e.at))</td><td>\(BackOfficeFormat.date(e.effectiveOn))</td><td>\(from)\(BackOfficeFormat.state(e.to))</td>"
                + "<td>\(e.motive)\(e.criteria.isEmpty ? HTML() : "<ul>\(criteria)</ul>")</td><td>\(e.actor)</td>"
                + "<td>\(e.charterVersion.map { "v\($0)" } ?? "—")</td><td>\(e.signatories.joined(separator: ", "))</td></tr>"
        }
        let historyTable: HTML = history.isEmpty ? "<p>Aucune décision.</p>"
            : "<table><thead><tr><th scope=\"col\">Décidé le</th><th scope=\"col\">Effet le</th><th scope=\"col\">État</th><th scope=\"col\">Motif et critères</th>"
                + "<th scope=\"col\">Par</th><th scope=\"col\">Cahier</th><th scope=\"col\">Signataires</th></tr></thead><tbody>\(events)</tbody></table>"
        let notice: HTML? = decided.map { "<p class=\"ok\" role=\"status\">Décision enregistrée : \($0.label).</p>" }
        let reviewLink: HTML? = actor.role == .admin && ReviewPage.reviewable.contains(s.referencing.state) && !s.basis.isByLaw
            ? "<p><a href=\"/equipe/structures/\(s.id)/instruction\">Instruire la candidature au regard du cahier des charges</a></p>" : nil
        return TeamPageLayout.chrome(title: s.name, regionName: regionName, actor: actor, csrfToken: csrfToken, current: nil)
            + "\(notice)\(reviewLink)" + details + "<h2>Lieux d'accueil</h2>\(placesTable)<h2>Historique du référencement</h2>\(historyTable)</main></body></html>"
    }
}

/// `/equipe/modifications`: the editors' proposals, each with its field-by-field diff; the team validates
/// or refuses (with a reason the editor reads).
struct EditQueuePage {
    static let pageSize = 50

    enum Tab: String, CaseIterable {
        case pending = "en_attente", approved = "validees", rejected = "refusees", all = "toutes"

        var status: PendingEdit.Status? {
            switch self {
            case .pending: .pending
            case .approved: .approved
            case .rejected: .rejected
            case .all: nil
            }
        }

        var label: String {
            switch self {
            case .pending: "En attente"
            case .approved: "Validées"
            case .rejected: "Refusées"
            case .all: "Toutes"
            }
        }
    }

    let regionName: String
    let actor: Principal
    let csrfToken: String
    let tab: Tab
    let edits: [PendingEdit]
    let total: Int
    let next: Int?
    let notice: String?

    /// What an edit is about, in French ("lieu 53-P2 (structure 53-ML-1)").
    static func what(_ e: PendingEdit) -> String {
        let noun = switch e.kind {
        case .structure: "structure"
        case .place: "lieu"
        case .channel: "canal"
        case .placeClosure: "fermeture du lieu"
        }
        return e.kind == .structure ? "\(noun) \(e.recordId)" : "\(noun) \(e.recordId) (structure \(e.structureId))"
    }

    static func label(_ s: PendingEdit.Status) -> String {
        switch s {
        case .pending: "en attente"
        case .approved: "validée"
        case .rejected: "refusée"
        }
    }

    var document: HTML {
        let tabs = Tab.allCases.html { t -> HTML in
            let here: HTML = t == tab ? " aria-current=\"page\"" : ""
            return "<li><a href=\"/equipe/modifications?statut=\(t.rawValue)\"\(here)>\(t.label)</a></li>"
        }
        var done: HTML? = nil
        if let notice, let dash = notice.firstIndex(of: "-") {
            let verb = notice[..<dash] == "valide" ? "validée et publiée" : "refusée ; l'éditeur en lira le motif"
            done = "<p class=\"ok\" role=\"status\">Modification n° \(notice[notice.index(after: dash)...]) \(verb).</p>"
        }
        let list: HTML = edits.isEmpty ? "<p>Aucune modification.</p>" : edits.html(card)
        let more: HTML = next.map { "<p><a href=\"/equipe/modifications?statut=\(tab.rawValue)&amp;apres=\($0)\" rel=\"next\">Suivantes</a></p>" } ?? HTML()
        return TeamPageLayout.chrome(title: "Modifications proposées", regionName: regionName, actor: actor, csrfToken: csrfToken, current: .edits)
            + "\(done)<nav aria-label=\"État des modifications\"><ul class=\"filters\">\(tabs)</ul></nav>"
            + "<p>\(BackOfficeFormat.plural(total, "modification", "modifications")).</p>\(list)\(more)</main></body></html>"
    }

    private func card(_ e: PendingEdit) -> HTML {
        let rows = (e.changes ?? []).html { c -> HTML in
            "<tr><th scope=\"row\">\(BackOfficeFormat.field(c.field))</th><td class=\"before\"><del>\(BackOfficeFormat.value(c.before))</del></td>"
                + "<td class=\"after\"><ins>\(BackOfficeFormat.value(c.after))</ins></td></tr>"
        }
        let diff: HTML = (e.changes ?? []).isEmpty ? "<p>Aucun changement par rapport à la fiche actuelle.</p>"
            : "<table class=\"diff\"><caption>Ce que la modification n° \(e.id) change</caption><thead><tr><th scope=\"col\">Champ</th>"
                + "<th scope=\"col\">Valeur actuelle</th><th scope=\"col\">Valeur proposée</th></tr></thead><tbody>\(rows)</tbody></table>"
        var decision: HTML = "<p>État : <strong>\(Self.label(e.status))</strong>"
            + (e.decidedBy.map { " par \($0) le \(BackOfficeFormat.date(e.decidedAt))" } ?? "") + ".</p>"
        if let reason = e.reason { decision += "<p class=\"error\">Motif du refus : « \(reason) »</p>" }
        if e.status == .pending && actor.role == .admin {
            decision += "<form method=\"post\" action=\"/equipe/modifications/\(e.id)/valider\" class=\"inline\">"
                + "<input type=\"hidden\" name=\"csrf\" value=\"\(csrfToken)\"><button type=\"submit\">Valider et publier</button></form>"
                + "<form method=\"post\" action=\"/equipe/modifications/\(e.id)/refuser\"><input type=\"hidden\" name=\"csrf\" value=\"\(csrfToken)\">"
                + "<label for=\"motif-\(e.id)\">Motif du refus (lu par l'éditeur)</label><br>"
                + "<textarea id=\"motif-\(e.id)\" name=\"motif\" rows=\"2\" required></textarea><br><button type=\"submit\">Refuser</button></form>"
        }
        return "<article id=\"modification-\(e.id)\" aria-labelledby=\"t-\(e.id)\"><h2 id=\"t-\(e.id)\">n° \(e.id) — \(Self.what(e))</h2>"
            + "<p>Proposée par \(e.submittedBy) le \(BackOfficeFormat.date(e.submittedAt)), sur la version \(e.baseVersion.map { String($0) } ?? "— (nouvelle fiche)").</p>"
            + "\(diff)\(decision)</article>"
    }
}
