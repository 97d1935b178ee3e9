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
        didSet {
            fragments = PlaceFragments.all(search)
            names = PlaceNameIndex(search.places)
            byId = Self.ids(search)
            cards = PlaceCard.all(search)
        }
    }
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
    /// Remote entry points (phone, chat...), shared ones with their contributors, served at `/api/v1/channels`.
    public var channels: [DirectoryChannel] = []
    /// What the search page's map (`/carte.svg`) is drawn from; without it the page shows the list alone.
    public var searchMap: SearchMapBackground?

    public init(search: PlaceSearch, totals: DirectoryTotals, resolveQuery: @escaping QueryResolving,
                harvestReport: HarvestReport? = nil, expiry: [RegionCode: Date] = [:]) {
        self.search = search
        fragments = PlaceFragments.all(search)
        names = PlaceNameIndex(search.places)
        byId = Self.ids(search)
        cards = PlaceCard.all(search)
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

    /// Loads what the national store holds: places, totals, channels, the latest harvest report.
    /// `regionNames` come from the reference pack (the store keeps codes only).
    public static func load(from store: NationalStore, resolveQuery: @escaping QueryResolving,
                            regionNames: [RegionCode: String] = [:]) async throws -> NationalContent {
        let expiry = try await store.acceptedStates().reduce(into: [RegionCode: Date]()) { out, state in
            out[state.region] = ISOInstant.parse(state.expiresAt)
        }
        var content = NationalContent(search: PlaceSearch(places: try await store.directoryPlaces()), totals: try await store.totals(),
                                      resolveQuery: resolveQuery, harvestReport: try await store.latestReport(), expiry: expiry)
        content.channels = try await store.channels()
        content.regionNames = regionNames
        return content
    }

    /// Loads everything the server shows from the files `arguments` name: the national store, the
    /// reference pack (for `q=`, the search page's map and coverage), the BAN when given. Coverage is
    /// computed here from the very places served, so `/couverture` matches the search.
    public static func load(_ arguments: some NationalServerArguments, logger: Logger) async throws -> NationalContent {
        let pack = try ReferencePack.load(from: arguments.referenceDirectory)
        var streets: BANIndex?
        if let ban = arguments.ban {
            let (index, loaded) = try BANIndex.open(ban, index: arguments.banIndex)
            for summary in loaded {
                logger.notice("BAN \(summary)")
                for problem in summary.problems { logger.warning("BAN : ligne ignorée : \(problem)") }
            }
            streets = index
        }
        let store = try NationalStore(path: arguments.nationalDatabase.path)
        let geocoder = Geocoder(pack: pack, streetLocator: streets)
        var content = try await load(from: store, resolveQuery: QueryResolution.resolver(reference: pack, geocoder: geocoder),
                                     regionNames: pack.regions.mapValues(\.name))
        let coverage = CoverageCalculator(reference: pack).compute(
            places: content.search.places,
            regionsRequiringLieuMutualise: CoverageCalculator.regionsRequiringLieuMutualise(charters: arguments.charters))
        content.coverage = coverage
        content.coverageHTML = CoverageHTML.render(coverage, outlines: try Outlines.load(.zonesEmploi, from: pack.directory))
        content.searchMap = try SearchMapBackground.load(from: pack)
        logger.notice("Annuaire national chargé", metadata: [
            "places": "\(content.search.places.count)", "located": "\(content.search.indexedCount)",
            "channels": "\(content.channels.count)", "zones": "\(coverage.zoneCount)",
        ])
        return content
    }
}
