import Directory
import Foundation
import Geocoding
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NationalDirectory
import ServerFoundation
import SproTestSupport
import Testing
@testable import NationalServer

/// The public pages rendered on the server, through the real router: the search at `/` with its results
/// in the HTML, and each place's page at `/lieux/…`. What a person without JavaScript gets.
@Suite struct PublicPagesTests {
    struct Page {
        let status: HTTPResponse.Status
        let type: String?
        /// The markup as sent.
        let raw: String
        /// The markup with the escaped characters back (`&#39;` is `'`), to compare with French text.
        var html: String {
            raw.replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        }

        /// The ids of the listed places, in order.
        var listed: [String] { html.matches(of: /<li class="result" id="r[0-9]+" data-id="([^"]+)"/).map { String($0.1) } }
        /// The status line's text.
        var status_: String { html.firstMatch(of: /<p id="status"[^>]*>([^<]*)<\/p>/).map { String($0.1) } ?? "" }
    }

    static func get(_ client: some TestClientProtocol, _ uri: String) async throws -> Page {
        try await client.execute(uri: uri, method: .get) { response in
            Page(status: response.status, type: response.headers[.contentType], raw: String(buffer: response.body))
        }
    }

    static func app(_ content: NationalContent? = nil) async throws -> some ApplicationProtocol {
        if let content { return NationalAppTests.app(content) }
        return NationalAppTests.app(try await NationalAppTests.content())
    }

    @Test func theSearchIsRenderedOnTheServerWithLinksToEachPlace() async throws {
        try await Self.app().test(.router) { client in
            let page = try await Self.get(client, "/?q=Quimper")
            #expect(page.status == .ok && page.type == "text/html; charset=utf-8")
            #expect(Set(page.listed) == ["53/quimper-cio", "53/quimper-shared"], "\(page.listed)")
            #expect(page.status_.contains("2 lieux d'accueil autour de Quimper (29000) à moins de 20 km"), "\(page.status_)")
            // Each result links to its page; the form keeps the search; hours in French, no OSM syntax.
            #expect(page.html.contains("<a href=\"/lieux/53/quimper-cio\">Accueil quimper-cio</a>"))
            #expect(page.html.contains("<a href=\"/lieux/53/quimper-shared\">Accueil quimper-shared</a>"))
            #expect(page.html.contains("id=\"q\" name=\"q\" value=\"Quimper\""))
            #expect(page.html.contains("<option value=\"20\" selected>20 km</option>"))
            #expect(page.html.contains("Du lundi au vendredi de 9 h à 12 h 30 et de 13 h 30 à 17 h ; fermé les jours fériés"))
            #expect(!page.html.contains("Mo-Fr") && !page.html.contains("PH off"))
            // A commune-centre position says where, never "0 m"; every service is shown, CEP niveau 2 included.
            #expect(page.html.contains("à Quimper (position approximative)") && !page.html.contains(">à 0 m<"))
            #expect(page.html.contains("<li>CEP niveau 2</li>") || page.html.contains("CEP niveau 2"), "every tag is listed")
            // The canonical URL the script keeps in the address bar.
            #expect(page.html.contains("data-url=\"/?q=Quimper&rayon=20\""))
            // The bare page: the form alone, no results, no error.
            let blank = try await Self.get(client, "/")
            #expect(blank.status == .ok && blank.listed.isEmpty && blank.status_.isEmpty)
            #expect(blank.html.contains("<option value=\"20\" selected>20 km</option>"))
        }
    }

