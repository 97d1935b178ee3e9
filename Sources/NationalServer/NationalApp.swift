import Directory
import Foundation
import Hummingbird
import Logging
import ServerFoundation

/// What the national directory's server is started with when it loads its content itself: the files
/// it reads, besides where it listens.
public protocol NationalServerArguments: ServerArguments {
    /// The national SQLite file the harvester fills.
    var nationalDatabase: URL { get }
    /// The reference pack: communes and postcodes for `q=`, outlines for the maps, zones for coverage.
    var referenceDirectory: URL { get }
    /// The Régions' charters: coverage checks the lieu mutualisé rule of those asking for one per bassin.
    var charters: [Charter] { get }
    /// BAN extracts for street-level `q=` (a directory of `adresses-XX.csv`, one such file, or a
    /// `ban.sqlite`); without them an address is read at commune level.
    var ban: URL? { get }
    /// Where the BAN index is kept (default: `ban.sqlite` beside the CSV files).
    var banIndex: URL? { get }
}

/// The arguments of a national server, as the command line, the demo and the tests give them.
public struct NationalServerOptions: NationalServerArguments {
    public var host: String
    public var port: Int
    public var logLevel: Logger.Level
    public var nationalDatabase: URL
    public var referenceDirectory: URL
    public var charters: [Charter]
    public var ban: URL?
    public var banIndex: URL?
    public var limits: ServerLimits

    public init(host: String = "127.0.0.1", port: Int = 0, logLevel: Logger.Level = .warning, nationalDatabase: URL,
                referenceDirectory: URL, charters: [Charter] = [], ban: URL? = nil, banIndex: URL? = nil,
                limits: ServerLimits = .national) {
        self.limits = limits
        self.host = host
        self.port = port
        self.logLevel = logLevel
        self.nationalDatabase = nationalDatabase
        self.referenceDirectory = referenceDirectory
        self.charters = charters
        self.ban = ban
        self.banIndex = banIndex
    }
}

/// The national directory's HTTP server: the search API and its page, the map behind the page,
/// coverage, channels, the harvest report, `/healthz` and `/metrics`. Read-only: every route is a GET (HEAD too); other methods get 405.
public enum NationalApp {
    /// The router: middleware, then one route collection per concern, all over the same content.
    public static func buildRouter(content: NationalContent) -> Router<NationalRequestContext> {
        // HEAD answers wherever GET does (monitoring probes, `curl -I`).
        let router = Router(context: NationalRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.addServerMiddleware()
        router.add(middleware: NationalErrorMiddleware())
        HealthController().addRoutes(to: router)
        let metrics = NationalMetrics(content)
        ServerMetrics.addRoute(to: router, refresh: metrics.record)
        PagesController(content: content).addRoutes(to: router)
        SearchController(content: content).addRoutes(to: router)
        MapController(background: content.searchMap).addRoutes(to: router)
        CoverageController(report: content.coverage, page: content.coverageHTML).addRoutes(to: router)
        ChannelsController(channels: content.channels).addRoutes(to: router)
        HarvestController(report: content.harvestReport).addRoutes(to: router)
        router.refuseOtherMethods()
        return router
    }

    /// The national application over content already loaded (`spro demo` has it in hand; tests build
    /// their own), on `arguments.host:port` (port 0 picks one; `onListening` receives it).
    public static func buildApplication(_ arguments: some ServerArguments, content: NationalContent,
                                        onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            router: buildRouter(content: content),
            server: arguments.limits.httpServer(),
            configuration: .init(address: .hostname(arguments.host, port: arguments.port), serverName: "spro-national"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? arguments.port) },
            logger: .server("spro.national", level: arguments.logLevel))
    }

    /// The national application loading its content from the files `arguments` name (`spro national serve`).
    public static func buildApplication(_ arguments: some NationalServerArguments,
                                        onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws -> some ApplicationProtocol {
        let content = try await NationalContent.load(arguments, logger: .server("spro.national", level: arguments.logLevel))
        return buildApplication(arguments, content: content, onListening: onListening)
    }
}
