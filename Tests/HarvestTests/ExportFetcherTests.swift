import Foundation
import Hummingbird
import SproTestSupport
import Testing
@testable import Harvest

/// The fetcher against loopback servers: limits, redirects, retries.
@Suite(.serialized) struct ExportFetcherTests {
    func fetcher(idle: TimeInterval = 20, total: TimeInterval = 60, maxBytes: Int = 1 << 20, attempts: Int = 1) -> ExportFetcher {
        ExportFetcher(limits: FetchLimits(idleTimeout: idle, totalTimeout: total, maxBytes: maxBytes, attempts: attempts, backoff: 0.01))
    }

    @Test func limitsUnderASecondAreNamedInFractions() {
        #expect(FetchError.timedOut(seconds: 0.5).description == "pas de réponse complète en 0.5 s")
        #expect(FetchError.timedOut(seconds: 30).description == "pas de réponse complète en 30 s")
        #expect(FetchError.stalled(seconds: 0.25).description == "rien reçu pendant 0.25 s")
        #expect(FetchError.stalled(seconds: 0.0001).description == "rien reçu pendant 0.0001 s")
    }

    // The time limit bounds the test should the total limit fail: the node trickles forever.
    @Test(.timeLimit(.minutes(1)))
    func aTricklingNodeIsCutOffAtTheTotalLimit() async throws {
        let router = Router()
        // A byte every 50 ms: never idle long enough for the idle limit. The handler ends when the
        // harvester hangs up and its next write fails.
        router.get("/export.json") { _, _ in
            Response(status: .ok, body: ResponseBody { writer in
                while true {
                    try await writer.write(ByteBuffer(string: " "))
                    try await Task.sleep(for: .milliseconds(50))
                }
            })
        }
        let error = try await Loopback.serve(router) { url in
            await #expect(throws: FetchError.self) {
                try await fetcher(idle: 20, total: 0.75).fetch(URL(string: url + "/export.json")!)
            }
        }
        #expect(error == .timedOut(seconds: 0.75))
    }

    @Test func anAnnouncedBodyOverTheLimitIsRefusedUnread() async throws {
        let reply: @Sendable (String) -> [UInt8]? = { _ in
            Array("HTTP/1.1 200 OK\r\nContent-Length: 1500000000\r\n\r\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: 1_000)
        }
        let error = try await RawHTTP.serve(reply: reply) { url in
            await #expect(throws: FetchError.self) { try await fetcher(maxBytes: 1 << 20).fetch(URL(string: url + "/export.json")!) }
        }
        #expect(error == .tooLarge(limit: 1 << 20))
    }

    @Test func aRedirectOnTheNodesOwnAddressIsFollowedWithItsETag() async throws {
        let router = Router()
        router.get("/ancienne/export.json") { _, _ in Response(status: .movedPermanently, headers: [.location: "/export.json"]) }
        router.get("/export.json") { request, _ -> Response in
            if request.headers[.ifNoneMatch] == "\"v1\"" { return Response(status: .notModified) }
            return Response(status: .ok, headers: [.eTag: "\"v1\""], body: .init(byteBuffer: ByteBuffer(string: "export")))
        }
        let (fresh, again) = try await Loopback.serve(router) { url in
            let old = URL(string: url + "/ancienne/export.json")!
            return (try await fetcher().fetch(old), try await fetcher().fetch(old, etag: "\"v1\""))
        }
        guard case .body(let data, let etag) = fresh else { Issue.record("no body: \(fresh)"); return }
        #expect(String(decoding: data, as: UTF8.self) == "export" && etag == "\"v1\"")
        guard case .notModified = again else { Issue.record("If-None-Match lost on the redirect: \(again)"); return }
    }

    @Test func redirectsAnotherPortOrInALoopAreRefused() async throws {
        let router = Router()
        router.get("/port") { _, _ in Response(status: .temporaryRedirect, headers: [.location: "http://127.0.0.1:9/export.json"]) }
        router.get("/loop") { _, _ in Response(status: .found, headers: [.location: "/loop"]) }
        let (elsewhere, loop) = try await Loopback.serve(router) { url in
            (await #expect(throws: FetchError.self) { try await fetcher().fetch(URL(string: url + "/port")!) },
             await #expect(throws: FetchError.self) { try await fetcher().fetch(URL(string: url + "/loop")!) })
        }
        #expect(elsewhere == .redirectedElsewhere(location: "http://127.0.0.1:9/export.json"))
        #expect(loop == .tooManyRedirects(ExportFetcher.maxRedirects))
    }

    @Test func onlyTransientFailuresAreRetried() async throws {
        let hits = Counter()
        let router = Router()
        router.get("/missing") { _, _ -> Response in
            hits.increment()
            return Response(status: .notFound)
        }
        let error = try await Loopback.serve(router) { url in
            await #expect(throws: FetchError.self) { try await fetcher(attempts: 3).fetch(URL(string: url + "/missing")!) }
        }
        #expect(error == .httpStatus(404))
        #expect(hits.value == 1)
    }
}