    @Test func filtersInAPastedURLApplyAndStaySelectedInTheForm() async throws {
        try await Self.app().test(.router) { client in
            let ft = try await Self.get(client, "/?q=Brest&rayon=100&reseau=france_travail")
            #expect(ft.listed == ["53/brest-ft", "53/quimper-shared"], "\(ft.listed)")
            #expect(ft.html.contains("<option value=\"france_travail\" selected>France Travail</option>"))
            #expect(ft.html.contains("<option value=\"100\" selected>100 km</option>"))
            let walkIn = try await Self.get(client, "/?q=Brest&rayon=100&sans_rdv=1&accessible=on")
            #expect(walkIn.listed == ["53/brest-ml", "53/quimper-shared"], "\(walkIn.listed)")
            #expect(walkIn.html.contains("id=\"sans_rdv\" name=\"sans_rdv\" value=\"1\" checked"))
            // `+` is a space, as a browser sends the form; a wall-clock `open_at` reads each place's own clock.
            let sunday = try await Self.get(client, "/?q=29200+Brest&rayon=&open_at=2026-07-12T10:00")
            #expect(sunday.listed == ["53/quimper-cio"], "\(sunday.listed)")
            #expect(sunday.html.contains("value=\"2026-07-12T10:00\""))
            #expect(sunday.html.contains("<option value=\"\" selected>Sans limite</option>"))
            let service = try await Self.get(client, "/?q=Brest&rayon=&service=informer_metiers&public=scolaires")
            #expect(service.listed == ["53/quimper-cio"])
        }
    }

    @Test func aPositionSearchesAroundItAndTheFormKeepsItForTheNextFilter() async throws {
        try await Self.app().test(.router) { client in
            let page = try await Self.get(client, "/?lat=48.39&lon=-4.49&rayon=10")
            #expect(page.status == .ok && page.listed == ["53/brest-ml", "53/brest-ft"], "\(page.listed)")
            #expect(page.status_.contains("autour de votre position à moins de 10 km"), "\(page.status_)")
            #expect(page.html.contains("<input type=\"hidden\" name=\"lat\" value=\"48.39000\"><input type=\"hidden\" name=\"lon\" value=\"-4.49000\">"))
            #expect(page.html.contains("data-url=\"/?lat=48.39000&lon=-4.49000&rayon=10\""))
            // The Région of the places found: Bretagne's line beside them.
            #expect(page.html.contains("Joindre un conseiller à distance en Bretagne"))
            // A place typed wins over the position, which the form then drops.
            let typed = try await Self.get(client, "/?q=Quimper&lat=48.39&lon=-4.49")
            #expect(typed.status_.contains("autour de Quimper") && !typed.html.contains("name=\"lat\""))
            let bad = try await Self.get(client, "/?lat=abc&lon=-4.49")
            #expect(bad.status == .badRequest && bad.status_.contains("Votre position n'a pas pu être lue"))
        }
    }

    @Test func moreResultsIsALinkThatShowsTheNextOnes() async throws {
        try await Self.app().test(.router) { client in
            let first = try await Self.get(client, "/?q=Brest&rayon=&nombre=2")
            #expect(Set(first.listed) == ["53/brest-ml", "53/brest-ft"])
            #expect(first.status_.hasPrefix("Les 2 lieux d'accueil les plus proches autour de Brest"), "\(first.status_)")
            let link = try #require(first.html.firstMatch(of: /<a id="plus" data-live href="([^"]+)">Plus de résultats<\/a>/)).1
            #expect(link == "/?q=Brest&rayon=&nombre=12#r3")
            let next = try await Self.get(client, String(link).replacingOccurrences(of: "&amp;", with: "&").components(separatedBy: "#")[0])
            #expect(next.listed.prefix(2) == first.listed[...] && Set(next.listed.suffix(2)) == ["53/quimper-shared", "53/quimper-cio"])
            #expect(next.html.contains("id=\"r3\"") && !next.html.contains("Plus de résultats"))
        }
    }

