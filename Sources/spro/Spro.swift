import ArgumentParser
import Foundation

@main
struct Spro: AsyncParsableCommand {

    static let configuration = CommandConfiguration(
        commandName: "spro",
        abstract: "Federated directory of the Service Public Régional de l'Orientation.",
        discussion: ExitCodes.help(),
        subcommands: [DemoCommand.self, SampleCommand.self, KeysCommand.self, NodeCommand.self, HarvestCommand.self,
                      NationalCommand.self, CoverageCommand.self, GeocodeCommand.self, ExportCommand.self, BackupCommand.self])

    /// ArgumentParser's own `main`, except that an error of the work itself (a refusal, a file that cannot
    /// be read) is one line on standard error and exit code 1; a wrong command line still gets the
    /// message, the usage and 64.
    static func main() async {
        let parsed: any ParsableCommand
        do {
            parsed = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            var command = parsed
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            printError(failure.message)
            exit(withError: ExitCode(ExitCodes.refused))
        } catch let error where error is ExitCode || exitCode(for: error) != .failure {
            // ArgumentParser's own: --help (parsed into a command that throws), a ValidationError, an exit code.
            exit(withError: error)
        } catch {
            printError("erreur : \(error)")
            exit(withError: ExitCode(ExitCodes.refused))
        }
    }
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
