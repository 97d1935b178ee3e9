import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// How a fetch is bounded: time without progress, total time, body size, and retries.
public struct FetchLimits: Sendable {
    /// Seconds without progress (connecting, the answer's head, each piece of its body) before giving up.
    public var idleTimeout: TimeInterval
    /// Seconds for the whole exchange, whatever happens: a node trickling bytes never trips the idle limit.
    public var totalTimeout: TimeInterval
    /// Largest body accepted, in bytes; a larger one is cut off as soon as it is seen.
    public var maxBytes: Int
    /// Attempts for failures that may pass (network errors, timeouts, 5xx), with exponential backoff.
    public var attempts: Int
    public var backoff: TimeInterval

    public init(idleTimeout: TimeInterval = 10, totalTimeout: TimeInterval = 30, maxBytes: Int = 64 << 20,
                attempts: Int = 3, backoff: TimeInterval = 0.25) {
        self.idleTimeout = idleTimeout
        self.totalTimeout = totalTimeout
        self.maxBytes = maxBytes
        self.attempts = attempts
        self.backoff = backoff
    }
}

/// The outcome of fetching one URL.
public enum FetchResult: Sendable {
    case notModified
    case body(Data, etag: String?)
}

/// Why a fetch failed.
public enum FetchError: Error, Sendable, Equatable, CustomStringConvertible {
    case network(String)
    /// No complete answer within the total time.
    case timedOut(seconds: TimeInterval)
    /// Nothing at all arrived for the idle time.
    case stalled(seconds: TimeInterval)
    case tooLarge(limit: Int)
    case httpStatus(Int)
    case truncated(expected: Int64, got: Int)
    /// A redirect away from the node's address in the registry, not followed.
    case redirectedElsewhere(location: String)
    /// More redirects in a row, on the node's own address, than `ExportFetcher.maxRedirects`.
    case tooManyRedirects(Int)

    public var description: String {
        switch self {
        case .network(let m): "erreur réseau : \(m)"
        case .timedOut(let s): "pas de réponse complète en \(Self.seconds(s)) s"
        case .stalled(let s): "rien reçu pendant \(Self.seconds(s)) s"
        case .tooLarge(let limit): "réponse plus grande que la limite de \(limit) octets"
        case .httpStatus(let code): "statut HTTP \(code)"
        case .truncated(let expected, let got): "corps tronqué : \(got) octets sur \(expected)"
        case .redirectedElsewhere(let location):
            "redirigé vers \(location), hors de l'adresse du nœud dans le registre (non suivi)"
        case .tooManyRedirects(let n): "plus de \(n) redirections de suite"
        }
    }

    var isTransient: Bool {
        switch self {
        case .network, .timedOut, .stalled: true
        case .httpStatus(let code): code >= 500 || code == 408 || code == 429
        case .tooLarge, .truncated, .redirectedElsewhere, .tooManyRedirects: false
        }
    }

    /// "2", "0.5", "0.25": a limit under a second must not read "0".
    static func seconds(_ s: TimeInterval) -> String {
        var text = String(format: "%.3f", s)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "0" && s > 0 ? String(format: "%g", s) : text
    }
}

/// Fetches exports over HTTP through one shared `HTTPClient`: connections are reused, each fetch has an
/// idle limit and a deadline, and a body is read as it streams in and cut off past the size limit, so a
/// node gone mad never grows the harvester's memory beyond it.
///
/// Redirects: the client never follows one itself. One to the same origin as the URL asked for (scheme,
/// host and port: a node moving its export under its own address) is followed, up to `maxRedirects`; one
/// anywhere else is refused, naming the target, since the registry names the address trusted for a Région
/// and the harvester must not be sent fetching from other hosts.
public struct ExportFetcher: Sendable {
    public let limits: FetchLimits
    /// The client the fetches go through; its owner shuts it down (never, for `sharedClient`).
    public let client: HTTPClient
    /// Same-origin redirects followed in a row.
    public static let maxRedirects = 3

