import Directory
import Foundation
import Hummingbird
import Logging
import NationalDirectory
import ServerFoundation
import ServiceLifecycle
import Signing

/// What the national directory's server is started with when it loads its content itself: the files
/// it reads, besides where it listens.
public protocol NationalServerArguments: ServerArguments {
    /// The national SQLite file the harvester fills.
    var nationalDatabase: URL { get }
    /// The reference pack: communes and postcodes for `q=`, outlines for the maps, zones for coverage.
    var referenceDirectory: URL { get }
    /// BAN extracts for street-level `q=` (a directory of `adresses-XX.csv`, one such file, or a
    /// `ban.sqlite`); without them an address is read at commune level.
    var ban: URL? { get }
    /// Where the BAN index is kept (default: `ban.sqlite` beside the CSV files).
    var banIndex: URL? { get }
    /// Where open-data releases are published and served (`/donnees`); nil: none.
    var openData: OpenDataOptions? { get }
    /// The indicator definitions (`Charters/indicators.json`): the scorecards' labels and national core set;
    /// nil: indicators shown by their codes.
    var indicatorCatalogue: IndicatorCatalogue? { get }
}

extension NationalServerArguments {
    public var openData: OpenDataOptions? { nil }
    public var indicatorCatalogue: IndicatorCatalogue? { nil }
}

/// Where the national directory publishes its open-data releases, and the key it signs them with.
public struct OpenDataOptions: Sendable {
    public var directory: URL
    /// The national key: a new release is built after every harvest that changed the directory. Without it
    /// the releases found in `directory` are served, none built (a read replica, fed by copies).
    public var key: SigningKey?
    /// How many releases are kept (the newest).
    public var keep: Int

    public init(directory: URL, key: SigningKey?, keep: Int = 10) {
        self.directory = directory
        self.key = key
        self.keep = keep
    }
}

/// The arguments of a national server, as the command line, the demo and the tests give them.
public struct NationalServerOptions: NationalServerArguments {
    public var host: String
    public var port: Int
    public var logLevel: Logger.Level
    public var nationalDatabase: URL
    public var referenceDirectory: URL
    public var ban: URL?
    public var banIndex: URL?
    public var limits: ServerLimits
    public var openData: OpenDataOptions?
    public var indicatorCatalogue: IndicatorCatalogue?

    public init(host: String = "127.0.0.1", port: Int = 0, logLevel: Logger.Level = .warning, nationalDatabase: URL,
                referenceDirectory: URL, ban: URL? = nil, banIndex: URL? = nil,
                limits: ServerLimits = .national, openData: OpenDataOptions? = nil, indicatorCatalogue: IndicatorCatalogue? = nil) {
        self.limits = limits
        self.openData = openData
        self.indicatorCatalogue = indicatorCatalogue
        self.host = host
        self.port = port
        self.logLevel = logLevel
        self.nationalDatabase = nationalDatabase
        self.referenceDirectory = referenceDirectory
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
        // Content in hand: ready.
        router.get("/readyz") { _, _ in "ok" }
        let metrics = NationalMetrics(content)
        ServerMetrics.addRoute(to: router, refresh: metrics.record)
        PagesController(content: content).addRoutes(to: router)
        SearchController(content: content).addRoutes(to: router)
        MapController(background: content.searchMap).addRoutes(to: router)
        CoverageController(report: content.coverage, page: content.coverageHTML).addRoutes(to: router)
        router.get("/couverture/regions/:code") { _, context in
            // Computed per request from the content in service (a few milliseconds at 80,000 places).
            let code = context.parameters.get("code") ?? ""
            guard let region = try? RegionCode(code),
                  content.regionNames[region] != nil || content.acceptedStates.contains(where: { $0.region == region })
                    || content.coverage?.regions.contains(where: { $0.code == region }) == true else {
                return HTMLPage(HarvestPage.document(title: "Région inconnue", body: "<h1>Région inconnue</h1><p>Aucune Région de code « \(code) ».</p><p><a href=\"/couverture\">Le rapport de couverture</a></p>"), status: .notFound)
            }
            return HTMLPage(ScorecardPage.render(RegionScorecard(region, content: content)))
        }
        ChannelsController(channels: content.channels).addRoutes(to: router)
        ReadAPIController(listings: content.listings).addRoutes(to: router)
        OpenDataController(directory: content.releases).addRoutes(to: router)
        HarvestController(report: content.harvestReport, anomalies: content.anomalies, states: content.acceptedStates).addRoutes(to: router)
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

    /// What a national server answers while it loads its first content: `/healthz` (the process is up),
    /// `/readyz` and every other route 503 with `Retry-After`, `/metrics`.
    static func buildLoadingRouter() -> Router<NationalRequestContext> {
        let router = Router(context: NationalRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.addServerMiddleware()
        router.add(middleware: NationalErrorMiddleware())
        HealthController().addRoutes(to: router)
        ServerMetrics.addRoute(to: router)
        router.add(middleware: LoadingMiddleware())
        return router
    }

    /// `spro national serve`: the national application over the files `arguments` name, live. It listens at
    /// once (`/readyz` answers 503 until the first content is loaded), follows every harvest recorded in the
    /// national file (see `LiveDirectory`) and runs `services` beside the server (the scheduled harvest),
    /// all stopping gracefully on SIGTERM. A broken reference pack or BAN fails here, before listening.
    public static func buildApplication(_ arguments: some NationalServerArguments, pollInterval: Duration = .seconds(1),
                                        services: [any ServiceLifecycle.Service] = [],
                                        onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws -> some ApplicationProtocol {
        let logger = Logger.server("spro.national", level: arguments.logLevel)
        let live = LiveDirectory(store: try NationalStore(path: arguments.nationalDatabase.path),
                                 loader: try NationalContentLoader(arguments, logger: logger), pollInterval: pollInterval, logger: logger)
        return Application(
            responder: live.responder,
            server: arguments.limits.httpServer(),
            configuration: .init(address: .hostname(arguments.host, port: arguments.port), serverName: "spro-national"),
            services: [live] + services,
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? arguments.port) },
            logger: logger)
    }
}

/// Answers 503 (`NationalAPIError.loading`) to everything but the probes while the first content loads.
struct LoadingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        switch request.uri.path {
        case "/healthz", "/health", "/metrics": try await next(request, context)
        default: throw NationalAPIError.loading
        }
    }
}
