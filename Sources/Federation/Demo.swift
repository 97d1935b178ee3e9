import Coverage
import Directory
import Foundation
import Geocoding
import Harvest
import Hummingbird
import NationalDirectory
import NationalServer
import OpenData
import PerformanceKit
import Reference
import RegionNode
import SampleData

/// What `spro demo` does, step by step, and what it found.
public struct Demo {
    public struct Options: Sendable {
        public var workspace: Workspace
        public var referenceDirectory: URL
        public var repository: RepositoryData
        public var seed: UInt64 = 2014
        /// Scale of the sample data: 1 gives about 8,000 places, 10 about 80,000 (load tests).
        public var scale: Double = 1
        /// Exit after the coverage report instead of serving the national directory.
        public var once = false
        public var nationalPort = 8080
        /// Let the system choose node ports (tests, or when the registry's ports are taken).
        public var ephemeralPorts = false
        /// A BAN index, for street-level geocoding in the harvest and in the search's `q=`.
        public var streetLocator: (any StreetLocator)?
        /// Where progress lines go.
        public var log: @Sendable (String) -> Void = { printLine($0) }

        public init(workspace: Workspace, referenceDirectory: URL, repository: RepositoryData) {
            self.workspace = workspace
            self.referenceDirectory = referenceDirectory
            self.repository = repository
        }
    }

    /// Counts and timings of a run.
    public struct Summary: Sendable {
        public var regions: Int
        public var regionsVerified: Int
        public var places: Int
        public var placesWithPosition: Int
        public var byPrecision: [String: Int]
        public var zones: Int
        /// Records merged because several Régions list them: place records beyond one per place, and
        /// structure records beyond one per SIRET.
        public var mergedPlaces: Int
        public var mergedStructures: Int
        public var timings: [(step: String, seconds: Double)]
        public var report: HarvestReport
    }

    public let options: Options

    public init(options: Options) {
        self.options = options
    }

    /// Runs the whole federation. With `once`, returns after the coverage report; otherwise serves the
    /// national directory until the task is cancelled (Ctrl-C).
    @discardableResult
    public func run() async throws -> Summary {
        let log = options.log
        let ws = options.workspace
        var timings: [(String, Double)] = []
        func timed<T>(_ step: String, _ body: () async throws -> T) async rethrows -> T {
            let start = ContinuousClock.now
            let result = try await body()
            timings.append((step, (ContinuousClock.now - start).seconds))
            return result
        }
        try ws.create()
        let now = Date()
        let reference = try await timed("reference pack") { try ReferencePack.load(from: options.referenceDirectory) }
        log("Reference pack: \(reference.communes.count) communes, \(reference.zones.count) zones d'emploi (\(options.referenceDirectory.path))")

        let datasets = try await timed("sample data") { () -> [RegionDataset] in
            let townHalls = try TownHall.load(from: options.referenceDirectory)
            let dates = ConfirmationDates(seed: options.seed)
            let datasets = SampleGenerator(reference: reference, townHalls: townHalls, seed: options.seed, scale: options.scale).generate()
                .map { dates.apply(to: $0, asOf: now) }
            for d in datasets {
                try SproJSON.encoder().encode(d).write(to: ws.sampleFile(d.region), options: .atomic)
            }
            return datasets
        }
        log("Sample data: \(datasets.count) regions, \(datasets.reduce(0) { $0 + $1.places.count }) places, "
            + "\(datasets.reduce(0) { $0 + $1.structures.count }) structures (seed \(options.seed))")

        let regions = try Region.loadAll(from: options.repository.regions)
        let keyed = try KeyRing.prepare(regions: regions, workspace: ws, now: now)
        // Each node holds the indicators its Région defines or the national CEP core set has; the sample
        // reports a common set everywhere.
        let catalogue = try options.repository.indicatorCatalogue()
        let byCode = Dictionary(uniqueKeysWithValues: datasets.map { d in
            var d = d
            d.indicators = d.indicators.filter { v in catalogue.definition(v.code, for: d.region).map { $0.problem(with: v) == nil } ?? false }
            return (d.region, d)
        })

        let stores = try await timed("region nodes") { () -> [(region: Region, store: NodeStore)] in
            var stores: [(region: Region, store: NodeStore)] = []
            for (region, key) in keyed {
                let store = try NodeStore(region: region, databasePath: ws.nodeDatabase(region.code).path, key: key)
                let charters = try options.repository.charters(for: region.code)
                guard !charters.isEmpty else { throw FederationError.noCharter(region.code) }
                try await store.adoptCharters(charters)
                if let dataset = byCode[region.code] { try await store.importDataset(dataset, at: now) }
                stores.append((region, store))
            }
            return stores
        }
        let validator = RecordValidator(knownCommunes: Set(reference.communes.keys.map(\.rawValue)), indicators: catalogue,
                                        territories: Territories(reference))
        let fleet = try await NodeFleet.start(stores, ephemeralPorts: options.ephemeralPorts, validator: validator)
        do {
            let summary = try await harvestAndReport(fleet: fleet, reference: reference, now: now, timings: &timings)
            try await fleet.stop()
            return summary
        } catch {
            try? await fleet.stop()
            throw error
        }
    }

