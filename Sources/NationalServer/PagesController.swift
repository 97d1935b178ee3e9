import Hummingbird

/// The public search page at `/`: the same page for everyone, its filters written from the vocabularies.
struct PagesController {
    func addRoutes(to router: Router<NationalRequestContext>) {
        router.get("/") { _, _ in HTMLPage(SearchPage.html) }
    }
}
