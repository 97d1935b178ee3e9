import ArgumentParser
import Foundation

@main
struct Spro: AsyncParsableCommand {

    static let configuration = CommandConfiguration(
        commandName: "spro",
        abstract: "Federated directory of the Service Public Régional de l'Orientation.",
        subcommands: [DemoCommand.self, SampleCommand.self, KeysCommand.self, NodeCommand.self, HarvestCommand.self,
                      NationalCommand.self, CoverageCommand.self, GeocodeCommand.self, ExportCommand.self])
}

/// Options shared by commands that read the reference pack.
struct ReferenceOptions: ParsableArguments {
    @Option(name: .customLong("reference"), help: "Reference pack directory (default: $SPRO_REFERENCE, else ../shared/data).")
    var directory: String?
}

/// Options naming the work directory of a federation run.
struct WorkOptions: ParsableArguments {
    @Option(name: .customLong("work"), help: "Work directory (sample data, keys, node and national files, reports).")
    var directory: String = "work"
}
