import Coverage
import Directory
import Hummingbird
import ServerFoundation

/// Coverage per zone d'emploi: the French report at `/couverture`, and `/api/v1/coverage` with a zone's
/// or a Région's detail under it.
struct CoverageController {
    /// The report without its per-commune rows (they are in coverage-communes.csv): the API stays small.
    let summary: CoverageReport?
    let page: String?

    init(report: CoverageReport?, page: String?) {
        summary = report.map { report in
            var summary = report
            summary.communes = []
            return summary
        }
        self.page = page
    }

    /// Served before the report is computed, to people rather than programs: a page, not a JSON error.
    static let notComputedPage = #"<!doctype html><html lang="fr"><title>Couverture</title><p>Le rapport de couverture n'est pas encore calculé.</p></html>"#

    func addRoutes(to router: Router<NationalRequestContext>) {
        router.get("/couverture") { _, _ in
            page.map { HTMLPage($0) } ?? HTMLPage(Self.notComputedPage, status: .notFound)
        }
        router.get("/api/v1/coverage") { _, _ in JSONAnswer(.ok, try report()) }
        router.get("/api/v1/coverage/zones/:code", use: zone)
        router.get("/api/v1/coverage/regions/:code", use: region)
    }

    func report() throws -> CoverageReport {
        guard let summary else { throw NationalAPIError.notLoaded(.coverage) }
        return summary
    }

    struct ZoneDetail: Encodable, Sendable {
        let zone: ZoneCoverage
        let gaps: [CoverageGap]
    }

    @Sendable func zone(_ request: Request, context: NationalRequestContext) throws -> JSONAnswer<ZoneDetail> {
        let code = try context.parameters.require("code")
        let report = try report()
        guard let zoneCode = try? ZoneEmploiCode(code), let zone = report.zone(zoneCode) else {
            throw NationalAPIError.unknownCode(code, kind: .zoneEmploi)
        }
        return JSONAnswer(.ok, ZoneDetail(zone: zone, gaps: report.gaps(in: zoneCode)))
    }

    @Sendable func region(_ request: Request, context: NationalRequestContext) throws -> JSONAnswer<RegionCoverage> {
        let code = try context.parameters.require("code")
        guard let region = try report().regions.first(where: { $0.code.rawValue == code }) else {
            throw NationalAPIError.unknownCode(code, kind: .region)
        }
        return JSONAnswer(.ok, region)
    }
}
