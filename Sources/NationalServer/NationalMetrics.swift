import Directory
import Foundation
import Harvest
import Metrics
import NationalDirectory

/// The national directory's own gauges for `/metrics`, beside the request counts and durations of
/// `MetricsMiddleware`: what is served, and how each Région's last harvest went.
///
///     spro_national_places 7916
///     spro_harvest_region_status{region="53",status="accepted"} 1
///
/// The content never changes while a router serves it, so the numbers are counted once; they are
/// recorded at each scrape, so the values read are those of the server answering (one process may run
/// several servers: the tests do).
struct NationalMetrics: Sendable {
    /// Places served (a place listed by several Régions counts once).
    let places: Int
    /// Places with a position, the ones a search can find.
    let located: Int
    /// Structures receiving the public in the places served, each counted once nationally.
    let structures: Int
    let channels: Int
    /// Régions with data in the national store.
    let regions: Int
    /// Each Région's status in the latest harvest, and when that harvest finished.
    let harvest: [(region: String, status: RegionOutcome.Status)]
    let harvestFinished: Date?

    init(_ content: NationalContent) {
        places = content.search.places.count
        located = content.search.indexedCount
        structures = Set(content.search.places.flatMap(\.structureKeys)).count
        channels = content.channels.count
        regions = content.totals.regions
        harvest = content.harvestReport?.regions.map { ($0.region.rawValue, $0.status) } ?? []
        harvestFinished = content.harvestReport.flatMap { ISOInstant.parse($0.finishedAt) }
    }

    static let statuses: [RegionOutcome.Status] = [.accepted, .unchanged, .refused]

    /// Sets every gauge.
    @Sendable func record() {
        Gauge(label: "spro_national_places").record(places)
        Gauge(label: "spro_national_places_located").record(located)
        Gauge(label: "spro_national_structures").record(structures)
        Gauge(label: "spro_national_channels").record(channels)
        Gauge(label: "spro_national_regions").record(regions)
        // One series per Région and status, 1 for the status it has: a Région whose harvest turns
        // from accepted to refused shows as such, instead of an old series lingering at 1.
        for (region, status) in harvest {
            for s in Self.statuses {
                Gauge(label: "spro_harvest_region_status", dimensions: [("region", region), ("status", s.rawValue)])
                    .record(s == status ? 1 : 0)
            }
        }
        if let harvestFinished {
            Gauge(label: "spro_harvest_finished_timestamp_seconds").record(harvestFinished.timeIntervalSince1970)
        }
    }
}
