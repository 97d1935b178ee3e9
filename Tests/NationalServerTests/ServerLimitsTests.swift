import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import ServerFoundation
import SproTestSupport
import Testing
@testable import NationalServer

/// What any client may hold of the national server, over real loopback HTTP: idle and stalled connections
/// are closed, one connection too many is answered 503, a request too large 413, and HEAD answers like GET.
@Suite(.serialized) struct ServerLimitsTests {
    struct Limited: ServerArguments {
        var host = "127.0.0.1"
        var port = 0
        var logLevel = Logger.Level.critical
        var limits: ServerLimits
    }

    static func app(_ limits: ServerLimits) async throws -> some ApplicationProtocol {
        NationalApp.buildApplication(Limited(limits: limits), content: try await NationalAppTests.content())
    }

    @Test(.timeLimit(.minutes(1)))
    func idleAndStalledConnectionsAreClosedAtTheIdleTimeout() async throws {
        try await Self.app(ServerLimits(idleTimeout: .milliseconds(300))).test(.live) { client in
            let port = try #require(client.port)
            // One connection says nothing; one sends half a request head and stops (slowloris).
            let idle = try RawSocket(port: port)
            let stalled = try RawSocket(port: port)
            try stalled.send("GET /healthz HTTP/1.1\r\nHost: loc")
            // Each read waits for the server to hang up; nil would mean still open after 30 s.
            let idleEnd = await idle.readUntilClosed()
            let stalledEnd = await stalled.readUntilClosed()
            #expect(idleEnd == "")
            #expect(stalledEnd != nil && stalledEnd?.contains("200") != true, "\(stalledEnd ?? "still open")")
        }
        // A connection that asks is answered, and kept for its next request: on a server whose idle limit a
        // busy test machine cannot overrun between the two requests (300 ms could be).
        try await Self.app(ServerLimits(idleTimeout: .seconds(10))).test(.live) { client in
            let port = try #require(client.port)
            let prompt = try RawSocket(port: port)
            try prompt.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
            #expect(await prompt.readResponse()?.hasPrefix("HTTP/1.1 200") == true)
            try prompt.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
            #expect(await prompt.readResponse()?.hasPrefix("HTTP/1.1 200") == true)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aConnectionOverTheLimitIsAnswered503WithRetryAfter() async throws {
        try await Self.app(ServerLimits(idleTimeout: .seconds(60), maxConnections: 3)).test(.live) { client in
            let port = try #require(client.port)
            // The test client's own connection counts: one request makes sure it is open before the others.
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            // Two more connections served and kept open: the limit is reached.
            let held = try (0..<2).map { _ in try RawSocket(port: port) }
            for connection in held {
                try connection.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
                #expect(await connection.readResponse()?.hasPrefix("HTTP/1.1 200") == true)
            }
            let third = try RawSocket(port: port)
            try third.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let answer = try #require(await third.readUntilClosed())
            #expect(answer.hasPrefix("HTTP/1.1 503"), "\(answer)")
            #expect(answer.lowercased().contains("retry-after: 5"))
            #expect(answer.contains(#""code":"overloaded""#))
            #expect(answer.contains("trop de connexions"))
            // The connections already served still are.
            try held[0].send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
            #expect(await held[0].readResponse()?.hasPrefix("HTTP/1.1 200") == true)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aBodyOverTheLimitIsAnswered413Unread() async throws {
        try await Self.app(ServerLimits()).test(.live) { client in
            let port = try #require(client.port)
            let sender = try RawSocket(port: port)
            try sender.send("POST /api/v1/places/nearest HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000000\r\n\r\n")
            let answer = try #require(await sender.readUntilClosed())
            #expect(answer.hasPrefix("HTTP/1.1 413"), "\(answer)")
            #expect(answer.contains("taille maximale de 65536 octets"))
        }
    }

    /// Every GET route answers HEAD with GET's status (never 404 or 405) and no body.
    @Test func headAnswersOnEveryGetRoute() async throws {
        let content = try await NationalAppTests.content()
        let paths = NationalApp.buildRouter(content: content).routes.filter { $0.method == .get }.map { Self.concrete($0.path.description) }
        #expect(paths.count >= 10)
        try await NationalApp.buildApplication(Limited(limits: .national), content: content).test(.live) { client in
            for path in paths {
                let get = try await client.execute(uri: path, method: .get) { $0.status }
                try await client.execute(uri: path, method: .head) { response in
                    #expect(response.status == get, "HEAD \(path)")
                    #expect(response.body.readableBytes == 0, "HEAD \(path)")
                }
            }
        }
    }

    /// A route pattern with its captures and wildcards filled in: `/api/v1/places/{id}` → `/api/v1/places/x`.
    static func concrete(_ pattern: String) -> String {
        pattern.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.contains("{") || part.contains("*") ? "x" : String(part)
        }.joined(separator: "/")
    }
}