    @Test func errorsAreInFrenchInThePageWithTheFormKeptFilled() async throws {
        try await Self.app().test(.router) { client in
            let unknown = try await Self.get(client, "/?q=zzzzqqq&service=cep_niveau_1")
            #expect(unknown.status == .badRequest && unknown.type == "text/html; charset=utf-8")
            #expect(unknown.status_.contains("Aucune commune ne correspond à « zzzzqqq »"), "\(unknown.status_)")
            #expect(unknown.html.contains("id=\"q\" name=\"q\" value=\"zzzzqqq\""))
            #expect(unknown.html.contains("aria-invalid=\"true\""))
            #expect(unknown.html.contains("<option value=\"cep_niveau_1\" selected>"))
            #expect(!unknown.html.contains("not found") && !unknown.html.contains("no commune"))
            let cases: [(String, String)] = [
                ("/?q=Brest&rayon=abc", "Distance maximale : « abc »"),
                ("/?q=Brest&service=astrologie", "Service : « astrologie »"),
                ("/?q=Brest&public=martiens", "Public : « martiens »"),
                ("/?q=Brest&open_at=demain", "Ouvert le : « demain »"),
                ("/?q=Brest&nombre=0", "Nombre de résultats : « 0 »"),
                ("/?q=&rayon=20", "Indiquez une adresse, un code postal, une commune"),
                ("/?q=99999", "« 99999 » n'est ni un code postal connu"),
                ("/?q=%ZZ", "mal formée"),
            ]
            for (uri, message) in cases {
                let page = try await Self.get(client, uri)
                #expect(page.status == .badRequest, "\(uri)")
                #expect(page.status_.contains(message), "\(uri): \(page.status_)")
                #expect(page.html.contains("<form id=\"search\""), "\(uri)")
            }
            // Two mistakes: both said, each linking to its field.
            let two = try await Self.get(client, "/?q=Brest&rayon=abc&reseau=zzz")
            #expect(two.html.contains("<li><a href=\"#radius\">") && two.html.contains("<li><a href=\"#network\">"))
        }
    }

    @Test func aNameSeveralCommunesBearAsksWhichOne() async throws {
        try await Self.app().test(.router) { client in
            let page = try await Self.get(client, "/?q=Saint-Denis")
            #expect(page.status == .ok && page.listed.isEmpty)
            #expect(page.status_.contains("Plusieurs communes s'appellent « Saint-Denis »"), "\(page.status_)")
            let choices = page.html.matches(of: /<li><a data-live href="([^"]+)">([^<]+)<\/a><\/li>/).map { (String($0.1), String($0.2)) }
            #expect(Set(choices.map(\.1)).isSuperset(of: ["Saint-Denis (La Réunion)", "Saint-Denis (Seine-Saint-Denis)"]), "\(choices)")
            let seineSaintDenis = try #require(choices.first { $0.1 == "Saint-Denis (Seine-Saint-Denis)" }).0
            let chosen = try await Self.get(client, seineSaintDenis.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(chosen.status == .ok)
            #expect(chosen.status_.contains("autour de Saint-Denis (93"), "\(chosen.status_)")
            // Every choice leads to its commune, without asking again.
            for (link, label) in choices {
                let page = try await Self.get(client, link)
                #expect(page.status == .ok && page.status_.contains("autour de Saint-Denis ("), "\(label): \(page.status_)")
                #expect(!page.html.contains("Quelle commune ?"), "\(label)")
            }
            // With its département, the name is no longer ambiguous.
            let reunion = try await Self.get(client, "/?q=Saint-Denis%20974")
            #expect(reunion.status_.contains("autour de Saint-Denis (974)") || reunion.status_.contains("autour de Saint-Denis (97"), "\(reunion.status_)")
        }
    }

    @Test func placesAreFoundByNameAsWellAsByPlace() async throws {
        try await Self.app().test(.router) { client in
            let byName = try await Self.get(client, "/?q=accueil%20quimper")
            #expect(byName.listed == ["53/quimper-cio", "53/quimper-shared"], "\(byName.listed)")
            #expect(byName.status_.contains("dont le nom correspond à « accueil quimper »"), "\(byName.status_)")
            // A network's name finds the places where it receives, wherever they are.
            let network = try await Self.get(client, "/?q=France%20Travail")
            #expect(Set(network.listed) == ["53/brest-ft", "53/quimper-shared"], "\(network.listed)")
            // A commune stays a search by place.
            let commune = try await Self.get(client, "/?q=Brest")
            #expect(commune.status_.contains("autour de Brest"), "\(commune.status_)")
        }
    }

