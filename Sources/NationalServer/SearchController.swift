import Directory
import Foundation
import Hummingbird
import NationalDirectory
import ServerFoundation

/// The public search API: `/api/v1/places/nearest` (by position or by `q=`, with filters) and
/// `/api/v1/stats` (what the national store holds).
struct SearchController {
    let content: NationalContent

    func addRoutes(to router: Router<NationalRequestContext>) {
        router.get("/api/v1/places/nearest", use: nearest)
        router.get("/api/v1/stats") { _, _ in JSONAnswer(.ok, content.totals) }
    }

    @Sendable func nearest(_ request: Request, context: NationalRequestContext) throws -> NearestJSON {
        let params = try NearestParameters(request.uri.queryParameters.map { (String($0.key), String($0.value)) })
        let origin: SearchOrigin
        if let lat = params.lat, let lon = params.lon {
            origin = SearchOrigin(position: GeoPoint(lat: lat, lon: lon), label: nil)
        } else {
            switch content.resolveQuery(params.q ?? "") {
            case .success(let o): origin = o
            case .failure(let problem): throw NationalAPIError.badParameter("q", message: problem.message)
            }
        }
        let hits = content.search.nearest(to: origin.position, limit: params.limit,
                                          radiusMetres: params.radiusKm.map { $0 * 1000 }, filter: params.filter)
        // The clock is read once per answer: every place's hours are evaluated at the same moment.
        let moments = (params.filter.openAt ?? .instant(params.now)).moments
        return NearestJSON(bytes: NearestAnswer.jsonBytes(origin: origin, radiusKm: params.radiusKm, hits: hits, search: content.search, fragments: content.fragments,
                                                          expiry: content.expiry, now: params.now, moments: moments))
    }
}

/// A nearest answer already written as JSON (see `NearestAnswer`), sent as it is.
struct NearestJSON: ResponseGenerator {
    let bytes: [UInt8]

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
