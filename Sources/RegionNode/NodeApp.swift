import Directory
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Logging
import ServerFoundation

/// What a region node's server is started with, besides its store.
public protocol NodeServerArguments: ServerArguments {
    /// Team session cookies carry `Secure`: set when the node is served over TLS (behind a proxy).
    var secureCookies: Bool { get }
    /// How long a team session lasts without activity... and at most: sessions are not renewed.
    var sessionLifetime: Duration { get }
    /// The national service whose harvest anomalies the team's dashboard shows (nil: none).
    var nationalURL: String? { get }
}

extension NodeServerArguments {
    /// A node's limits, unless its arguments say otherwise.
    public var limits: ServerLimits { .node }
    public var nationalURL: String? { nil }
}

/// The arguments of a node server, as the command line, the demo and the tests give them.
public struct NodeServerOptions: NodeServerArguments {
    public var host: String
    public var port: Int
    public var logLevel: Logger.Level
    public var secureCookies: Bool
    public var sessionLifetime: Duration
    public var limits: ServerLimits
    public var nationalURL: String?

    public init(host: String = "127.0.0.1", port: Int = 0, logLevel: Logger.Level = .warning, secureCookies: Bool = false,
                sessionLifetime: Duration = .seconds(8 * 3600), limits: ServerLimits = .node, nationalURL: String? = nil) {
        self.nationalURL = nationalURL
        self.host = host
        self.port = port
        self.logLevel = logLevel
        self.secureCookies = secureCookies
        self.sessionLifetime = sessionLifetime
        self.limits = limits
    }
}

/// A region node's HTTP server: the signed export (`/export.json`, `/export.json.sig`), the admin API
/// under `/api/v1/`, the team's pages under `/equipe/`, `/healthz` and `/metrics`.
public enum NodeServer {
    /// The router: middleware, then one route collection per concern. `sessions` keeps team sessions
    /// server side (in memory by default: a restart signs everyone out).
    public static func buildRouter(store: NodeStore, validator: RecordValidator = RecordValidator(),
                                   arguments: some NodeServerArguments = NodeServerOptions(),
                                   sessions: any PersistDriver = MemoryPersistDriver()) -> Router<NodeRequestContext> {
        // HEAD answers wherever GET does (monitoring probes, `curl -I`).
        let router = Router(context: NodeRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.addServerMiddleware()
        router.add(middleware: DomainErrorMiddleware())
        HealthController().addRoutes(to: router)
        ServerMetrics.addRoute(to: router)
        ExportController(store: store).addRoutes(to: router)

        let api = router.group("api/v1")
            .add(middleware: BearerTokenAuthenticator(store: store))
            .add(middleware: RequireIdentityMiddleware())
        AdminController(store: store, validator: validator).addRoutes(to: api)

        let pages = router.group("equipe")
            .add(middleware: SessionMiddleware(storage: sessions, configuration: .init(
                sessionCookieParameters: .init(name: TeamPagesController.cookieName, path: "/equipe",
                                               secure: arguments.secureCookies, sameSite: .strict),
                keyPrefix: "equipe.", defaultSessionExpiration: arguments.sessionLifetime)))
            .add(middleware: TeamSessionAuthenticator(store: store))
            .add(middleware: SameOriginMiddleware())
        TeamPagesController(store: store).addRoutes(to: pages)
        BackOfficeController(store: store, national: NationalFeedback(base: arguments.nationalURL, region: store.region.code), validator: validator)
            .addRoutes(to: pages)
        ImportPagesController(store: store, validator: validator).addRoutes(to: pages)
        router.refuseOtherMethods()
        return router
    }

    /// The node application: `buildRouter` on `arguments.host:port` (port 0 picks one; `onListening` receives it).
    public static func buildApplication(_ arguments: some NodeServerArguments, store: NodeStore,
                                        validator: RecordValidator = RecordValidator(),
                                        onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let sessions = MemoryPersistDriver()
        return Application(
            router: buildRouter(store: store, validator: validator, arguments: arguments, sessions: sessions),
            server: arguments.limits.httpServer(),
            configuration: .init(address: .hostname(arguments.host, port: arguments.port), serverName: "spro-node"),
            services: [sessions, ScheduledExpiry(store: store, logger: .server("spro.node.expiry", level: arguments.logLevel))],
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? arguments.port) },
            logger: .server("spro.node", level: arguments.logLevel))
    }
}

/// `GET /export.json` (with ETag / If-None-Match) and `GET /export.json.sig`: what the harvester fetches.
struct ExportController {
    let store: NodeStore

    func addRoutes(to router: Router<NodeRequestContext>) {
        router.get("/export.json") { request, _ -> Response in
            let export = try await store.currentExport()
            var headers: HTTPFields = [.contentType: "application/json", .eTag: export.etag, .cacheControl: "no-cache"]
            headers[HTTPField.Name("X-Spro-Export-Version")!] = String(export.version)
            if let inm = request.headers[.ifNoneMatch],
               inm.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == export.etag }) {
                return Response(status: .notModified, headers: headers)
            }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: export.body)))
        }
        router.get("/export.json.sig") { _, _ -> Response in
            let export = try await store.currentExport()
            return Response(status: .ok, headers: [.contentType: "application/json", .eTag: export.etag],
                            body: .init(byteBuffer: ByteBuffer(bytes: export.signature)))
        }
    }
}
