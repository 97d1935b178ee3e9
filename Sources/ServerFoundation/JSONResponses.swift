import Directory
import Foundation
import HTTPTypes
import Hummingbird

/// Encodes handlers' `Encodable` results with the project's encoder (sorted keys, slashes unescaped), so
/// equal content gives equal bytes on every route, as the exports and their tests expect.
public struct SproResponseEncoder: ResponseEncoder {
    public init() {}

    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        let data = try SproJSON.encoder().encode(value)
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// A JSON answer with a status other than 200 (`201 Created`, `202 Accepted`).
public struct JSONAnswer<Value: Encodable & Sendable>: ResponseGenerator {
    public let status: HTTPResponse.Status
    public let value: Value

    public init(_ status: HTTPResponse.Status, _ value: Value) {
        self.status = status
        self.value = value
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try context.responseEncoder.encode(value, from: request, context: context)
        response.status = status
        return response
    }
}