    @Test func theNameIndexMatchesWordBeginningsWhateverTheAccents() async throws {
        let content = try await NationalAppTests.content()
        let names = content.names
        func ids(_ q: String) -> Set<String> { Set(names.matches(q).map { content.search.places[$0].place.id }) }
        #expect(ids("accueil quimp") == ["quimper-cio", "quimper-shared"])
        #expect(ids("ACCUEÏL brest-ml") == ["brest-ml"])
        #expect(ids("centre d'information") == ["quimper-cio"])
        #expect(ids("de la").isEmpty && ids("").isEmpty && ids("zzz").isEmpty)
    }

    @Test func eachPlaceHasItsPageInFrench() async throws {
        try await Self.app().test(.router) { client in
            let page = try await Self.get(client, "/lieux/53/quimper-shared")
            #expect(page.status == .ok && page.type == "text/html; charset=utf-8")
            let html = page.html
            #expect(html.contains("<html lang=\"fr\">") && html.contains("<h1>Accueil quimper-shared</h1>"))
            // Who receives there and what each does.
            #expect(html.contains("lieu mutualisé : 2 structures y reçoivent"))
            #expect(html.contains("Mission locale : Accompagne les jeunes de 16 à 25 ans"))
            #expect(html.contains("France Travail : Accompagne les demandeurs d'emploi"))
            // Services, publics, reception, hours in French, accessibility, languages.
            #expect(html.contains("<li>CEP niveau 1</li>") || html.contains(Service.cep1.label))
            #expect(html.contains("<li>\(Service.cep2.label)</li>") && html.contains("<li>\(Public.jeunes.label)</li>"))
            #expect(html.contains("<li>\(ReceptionMode.sansRendezVous.label)</li>"))
            #expect(html.contains("Du lundi au vendredi de 9 h à 12 h 30 et de 13 h 30 à 17 h ; fermé les jours fériés"))
            #expect(html.contains("Accessible aux personnes en fauteuil roulant") && html.contains("<dd>français</dd>"))
            #expect(html.matches(of: /aujourd'hui de 9 h à 12 h 30 et de 13 h 30 à 17 h\.|Fermé aujourd'hui/).count == 1, "today's hours")
            #expect(html.matches(of: /id="etat">En ce moment : (Ouvert|Fermé)/).count == 1, "the state now")
            // Sources, the Région, its channels.
            #expect(html.contains("Informations déclarées par la Région Bretagne"))
            #expect(html.contains("export n° 3"))
            #expect(html.contains("Numéro unique orientation Bretagne") && html.contains("<a href=\"tel:0800100200\">0 800 100 200</a>"))
            #expect(!html.contains("Mo-Fr") && !html.contains("PH off"))

            let approximate = try await Self.get(client, "/lieux/53/quimper-cio")
            #expect(approximate.html.contains("approximative (centre de la commune de Quimper)"))

            for (uri, id) in [("/lieux/53/nulle-part", "53/nulle-part"), ("/lieux/84/quimper-cio", "84/quimper-cio"),
                              ("/lieux/53/%3Cscript%3E", "53/&lt;script&gt;")] {
                let missing = try await Self.get(client, uri)
                #expect(missing.status == .notFound && missing.type == "text/html; charset=utf-8", "\(uri)")
                #expect(missing.html.contains("<h1>Lieu introuvable</h1>") && missing.html.contains("<html lang=\"fr\">"), "\(uri)")
                // The id as typed, and as text.
                #expect(!missing.raw.contains("<script>") && missing.raw.contains("« \(id) »"), "\(uri)")
            }

            // A browser at a path with no page gets a French page; the API and other clients keep the JSON shape.
            let browser: HTTPFields = [.accept: "text/html,application/xhtml+xml,*/*;q=0.8"]
            for uri in ["/lieux/53", "/lieux", "/nulle-part%3Cb%3E"] {
                let page = try await client.execute(uri: uri, method: .get, headers: browser) { response in
                    (status: response.status, type: response.headers[.contentType], body: String(buffer: response.body))
                }
                #expect(page.status == .notFound && page.type == "text/html; charset=utf-8", "\(uri)")
                #expect(page.body.contains("<h1>Page introuvable</h1>") && page.body.contains("<a href=\"/\">") && !page.body.contains("<b>"), "\(uri)")
            }
            for (uri, headers) in [("/api/v1/nulle-part", browser), ("/lieux/53", HTTPFields())] {
                let refusal = try await client.execute(uri: uri, method: .get, headers: headers) { response in
                    (status: response.status, type: response.headers[.contentType], body: String(buffer: response.body))
                }
                #expect(refusal.status == .notFound && refusal.type?.hasPrefix("application/json") == true, "\(uri)")
                #expect(refusal.body.contains("\"code\":\"not_found\""), "\(uri)")
            }
        }
    }

