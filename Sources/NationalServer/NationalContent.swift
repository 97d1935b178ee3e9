import Coverage
import Directory
import Foundation
import SafeHTML
import Geocoding
import Harvest
import Logging
import NationalDirectory
import OpenData
import Reference

/// Everything the national directory's HTTP server reads, loaded once.
public struct NationalContent: Sendable {
    public let search: PlaceSearch
    /// Every structure, one per SIRET, as the read API lists them (`/api/v1/structures`).
    public let structures: [NationalStructure]
    /// Places and structures ready to be listed by the read API, built with them.
    private(set) var listings: DirectoryListings
    /// Each place's answer JSON, written once (see `PlaceFragments`), by `SearchHit.index`.
    private(set) var fragments: [PlaceFragments]
    /// The served places by name, for the public page's search by name; built with `search`, so both
    /// always read the same places.
    private(set) var names: PlaceNameIndex
    /// Each served place's index in `search.places` by its public id ("53/quimper-cio"), for `/lieux/…`.
    private(set) var byId: [String: Int]
    /// Each place's entry in the search page's list, written once (see `PlaceCard`), by `SearchHit.index`.
    private(set) var cards: [PlaceCard]
    /// The Régions' names, for the public pages ("Bretagne"); a Région missing here is shown by its code.
    public var regionNames: [RegionCode: String] = [:]
    public var totals: DirectoryTotals
    public var resolveQuery: QueryResolving
    /// The latest harvest report, shown at `/moissonnage`.
    public var harvestReport: HarvestReport?
    /// When each region's data in service expires: past it, the data is served marked stale.
    public var expiry: [RegionCode: Date]
    /// The coverage report and its French HTML page, served at `/couverture` and `/api/v1/coverage/...`.
    public var coverage: CoverageReport?
    public var coverageHTML: String?
    /// The facts of the places `coverage` counted: what its history compares, and what is archived with it.
    public var coverageFacts: CoverageFacts?
    /// Remote entry points (phone, chat...), shared ones with their contributors, served at `/api/v1/channels`.
    public var channels: [DirectoryChannel] = [] {
        didSet { channelItems = channels.map(PublicFragments.channelItem) }
    }
    /// Each channel's list item on the public pages, by index in `channels`: written once, since reading a
    /// channel's opening hours again for every page took a third of a search page's CPU under wrk.
    private(set) var channelItems: [HTML] = []
    /// What the search page's map (`/carte.svg`) is drawn from; without it the page shows the list alone.
    public var searchMap: SearchMapBackground?
    /// Every Région's accepted export (version, when generated and accepted), for `/metrics`.
    public var acceptedStates: [AcceptedState] = []
    /// What each Région should fix in its data, from the latest harvest and the places served.
    public var anomalies = RegionAnomalies()
    /// Each Région's harvested charters (the scorecards' "charter in force").
    public var charters: [RegionCode: [Charter]] = [:]
    /// Indicator values the Régions reported, aggregated per Région, code and period (the scorecards).
    public var indicatorTotals = IndicatorTotals()
    /// The indicator definitions: labels, and which indicators form the national core set (the scorecards).
    public var indicatorCatalogue: IndicatorCatalogue?
    /// Where the open-data releases are (`/donnees`); nil: none are served.
    public var releases: URL?
    /// The store generation this content was loaded from (nil for content built by hand).
    public var generation: StoreGeneration?

    /// `written` keeps each place's pieces from one build to the next (`WrittenPlaces`).
    public init(search: PlaceSearch, structures: [NationalStructure] = [], totals: DirectoryTotals, resolveQuery: @escaping QueryResolving,
                harvestReport: HarvestReport? = nil, expiry: [RegionCode: Date] = [:], written: WrittenPlaces = WrittenPlaces()) {
        self.search = search
        self.structures = structures
        let ids = DirectoryListings.structureIds(structures)
        let pieces = written.pieces(search) { p in
            p.structures.map { ids[StructureKey($0, region: p.region)] ?? RecordJSON.nationalId(p.region, $0.id) }
        }
        listings = DirectoryListings(places: search.places, pieces: pieces, structures: structures,
                                     structureWords: written.words(of: structures))
        fragments = pieces.map(\.fragments)
        names = PlaceNameIndex(words: pieces.map(\.words))
        byId = Self.ids(search)
        cards = pieces.map(\.card)
        self.totals = totals
        self.resolveQuery = resolveQuery
        self.harvestReport = harvestReport
        self.expiry = expiry
    }

    /// "53/quimper-cio" → index, the id the API and the place pages use.
    static func ids(_ search: PlaceSearch) -> [String: Int] {
        var out: [String: Int] = [:]
        out.reserveCapacity(search.places.count)
        for (i, p) in search.places.enumerated() { out[p.region.rawValue + "/" + p.place.id] = i }
        return out
    }

    /// The Région's name for people: "Bretagne", or "Région 53" when its name is not loaded.
    func regionName(_ code: RegionCode) -> String {
        regionNames[code] ?? "Région \(code.rawValue)"
    }

    /// Loads what the national store holds: places, totals, channels, the latest harvest report, and the
    /// Régions' anomalies. With `reference`, Région names come from it (the store keeps codes only) and
    /// postcodes are checked against their communes.
    /// `decoded` keeps the records decoded from one load to the next (`DecodedRecords`), `written` what was
    /// written for each place (`WrittenPlaces`).
    public static func load(from store: NationalStore, resolveQuery: @escaping QueryResolving, reference: ReferencePack? = nil,
                            decoded: DecodedRecords? = nil, written: WrittenPlaces = WrittenPlaces(), now: Date = Date()) async throws -> NationalContent {
        let states = try await store.acceptedStates()
        let expiry = states.reduce(into: [RegionCode: Date]()) { out, state in
            out[state.region] = ISOInstant.parse(state.expiresAt)
        }
        var content = NationalContent(search: PlaceSearch(places: try await store.directoryPlaces(reusing: decoded)),
                                      structures: try await store.nationalStructures(reusing: decoded), totals: try await store.totals(),
                                      resolveQuery: resolveQuery, harvestReport: try await store.latestReport(), expiry: expiry,
                                      written: written)
        content.channels = try await store.channels(reusing: decoded)
        content.regionNames = reference?.regions.mapValues(\.name) ?? [:]
        content.acceptedStates = states
        content.anomalies = RegionAnomalies(places: content.search.places, report: content.harvestReport, states: states,
                                            reference: reference, now: now)
        content.charters = try await store.chartersByRegion()
        content.indicatorTotals = IndicatorTotals(try await store.indicatorValues())
        return content
    }
}

extension NationalContent {
    /// The directory as served, for an open-data release built `at` that moment.
    public func openDataSet(at date: Date) -> OpenDataSet {
        OpenDataSet(generatedAt: date, places: search.places, structures: structures, channels: channels, regionNames: regionNames)
    }
}
