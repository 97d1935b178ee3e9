import ArgumentParser
import Coverage
import Directory
import Federation
import Foundation
import NationalDirectory
import Reference

/// `spro coverage`: the report (the default), the history of archived runs, and two runs compared.
struct CoverageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage", abstract: "Coverage per zone d'emploi: the report, its history, two runs compared.",
        discussion: ExitCodes.help("the reference pack, the national file or --compare cannot be read, or the output cannot be written"),
        subcommands: [CoverageReportCommand.self, CoverageHistoryCommand.self, CoverageCompareCommand.self],
        defaultSubcommand: CoverageReportCommand.self)
}

/// The national file the coverage commands read.
struct NationalFileOptions: ParsableArguments {
    @OptionGroup var work: WorkOptions
    @Option(help: "National SQLite file (default: <work>/national.sqlite).") var national: String?

    func open() throws -> NationalStore {
        try NationalStore(path: national ?? Workspace(root: URL(fileURLWithPath: work.directory)).nationalDatabase.path)
    }
}

struct CoverageReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write coverage per zone d'emploi (coverage.html, coverage.json, CSV files).",
        discussion: ExitCodes.discussion(
            "--archive keeps the run in the national file's history (report and the facts of its places and structures); "
                + "the HTML report shows the trend of the latest --history runs and what changed since the previous one, and why.",
            refused: "the reference pack, the national file or --compare cannot be read, or the output cannot be written"))
    @OptionGroup var reference: ReferenceOptions
    @OptionGroup var file: NationalFileOptions
    @Option(help: "Output directory.") var out: String
    @Option(help: "Distance threshold in km.") var thresholdKm: Double = 20
    @Option(help: "Map indicator: part, distance, accessibilite, lieux, gravite (optionally :family, e.g. part:service:cep_niveau_1).")
    var map: String = "part"
    @Option(help: "E2SFCA distance bands, upper edge in km and weight, by increasing distance, weights in (0,1] (default 10:1,20:0.3,30:0.1).")
    var bands: String = AccessibilityParameters.rural.argument
    @Option(help: "Previous coverage.json to compare with (writes comparison.json, comparison.csv).") var compare: String?
    @Flag(help: "Archive this run in the national file's coverage history.") var archive = false
    @Option(help: "Archived runs the report's trends show (0: no history section).") var history: Int = 12
    @Option(help: ArgumentHelp("The national service's address (https://...): each Région's section of the report links to its scorecard there, <url>/couverture/regions/<code>.",
                               valueName: "url"))
    var service: String?

    func validate() throws {
        guard MapIndicator(argument: map) != nil else { throw ValidationError("--map inconnu : \(map)") }
        guard thresholdKm > 0 else { throw ValidationError("--threshold-km doit être positif") }
        do { _ = try AccessibilityParameters(parsing: bands) } catch { throw ValidationError("--bands : \(error)") }
        guard history >= 0 else { throw ValidationError("--history doit être positif ou nul") }
        if let service, CoverageHTML.ScorecardLinks(service: service) == nil {
            throw ValidationError("--service : « \(service) » n'est pas une adresse http(s), par exemple https://annuaire.example.fr")
        }
    }

    func run() async throws {
        // The reference pack and its outlines are read while the national file is.
        let packDirectory = try ReferencePack.locate(explicit: reference.directory)
        async let loadedPack = try ReferencePack.load(from: packDirectory)
        async let loadedOutlines = try Outlines.load(.zonesEmploi, from: packDirectory)
        let store = try file.open()
        let indicator = MapIndicator(argument: map) ?? .shareBeyondThreshold(.overall)
        // Read before writing, so --compare may name the report about to be replaced.
        let previous = try compare.map { try SproJSON.decoder().decode(CoverageReport.self, from: Data(contentsOf: URL(fileURLWithPath: $0))) }
        // The Régions' own charters, as harvested from their exports (not the repository's Charters/).
        let charters = try await store.chartersByRegion().values.flatMap { $0 }
        let places = try await store.coveragePlaces()
        let pack = try await loadedPack
        let options = CoverageOptions(accessibility: try AccessibilityParameters(parsing: bands))
        // While coverage is computed: the facts of the places (what the history compares from run to run), the
        // runs archived before this one (the report being written is the history's latest point either way), and
        // the causes of what changed since the last of them.
        let weeklyHours = WeeklyHours.of(places)
        let now = Date()
        let (keepsHistory, history) = (archive, history)
        async let earlier = { () async throws -> (facts: CoverageFacts?, runs: CoverageArchive.ArchivedRuns?, causes: [CoverageCause]?) in
            let facts = history > 0 || keepsHistory ? CoverageFacts(of: places, weeklyHours: weeklyHours) : nil
            guard history > 0, let facts else { return (facts, nil, nil) }
            let runs = try await CoverageArchive.archivedRuns(in: store, excluding: nil, limit: history)
            return (facts, runs, runs.causes(to: facts, afterDay: String(ISOInstant.string(now).prefix(10))))
        }()
        let report = CoverageCalculator(reference: pack, thresholdKm: thresholdKm, options: options).compute(
            places: places, now: now, regionsRequiringLieuMutualise: CoverageCalculator.regionsRequiringLieuMutualise(charters: charters),
            weeklyHours: weeklyHours)
        let (facts, archivedRuns, causes) = try await earlier
        let trend = archivedRuns?.history(current: report, run: nil, causes: causes)
        // The run is archived while the files are written.
        let harvestRun = try await store.latestHarvestRun()
        async let archiving: Int? = archive && facts != nil
            ? CoverageArchive.archive(report, facts: facts!, in: store, harvestRun: harvestRun, origin: .command)
            : nil
        let dir = URL(fileURLWithPath: out)
        try CoverageWriter.write(report, to: dir, outlines: try await loadedOutlines, mapIndicator: indicator,
                                 history: trend, scorecards: service.flatMap(CoverageHTML.ScorecardLinks.init(service:)))
        let archived = try await archiving
        if let previous { try CoverageWriter.write(CoverageComparison(before: previous, after: report), to: dir) }
        printLine("Couverture de \(report.zoneCount) zones d'emploi écrite dans \(out) (coverage.html, coverage.json, fichiers CSV)"
            + (previous == nil ? "" : ", comparaison dans comparison.json et comparison.csv"))
        if let archived { printLine("Exécution archivée sous le n° \(archived) (spro coverage history)") }
    }
}

