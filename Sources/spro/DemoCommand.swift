import ArgumentParser
import Federation
import Foundation
import Reference

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole federation on this machine: sample data, 18 region nodes, harvest, coverage, national directory.",
        discussion: ExitCodes.help("a step failed: reference pack, repository, a node, the harvest"))

    @OptionGroup var reference: ReferenceOptions
    @OptionGroup var work: WorkOptions
    @Flag(help: "Exit after the coverage report instead of serving the national directory.") var once = false
    @Option(help: "Seed of the sample data generator.") var seed: UInt64 = 2014
    @Option(help: "Scale of the sample data (10 gives about 80,000 places, for load tests).") var scale: Double = 1
    @Option(help: "Port of the national directory.") var port = 8080
    @Flag(help: "Let the system choose the nodes' ports instead of the registry's.") var ephemeralPorts = false
    @OptionGroup var ban: BANOptions

    func validate() throws {
        guard scale > 0 else { throw ValidationError("--scale must be positive (1 is about 8,000 places)") }
    }

    func run() async throws {
        var options = Demo.Options(workspace: Workspace(root: URL(fileURLWithPath: work.directory)),
                                   referenceDirectory: try ReferencePack.locate(explicit: reference.directory),
                                   repository: try RepositoryLookup.repository())
        options.seed = seed
        options.scale = scale
        options.once = once
        options.nationalPort = port
        options.ephemeralPorts = ephemeralPorts
        options.streetLocator = try ban.locator()
        try await Demo(options: options).run()
    }
}
