import Foundation
import Hummingbird
import Metrics
import PerformanceKit
import Synchronization
import Prometheus

/// `GET /healthz` (and the older `GET /health`): the process is up and its router answers.
public struct HealthController<Context: RequestContext>: Sendable {
    public init() {}

    public func addRoutes(to router: Router<Context>) {
        router.get("/healthz") { _, _ in "ok" }
        router.get("/health") { _, _ in "ok" }
    }
}

/// The process's metrics in Prometheus text format, collected through swift-metrics (Hummingbird's
/// `MetricsMiddleware` counts requests and times them per route and status) and the project's own gauges.
public enum ServerMetrics {
    /// The registry every server of this process reports into.
    public static let registry: PrometheusCollectorRegistry = bootstrap()

    private static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in
            (prometheusName(name), labels.map { (prometheusName($0.0), $0.1) })
        }
        MetricsSystem.bootstrap(factory)
        return registry
    }

    /// Makes sure metrics are collected before the first request (the bootstrap runs once per process).
    public static func start() {
        _ = registry
    }

    /// The rests the background thread has taken since the last scrape (`BackgroundPacing`), added to
    /// `spro_background_rests_total`.
    static func recordBackgroundRests() {
        let now = BackgroundPacing.pauses
        let before = recordedRests.exchange(now, ordering: .relaxed)
        if now > before { Counter(label: "spro_background_rests_total").increment(by: now - before) }
    }

    private static let recordedRests = Atomic<Int>(0)

    /// Prometheus names allow `[a-zA-Z_:][a-zA-Z0-9_:]*`: swift-metrics labels such as `http.route` become `http_route`.
    static func prometheusName(_ s: String) -> String {
        var out = String(s.unicodeScalars.map { c -> Character in
            (("0"..."9").contains(c) || ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" || c == ":")
                ? Character(c) : "_"
        })
        if let first = out.unicodeScalars.first, ("0"..."9").contains(first) { out = "_" + out }
        return out
    }

    /// `GET /metrics`. `refresh` runs before each scrape, for gauges read from the server's state
    /// (a server sets its own values there, rather than once at start for the whole process).
    public static func addRoute<Context: RequestContext>(to router: Router<Context>, refresh: (@Sendable () -> Void)? = nil) {
        start()
        router.get("/metrics") { _, _ -> Response in
            recordBackgroundRests()
            refresh?()
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
}

extension Router {
    /// The middleware every spro server starts with: each request marked for the background thread's pacing,
    /// one log line per request (at `.info`), and request counts and durations per route and status for `/metrics`.
    public func addServerMiddleware() {
        ServerMetrics.start()
        addMiddleware {
            RequestActivityMiddleware()
            LogRequestsMiddleware(.info)
            MetricsMiddleware()
        }
    }
}

/// Marks each request's start for `BackgroundPacing`: while requests arrive, the background thread's long work
/// yields the cores in short bursts.
public struct RequestActivityMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        BackgroundPacing.noteRequest()
        return try await next(request, context)
    }
}