struct CoverageHistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "List the coverage runs archived in the national file.",
        discussion: ExitCodes.help("the national file cannot be read"))
    @OptionGroup var file: NationalFileOptions

    func run() async throws {
        let store = try file.open()
        let runs = try await store.coverageRuns()
        guard !runs.isEmpty else {
            printLine("Aucune exécution de couverture archivée (spro coverage --archive, ou le service national après chaque moisson).")
            return
        }
        let bytes = try await store.coverageHistoryBytes()
        printLine("n°\tcalculée le\tmoisson\torigine\tlieux\tcauses")
        for r in runs {
            printLine("\(r.id)\t\(r.computedAt)\t\(r.harvestRun)\t\(r.origin.label)\t\(r.places)\t\(r.hasFacts ? "oui" : "non")")
        }
        let mib = { (n: Int) in String(format: "%.1f", Double(n) / 1_048_576).replacingOccurrences(of: ".", with: ",") }
        printLine("\(runs.count) exécutions ; rapports \(mib(bytes.reports)) Mio, faits \(mib(bytes.facts)) Mio, "
            + "listes par exécution \(mib(bytes.runs)) Mio. Comparer deux exécutions : spro coverage compare <n°> <n°>")
    }
}

struct CoverageCompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare", abstract: "Compare two archived coverage runs: indicators, gaps, and the changes behind them.",
        discussion: ExitCodes.help("a run is unknown, the national file cannot be read, or the output cannot be written"))
    @OptionGroup var file: NationalFileOptions
    @Argument(help: "The earlier run (its n° in `spro coverage history`).") var before: Int
    @Argument(help: "The later run.") var after: Int
    @Option(help: "Output directory for comparison.json, comparison.csv and causes.csv.") var out: String?
    @Option(help: "Zones whose causes are printed.") var zones: Int = 20

    func run() async throws {
        let store = try file.open()
        let c: RunComparison
        do { c = try await CoverageArchive.compare(run: before, with: after, in: store) } catch let e as CoverageHistoryError {
            throw CommandFailure("\(e)")
        }
        if let out { try CoverageWriter.write(c, to: URL(fileURLWithPath: out)) }
        printLine("Exécution n° \(c.before.id) (\(c.before.computedAt)) → n° \(c.after.id) (\(c.after.computedAt)) : \(c.comparison.summary)")
        let causes = c.causes.map { Dictionary(grouping: $0, by: \.zone) }
        if causes == nil { printLine("Causes indisponibles : une des deux exécutions a été archivée sans ses faits.") }
        for z in c.comparison.zones.prefix(zones) {
            printLine("\(z.zoneName) (\(z.zone.rawValue)) : \(z.gapsAppeared) lacunes apparues, \(z.gapsResolved) résolues, "
                + "\(z.improved) indicateurs en amélioration, \(z.worsened) en dégradation ; rang \(z.rankBefore) → \(z.rankAfter)")
            for cause in causes?[z.zone] ?? [] { printLine("  - " + CoverageWriter.causeText(cause)) }
        }
        if let out { printLine("Détail écrit dans \(out) (comparison.json, comparison.csv, causes.csv)") }
    }
}
