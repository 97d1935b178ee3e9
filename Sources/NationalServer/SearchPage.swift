import Directory
import Foundation
import NationalDirectory
import SafeHTML

/// The public search page at `/`, rendered on the server with its results: it works with JavaScript
/// off (the form is sent, links lead on). Its script (`SearchPage.script`) only enhances: it fetches the
/// very same page for a new search and swaps the results in, keeps the URL in step, and draws the map.
enum SearchPage {
    /// The page for `search` and what it found.
    static func render(_ search: PublicSearch, _ outcome: SearchOutcome, content: NationalContent) -> HTML {
        let (status, isError) = statusLine(search, outcome, content: content)
        let title = switch outcome {
        case .places where !search.q.isEmpty: "\(search.q) — Trouver un lieu d'accueil pour s'orienter — SPRO"
        case .problems: "Erreur dans la recherche — Trouver un lieu d'accueil pour s'orienter — SPRO"
        default: "Trouver un lieu d'accueil pour s'orienter — SPRO"
        }
        let invalid = Set(outcomeProblems(outcome).compactMap(\.field))
        let main: HTML = """
            <h1 class="sr-only">Rechercher un lieu d'accueil</h1>
            \(form(search, invalid: invalid))
            <p id="status" role="status" aria-live="polite"\(isError ? HTML(" class=\"error\"") : HTML())>\(status)</p>
            <div id="zone" tabindex="-1" data-url="\(search.isBlank ? "/" : search.url())">\(zone(search, outcome, content: content))</div>
            """
        // Past the form's dozen fields, straight to what was found.
        let skipTo: [(anchor: String, label: String)] = switch outcome {
        case .places: [("zone", "Aller aux résultats")]
        case .choice: [("zone", "Aller au choix de la commune")]
        case .blank, .problems: []
        }
        return PublicLayout.page(title: title, main: main, script: script, skipTo: skipTo)
    }

    static func outcomeProblems(_ outcome: SearchOutcome) -> [SearchProblem] {
        if case .problems(let p) = outcome { return p }
        return []
    }

    // MARK: - The form, filled with the search

    static func form(_ s: PublicSearch, invalid: Set<String>) -> HTML {
        func invalidity(_ id: String) -> HTML { invalid.contains(id) ? " aria-invalid=\"true\" aria-describedby=\"status\"" : "" }
        var radii = PublicSearch.radii
        if let r = s.radiusKm, !radii.contains(r) { radii = (radii + [r]).sorted() }
        let radiusOptions: HTML = "<option value=\"\"\(s.radiusKm == nil ? HTML(" selected") : HTML())>Sans limite</option>"
            + radii.html { r in
                "<option value=\"\(PublicSearch.kilometres(r))\"\(s.radiusKm == r ? HTML(" selected") : HTML())>\(PublicSearch.kilometres(r).replacingOccurrences(of: ".", with: ",")) km</option>"
            }
        // Where the search started from a position, it goes on from there until a place is typed.
        var position = HTML()
        if s.q.isEmpty, let p = s.position {
            position = "<input type=\"hidden\" name=\"lat\" value=\"\(String(format: "%.5f", p.lat))\"><input type=\"hidden\" name=\"lon\" value=\"\(String(format: "%.5f", p.lon))\">"
        }
        func checkbox(_ id: String, _ name: String, _ on: Bool, _ label: String) -> HTML {
            "<label><input type=\"checkbox\" id=\"\(id)\" name=\"\(name)\" value=\"1\"\(on ? HTML(" checked") : HTML())\(invalidity(id))> \(label)</label>"
        }
        return """
            <form id="search" role="search" action="/" method="get" novalidate>
              <div class="row">
                <div class="field wide">
                  <label for="q">Commune, code postal, adresse ou nom du lieu</label>
                  <input type="text" id="q" name="q" value="\(s.q)" autocomplete="off" placeholder="ex. Quimper, 29200, 12 rue de Siam 29200 Brest, Mission locale"\(invalidity("q"))>
                </div>
                <div class="field">
                  <label for="radius">Distance maximale</label>
                  <select id="radius" name="rayon"\(invalidity("radius"))>\(radiusOptions)</select>
                </div>
              </div>
              \(position)
              <div class="row" style="margin-top:.75rem">
                <button type="submit" class="primary">Rechercher</button>
                <button type="button" class="secondary" id="locate" hidden>Utiliser ma position</button>
              </div>
              <fieldset>
                <legend>Affiner</legend>
                <div class="row">
                  <div class="field">
                    <label for="service">Service</label>
                    <select id="service" name="service"\(invalidity("service"))><option value="">Tous les services</option>\(options(s.filter.service))</select>
                  </div>
                  <div class="field">
                    <label for="public">Public</label>
                    <select id="public" name="public"\(invalidity("public"))><option value="">Tous les publics</option>\(options(s.filter.publicServed))</select>
                  </div>
                  <div class="field">
                    <label for="network">Réseau</label>
                    <select id="network" name="reseau"\(invalidity("network"))><option value="">Tous les réseaux</option>\(options(s.filter.network))</select>
                  </div>
                </div>
                <div class="checks" style="margin-top:.5rem">
                  \(checkbox("sans_rdv", "sans_rdv", s.filter.sansRendezVous == true, "Sans rendez-vous"))
                  \(checkbox("accessible", "accessible", s.filter.accessible == true, "Accessible en fauteuil roulant"))
                  \(checkbox("open_now", "ouvert", s.openNow, "Ouvert maintenant"))
                </div>
                <div class="row" style="margin-top:.5rem">
                  <div class="field">
                    <label for="open_at">Ou ouvert le (date et heure locales)</label>
                    <input type="datetime-local" id="open_at" name="open_at" value="\(s.openAt ?? (s.form.openAt ?? ""))"\(invalidity("open_at"))>
                  </div>
                </div>
              </fieldset>
            </form>
            """
    }

