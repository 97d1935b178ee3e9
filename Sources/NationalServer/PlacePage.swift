import Directory
import Foundation
import NationalDirectory
import Hummingbird
import SafeHTML

/// A place's own page, `/lieux/<région>/<id>`: everything the directory knows of it, in French, for a
/// person deciding whether to go there, and where the information comes from.
enum PlacePage {
    /// The page of `content.search.places[index]`, its hours read at `now` on the place's clock.
    static func render(index: Int, content: NationalContent, now: Date) -> HTML {
        let served = content.search.places[index], p = served.place
        let moment = LocalMoment(now, in: content.search.territory(at: index))
        let regionName = content.regionName(served.region)
        let reading = content.search.reading(at: index, moment: moment)

        let today: HTML = reading.map { r -> HTML in
            // Today first (a holiday or an exception says so), then the state at this very moment.
            "<p>\(r.today).</p><p class=\"\(r.state == .open ? "open" : "meta")\" id=\"etat\">En ce moment : \(r.status)</p>"
        } ?? "<p class=\"meta\" id=\"etat\">Horaires non communiqués : appelez avant de vous déplacer.</p>"

        var address: [HTML] = p.address.lines.map { line -> HTML in "\(line)<br>" }
        address.append("\(p.address.postcode.rawValue) \(p.address.city)")
        let position: String = if served.location.position == nil {
            "non localisé"
        } else if served.location.isApproximate {
            "approximative (centre de la commune de \(p.address.city))"
        } else {
            "à l'adresse"
        }

        var contact: [HTML] = []
        if let phone = p.phone { contact.append("<dt>Téléphone</dt><dd>\(PublicFragments.phone(phone))</dd>") }
        for s in served.structures {
            if p.phone == nil, let phone = s.phone { contact.append("<dt>Téléphone (\(s.name))</dt><dd>\(PublicFragments.phone(phone))</dd>") }
            if let email = s.email { contact.append("<dt>Courriel (\(s.name))</dt><dd>\(PublicFragments.email(email))</dd>") }
            if let site = s.website { contact.append("<dt>Site web (\(s.name))</dt><dd>\(PublicFragments.website(site))</dd>") }
        }
        if contact.isEmpty { contact.append("<dt>Contact</dt><dd>non communiqué</dd>") }

        let structures = served.structures.html { s -> HTML in
            let host = p.structures.contains { $0.structureId == s.id && $0.isHost } && p.isLieuMutualise
            return """
                <li><h3>\(s.name)\(host ? HTML(" <span class=\"meta\">(structure d'accueil du lieu)</span>") : HTML())</h3>
                <p>\(s.network.label) : \(s.network.mission)</p>
                <p class="meta">Membre du service public régional de l'orientation : \(s.basis.label) ; référencement : \(s.referencing.state.label).</p></li>
                """
        }
        let languages = ["français"] + p.languages.map(language).filter { $0 != "français" }
        let free: HTML = switch p.freeOfCharge {
        case true?: "<dt>Coût</dt><dd>Accueil gratuit</dd>"
        case false?: "<dt>Coût</dt><dd>Certaines prestations sont payantes : renseignez-vous</dd>"
        case nil: HTML()
        }
        func list<V: Vocabulary>(_ values: [V], none: String) -> HTML {
            values.isEmpty ? "<p>\(none)</p>" : "<ul>\(values.html { "<li>\($0.label)</li>" })</ul>"
        }

        let confirmed = p.lastConfirmed.map { "dernière confirmation par la Région le \(PublicFragments.date($0))" }
            ?? "date de dernière confirmation non communiquée"
        let sources = served.sources.html { s -> HTML in
            "<li>\(content.regionName(s.region)) : fiche « \(s.id) », export n° \(s.exportVersion) du \(PublicFragments.date(s.generatedAt)) ; "
                + "dans l'annuaire national depuis le \(PublicFragments.date(s.firstHarvested)), modifiée en dernier le \(PublicFragments.date(s.lastChanged)).</li>"
        }
        let stale: HTML = content.expiry[served.region].map { now >= $0 } == true
            ? "<p class=\"erreurs\">Les données de la Région \(regionName) n'ont pas été renouvelées à temps : elles peuvent ne plus être à jour.</p>"
            : HTML()
        let channels = PublicFragments.channels(content.channels.indices.filter { content.channels[$0].region == served.region }.map { content.channelItems[$0] }, regionName: regionName, first: false)

        let main: HTML = """
            <p><a href="/">← Nouvelle recherche</a></p>
            <article class="fiche">
            <h1>\(p.name)</h1>
            <p class="meta">\(p.kind.label)\(p.isLieuMutualise ? HTML(text: " — lieu mutualisé : \(served.structures.count) structures y reçoivent") : HTML())</p>
            \(today)
            <section aria-labelledby="s-adresse"><h2 id="s-adresse">Adresse et contact</h2>
            <dl><dt>Adresse</dt><dd>\(address)</dd><dt>Position</dt><dd>\(position)</dd>\(contact)</dl></section>
            <section aria-labelledby="s-horaires"><h2 id="s-horaires">Horaires</h2>
            <p>\(content.search.hours(at: index).map { $0.frenchWeek() } ?? "Non communiqués.")</p></section>
            <section aria-labelledby="s-qui"><h2 id="s-qui">Qui vous reçoit</h2><ul>\(structures)</ul></section>
            <section aria-labelledby="s-services"><h2 id="s-services">Services</h2>\(list(p.services, none: "Non précisés."))</section>
            <section aria-labelledby="s-publics"><h2 id="s-publics">Publics</h2>\(list(p.publics, none: "Non précisés."))</section>
            <section aria-labelledby="s-accueil"><h2 id="s-accueil">Accueil</h2>
            \(list(p.receptionModes, none: "Modes d'accueil non précisés."))
            <dl><dt>Accessibilité</dt><dd>\(p.accessible ? "Accessible aux personnes en fauteuil roulant" : "Non déclaré accessible en fauteuil roulant")</dd>
            <dt>Langues</dt><dd>\(languages.joined(separator: ", "))</dd>\(free)</dl></section>
            <section aria-labelledby="s-sources"><h2 id="s-sources">Sources</h2>
            <p>Informations déclarées par la Région \(regionName) ; \(confirmed).</p>\(stale)
            <ul>\(sources)</ul></section>
            </article>
            \(channels)
            """
        return PublicLayout.page(title: "\(p.name) — Lieu d'accueil — SPRO", main: main)
    }

