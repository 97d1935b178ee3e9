import Coverage
import Directory
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NationalDirectory
import Reference

/// Everything the national directory's HTTP server reads, loaded once.
public struct NationalContent: Sendable {
    public var search: PlaceSearch {
        didSet { fragments = PlaceFragments.all(search) }
    }
    /// Each place's answer JSON, written once (see `PlaceFragments`), by `SearchHit.index`.
    private(set) var fragments: [PlaceFragments]
    public var totals: DirectoryTotals
    public var resolveQuery: QueryResolving
    /// The latest harvest report, shown at `/moissonnage`.
    public var harvestReport: HarvestReport?
    /// When each region's data in service expires: past it, the data is served marked stale.
    public var expiry: [RegionCode: Date]
    /// The coverage report and its French HTML page, served at `/couverture` and `/api/v1/coverage/...`.
    public var coverage: CoverageReport?
    public var coverageHTML: String?
    /// Remote entry points (phone, chat...), shared ones with their contributors, served at `/api/v1/channels`.
    public var channels: [DirectoryChannel] = []
    /// What the search page's map (`/carte.svg`) is drawn from; without it the page shows the list alone.
    public var searchMap: SearchMapBackground?

    public init(search: PlaceSearch, totals: DirectoryTotals, resolveQuery: @escaping QueryResolving,
                harvestReport: HarvestReport? = nil, expiry: [RegionCode: Date] = [:]) {
        self.search = search
        fragments = PlaceFragments.all(search)
        self.totals = totals
        self.resolveQuery = resolveQuery
        self.harvestReport = harvestReport
        self.expiry = expiry
    }

    /// Loads everything the server shows from the national store.
    public static func load(from store: NationalStore, resolveQuery: @escaping QueryResolving) async throws -> NationalContent {
        let expiry = try await store.acceptedStates().reduce(into: [RegionCode: Date]()) { out, state in
            out[state.region] = ISOInstant.parse(state.expiresAt)
        }
        var content = NationalContent(search: PlaceSearch(places: try await store.directoryPlaces()), totals: try await store.totals(),
                                      resolveQuery: resolveQuery, harvestReport: try await store.latestReport(), expiry: expiry)
        content.channels = try await store.channels()
        return content
    }
}

