import ArgumentParser
import Logging
import ServerFoundation

/// `--host` and `--log-level`, shared by every `serve` command.
struct ServeOptions: ParsableArguments {
    @Option(help: "Address to listen on (127.0.0.1: this machine only; 0.0.0.0: every interface).")
    var host = "127.0.0.1"
    @Option(help: ArgumentHelp("How much to log: trace, debug, info (one line per request), notice, warning, error, critical.",
                               valueName: "level"))
    var logLevel: Logger.Level = .notice
    @Option(help: ArgumentHelp("Connections served at once; one more is answered 503 with Retry-After (default: 8192 national, 2048 node; fewer if the descriptor limit cannot hold them).",
                               valueName: "n"))
    var maxConnections: Int?
    @Option(help: ArgumentHelp("Close a connection idle, or whose request stops progressing, for this long (default: 15s).",
                               valueName: "interval"))
    var idleTimeout: Interval?

    /// `base` with the limits given on the command line.
    func limits(_ base: ServerLimits) -> ServerLimits {
        var limits = base
        if let maxConnections { limits.maxConnections = maxConnections }
        if let idleTimeout { limits.idleTimeout = .milliseconds(Int64(idleTimeout.seconds * 1000)) }
        return limits
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
