import Directory
import Foundation
import Hummingbird
import NationalDirectory

/// The public search page's query as the form sends it and links carry it, every field as typed:
/// `/?q=Quimper&rayon=20&service=cep_niveau_1&public=jeunes_16_25&reseau=cio&sans_rdv=1&accessible=1&ouvert=1`
/// `&open_at=2026-07-14T10:00&nombre=20`, or `lat`/`lon` for "utiliser ma position". Read by the
/// framework's form decoder (a browser writes a space as `+`); other parameters are ignored, as a page
/// should (a link shared with tracking parameters still works).
struct SearchForm: Decodable, Equatable {
    var q: String?
    var lat: String?
    var lon: String?
    var rayon: String?
    var service: String?
    var audience: String?
    var reseau: String?
    var sansRendezVous: String?
    var accessible: String?
    var ouvert: String?
    var openAt: String?
    var nombre: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case q, lat, lon, rayon, service, audience = "public", reseau, sansRendezVous = "sans_rdv", accessible, ouvert
        case openAt = "open_at", nombre
    }

    init(q: String? = nil, lat: String? = nil, lon: String? = nil, rayon: String? = nil, service: String? = nil, audience: String? = nil,
         reseau: String? = nil, sansRendezVous: String? = nil, accessible: String? = nil, ouvert: String? = nil, openAt: String? = nil,
         nombre: String? = nil) {
        self.q = q
        self.lat = lat
        self.lon = lon
        self.rayon = rayon
        self.service = service
        self.audience = audience
        self.reseau = reseau
        self.sansRendezVous = sansRendezVous
        self.accessible = accessible
        self.ouvert = ouvert
        self.openAt = openAt
        self.nombre = nombre
    }

    /// The query of `request`, or nil when it cannot be read as a form at all (a broken `%` escape).
    init?(_ request: Request) {
        guard let form = try? URLEncodedFormDecoder().decode(SearchForm.self, from: request.uri.query ?? "") else { return nil }
        self = form
    }
}

/// One thing wrong with a search, said to the public: the field's label and what to do.
struct SearchProblem: Equatable {
    /// The form control it concerns (its `id`), to link to it and mark it invalid; nil for the search as a whole.
    var field: String?
    var message: String
}

/// The public search, checked: what to look for, around what, with which filters, and how many results.
/// Every value the page links to is written back from here (`url`), so a link reproduces the search.
struct PublicSearch {
    /// The radius when the URL gives none: the form's default. `rayon=` (empty) means no limit.
    static let defaultRadiusKm = 20.0
    /// Results per step of "plus de résultats", and the most a page shows.
    static let step = 10, maximumCount = 100
    /// The radii the form offers; another one from a URL is added to them.
    static let radii: [Double] = [5, 10, 20, 50, 100]

    var form: SearchForm
    var q = ""
    var position: GeoPoint?
    var radiusKm: Double? = defaultRadiusKm
    var filter = SearchFilter()
    var openNow = false
    /// `open_at` as given, when it reads as a moment.
    var openAt: String?
    var count = step
    var problems: [SearchProblem] = []