    /// A language's French name from its ISO 639-1 code; the code itself when not listed.
    static func language(_ code: String) -> String {
        let names = ["fr": "français", "en": "anglais", "es": "espagnol", "de": "allemand", "it": "italien", "pt": "portugais",
                     "ar": "arabe", "tr": "turc", "ru": "russe", "uk": "ukrainien", "zh": "chinois", "ro": "roumain", "pl": "polonais",
                     "br": "breton", "eu": "basque", "co": "corse", "oc": "occitan", "ca": "catalan", "nl": "néerlandais",
                     "fa": "persan", "ps": "pachto", "ta": "tamoul", "vi": "vietnamien", "wo": "wolof", "sw": "swahili",
                     "ht": "créole haïtien", "rcf": "créole réunionnais", "gcf": "créole guadeloupéen", "lsf": "langue des signes française"]
        return names[code.lowercased()] ?? code
    }
}

/// The public pages' refusals, as a French page with the right status (the API's stay JSON).
enum PublicPageError: HTTPResponseError {
    /// No served place has this id (withdrawn by its Région, or mistyped).
    case unknownPlace(String)
    /// No page at this path, asked for by a browser (the API's paths answer JSON).
    case noPage(path: String)

    var status: HTTPResponse.Status { .notFound }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        switch self {
        case .unknownPlace(let id):
            let main: HTML = """
                <h1>Lieu introuvable</h1>
                <p>Aucun lieu d'accueil ne porte l'identifiant « \(id) » dans l'annuaire. Il a peut-être été retiré par sa Région, ou l'adresse a été mal recopiée.</p>
                <p><a href="/">Chercher un lieu d'accueil près de chez vous</a></p>
                """
            return try HTMLPage(PublicLayout.page(title: "Lieu introuvable — SPRO", main: main), status: .notFound)
                .response(from: request, context: context)
        case .noPage(let path):
            let main: HTML = """
                <h1>Page introuvable</h1>
                <p>Il n'y a pas de page à l'adresse « \(path) ». Elle a peut-être été mal recopiée.</p>
                <p><a href="/">Chercher un lieu d'accueil près de chez vous</a> · <a href="/couverture">Couverture par bassin d'emploi</a> · <a href="/moissonnage">Moissonnage des Régions</a></p>
                """
            return try HTMLPage(PublicLayout.page(title: "Page introuvable — SPRO", main: main), status: .notFound)
                .response(from: request, context: context)
        }
    }
}
