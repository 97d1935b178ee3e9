import Coverage
import Directory
import Foundation
import Geocoding
import Harvest
import Logging
import NationalDirectory
import Reference

/// Everything the national directory's HTTP server reads, loaded once.
public struct NationalContent: Sendable {
    public var search: PlaceSearch {
        didSet { fragments = PlaceFragments.all(search) }
    }
    /// Each place's answer JSON, written once (see `PlaceFragments`), by `SearchHit.index`.
    private(set) var fragments: [PlaceFragments]
    public var totals: DirectoryTotals
    public var resolveQuery: QueryResolving
    /// The latest harvest report, shown at `/moissonnage`.
    public var harvestReport: HarvestReport?
    /// When each region's data in service expires: past it, the data is served marked stale.
    public var expiry: [RegionCode: Date]
    /// The coverage report and its French HTML page, served at `/couverture` and `/api/v1/coverage/...`.
    public var coverage: CoverageReport?
    public var coverageHTML: String?
    /// Remote entry points (phone, chat...), shared ones with their contributors, served at `/api/v1/channels`.
    public var channels: [DirectoryChannel] = []
    /// What the search page's map (`/carte.svg`) is drawn from; without it the page shows the list alone.
    public var searchMap: SearchMapBackground?
    /// Every Région's accepted export (version, when generated and accepted), for `/metrics`.
    public var acceptedStates: [AcceptedState] = []
    /// What each Région should fix in its data, from the latest harvest and the places served.
    public var anomalies = RegionAnomalies()
    /// The store generation this content was loaded from (nil for content built by hand).
    public var generation: StoreGeneration?

    public init(search: PlaceSearch, totals: DirectoryTotals, resolveQuery: @escaping QueryResolving,
                harvestReport: HarvestReport? = nil, expiry: [RegionCode: Date] = [:]) {
        self.search = search
        fragments = PlaceFragments.all(search)
        self.totals = totals
        self.resolveQuery = resolveQuery
        self.harvestReport = harvestReport
        self.expiry = expiry
    }

    /// Loads what the national store holds: places, totals, channels, the latest harvest report, and the
    /// Régions' anomalies (postcodes checked against their communes when `reference` is given).
    public static func load(from store: NationalStore, resolveQuery: @escaping QueryResolving,
                            reference: ReferencePack? = nil, now: Date = Date()) async throws -> NationalContent {
        let states = try await store.acceptedStates()
        let expiry = states.reduce(into: [RegionCode: Date]()) { out, state in
            out[state.region] = ISOInstant.parse(state.expiresAt)
        }
        var content = NationalContent(search: PlaceSearch(places: try await store.directoryPlaces()), totals: try await store.totals(),
                                      resolveQuery: resolveQuery, harvestReport: try await store.latestReport(), expiry: expiry)
        content.channels = try await store.channels()
        content.acceptedStates = states
        content.anomalies = RegionAnomalies(places: content.search.places, report: content.harvestReport, states: states,
                                            reference: reference, now: now)
        return content
    }
}
