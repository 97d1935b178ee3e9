import Harvest
import Hummingbird
import NationalDirectory
import ServerFoundation

/// The latest harvest: `/moissonnage` for the national coordinators and the Régions (French page, also
/// before any harvest), `/api/v1/harvest/report` for programs.
struct HarvestController {
    let report: HarvestReport?

    func addRoutes(to router: Router<NationalRequestContext>) {
        router.get("/moissonnage") { _, _ in HTMLPage(HarvestPage.render(report)) }
        router.get("/api/v1/harvest/report") { _, _ in
            guard let report else { throw NationalAPIError.notLoaded(.harvestReport) }
            return JSONAnswer(.ok, report)
        }
    }
}