    /// The client every fetcher uses unless given another. Like `HTTPClient.shared` (which follows
    /// redirects to any host, so cannot be used), it lives as long as the process and is never shut down:
    /// harvesting is the process's job until it exits (`spro harvest --every`), every `Harvester` of the
    /// process shares its connections, and no caller can forget a shutdown.
    public static let sharedClient: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            // The fetch's own limits apply on top; these only bound what they cannot see.
            timeout: .init(connect: .seconds(30), read: .seconds(120)),
            decompression: .disabled)
        // A refused connection fails the fetch at once, to be retried by `fetch`'s own policy, rather than
        // being tried again by the pool until the idle limit takes it for a hang.
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// A fetcher with these limits, through `client` (by default `sharedClient`). Whoever creates a
    /// client of their own shuts it down after the last fetch.
    public init(limits: FetchLimits = FetchLimits(), client: HTTPClient = ExportFetcher.sharedClient) {
        self.limits = limits
        self.client = client
    }

    /// GETs `url`, sending `If-None-Match` when an ETag is known, retrying transient failures.
    public func fetch(_ url: URL, etag: String? = nil) async throws(FetchError) -> FetchResult {
        var attempt = 1
        while true {
            do {
                return try await fetchOnce(url, etag: etag)
            } catch let failure {
                guard failure.isTransient, attempt < limits.attempts, !Task.isCancelled else { throw failure }
                do {
                    try await Task.sleep(for: .seconds(limits.backoff * pow(2, Double(attempt - 1))))
                } catch {
                    throw failure  // cancelled while waiting: the last failure is the answer
                }
                attempt += 1
            }
        }
    }

    /// One attempt, raced against a watchdog for the idle and total limits: whichever ends first wins,
    /// and the loser is cancelled (cancelling the exchange closes its connection).
    func fetchOnce(_ url: URL, etag: String?) async throws(FetchError) -> FetchResult {
        let progress = ExchangeProgress()
        let limits = limits
        do {
            return try await withThrowingTaskGroup(of: FetchResult.self) { group in
                group.addTask { try await exchange(url, etag: etag, progress: progress) }
                group.addTask { try await Self.watchdog(progress, limits: limits) }
                defer { group.cancelAll() }
                guard let first = try await group.next() else { throw FetchError.network("no answer") }
                return first
            }
        } catch let error as FetchError {
            throw error
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            throw .timedOut(seconds: limits.totalTimeout)
        } catch {
            throw .network(Self.describe(error))
        }
    }

    /// Requests `url`, following same-origin redirects, and reads a 200's body.
    private func exchange(_ url: URL, etag: String?, progress: ExchangeProgress) async throws -> FetchResult {
        var target = url
        for _ in 0...Self.maxRedirects {
            var request = HTTPClientRequest(url: target.absoluteString)
            if let etag { request.headers.add(name: "If-None-Match", value: etag) }
            // The watchdog keeps the same deadline; this one also stops the client's own wait for a connection.
            let response = try await client.execute(request, deadline: .now() + .nanoseconds(Int64(limits.totalTimeout * 1e9)))
            await progress.mark()
            let status = Int(response.status.code)
            switch status {
            case 200:
                return .body(try await read(response, progress: progress), etag: response.headers.first(name: "ETag"))
            case 304:
                return .notModified
            case 301, 302, 303, 307, 308:
                guard let location = response.headers.first(name: "Location"),
                      let next = URL(string: location, relativeTo: target)?.absoluteURL else { throw FetchError.httpStatus(status) }
                guard Self.origin(next) == Self.origin(url) else { throw FetchError.redirectedElsewhere(location: next.absoluteString) }
                target = next
            default:
                throw FetchError.httpStatus(status)
            }
        }
        throw FetchError.tooManyRedirects(Self.maxRedirects)
    }

    /// The body, counted as it arrives: past `maxBytes` the exchange is dropped (closing the connection)
    /// before the excess is held; short of its `Content-Length` it is refused as truncated.
    private func read(_ response: HTTPClientResponse, progress: ExchangeProgress) async throws -> Data {
        let announced = response.headers.first(name: "Content-Length").flatMap { Int64($0) }
        if let announced, announced > Int64(limits.maxBytes) { throw FetchError.tooLarge(limit: limits.maxBytes) }
        var data = Data()
        if let announced { data.reserveCapacity(Int(announced)) }
        do {
            for try await chunk in response.body {
                guard data.count + chunk.readableBytes <= limits.maxBytes else { throw FetchError.tooLarge(limit: limits.maxBytes) }
                data.append(contentsOf: chunk.readableBytesView)
                await progress.mark()
            }
        } catch let error as FetchError {
            throw error
        } catch {
            // A hang-up before the announced length arrived: say so, rather than "network error".
            if let announced, Int64(data.count) < announced, !Task.isCancelled {
                throw FetchError.truncated(expected: announced, got: data.count)
            }
            throw error
        }
        if let announced, Int64(data.count) != announced { throw FetchError.truncated(expected: announced, got: data.count) }
        return data
    }

    /// Throws when the exchange has made no progress for the idle time, or at the total deadline.
    private static func watchdog(_ progress: ExchangeProgress, limits: FetchLimits) async throws -> FetchResult {
        let clock = ContinuousClock()
        let end = clock.now + .seconds(limits.totalTimeout)
        while true {
            let stalled = await progress.last + .seconds(limits.idleTimeout)
            let next = min(stalled, end)
            if clock.now >= next {
                throw next == end ? FetchError.timedOut(seconds: limits.totalTimeout) : FetchError.stalled(seconds: limits.idleTimeout)
            }
            try await Task.sleep(until: next, clock: clock)
        }
    }

    /// Scheme, host and port (the scheme's default when absent), lowercased.
    static func origin(_ url: URL) -> String {
        let scheme = url.scheme?.lowercased() ?? ""
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        return "\(scheme)://\(url.host?.lowercased() ?? ""):\(port)"
    }

    /// A transport error in a few words: "connection refused" rather than a type dump.
    static func describe(_ error: any Error) -> String {
        if let e = error as? IOError { return e.description }
        if let e = error as? HTTPClientError { return e.description }
        if error is CancellationError { return "cancelled" }
        return String(describing: error)
    }
}

/// When the exchange last made progress, for the watchdog.
private actor ExchangeProgress {
    private(set) var last = ContinuousClock.now

    func mark() { last = .now }
}
