import Foundation
import Hummingbird
import SproTestSupport
import Testing
@testable import NationalServer

/// The public search page in a real headless Chromium, used as a person would: Tab to the search box,
/// "Quimper" typed key by key, Enter; then the radius changed from the keyboard, and the page at a
/// phone's width. Serialized: one browser at a time on a two-core machine.
@Suite(.serialized) struct SearchPageBrowserTests {
    static func router() async throws -> Router<NationalRequestContext> {
        NationalApp.buildRouter(content: try await SearchMapTests.content())
    }

    /// What the page shows, read from its DOM.
    struct Shown: Decodable {
        /// `metres` only for a precise position: a commune's centre gives no distance.
        struct Item: Decodable { let id: String; let metres: Int?; let number: String; let text: String; let link: String?; let approximate: Bool }
        struct Dot: Decodable { let id: String; let number: String; let x: Double; let y: Double; let approximate: Bool }
        let status: String
        let items: [Item]
        let dots: [Dot]
        let origin: [Double]?
        let mapShown: Bool
        let mapRole: String?
        let mapLabel: String?
        let search: String
        let radius: String
        let notReloaded: Bool
    }

    /// The focused element.
    struct Focused: Decodable { let tag: String; let type: String; let label: String; let outline: String }

    static let readPage = """
        (function () {
          var map = document.querySelector("#carte svg");
          function at(g) { var m = g.transform.baseVal.consolidate().matrix; return [m.e, m.f]; }
          var here = map && map.querySelector(".origine");
          return {
            status: document.getElementById("status").textContent,
            items: Array.prototype.map.call(document.querySelectorAll("#results > li"), function (li) {
              var metres = li.getAttribute("data-distance-metres"), link = li.querySelector("h2 a");
              return { id: li.getAttribute("data-id"), metres: metres === null ? null : Number(metres),
                       number: li.querySelector(".num").textContent, text: li.textContent, link: link && link.getAttribute("href"),
                       approximate: li.hasAttribute("data-approximate") };
            }),
            dots: map ? Array.prototype.map.call(map.querySelectorAll(".point"), function (g) {
              var p = at(g);
              return { id: g.getAttribute("data-id"), number: g.querySelector("text").textContent, x: p[0], y: p[1],
                       approximate: g.classList.contains("approximatif") };
            }) : [],
            origin: here ? at(here) : null,
            mapShown: !document.getElementById("carte").hidden,
            mapRole: map && map.getAttribute("role"),
            mapLabel: map && map.getAttribute("aria-label"),
            search: location.search,
            radius: document.getElementById("radius").value,
            notReloaded: window.__sansRechargement === 1
          };
        })()
        """

    /// The list and the map agree: distances never decrease, the list is numbered 1…n, and the map has one
    /// dot per listed place, with the same number, inside the drawing.
    func expectListAndMapAgree(_ shown: Shown, sourceLocation: SourceLocation = #_sourceLocation) {
        let metres = shown.items.compactMap(\.metres)
        #expect(metres == metres.sorted(), "distances \(metres)", sourceLocation: sourceLocation)
        // Every place links to its page.
        #expect(shown.items.allSatisfy { $0.link == "/lieux/" + $0.id }, "\(shown.items.map(\.link))", sourceLocation: sourceLocation)
        #expect(shown.items.map(\.number) == shown.items.indices.map { String($0 + 1) }, sourceLocation: sourceLocation)
        #expect(shown.mapShown && shown.mapRole == "img", sourceLocation: sourceLocation)
        #expect(shown.dots.count == shown.items.count, "\(shown.dots.count) dots, \(shown.items.count) places", sourceLocation: sourceLocation)
        let dotByNumber = Dictionary(shown.dots.map { ($0.number, $0.id) }, uniquingKeysWith: { a, _ in a })
        #expect(shown.items.allSatisfy { dotByNumber[$0.number] == $0.id }, sourceLocation: sourceLocation)
        // A place located only at its commune's centre gives no distance in the list and is ringed with dashes on the map.
        let approximateDots = Set(shown.dots.filter(\.approximate).map(\.id))
        #expect(approximateDots == Set(shown.items.filter(\.approximate).map(\.id)), "\(approximateDots)", sourceLocation: sourceLocation)
        #expect(shown.items.allSatisfy { $0.approximate == ($0.metres == nil) }, sourceLocation: sourceLocation)
        let inside = { (x: Double, y: Double) in (0...SearchMap.width).contains(x) && (0...SearchMap.height).contains(y) }
        #expect(shown.dots.allSatisfy { inside($0.x, $0.y) }, "\(shown.dots)", sourceLocation: sourceLocation)
        #expect(shown.origin.map { inside($0[0], $0[1]) } == true, sourceLocation: sourceLocation)
    }