    /// One `<option>` per value of a vocabulary: its raw value sent, its French label shown, `selected` kept.
    static func options<V: Vocabulary>(_ selected: V?) -> HTML {
        let list: OptionList = switch V.self {
        case is Service.Type: serviceOptions
        case is Public.Type: publicOptions
        case is Network.Type: networkOptions
        default: OptionList(V.self)
        }
        return list.html(selected: selected?.rawValue)
    }

    static let serviceOptions = OptionList(Service.self), publicOptions = OptionList(Public.self), networkOptions = OptionList(Network.self)

    /// A vocabulary's `<option>`s written once: every page has the three filters, each with some twenty
    /// labels to escape.
    struct OptionList: Sendable {
        let values: [String]
        let plain: [HTML]
        let selected: [HTML]
        /// All of them, none selected: the common case.
        let none: HTML

        init<V: Vocabulary>(_ type: V.Type) {
            values = V.allCases.map(\.rawValue)
            plain = V.allCases.map { "<option value=\"\($0.rawValue)\">\($0.label)</option>" }
            selected = V.allCases.map { "<option value=\"\($0.rawValue)\" selected>\($0.label)</option>" }
            none = plain.joined()
        }

        func html(selected value: String?) -> HTML {
            guard let value, let i = values.firstIndex(of: value) else { return none }
            return (plain[..<i] + [selected[i]] + plain[(i + 1)...]).joined()
        }
    }

    // MARK: - What the search found

    /// The status line, read out by screen readers when the script updates it; and whether it is an error.
    static func statusLine(_ s: PublicSearch, _ outcome: SearchOutcome, content: NationalContent) -> (String, Bool) {
        switch outcome {
        case .blank:
            return ("", false)
        case .problems(let problems):
            return (problems.map(\.message).joined(separator: " "), true)
        case .choice(let query, let homonyms):
            return ("Plusieurs communes s'appellent « \(query) » (\(homonyms.count)) : choisissez la vôtre.", false)
        case .places(let found):
            let n = found.hits.count
            let places = n == 1 ? "1 lieu d'accueil" : "\(n) lieux d'accueil"
            let radius = s.radiusKm.map { " à moins de \(PublicSearch.kilometres($0).replacingOccurrences(of: ".", with: ",")) km" } ?? ""
            let readAs = found.readAs.map { "Recherche comprise comme « \($0) ». " } ?? ""
            switch found.kind {
            case .nearest:
                let around = found.origin?.label ?? "du point recherché"
                if n == 0 {
                    return (readAs + "Aucun lieu d'accueil\(radius) autour de \(around)"
                            + (s.radiusKm == nil ? "." : ". Élargissez la distance ou retirez un filtre."), false)
                }
                return (readAs + "\(found.more ? "Les " + places + " les plus proches" : places) autour de \(around)\(radius), "
                        + "du plus proche au plus loin.", false)
            case .byName:
                let order = found.origin?.label.map { ", du plus proche au plus loin de \($0)" } ?? ", par ordre alphabétique"
                let counted = found.more ? "Les \(n) premiers lieux" : (n == 1 ? "1 lieu" : "\(n) lieux")
                return ("\(counted) dont le nom correspond à « \(s.q) »\(order).", false)
            }
        }
    }

