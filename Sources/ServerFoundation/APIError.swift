import Directory
import Foundation
import HTTPTypes
import Hummingbird

/// The one JSON shape of every API error spro answers: `{"code": …, "message": …, "field": …}`.
/// `code` is stable and for programs (`not_found`, `invalid`…); `message` is French and for people;
/// `field` names the request's field, parameter or record field at fault, when there is one.
public struct ErrorBody: Codable, Sendable, Equatable {
    public let code: String
    public let message: String
    public let field: String?

    public init(code: String, message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }
}

/// An API's error type: each API declares one enum conforming to it, and the framework renders it
/// (status, `ErrorBody`, extra headers) wherever a handler throws it.
public protocol APIError: HTTPResponseError, CustomStringConvertible {
    /// The body the client reads.
    var body: ErrorBody { get }
    /// Headers the answer carries besides the content type (e.g. `WWW-Authenticate` for a 401).
    var headers: HTTPFields { get }
}

extension APIError {
    public var headers: HTTPFields { [:] }

    public var description: String { body.message }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        // ErrorBody holds only strings: encoding it cannot fail.
        let data = (try? SproJSON.encoder().encode(body)) ?? Data()
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