    /// A Guyane with its freephone and one place in Cayenne, beside the Brest and Quimper fixture.
    static func withGuyane() async throws -> NationalContent {
        let file = try await NationalAppTests.storeFile()
        let store = try NationalStore(path: file.path)
        let guyane = RegionCode(unchecked: "03")
        let structure = Fixtures.structure("03-ML-1")
        let place = Fixtures.place("cayenne-ml", structures: ["03-ML-1"], postcode: "97300", city: "Cayenne", commune: "97302",
                                   coordinates: GeoPoint(lat: 4.9333, lon: -52.3300))
        let r = NationalAppTests.geocoder.geocode(place.address, given: place.coordinates)
        let location = PlaceLocation(commune: r.commune, zone: nil, position: r.position, precision: r.precision.rawValue, score: r.score,
                                     reason: r.reason, coordinatesFlag: r.coordinatesFlag)
        let freephone = Channel(id: "03-CANAL-1", name: "Numéro vert orientation Guyane", kind: .telephone, address: "0 800 973 973",
                                contributors: ["03-ML-1"], openingHours: "Mo-Fr 08:00-17:00; PH off")
        try await store.replace(with: RegionSnapshot(region: guyane, version: 1, contentHash: "g", etag: nil, keyId: "k",
                                                     generatedAt: ISOInstant.string(Date()), expiresAt: ISOInstant.string(Date().addingTimeInterval(3600)),
                                                     charters: [], structures: [structure], places: [(place, location)], indicators: [],
                                                     tombstones: [], channels: [freephone]),
                                acceptedAt: Date())
        return try await NationalContent.load(from: store, resolveQuery: QueryResolution.resolver(reference: TestReference.pack, geocoder: NationalAppTests.geocoder),
                                              reference: TestReference.pack)
    }

    @Test func theRegionsChannelsStandBesideTheResultsAndComeFirstWhenNothingIsNear() async throws {
        try await Self.app(try await Self.withGuyane()).test(.router) { client in
            // Saül: nothing within 20 km, the Guyane freephone first, then a wider search.
            let saul = try await Self.get(client, "/?q=Sa%C3%BCl")
            #expect(saul.status == .ok && saul.listed.isEmpty)
            #expect(saul.status_.contains("Aucun lieu d'accueil à moins de 20 km autour de Saül"), "\(saul.status_)")
            #expect(saul.html.contains("À distance, en Guyane : un conseiller vous répond"))
            #expect(saul.html.contains("Numéro vert orientation Guyane") && saul.html.contains("<a href=\"tel:0800973973\">0 800 973 973</a>"))
            #expect(saul.html.contains("Du lundi au vendredi de 8 h à 17 h"))
            #expect(!saul.html.contains("Bretagne"), "only the Région searched in")
            let wider = try #require(saul.html.firstMatch(of: /<a data-live href="([^"]+)">Chercher sans limite de distance<\/a>/)).1
            let all = try await Self.get(client, String(wider).replacingOccurrences(of: "&amp;", with: "&"))
            #expect(all.listed.first == "03/cayenne-ml", "\(all.listed)")
            #expect(all.html.contains("Joindre un conseiller à distance en Guyane"))
            // In Bretagne, Bretagne's line beside the results.
            let quimper = try await Self.get(client, "/?q=Quimper")
            #expect(quimper.html.contains("Joindre un conseiller à distance en Bretagne") && quimper.html.contains("Numéro unique orientation Bretagne"))
            #expect(!quimper.html.contains("Guyane"))
        }
    }
}
