import Directory
import Foundation
import HTTPTypes
import Hummingbird

/// A request body that cannot be read as the record the route expects (422), naming the field at fault.
public struct RequestBodyError: APIError {
    public let field: String
    public let rule: String

    public init(field: String, rule: String) {
        self.field = field
        self.rule = rule
    }

    public var status: HTTPResponse.Status { .unprocessableContent }
    public var body: ErrorBody {
        ErrorBody(code: "invalid", message: "corps de la requête : \(field) : \(rule)", field: field)
    }
}

/// Decodes JSON bodies with the project's decoder (up to the context's `maxUploadSize`), turning a
/// decoding failure into a `RequestBodyError` that names the field instead of a bare 400.
public struct SproRequestDecoder: RequestDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            // The framework's own refusal, in the API's error shape.
            throw RequestTooLarge(limit: context.maxUploadSize)
        }
        do {
            return try SproJSON.decoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw RequestBodyError(field: error.fieldPath, rule: error.plainDescription)
        }
    }
}

/// A request body larger than the route reads (413), in the API's error shape.
public struct RequestTooLarge: APIError {
    public let limit: Int

    public init(limit: Int) { self.limit = limit }

    public var status: HTTPResponse.Status { .contentTooLarge }
    public var body: ErrorBody {
        ErrorBody(code: "too_large", message: "La requête dépasse la taille maximale de \(limit) octets.")
    }
}