    /// Opens `/`, Tabs past the quick-access link to the search box, types "Quimper" and presses Enter.
    func searchQuimperByKeyboard(_ page: BrowserSession, base: String) async throws {
        try await page.navigate(base + "/")
        try await page.run("window.__sansRechargement = 1")  // gone if anything reloads the page
        try await page.press(.tab)
        #expect(try await page.evaluate("document.activeElement.getAttribute('href')", as: String?.self) == "#contenu")
        try await page.press(.tab)
        #expect(try await page.evaluate("document.activeElement.id", as: String.self) == "q")
        try await page.type("Quimper")
        #expect(try await page.evaluate("document.getElementById('q').value", as: String.self) == "Quimper")
        try await page.press(.enter)
        try await page.waitUntil("document.querySelectorAll('#carte svg .point').length > 0")
    }

    @Test func typingQuimperAndPressingEnterListsTheNearestPlacesAndNumbersThemOnTheMap() async throws {
        let shot = temporaryDirectory("recherche").appendingPathComponent("recherche-quimper.png")
        let (shown, png, picture) = try await Loopback.serve(try await Self.router()) { base in
            try await BrowserSession.run(width: 1200, height: 1000) { page in
                try await searchQuimperByKeyboard(page, base: base)
                let shown = try await page.evaluate(Self.readPage, as: Shown.self)
                let png = try await page.screenshot(to: shot)
                return (shown, png, try await Self.colours(of: png, in: page, looking: ["#00419e", "#f7f4ec", "#b00020"]))
            }
        }
        // Enter ran the search in the page: no reload, and the address bar holds a link to the search.
        #expect(shown.search == "?q=Quimper&rayon=20" && shown.notReloaded, "\(shown.search)")
        #expect(shown.status.contains("2 lieux d'accueil autour de Quimper (29000)"), "\(shown.status)")
        // Within the default 20 km: Quimper's two places, not Brest's (about 52 km away).
        #expect(Set(shown.items.map(\.id)) == ["53/quimper-cio", "53/quimper-shared"])
        #expect(shown.items.allSatisfy { $0.text.contains("29000 Quimper") }, "\(shown.items)")
        #expect(shown.items.compactMap(\.metres).allSatisfy { $0 < 3000 })
        // Hours in French, never in OSM syntax; a commune-centre position says so instead of a distance.
        let cio = try #require(shown.items.first { $0.id == "53/quimper-cio" })
        #expect(cio.text.contains("Horaires : Du lundi au dimanche de 8 h à 20 h"), "\(cio.text)")
        #expect(cio.text.contains("à Quimper (position approximative)") && !cio.text.contains(" 0 m") && cio.approximate, "\(cio.text)")
        #expect(shown.dots.first { $0.id == "53/quimper-cio" }?.approximate == true)
        let shared = try #require(shown.items.first { $0.id == "53/quimper-shared" })
        #expect(shared.text.contains("Du lundi au vendredi de 9 h à 12 h 30 et de 13 h 30 à 17 h ; fermé les jours fériés"), "\(shared.text)")
        #expect(shown.items.allSatisfy { !$0.text.contains("Mo-") && !$0.text.contains("PH off") }, "\(shown.items.map(\.text))")
        expectListAndMapAgree(shown)
        #expect(shown.mapLabel?.hasPrefix("Carte : 2 lieux d'accueil autour de Quimper") == true, "\(shown.mapLabel ?? "")")
        // The screenshot is a real picture of the page: full size, the header's blue, the map's land and
        // the red ring of the searched point, and the many shades of rendered text.
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 20_000, "\(png.count) bytes")
        #expect(Self.pngSize(png) == [1200, 1000])
        #expect(picture.count >= 50 && picture.present == [true, true, true], "\(picture)")
    }

    @Test func changingTheRadiusUpdatesListAndMapWithoutReloadingAndTheFormWorksByKeyboard() async throws {
        let (narrow, wide, focused, again) = try await Loopback.serve(try await Self.router()) { base in
            try await BrowserSession.run(width: 1200, height: 1000) { page in
                try await searchQuimperByKeyboard(page, base: base)
                let narrow = try await page.evaluate(Self.readPage, as: Shown.self)
                // The focus stays in the search box after Enter: Tab goes on to the radius, whose
                // arrow keys change it (20 → 50 → 100 km), each change searching again.
                try await page.press(.tab)
                #expect(try await page.evaluate("document.activeElement.id", as: String.self) == "radius")
                try await page.press(.arrowDown)
                try await page.press(.arrowDown)
                try await page.waitUntil(
                    "document.querySelectorAll('#carte svg .point').length === 4 && /^4 lieux/.test(document.getElementById('status').textContent)")
                let wide = try await page.evaluate(Self.readPage, as: Shown.self)
                // Tab reaches the submit button, visibly focused; Space activates it.
                try await page.press(.tab)
                let focused = try await page.evaluate("""
                    (function () { var el = document.activeElement;
                      return { tag: el.tagName, type: el.type || "", label: el.textContent, outline: getComputedStyle(el).outlineStyle }; })()
                    """, as: Focused.self)
                try await page.run("document.getElementById('results').innerHTML = ''")
                try await page.press(.space)
                try await page.waitUntil("document.querySelectorAll('#results > li').length === 4")
                let again = try await page.evaluate(Self.readPage, as: Shown.self)
                return (narrow, wide, focused, again)
            }
        }
        #expect(narrow.items.count == 2 && narrow.radius == "20")
        #expect(wide.radius == "100" && wide.notReloaded && wide.search == "?q=Quimper&rayon=100", "\(wide.search)")
        // Brest's two places join, after Quimper's: the list changed in place, and the map with it.
        #expect(wide.items.map(\.id).prefix(2).sorted() == narrow.items.map(\.id).sorted())
        #expect(Set(wide.items.map(\.id).suffix(2)) == ["53/brest-ml", "53/brest-ft"])
        #expect(wide.items.last.map { ($0.metres ?? 0) > 40_000 && ($0.metres ?? 0) < 70_000 } == true)
        expectListAndMapAgree(wide)
        #expect(focused.tag == "BUTTON" && focused.type == "submit" && focused.label == "Rechercher")
        #expect(focused.outline == "solid", "the keyboard focus is visible")
        #expect(again.items.map(\.id) == wide.items.map(\.id) && again.notReloaded)
    }

    @Test func atPhoneWidthTheResultsOfALinkedSearchFitWithoutSidewaysScrolling() async throws {
        let shot = temporaryDirectory("recherche").appendingPathComponent("recherche-mobile.png")
        struct Sizes: Decodable { let mapWidth: Double, buttonHeight: Double }
        let (shown, (fit, sizes), png) = try await Loopback.serve(try await Self.router()) { base in
            try await BrowserSession.run(width: 390, height: 844) { page in
                try await page.setViewport(width: 390, height: 844, mobile: true)
                // A shared link to a search runs it on load.
                try await page.navigate(base + "/?q=Quimper")
                try await page.waitUntil("document.querySelectorAll('#carte svg .point').length > 0")
                // A tap on the button searches again.
                try await page.run("document.getElementById('results').innerHTML = ''")
                try await page.click("#search button[type=submit]")
                try await page.waitUntil("document.querySelectorAll('#results > li').length > 0 && document.querySelector('#carte svg .point')")
                let fit = try await page.horizontalFit()
                let sizes = try await page.evaluate("""
                    ({ mapWidth: document.querySelector("#carte svg").getBoundingClientRect().width,
                       buttonHeight: document.querySelector("#search button[type=submit]").getBoundingClientRect().height })
                    """, as: Sizes.self)
                try await page.run("window.scrollTo(0, document.getElementById('status').offsetTop)")
                return (try await page.evaluate(Self.readPage, as: Shown.self), (fit, sizes), try await page.screenshot(to: shot))
            }
        }
        // A phone widens its layout viewport to the widest content: 390 px means nothing is wider.
        #expect(fit.innerWidth == 390, "too wide: \(fit.tooWide)")
        #expect(fit.scrollWidth <= fit.innerWidth, "the page is \(fit.scrollWidth) px wide in a \(fit.innerWidth) px viewport")
        #expect(fit.tooWide.isEmpty, "too wide: \(fit.tooWide)")
        #expect(sizes.mapWidth > 300 && sizes.mapWidth <= fit.innerWidth)
        #expect(sizes.buttonHeight >= 44, "a finger-sized button")
        #expect(shown.status.contains("autour de Quimper (29000)"))
        expectListAndMapAgree(shown)
        #expect(Self.pngSize(png) == [390, 844])
    }

    /// What a page without its script shows, read by the test (not by the page).
    struct Plain: Decodable {
        let path: String
        let search: String
        let hash: String
        let ids: [String]
        let links: [String]
        let status: String
        let h1: String
        let network: String
        let mapHidden: Bool
        let locateHidden: Bool
    }

    static let readPlain = """
        (function () {
          var items = Array.prototype.slice.call(document.querySelectorAll("#results > li"));
          var map = document.getElementById("carte"), locate = document.getElementById("locate");
          var network = document.getElementById("network"), h1 = document.querySelector("h1");
          return { path: location.pathname, search: location.search, hash: location.hash,
                   ids: items.map(function (li) { return li.getAttribute("data-id"); }),
                   links: items.map(function (li) { return li.querySelector("h2 a").getAttribute("href"); }),
                   status: (document.getElementById("status") || {}).textContent || "", h1: h1 ? h1.textContent : "",
                   network: network ? network.value : "", mapHidden: !map || map.hidden, locateHidden: !locate || locate.hidden };
        })()
        """

    @Test func withJavaScriptOffTheFormThePastedLinksPagingAndPlacePagesWork() async throws {
        let (typed, pasted, first, more, place) = try await Loopback.serve(try await Self.router()) { base in
            try await BrowserSession.run(width: 1200, height: 1000) { page in
                try await page.setScriptsEnabled(false)
                try await page.navigate(base + "/")
                try await page.press(.tab)  // "Aller au contenu"
                try await page.press(.tab)
                #expect(try await page.evaluate("document.activeElement.id", as: String.self) == "q")
                try await page.type("Quimper")
                // Enter sends the form: a new page, rendered by the server with its results.
                try await page.followingNavigation { try await page.press(.enter) }
                let typed = try await page.evaluate(Self.readPlain, as: Plain.self)
                try await page.navigate(base + "/?q=Brest&rayon=100&reseau=france_travail")
                let pasted = try await page.evaluate(Self.readPlain, as: Plain.self)
                try await page.navigate(base + "/?q=Brest&rayon=&nombre=2")
                let first = try await page.evaluate(Self.readPlain, as: Plain.self)
                try await page.followingNavigation { try await page.click("#plus") }
                let more = try await page.evaluate(Self.readPlain, as: Plain.self)
                try await page.followingNavigation { try await page.click("#r1 h2 a") }
                let place = try await page.evaluate(Self.readPlain, as: Plain.self)
                return (typed, pasted, first, more, place)
            }
        }
        #expect(typed.search.hasPrefix("?q=Quimper&rayon=20"), "\(typed.search)")
        #expect(Set(typed.ids) == ["53/quimper-cio", "53/quimper-shared"])
        #expect(typed.status.contains("2 lieux d'accueil autour de Quimper (29000)"), "\(typed.status)")
        #expect(typed.links == typed.ids.map { "/lieux/" + $0 })
        // Without a script there is no map to draw and no position to ask for: neither is offered.
        #expect(typed.mapHidden && typed.locateHidden)
        #expect(pasted.ids == ["53/brest-ft", "53/quimper-shared"] && pasted.network == "france_travail", "\(pasted)")
        #expect(first.ids.count == 2 && first.status.hasPrefix("Les 2 lieux"), "\(first)")
        #expect(more.ids.count == 4 && more.ids.prefix(2) == first.ids[...] && more.hash == "#r3", "\(more)")
        #expect(more.search.contains("nombre=12"))
        #expect(place.path == "/lieux/" + first.ids[0] && place.h1 == "Accueil " + first.ids[0].dropFirst(3), "\(place)")
    }

    @Test func aPastedLinkShowsItsSearchPagingLoadsInPlaceAndBackReturnsToThePreviousSearch() async throws {
        struct Step: Decodable { let search: String; let q: String; let focused: String }
        let read = "({ search: location.search, q: document.getElementById('q').value, focused: document.activeElement.id || '' })"
        let (pasted, quimper, back, more, moreStep) = try await Loopback.serve(try await Self.router()) { base in
            try await BrowserSession.run(width: 1200, height: 1000) { page in
                // Filters from a pasted link: the server's list, the script's map over it.
                try await page.navigate(base + "/?q=Brest&rayon=100&reseau=france_travail")
                try await page.run("window.__sansRechargement = 1")
                try await page.waitUntil("document.querySelectorAll('#carte svg .point').length === 2")
                let pasted = try await page.evaluate(Self.readPage, as: Shown.self)
                // A new search in the page, then Back: the previous search, its list and its form.
                try await page.run("document.getElementById('q').value = ''; document.getElementById('q').focus()")
                try await page.type("Quimper")
                try await page.press(.enter)
                try await page.waitUntil("/Quimper/.test(document.getElementById('status').textContent) && location.search.indexOf('Quimper') > 0")
                let quimper = try await page.evaluate(read, as: Step.self)
                try await page.run("history.back()")
                try await page.waitUntil("/autour de Brest/.test(document.getElementById('status').textContent) && document.getElementById('q').value === 'Brest'"
                                         + " && document.querySelectorAll('#carte svg .point').length === 2")
                let back = try await page.evaluate(Self.readPage, as: Shown.self)
                // "Plus de résultats" loads in place, the focus on the first new place.
                try await page.navigate(base + "/?q=Brest&rayon=&nombre=2")
                try await page.run("window.__sansRechargement = 1")
                try await page.click("#plus")
                try await page.waitUntil("document.querySelectorAll('#results > li').length === 4 && document.querySelectorAll('#carte svg .point').length === 4")
                return (pasted, quimper, back, try await page.evaluate(Self.readPage, as: Shown.self), try await page.evaluate(read, as: Step.self))
            }
        }
        #expect(pasted.items.map(\.id) == ["53/brest-ft", "53/quimper-shared"], "\(pasted.items.map(\.id))")
        expectListAndMapAgree(pasted)
        #expect(quimper.search == "?q=Quimper&rayon=100&reseau=france_travail", "\(quimper.search)")
        #expect(back.search == "?q=Brest&rayon=100&reseau=france_travail" && back.notReloaded, "\(back.search)")
        #expect(back.items.map(\.id) == pasted.items.map(\.id))
        expectListAndMapAgree(back)
        #expect(more.items.count == 4 && more.notReloaded)
        expectListAndMapAgree(more)
        #expect(moreStep.search == "?q=Brest&rayon=&nombre=12" && moreStep.focused == "r3", "\(moreStep)")
    }

    @Test func usingMyPositionSearchesAroundItAndTheLinkKeepsIt() async throws {
        let (shown, page) = try await Loopback.serve(try await Self.router()) { base in
            try await BrowserSession.run(width: 1200, height: 1000) { page in
                try await page.setPosition(lat: 48.39, lon: -4.49, grantingTo: base)
                try await page.navigate(base + "/")
                try await page.run("window.__sansRechargement = 1")
                try await page.click("#locate")
                try await page.waitUntil("document.querySelectorAll('#carte svg .point').length === 2")
                let shown = try await page.evaluate(Self.readPage, as: Shown.self)
                // The next filter goes on from the position, which the form now holds.
                try await page.run("var s = document.getElementById('network'); s.value = 'france_travail'; s.dispatchEvent(new Event('change', { bubbles: true }))")
                try await page.waitUntil("document.querySelectorAll('#results > li').length === 1 && location.search.indexOf('reseau=france_travail') > 0")
                return (shown, try await page.evaluate(Self.readPage, as: Shown.self))
            }
        }
        #expect(shown.search == "?lat=48.39000&lon=-4.49000&rayon=20" && shown.notReloaded, "\(shown.search)")
        #expect(shown.items.map(\.id) == ["53/brest-ml", "53/brest-ft"] && shown.status.contains("autour de votre position"), "\(shown.status)")
        expectListAndMapAgree(shown)
        #expect(page.items.map(\.id) == ["53/brest-ft"] && page.search == "?lat=48.39000&lon=-4.49000&rayon=20&reseau=france_travail", "\(page.search)")
    }

    @Test func atPhoneWidthAPlacePageFitsWithoutSidewaysScrolling() async throws {
        let (fit, h1) = try await Loopback.serve(try await Self.router()) { base in
            try await BrowserSession.run(width: 390, height: 844) { page in
                try await page.setViewport(width: 390, height: 844, mobile: true)
                try await page.navigate(base + "/lieux/53/quimper-shared")
                return (try await page.horizontalFit(), try await page.evaluate("document.querySelector('h1').textContent", as: String.self))
            }
        }
        #expect(h1 == "Accueil quimper-shared")
        #expect(fit.fits(390), "too wide: \(fit.tooWide)")
    }

    /// Width and height from a PNG's header chunk.
    static func pngSize(_ png: Data) -> [Int] {
        guard png.count > 24 else { return [] }
        let bytes = [UInt8](png.prefix(24))
        return [16, 20].map { at in bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
    }

    /// Counts a PNG's distinct colours and says which of `looking` (#rrggbb) it holds. The browser decodes
    /// it: Foundation has no PNG decoder on Linux, and no package is worth adding for a test.
    static func colours(of png: Data, in page: BrowserSession, looking: [String]) async throws -> (count: Int, present: [Bool]) {
        struct Count: Decodable { let count: Int; let present: [Bool] }
        let wanted = looking.map { "0x" + $0.dropFirst() }.joined(separator: ",")
        let result = try await page.evaluate("""
            (async function () {
              var bytes = Uint8Array.from(atob("\(png.base64EncodedString())"), function (c) { return c.charCodeAt(0); });
              var bitmap = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
              var canvas = new OffscreenCanvas(bitmap.width, bitmap.height), context = canvas.getContext("2d");
              context.drawImage(bitmap, 0, 0);
              var data = context.getImageData(0, 0, bitmap.width, bitmap.height).data, seen = new Set();
              for (var i = 0; i < data.length; i += 4) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
              return { count: seen.size, present: [\(wanted)].map(function (c) { return seen.has(c); }) };
            })()
            """, as: Count.self)
        return (result.count, result.present)
    }
}