    static func zone(_ s: PublicSearch, _ outcome: SearchOutcome, content: NationalContent) -> HTML {
        switch outcome {
        case .blank:
            return HTML()
        case .problems(let problems):
            guard problems.count > 1 else { return HTML() }
            let items = problems.html { p -> HTML in
                if let field = p.field { return "<li><a href=\"#\(field)\">\(p.message)</a></li>" }
                return "<li>\(p.message)</li>"
            }
            return "<ul class=\"erreurs\">\(items)</ul>"
        case .choice(_, let homonyms):
            let choices = homonyms.html { h -> HTML in "<li><a data-live href=\"\(s.url(q: h.query, count: PublicSearch.step))\">\(h.label)</a></li>" }
            return """
                <nav aria-labelledby="choix-titre"><h2 id="choix-titre">Quelle commune ?</h2>
                <ul id="choix">\(choices)</ul></nav>
                """
        case .places(let found):
            return places(s, found, content: content)
        }
    }

    static func places(_ s: PublicSearch, _ found: SearchOutcome.FoundPlaces, content: NationalContent) -> HTML {
        let regionName = found.region.map(content.regionName) ?? ""
        if found.hits.isEmpty {
            // Nothing near: the Région's remote channels first, then a wider search.
            let wider: HTML = s.radiusKm != nil && found.kind == .nearest
                ? "<p class=\"plus\"><a data-live href=\"\(s.url(radiusKm: .some(nil), count: PublicSearch.step))\">Chercher sans limite de distance</a></p>"
                : HTML()
            return PublicFragments.channels(found.channels.map { content.channelItems[$0] }, regionName: regionName, first: true) + wider
        }
        let origin = found.origin
        let items = found.hits.enumerated().html { entry -> HTML in item(entry.element, number: entry.offset + 1) }
        let more: HTML = found.more && s.count < PublicSearch.maximumCount
            ? "<p class=\"plus\"><a id=\"plus\" data-live href=\"\(s.url(count: min(s.count + PublicSearch.step, PublicSearch.maximumCount), fragment: "r\(s.count + 1)"))\">Plus de résultats</a></p>"
            : HTML()
        var originData = HTML()
        if let o = origin {
            originData = " data-origin-lat=\"\(String(format: "%.6f", o.position.lat))\" data-origin-lon=\"\(String(format: "%.6f", o.position.lon))\""
        }
        let label = found.kind == .nearest ? "Lieux d'accueil les plus proches" : "Lieux d'accueil dont le nom correspond"
        let side = PublicFragments.channels(found.channels.map { content.channelItems[$0] }, regionName: regionName, first: false)
        return """
            <div class="resultats avec-cote" id="resultats">
            <div>
            <ol id="results" aria-label="\(label)"\(originData)>\(items)</ol>
            \(more)
            </div>
            <div class="cote">
            \(side)
            <figure id="carte" hidden>
              <div id="carte-svg"></div>
              <figcaption>Les points numérotés sont les lieux de la liste ; un point cerclé de tirets n'est placé qu'au centre de sa commune ; le cercle rouge marque le point recherché. Fond : départements (IGN), communes (INSEE).</figcaption>
            </figure>
            </div>
            </div>
            """
    }

    /// One place of the list: number, distance (or where, when approximate), name linking to its page,
    /// who receives there, address, state now, hours, phone, every service and public. All but the number,
    /// the distance and the state now was written with the content (`PlaceCard`).
    static func item(_ hit: SearchOutcome.Hit, number: Int) -> HTML {
        let card = hit.card
        var distance = HTML()
        if let approximate = card.approximate {
            distance = approximate
        } else if let d = hit.distanceMetres {
            distance = "<span class=\"distance\">à \(PublicFragments.kilometres(d))</span> — "
        }
        let metres: HTML = card.approximate == nil ? hit.distanceMetres.map { " data-distance-metres=\"\(Int($0.rounded()))\"" } ?? HTML() : HTML()
        var state = HTML()
        if let reading = hit.reading {
            state = "<p class=\"\(reading.state == .open ? "open" : "meta")\">\(reading.status)</p>\n"
        }
        return "<li class=\"result\" id=\"r\(number)\"\(card.data)\(metres)>\n<h2><span class=\"num\" aria-hidden=\"true\">\(number)</span>"
            + distance + card.body + state + card.week + card.tail
    }
}
