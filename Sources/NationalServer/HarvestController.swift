import Directory
import Harvest
import Hummingbird
import NationalDirectory
import ServerFoundation

/// The latest harvest: `/moissonnage` for the national coordinators and the Régions (French page, also
/// before any harvest), `/moissonnage/<code>` with what one Région should fix, and their JSON for programs
/// (`/api/v1/harvest/report`, `/api/v1/harvest/<code>/anomalies`, which a node can fetch).
struct HarvestController {
    let report: HarvestReport?
    let anomalies: RegionAnomalies
    /// Régions harvested or with data in service: any other code is answered 404.
    let known: Set<RegionCode>

    init(report: HarvestReport?, anomalies: RegionAnomalies, states: [AcceptedState]) {
        self.report = report
        self.anomalies = anomalies
        known = Set((report?.regions.map(\.region) ?? []) + states.map(\.region))
    }

    func addRoutes(to router: Router<NationalRequestContext>) {
        router.get("/moissonnage") { _, _ in HTMLPage(HarvestPage.render(report, anomalies: anomalies)) }
        router.get("/api/v1/harvest/report") { _, _ in
            guard let report else { throw NationalAPIError.notLoaded(.harvestReport) }
            return JSONAnswer(.ok, report)
        }
        router.get("/moissonnage/:code") { _, context in
            let region = try region(context)
            return HTMLPage(HarvestPage.renderRegion(region, outcome: outcome(region), anomalies: anomalies.of(region)))
        }
        router.get("/api/v1/harvest/:code/anomalies") { _, context in
            let region = try region(context)
            let outcome = outcome(region)
            return JSONAnswer(.ok, RegionAnomalyReport(region: region, name: outcome?.name, harvestedAt: report?.finishedAt,
                                                       status: outcome?.status, anomalies: anomalies.of(region)))
        }
    }

    private func region(_ context: NationalRequestContext) throws -> RegionCode {
        let code = context.parameters.get("code") ?? ""
        guard let region = try? RegionCode(code), known.contains(region) else { throw NationalAPIError.unknownCode(code, kind: .region) }
        return region
    }

    private func outcome(_ region: RegionCode) -> RegionOutcome? {
        report?.regions.first { $0.region == region }
    }
}

/// `/api/v1/harvest/<code>/anomalies`: one Région's anomalies with the harvest they come from.
struct RegionAnomalyReport: Codable, Sendable {
    var region: RegionCode
    var name: String?
    /// When the latest harvest finished (nil before any).
    var harvestedAt: String?
    /// The Région's status in that harvest (nil if it was not harvested).
    var status: RegionOutcome.Status?
    var anomalies: [RegionAnomaly]
}
