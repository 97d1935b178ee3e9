import ArgumentParser
import Directory
import Federation
import Foundation
import Reference
import SampleData

struct SampleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample", abstract: "Write deterministic sample data for every region (one JSON dataset per region).")

    @OptionGroup var reference: ReferenceOptions
    @Option(help: "Output directory.") var out: String
    @Option(help: "Seed.") var seed: UInt64 = 2014
    @Option(help: "Scale factor (10 gives about 80,000 places).") var scale: Double = 1
    @Option(help: "Day the records' confirmation dates are drawn back from (YYYY-MM-DD, default today).") var asOf: String?

    func run() async throws {
        let dir = try ReferencePack.locate(explicit: reference.directory)
        let pack = try ReferencePack.load(from: dir)
        guard let day = asOf.map(ISODay.parse) ?? Date() else { throw ValidationError("--as-of must be a date YYYY-MM-DD") }
        let dates = ConfirmationDates(seed: seed)
        let datasets = SampleGenerator(reference: pack, townHalls: try TownHall.load(from: dir), seed: seed, scale: scale).generate()
            .map { dates.apply(to: $0, asOf: day) }
        let outURL = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: outURL, withIntermediateDirectories: true)
        for d in datasets {
            try SproJSON.encoder().encode(d).write(to: outURL.appendingPathComponent("\(d.region).json"), options: .atomic)
        }
        printLine("Wrote \(datasets.count) regions, \(datasets.reduce(0) { $0 + $1.places.count }) places to \(outURL.path)")
    }
}
