import Hummingbird

/// `/carte.svg?bbox=…`: the background of the search page's map (see `SearchMap`).
struct MapController {
    let background: SearchMapBackground?

    func addRoutes(to router: Router<NationalRequestContext>) {
        router.get("/carte.svg", use: map)
    }

    @Sendable func map(_ request: Request, context: NationalRequestContext) throws -> SVGImage {
        guard let background else { throw NationalAPIError.notLoaded(.mapOutlines) }
        if let other = request.uri.queryParameters.first(where: { $0.key != "bbox" }) {
            throw NationalAPIError.unknownParameter(String(other.key))
        }
        let box = try SearchMap.box(request.uri.queryParameters.get("bbox"))
        return SVGImage(svg: "\(SearchMap.svg(background, box: box))")
    }
}

/// An SVG drawing. The outlines never change while the server runs: the browser may keep a map it has drawn.
struct SVGImage: ResponseGenerator {
    let svg: String

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: .ok, headers: [.contentType: "image/svg+xml; charset=utf-8", .cacheControl: "public, max-age=3600"],
                 body: .init(byteBuffer: ByteBuffer(string: svg)))
    }
}