    /// Checks `form`; `now` is the instant "ouvert maintenant" refers to.
    init(_ form: SearchForm, now: Date) {
        self.form = form
        q = (form.q ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if let rayon = form.rayon {
            let value = rayon.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
            if value.isEmpty {
                radiusKm = nil
            } else if let r = Double(value), r.isFinite, r > 0, r <= 1000 {
                radiusKm = r
            } else {
                problems.append(SearchProblem(field: "radius", message: "Distance maximale : « \(rayon) » n'est pas une distance en kilomètres (plus de 0 et au plus 1000)."))
            }
        }
        filter.service = vocabulary(form.service, field: "service", label: "Service", what: "un service proposé")
        filter.publicServed = vocabulary(form.audience, field: "public", label: "Public", what: "un public accueilli")
        filter.network = vocabulary(form.reseau, field: "network", label: "Réseau", what: "un réseau connu")
        if check(form.sansRendezVous, field: "sans_rdv", label: "Sans rendez-vous") { filter.sansRendezVous = true }
        if check(form.accessible, field: "accessible", label: "Accessible en fauteuil roulant") { filter.accessible = true }
        openNow = check(form.ouvert, field: "open_now", label: "Ouvert maintenant")
        if let value = form.openAt?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
            if let moment = ISOInstant.parse(value).map(SearchMoment.instant) ?? NearestParameters.localTime(value) {
                filter.openAt = moment
                openAt = value
            } else {
                problems.append(SearchProblem(field: "open_at", message: "Ouvert le : « \(value) » n'est pas une date et une heure (par exemple 2026-07-14T10:00)."))
            }
        } else if openNow {
            filter.openAt = .instant(now)
        }
        if let nombre = form.nombre, !nombre.isEmpty {
            if let n = Int(nombre), (1...Self.maximumCount).contains(n) {
                count = n
            } else {
                problems.append(SearchProblem(field: nil, message: "Nombre de résultats : « \(nombre) » doit être un entier entre 1 et \(Self.maximumCount)."))
            }
        }
        if q.isEmpty, form.lat != nil || form.lon != nil {
            if let lat = form.lat.flatMap(Double.init), let lon = form.lon.flatMap(Double.init), (-90...90).contains(lat), (-180...180).contains(lon) {
                position = GeoPoint(lat: lat, lon: lon)
            } else {
                problems.append(SearchProblem(field: "q", message: "Votre position n'a pas pu être lue. Saisissez une commune ou un code postal."))
            }
        }
        if q.count > 200 {
            problems.append(SearchProblem(field: "q", message: "La recherche fait \(q.count) caractères ; elle doit en faire 200 au plus."))
        }
    }

    /// Whether the page was opened without a search (the bare `/`): it shows the empty form.
    var isBlank: Bool { form == SearchForm() }

    /// Whether a search was asked but says neither where nor what: the form was sent empty.
    var lacksQuery: Bool { !isBlank && q.isEmpty && position == nil }

    private mutating func vocabulary<V: Vocabulary>(_ value: String?, field: String, label: String, what: String) -> V? {
        guard let value, !value.isEmpty else { return nil }
        guard let v = V(rawValue: value) else {
            problems.append(SearchProblem(field: field, message: "\(label) : « \(value) » n'est pas \(what). Choisissez dans la liste."))
            return nil
        }
        return v
    }

    private mutating func check(_ value: String?, field: String, label: String) -> Bool {
        switch value?.lowercased() {
        case nil, "", "0", "non", "false": return false
        case "1", "on", "oui", "true": return true
        case let other?:
            problems.append(SearchProblem(field: field, message: "\(label) : « \(other) » ne se lit ni oui ni non (1 ou 0)."))
            return false
        }
    }

    /// The page of this search, with `q` (a homonym chosen), `radiusKm` (widened) or `count` (more
    /// results) changed, and `fragment` to jump to. Empty and default values are left out.
    func url(q: String? = nil, radiusKm: Double?? = nil, count: Int? = nil, fragment: String? = nil) -> String {
        var items: [(String, String)] = []
        let q = q ?? self.q
        if !q.isEmpty {
            items.append(("q", q))
        } else if let position {
            items.append(("lat", String(format: "%.5f", position.lat)))
            items.append(("lon", String(format: "%.5f", position.lon)))
        }
        let radius = radiusKm ?? self.radiusKm
        items.append(("rayon", radius.map(Self.kilometres) ?? ""))
        if let v = filter.service { items.append(("service", v.rawValue)) }
        if let v = filter.publicServed { items.append(("public", v.rawValue)) }
        if let v = filter.network { items.append(("reseau", v.rawValue)) }
        if filter.sansRendezVous == true { items.append(("sans_rdv", "1")) }
        if filter.accessible == true { items.append(("accessible", "1")) }
        if let openAt { items.append(("open_at", openAt)) } else if openNow { items.append(("ouvert", "1")) }
        let count = count ?? self.count
        if count != Self.step { items.append(("nombre", String(count))) }
        return "/?" + items.map { "\($0.0)=\(Self.escaped($0.1))" }.joined(separator: "&") + (fragment.map { "#" + $0 } ?? "")
    }

    /// "20", "2.5": a radius as the URL and the form's options write it.
    static func kilometres(_ r: Double) -> String {
        r == r.rounded() ? String(Int(r)) : String(r)
    }

    /// A query value percent-encoded: letters, digits and `-._~` stay, a space is `%20`.
    static func escaped(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:")
}
