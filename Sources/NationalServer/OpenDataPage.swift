import Coverage
import Foundation
import OpenData
import SafeHTML

/// `/donnees`: the national open-data releases, in French, for reusers: what each file is, its size and
/// digest, the stable links to the latest, how to verify a release, and the read API.
enum OpenDataPage {
    /// What each file of a release is, for people.
    static let descriptions: [String: String] = [
        "structures.csv": "Structures (CSV)",
        "lieux.csv": "Points d'accueil (CSV)",
        "structures-des-lieux.csv": "Structures présentes dans chaque lieu (CSV)",
        "services-des-lieux.csv": "Services rendus dans chaque lieu (CSV)",
        "canaux.csv": "Canaux à distance : téléphone, tchat, visio, courriel (CSV)",
        "datapackage.json": "Description des tables CSV (Frictionless Data Package)",
        "lieux.geojson": "Points d'accueil pour les SIG (GeoJSON, WGS84)",
        "data-inclusion/structures.json": "Structures au schéma data·inclusion",
        "data-inclusion/services.json": "Services au schéma data·inclusion",
        "release.json": "Manifeste signé : liste des fichiers et leurs empreintes SHA-256",
        "release.json.sig": "Signature Ed25519 du manifeste",
    ]

    /// The HSDS tables, in French.
    static let hsdsTables: [String: String] = [
        "hsds/organizations.json": "organisations", "hsds/organization_identifiers.json": "identifiants (SIRET)",
        "hsds/services.json": "services", "hsds/locations.json": "lieux et canaux", "hsds/addresses.json": "adresses",
        "hsds/service_at_location.json": "services par lieu", "hsds/phones.json": "téléphones", "hsds/schedules.json": "horaires",
        "hsds/languages.json": "langues", "hsds/accessibility.json": "accessibilité",
    ]

    static func render(_ releases: [(folder: String, manifest: ReleaseManifest)]) -> HTML {
        let latest: HTML
        if let (folder, manifest) = releases.first {
            let rows = (manifest.files.map { (name: $0.name, bytes: $0.bytes, sha: $0.sha256) }
                + [(name: OpenDataRelease.manifestName, bytes: nil, sha: nil), (name: OpenDataRelease.signatureName, bytes: nil, sha: nil)])
                .html { file -> HTML in
                    let label = descriptions[file.name] ?? hsdsTables[file.name].map { "HSDS 3.0 (Open Referral) : \($0)" } ?? file.name
                    return """
                        <tr><td><a href="/donnees/derniere/\(file.name)">\(file.name)</a></td><td>\(label)</td>\
                        <td>\(file.bytes.map(size) ?? "")</td><td><code>\(file.sha.map { String($0.prefix(16)) + "…" } ?? "")</code></td></tr>
                        """
                }
            latest = """
                <h2>Dernière publication</h2>
                <p>Publiée le \(frenchDate(manifest.generatedAt)) (version \(manifest.version), dossier <code>\(folder)</code>) :
                \(French.integer(manifest.counts.places)) points d'accueil, \(French.integer(manifest.counts.structures)) structures, \(French.integer(manifest.counts.channels)) canaux à distance.</p>
                <table><caption>Fichiers de la dernière publication</caption>
                <thead><tr><th scope="col">Fichier</th><th scope="col">Contenu</th><th scope="col">Taille</th><th scope="col">SHA-256</th></tr></thead>
                <tbody>\(rows)</tbody></table>
                <p>Les liens <code>/donnees/derniere/…</code> mènent toujours à la dernière publication ; chaque publication garde aussi
                son adresse datée, <code>/donnees/\(folder)/…</code>.</p>
                """
        } else {
            latest = "<p>Aucune publication pour l'instant : la première est construite après le prochain moissonnage.</p>"
        }
        let older: HTML = releases.count > 1 ? """
            <h2>Publications précédentes</h2>
            <ul>\(releases.dropFirst().html { r -> HTML in
                "<li><a href=\"/donnees/\(r.folder)/\(OpenDataRelease.manifestName)\">\(frenchDate(r.manifest.generatedAt))</a> — version \(r.manifest.version), \(French.integer(r.manifest.counts.places)) points d'accueil</li>"
            })</ul>
            """ : ""
        let main: HTML = """
            <h1>Données ouvertes de l'annuaire national</h1>
            <p>L'annuaire national du Service public régional de l'orientation rassemble les structures que chaque Région référence,
            leurs points d'accueil et leurs canaux à distance, moissonnés depuis les exports signés des Régions, vérifiés et géocodés.
            Il est publié ici après chaque moissonnage, sous la <a href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/">Licence Ouverte 2.0</a>.
            Chaque enregistrement indique sa Région, son identifiant à la source, ses dates de premier moissonnage, de dernière
            modification et de dernière confirmation par la Région, et la précision de sa localisation. Seuls les contacts publics des
            organisations y figurent.</p>
            \(latest)
            <h2>Vérifier une publication</h2>
            <p>Le manifeste <code>release.json</code> donne la taille et l'empreinte SHA-256 de chaque fichier ; il est signé par la clé
            Ed25519 de l'annuaire national (registre de confiance <code>national.json</code>). Téléchargez le dossier, puis :
            <code>spro export verify release.json --registry REGISTRE</code>.</p>
            <h2>Interface de lecture</h2>
            <p>Les mêmes données se lisent aussi par l'API : <a href="/api/v1/places">/api/v1/places</a>,
            <a href="/api/v1/structures">/api/v1/structures</a>, <a href="/api/v1/channels">/api/v1/channels</a> (filtres par Région,
            département, commune, zone d'emploi, réseau, service, public, date de modification ; pagination par curseur ; ETag).</p>
            \(older)
            <p><a href="/">Retour à la recherche</a></p>
            """
        return PublicLayout.page(title: "Données ouvertes — annuaire national du SPRO", main: main)
    }

    /// "12,4 Mo", "830 ko", "512 octets", never broken across lines.
    static func size(_ bytes: Int) -> String {
        if bytes >= 1_000_000 { return French.decimal(Double(bytes) / 1_000_000) + "\u{A0}Mo" }
        if bytes >= 1_000 { return "\(bytes / 1_000)\u{A0}ko" }
        return "\(bytes)\u{A0}octets"
    }

    /// "5 décembre 2026 à 12 h 30 (UTC)".
    static func frenchDate(_ iso: String) -> String {
        guard let date = ISO8601DateFormatter().date(from: iso) else { return iso }
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        let months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
        return "\(c.day!) \(months[c.month! - 1]) \(c.year!) à \(c.hour!) h \(String(format: "%02d", c.minute!)) (UTC)"
    }
}
