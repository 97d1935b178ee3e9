import Coverage
import Directory
import Foundation
import Geocoding
import Harvest
import Logging
import NationalDirectory
import Reference

/// Builds the national server's content: what never changes while the process runs (the reference pack,
/// the BAN, the outlines and the search map) is read once at start; what a harvest changes (places,
/// totals, channels, the harvest report, coverage) is read from the national store at each `load`.
public struct NationalContentLoader: Sendable {
    let resolveQuery: QueryResolving
    let calculator: CoverageCalculator
    let zoneOutlines: Outlines
    let searchMap: SearchMapBackground
    let openData: OpenDataOptions?
    let indicatorCatalogue: IndicatorCatalogue?
    let logger: Logger
    /// The archived coverage runs read by earlier loads (runs never change): each load reads only the new ones.
    let archivedRuns = ArchivedRunCache()
    /// The places and structures decoded by the last load: each load decodes only the records a harvest wrote anew.
    let decoded = DecodedRecords()
    /// What the last load wrote for each place: each load writes only the places a harvest changed.
    let written = WrittenPlaces()

    /// Reads the files `arguments` name; a missing or broken reference pack or BAN fails here, before the
    /// server listens.
    public init(_ arguments: some NationalServerArguments, logger: Logger) throws {
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
        resolveQuery = QueryResolution.resolver(reference: pack, geocoder: Geocoder(pack: pack, streetLocator: streets))
        calculator = CoverageCalculator(reference: pack)
        zoneOutlines = try Outlines.load(.zonesEmploi, from: pack.directory)
        searchMap = try SearchMapBackground.load(from: pack)
        openData = arguments.openData
        indicatorCatalogue = arguments.indicatorCatalogue
        self.logger = logger
    }

    /// Everything the server shows, from what `store` holds now. Coverage is computed here from the very
    /// places served, so `/couverture` matches the search.
    public func load(from store: NationalStore) async throws -> NationalContent {
        var content = try await NationalContent.load(from: store, resolveQuery: resolveQuery, reference: calculator.reference,
                                                   decoded: decoded, written: written)
        content.indicatorCatalogue = indicatorCatalogue
        // The rules a Région's charter sets (one lieu mutualisé per bassin) come from the charters harvested
        // from its export: a charter adopted at a node changes the report after the next harvest.
        let weeklyHours = WeeklyHours.of(content.search)
        let coverage = calculator.compute(places: content.search.places,
                                          regionsRequiringLieuMutualise: CoverageCalculator.regionsRequiringLieuMutualise(charters: content.charters.values.flatMap { $0 }),
                                          weeklyHours: weeklyHours)
        content.coverage = coverage
        // The trends over the runs archived after each harvest, this one last (archived once installed), and
        // what changed since the previous run and why. A history that cannot be read leaves the report without it.
        let facts = CoverageFacts(of: content.search.places, weeklyHours: weeklyHours)
        content.coverageFacts = facts
        var history: CoverageHistory?
        do {
            // After a restart this harvest run's coverage is archived already: it is the latest point, not an extra one.
            let harvestRun = try await store.latestHarvestRun()
            let archived = try await store.coverageRuns().last { $0.harvestRun == harvestRun && $0.origin == .service }?.id
            history = try await CoverageArchive.archivedRuns(in: store, excluding: archived, cache: archivedRuns)
                .history(current: coverage, facts: facts, run: archived)
        } catch {
            logger.warning("Historique de la couverture illisible ; rapport servi sans évolution", metadata: ["error": "\(error)"])
        }
        content.coverageHTML = CoverageHTML.render(coverage, outlines: zoneOutlines, history: history,
                                                   scorecards: CoverageHTML.ScorecardLinks(prefix: "/couverture/regions/"))
        content.searchMap = searchMap
        content.releases = openData?.directory
        logger.notice("Annuaire national chargé", metadata: [
            "places": "\(content.search.places.count)", "located": "\(content.search.indexedCount)",
            "channels": "\(content.channels.count)", "zones": "\(coverage.zoneCount)",
        ])
        return content
    }

    /// `content` with a new harvest report over the same places: the anomalies, which read the report's
    /// refusals, are computed again.
    public func replaceReport(of content: inout NationalContent, with report: HarvestReport?, now: Date = Date()) {
        content.harvestReport = report
        content.anomalies = RegionAnomalies(places: content.search.places, report: report, states: content.acceptedStates,
                                            reference: calculator.reference, now: now)
    }
}
