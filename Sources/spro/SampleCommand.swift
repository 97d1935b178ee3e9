import ArgumentParser
import Directory
import Federation
import Foundation
import Reference
import SampleData

struct SampleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample", abstract: "Write deterministic sample data for every region (one JSON dataset per region).",
        discussion: ExitCodes.help("the reference pack cannot be read or the output cannot be written"))

    @OptionGroup var reference: ReferenceOptions
    @Option(help: "Output directory.") var out: String
    @Option(help: "Seed.") var seed: UInt64 = 2014
    @Option(help: "Scale factor (10 gives about 80,000 places).") var scale: Double = 1
    @Option(help: "Day the records' confirmation dates are drawn back from (YYYY-MM-DD, default today).") var asOf: String?

    func validate() throws {
        guard scale > 0 else { throw ValidationError("--scale must be positive (1 is about 8,000 places)") }
        if let asOf, ISODay.parse(asOf) == nil { throw ValidationError("--as-of must be a date YYYY-MM-DD") }
    }

    func run() async throws {
        let dir = try ReferencePack.locate(explicit: reference.directory)
        printError("Lecture du référentiel \(dir.path)…")
        let pack = try ReferencePack.load(from: dir)
        let day = asOf.flatMap(ISODay.parse) ?? Date()
        let dates = ConfirmationDates(seed: seed)
        let datasets = SampleGenerator(reference: pack, townHalls: try TownHall.load(from: dir), seed: seed, scale: scale).generate()
            .map { dates.apply(to: $0, asOf: day) }
        let outURL = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: outURL, withIntermediateDirectories: true)
        for d in datasets {
            try SproJSON.encoder().encode(d).write(to: outURL.appendingPathComponent("\(d.region).json"), options: .atomic)
        }
        printLine("Données d'exemple de \(datasets.count) régions, \(FrenchNumbers.count(datasets.reduce(0) { $0 + $1.places.count })) lieux, "
            + "écrites dans \(outURL.path)")
    }
}