    private func harvestAndReport(fleet: NodeFleet, reference: ReferencePack, now: Date,
                                  timings: inout [(String, Double)]) async throws -> Summary {
        let log = options.log
        let ws = options.workspace
        log("Region nodes: \(fleet.regions.count) listening on loopback (\(fleet.regions.map { "\($0.code):\($0.port)" }.joined(separator: " ")))")
        // The harvester reads the trust registry as written on disk, with the nodes' actual URLs.
        for r in fleet.regions { try r.write(to: ws.registryFile(r.code)) }
        let registry = try Region.loadAll(from: ws.registry)

        let national = try NationalStore(path: ws.nationalDatabase.path)
        let geocoder = Geocoder(pack: reference, streetLocator: options.streetLocator)
        var harvester = Harvester(regions: registry, store: national, reference: reference,
                                  locator: GeocodingLocator(geocoder: geocoder, reference: reference))
        harvester.progress = { o in
            log("  harvest \(o.region) \(o.name): \(o.status.rawValue)"
                + (o.versionInService.map { " v\($0)" } ?? "") + ", \(o.places) places"
                + (o.refusal.map { " — \($0)" } ?? ""))
        }
        var clock = ContinuousClock.now
        var report = try await harvester.run()
        timings.append(("harvest", (ContinuousClock.now - clock).seconds))
        let totals = try await national.totals()

        clock = ContinuousClock.now
        let places = try await national.directoryPlaces()
        report.flag(places: places, states: try await national.acceptedStates(), reference: reference)
        try SproJSON.encoder(pretty: true).encode(report).write(to: ws.harvestReport, options: .atomic)
        let structures = try await national.nationalStructures()
        // The charters each node exported (as harvested), not the repository's files.
        let charters = try await national.chartersByRegion().values.flatMap { $0 }
        let coverage = CoverageCalculator(reference: reference).compute(
            places: places, now: now,
            regionsRequiringLieuMutualise: CoverageCalculator.regionsRequiringLieuMutualise(charters: charters))
        let outlines = try Outlines.load(.zonesEmploi, from: reference.directory)
        try CoverageWriter.write(coverage, to: ws.coverage, outlines: outlines)
        timings.append(("coverage", (ContinuousClock.now - clock).seconds))

        // The open-data release of this harvest, signed with the national key (`/donnees`).
        clock = ContinuousClock.now
        let release = OpenDataSet(generatedAt: now, places: places, structures: structures, channels: try await national.channels(),
                                  regionNames: reference.regions.mapValues(\.name))
        let releaseFolder = try await OpenDataRelease.publish(release, version: try await national.generation().harvestRun,
                                                              key: try KeyRing.national(workspace: ws, now: now), into: ws.openData)
        timings.append(("open data", (ContinuousClock.now - clock).seconds))
        log("Open data release: \(releaseFolder.path)")

        let summary = Summary(
            regions: registry.count, regionsVerified: report.verifiedCount, places: totals.places,
            placesWithPosition: totals.placesWithPosition, byPrecision: totals.byPrecision,
            zones: coverage.zoneCount, mergedPlaces: totals.places - places.count,
            mergedStructures: totals.structures - structures.count, timings: timings, report: report)
        log(Self.describe(summary, workspace: ws))
        if options.once { return summary }

        var content = try await NationalContent.load(
            from: national, resolveQuery: QueryResolution.resolver(reference: reference, geocoder: geocoder), reference: reference)
        content.coverage = coverage
        content.coverageHTML = CoverageHTML.render(coverage, outlines: outlines)
        content.searchMap = try SearchMapBackground.load(from: reference)
        content.indicatorCatalogue = try options.repository.indicatorCatalogue()
        content.releases = ws.openData
        let serving = NationalServerOptions(port: options.nationalPort, nationalDatabase: ws.nationalDatabase,
                                            referenceDirectory: reference.directory)
        let app = NationalApp.buildApplication(serving, content: content) { port in
            log("National directory: http://127.0.0.1:\(port)/  (Ctrl-C to stop)")
        }
        // Runs until SIGINT or SIGTERM; the nodes keep serving meanwhile so a harvest can be re-run.
        try await app.runService()
        return summary
    }

    /// The summary lines printed at the end of a run.
    public static func describe(_ s: Summary, workspace: Workspace) -> String {
        var lines = ["", "== spro demo summary =="]
        lines.append("Regions harvested with valid signatures: \(s.regionsVerified) of \(s.regions)")
        let precisions = s.byPrecision.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        lines.append("Places stored: \(s.places), each with a geocoding precision (\(precisions))")
        lines.append("Places with a position: \(s.placesWithPosition); unresolved, listed in the harvest report: \(s.places - s.placesWithPosition)")
        lines.append("Listed by several Régions, merged: \(s.mergedPlaces) place records (same structures, same place), "
                     + "\(s.mergedStructures) structure records (same SIRET)")
        let flagged = s.report.regions.reduce(into: [String: Int]()) { counts, outcome in
            for a in outcome.flagged ?? [] { counts[a.kind.rawValue, default: 0] += 1 }
        }
        lines.append("Records flagged back to the Régions (harvest report, /moissonnage/<code>): \(flagged.values.reduce(0, +))"
                     + (flagged.isEmpty ? "" : " (" + flagged.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"))
        lines.append("Coverage: \(s.zones) zones d'emploi -> \(workspace.coverage.appendingPathComponent("coverage.json").path) (and coverage.html, CSV files)")
        lines.append("National file: \(workspace.nationalDatabase.path)")
        lines.append("Timings: " + s.timings.map { "\($0.step) \(String(format: "%.2f", $0.seconds)) s" }.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }
}
