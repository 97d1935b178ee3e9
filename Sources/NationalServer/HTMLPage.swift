import Hummingbird
import SafeHTML

/// A French page for people, as handlers return it: the framework writes it with its status and type.
struct HTMLPage: ResponseGenerator {
    let status: HTTPResponse.Status
    let markup: String

    init(_ markup: String, status: HTTPResponse.Status = .ok) {
        self.status = status
        self.markup = markup
    }

    init(_ page: HTML, status: HTTPResponse.Status = .ok) {
        self.init(page.rendered, status: status)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: markup)))
    }
}