/// The national directory's HTTP application: search API and the public page.
public enum NationalApp {
    public static func buildRouter(content: NationalContent) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/health") { _, _ in "ok" }
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: SearchPage.html)))
        }
        router.get("/carte.svg") { request, _ -> Response in
            guard let background = content.searchMap else {
                return try json(ErrorDTO(error: "not_found", message: "fond de carte non chargé (no outlines loaded)", parameter: nil),
                                status: .notFound)
            }
            do {
                if let other = request.uri.queryParameters.first(where: { $0.key != "bbox" }) {
                    throw ParameterError(parameter: String(other.key), message: "paramètre inconnu « \(other.key) » (unknown parameter)")
                }
                let box = try SearchMap.box(request.uri.queryParameters.get("bbox"))
                // The outlines never change while the server runs: the browser may keep a map it has drawn.
                return Response(status: .ok, headers: [.contentType: "image/svg+xml; charset=utf-8", .cacheControl: "public, max-age=3600"],
                                body: .init(byteBuffer: ByteBuffer(string: SearchMap.svg(background, box: box))))
            } catch let e as ParameterError {
                return try json(ErrorDTO(error: "bad_request", message: e.message, parameter: e.parameter), status: .badRequest)
            }
        }
        router.get("/api/v1/stats") { _, _ in
            try json(content.totals, status: .ok)
        }
        router.get("/moissonnage") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: HarvestPage.render(content.harvestReport))))
        }
        router.get("/couverture") { _, _ -> Response in
            guard let page = content.coverageHTML else {
                return Response(status: .notFound, headers: [.contentType: "text/html; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: "<!doctype html><html lang=\"fr\"><title>Couverture</title><p>Le rapport de couverture n'est pas encore calculé.</p></html>")))
            }
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: page)))
        }
        router.get("/api/v1/coverage") { _, _ -> Response in
            guard var report = content.coverage else { return try coverageMissing() }
            report.communes = []  // per-commune rows are in coverage-communes.csv; the API stays small
            return try json(report, status: .ok)
        }
        router.get("/api/v1/coverage/zones/:code") { _, context -> Response in
            let code = context.parameters.get("code") ?? ""
            guard let report = content.coverage else { return try coverageMissing() }
            guard let zoneCode = try? ZoneEmploiCode(code), let zone = report.zone(zoneCode) else {
                return try json(ErrorDTO(error: "not_found", message: "zone d'emploi inconnue « \(code) » (unknown zone)", parameter: "code"),
                                status: .notFound)
            }
            return try json(ZoneDetail(zone: zone, gaps: report.gaps(in: zoneCode)), status: .ok)
        }
        router.get("/api/v1/coverage/regions/:code") { _, context -> Response in
            let code = context.parameters.get("code") ?? ""
            guard let report = content.coverage else { return try coverageMissing() }
            guard let region = report.regions.first(where: { $0.code.rawValue == code }) else {
                return try json(ErrorDTO(error: "not_found", message: "Région inconnue « \(code) » (unknown region)", parameter: "code"),
                                status: .notFound)
            }
            return try json(region, status: .ok)
        }
        router.get("/api/v1/harvest/report") { _, _ -> Response in
            guard let report = content.harvestReport else {
                return try json(ErrorDTO(error: "not_found", message: "aucun moissonnage (no harvest yet)", parameter: nil), status: .notFound)
            }
            return try json(report, status: .ok)
        }
        router.get("/api/v1/channels") { request, _ -> Response in
            // Filters: region (INSEE code), service, public; each value checked like the search's.
            var channels = content.channels
            for (key, value) in request.uri.queryParameters.map({ (String($0.key), String($0.value)) }) {
                switch key {
                case "region":
                    guard let code = try? RegionCode(value) else {
                        return try json(ErrorDTO(error: "bad_request", message: "région inconnue « \(value) »", parameter: key), status: .badRequest)
                    }
                    channels = channels.filter { $0.region == code }
                case "service":
                    guard let service = Service(rawValue: value) else {
                        return try json(ErrorDTO(error: "bad_request", message: "service inconnu « \(value) »", parameter: key), status: .badRequest)
                    }
                    channels = channels.filter { $0.channel.services.contains(service) }
                case "public":
                    guard let audience = Public(rawValue: value) else {
                        return try json(ErrorDTO(error: "bad_request", message: "public inconnu « \(value) »", parameter: key), status: .badRequest)
                    }
                    channels = channels.filter { $0.channel.publics.contains(audience) || $0.channel.publics.contains(.tousPublics) }
                default:
                    return try json(ErrorDTO(error: "bad_request", message: "paramètre inconnu « \(key) »", parameter: key), status: .badRequest)
                }
            }
            return try json(channels, status: .ok)
        }
        router.get("/api/v1/places/nearest") { request, _ -> Response in
            let query = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
            do {
                let params = try NearestParameters(query)
                let origin: SearchOrigin
                if let lat = params.lat, let lon = params.lon {
                    origin = SearchOrigin(position: GeoPoint(lat: lat, lon: lon), label: nil)
                } else {
                    switch content.resolveQuery(params.q ?? "") {
                    case .success(let o): origin = o
                    case .failure(let problem): throw ParameterError(parameter: "q", message: problem.message)
                    }
                }
                let hits = content.search.nearest(to: origin.position, limit: params.limit,
                                                  radiusMetres: params.radiusKm.map { $0 * 1000 }, filter: params.filter)
                // The clock is read once per answer: every place's hours are evaluated at the same moment.
                let now = params.now
                let moment = ParisMoment(params.filter.openAt ?? now)
                let body = NearestAnswer.jsonBytes(
                    origin: .init(lat: origin.position.lat, lon: origin.position.lon, label: origin.label), radiusKm: params.radiusKm,
                    hits: hits, fragments: content.fragments, expiry: content.expiry, now: now, moment: moment)
                return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(bytes: body)))
            } catch let e as ParameterError {
                return try json(ErrorDTO(error: "bad_request", message: e.message, parameter: e.parameter), status: .badRequest)
            }
        }
        return router
    }

    struct ZoneDetail: Encodable {
        let zone: ZoneCoverage
        let gaps: [CoverageGap]
    }

    static func coverageMissing() throws -> Response {
        try json(ErrorDTO(error: "not_found", message: "rapport de couverture non calculé (no coverage report yet)", parameter: nil),
                 status: .notFound)
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status) throws -> Response {
        let data = try SproJSON.encoder().encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The national application on `host:port` (port 0 picks one; `onListening` receives it).
    public static func buildApplication(content: NationalContent, host: String = "127.0.0.1", port: Int,
                                        onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        var logger = Logger(label: "spro.national")
        logger.logLevel = .warning
        return Application(
            router: buildRouter(content: content),
            configuration: .init(address: .hostname(host, port: port), serverName: "spro-national"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}
