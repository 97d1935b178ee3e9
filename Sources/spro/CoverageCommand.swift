import ArgumentParser
import Coverage
import Directory
import Federation
import Foundation
import NationalDirectory
import Reference

struct CoverageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage", abstract: "Write coverage per zone d'emploi (coverage.json, coverage.csv).",
        discussion: ExitCodes.help("the reference pack, the national file or --compare cannot be read, or the output cannot be written"))
    @OptionGroup var reference: ReferenceOptions
    @OptionGroup var work: WorkOptions
    @Option(help: "National SQLite file (default: <work>/national.sqlite).") var national: String?
    @Option(help: "Output directory.") var out: String
    @Option(help: "Distance threshold in km.") var thresholdKm: Double = 20
    @Option(help: "Map indicator: part, distance, accessibilite, lieux, gravite (optionally :family, e.g. part:service:cep_niveau_1).")
    var map: String = "part"
    @Option(help: "Previous coverage.json to compare with (writes comparison.json, comparison.csv).") var compare: String?

    func validate() throws {
        guard MapIndicator(argument: map) != nil else { throw ValidationError("unknown --map \(map)") }
        guard thresholdKm > 0 else { throw ValidationError("--threshold-km must be positive") }
    }

    func run() async throws {
        let ws = Workspace(root: URL(fileURLWithPath: work.directory))
        let pack = try ReferencePack.load(from: try ReferencePack.locate(explicit: reference.directory))
        let store = try NationalStore(path: national ?? ws.nationalDatabase.path)
        let indicator = MapIndicator(argument: map) ?? .shareBeyondThreshold(.overall)
        // Read before writing, so --compare may name the report about to be replaced.
        let previous = try compare.map { try SproJSON.decoder().decode(CoverageReport.self, from: Data(contentsOf: URL(fileURLWithPath: $0))) }
        // The Régions' own charters, as harvested from their exports (not the repository's Charters/).
        let charters = try await store.chartersByRegion().values.flatMap { $0 }
        let report = CoverageCalculator(reference: pack, thresholdKm: thresholdKm).compute(
            places: try await store.directoryPlaces(),
            regionsRequiringLieuMutualise: CoverageCalculator.regionsRequiringLieuMutualise(charters: charters))
        let dir = URL(fileURLWithPath: out)
        try CoverageWriter.write(report, to: dir, outlines: try Outlines.load(.zonesEmploi, from: pack.directory), mapIndicator: indicator)
        if let previous { try CoverageWriter.write(CoverageComparison(before: previous, after: report), to: dir) }
        printLine("Couverture de \(report.zoneCount) zones d'emploi écrite dans \(out) (coverage.html, coverage.json, fichiers CSV)"
            + (previous == nil ? "" : ", comparaison dans comparison.json et comparison.csv"))
    }
}
