import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServerFoundation
import SproTestSupport
import Testing
@testable import NationalServer

/// Every refusal of the national API, whichever route and whatever the cause, answers one JSON shape,
/// `{"code", "message", "field"}`, with the status that says what went wrong.
@Suite struct ErrorShapeTests {
    struct Case: Sendable, CustomStringConvertible {
        let method: HTTPRequest.Method
        let uri: String
        let status: HTTPResponse.Status
        let code: String
        let field: String?

        init(_ method: HTTPRequest.Method, _ uri: String, _ status: HTTPResponse.Status, _ code: String, field: String? = nil) {
            self.method = method
            self.uri = uri
            self.status = status
            self.code = code
            self.field = field
        }

        init(_ uri: String, _ status: HTTPResponse.Status, _ code: String, field: String? = nil) {
            self.init(.get, uri, status, code, field: field)
        }

        var description: String { "\(method) \(uri)" }
    }

    /// Checks each case's status, content type, members, code and field; returns the bodies read.
    @discardableResult
    static func check(_ cases: [Case], on app: some ApplicationProtocol) async throws -> [ErrorBody] {
        try await app.test(.router) { client in
            var bodies: [ErrorBody] = []
            for c in cases {
                try await client.execute(uri: c.uri, method: c.method) { response in
                    #expect(response.status == c.status, "\(c)")
                    #expect(response.headers[.contentType] == "application/json; charset=utf-8", "\(c)")
                    let object = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any], "\(c)")
                    #expect(Set(object.keys).isSubset(of: ["code", "message", "field"]), "\(c): \(object.keys)")
                    let body = try JSONDecoder().decode(ErrorBody.self, from: Data(buffer: response.body))
                    #expect(body.code == c.code && body.field == c.field, "\(c): \(body)")
                    #expect(!body.message.isEmpty, "\(c)")
                    bodies.append(body)
                }
            }
            return bodies
        }
    }

    @Test func everyErrorOfAServerWithoutCoverageHarvestOrMapHasTheOneShape() async throws {
        let bodies = try await Self.check([
            Case("/api/v1/places/nearest?lat=48&lon=2&colour=red", .badRequest, "bad_request", field: "colour"),
            Case("/api/v1/places/nearest?lat=abc&lon=2", .badRequest, "bad_request", field: "lat"),
            Case("/api/v1/places/nearest?q=zzzzqqq", .badRequest, "bad_request", field: "q"),
            Case("/api/v1/channels?public=martiens", .badRequest, "bad_request", field: "public"),
            Case("/api/v1/channels?colour=red", .badRequest, "bad_request", field: "colour"),
            Case("/api/v1/coverage", .notFound, "not_found"),
            Case("/api/v1/coverage/zones/0051", .notFound, "not_found"),
            Case("/api/v1/harvest/report", .notFound, "not_found"),
            Case("/carte.svg?bbox=-4.2,47.9,-4,48.1", .notFound, "not_found"),
            Case("/nulle-part", .notFound, "not_found"),
            // Read as a place's national id (Région "nearest", id "extra"): no such place.
            Case("/api/v1/places/nearest/extra", .notFound, "not_found", field: "id"),
            Case("/api/v1/structures/53/53-NULLE", .notFound, "not_found", field: "id"),
            Case("/api/v1/places?limit=0", .badRequest, "bad_request", field: "limit"),
        ], on: NationalAppTests.app(try await NationalAppTests.content()))
        #expect(bodies[0].message.contains("« colour »"))
        #expect(bodies[9].message.contains("/nulle-part"))
    }

    @Test func unknownCodesAndBadBoxesNameTheirField() async throws {
        var content = try await CoverageRoutesTests.content()
        content.searchMap = SearchMapTests.background
        let bodies = try await Self.check([
            Case("/api/v1/coverage/zones/9999", .notFound, "not_found", field: "code"),
            Case("/api/v1/coverage/regions/99", .notFound, "not_found", field: "code"),
            Case("/carte.svg?bbox=1,2", .badRequest, "bad_request", field: "bbox"),
            Case("/carte.svg?bbox=-4.2,47.9,-4,48.1&zoom=3", .badRequest, "bad_request", field: "zoom"),
        ], on: NationalAppTests.app(content))
        #expect(bodies[0].message.contains("zone d'emploi inconnue « 9999 »"))
        #expect(bodies[1].message.contains("Région inconnue « 99 »"))
    }

    /// The API is read-only: a write to a route that exists is a 405 naming the methods it answers, not a 404.
    @Test func writesToAReadOnlyRouteAre405WithTheAllowedMethods() async throws {
        let app = NationalAppTests.app(try await NationalAppTests.content())
        try await Self.check([
            Case(.post, "/api/v1/places/nearest?lat=48&lon=2", .methodNotAllowed, "method_not_allowed"),
            Case(.delete, "/api/v1/channels", .methodNotAllowed, "method_not_allowed"),
            Case(.put, "/api/v1/coverage/zones/0051", .methodNotAllowed, "method_not_allowed"),
        ], on: app)
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/stats", method: .patch) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, HEAD")
            }
            try await client.execute(uri: "/api/v1/stats", method: .head) { response in
                #expect(response.status == .ok)
                #expect(response.body.readableBytes == 0)
            }
        }
    }
}
