import Logging

/// What every spro server is started with, whoever starts it (command line, `spro demo`, tests).
public protocol ServerArguments: Sendable {
    /// The address to listen on ("127.0.0.1", "0.0.0.0", "::1").
    var host: String { get }
    /// The port; 0 lets the system choose one (tests), reported through `onListening`.
    var port: Int { get }
    /// How much the server logs: `.info` logs one line per request, `.warning` only problems.
    var logLevel: Logger.Level { get }
    /// Idle timeout, connection limit and request sizes (see `ServerLimits`).
    var limits: ServerLimits { get }
}

extension ServerArguments {
    /// The national service's limits, unless the server's arguments say otherwise.
    public var limits: ServerLimits { .national }
}

extension Logger {
    /// A logger for one server, at the level its arguments ask for.
    public static func server(_ label: String, level: Logger.Level) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}
