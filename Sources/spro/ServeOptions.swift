import ArgumentParser
import Logging

/// `--host` and `--log-level`, shared by every `serve` command.
struct ServeOptions: ParsableArguments {
    @Option(help: "Address to listen on (127.0.0.1: this machine only; 0.0.0.0: every interface).")
    var host = "127.0.0.1"
    @Option(help: ArgumentHelp("How much to log: trace, debug, info (one line per request), notice, warning, error, critical.",
                               valueName: "level"))
    var logLevel: Logger.Level = .notice
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
