import Foundation
import Hummingbird

/// The public pages: the search at `/` (rendered with its results, see `SearchPage`) and each place's
/// page at `/lieux/<région>/<id>`, over the content the router was built with.
struct PagesController {
    let content: NationalContent

    func addRoutes(to router: Router<NationalRequestContext>) {
        router.get("/", use: search)
        router.get("/lieux/:region/:id", use: place)
    }

    @Sendable func search(_ request: Request, context: NationalRequestContext) -> HTMLPage {
        guard let form = SearchForm(request) else {
            let unread = SearchOutcome.problems([SearchProblem(field: nil, message: "L'adresse de cette recherche est mal formée : refaites la recherche depuis le formulaire.")])
            return HTMLPage(SearchPage.render(PublicSearch(SearchForm(), now: Date()), unread, content: content), status: .badRequest)
        }
        // The clock is read once per page: every place's hours are read at the same moment.
        let now = Date()
        let search = PublicSearch(form, now: now)
        let outcome = SearchOutcome.run(search, content: content, now: now)
        let status: HTTPResponse.Status = if case .problems = outcome { .badRequest } else { .ok }
        return HTMLPage(SearchPage.render(search, outcome, content: content), status: status)
    }

    @Sendable func place(_ request: Request, context: NationalRequestContext) throws -> HTMLPage {
        let region = context.parameters.get("region") ?? "", raw = context.parameters.get("id") ?? ""
        let id = (region.removingPercentEncoding ?? region) + "/" + (raw.removingPercentEncoding ?? raw)
        guard let index = content.byId[id] else { throw PublicPageError.unknownPlace(id) }
        return HTMLPage(PlacePage.render(index: index, content: content, now: Date()))
    }
}
