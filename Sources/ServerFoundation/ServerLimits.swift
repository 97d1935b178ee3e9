import Directory
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTPTypes

#if canImport(Glibc)
import Glibc
#endif

/// How much of a server any client may hold: how long a connection may sit idle (or take to send its
/// request), how many connections are open at once, and how large a request may be. Without them a
/// thousand idle sockets exhaust the descriptors and the server stops answering anyone.
public struct ServerLimits: Sendable {
    /// A connection with no request in progress, or whose request does not progress (a head sent a byte
    /// at a time, a body that stalls), is closed after this long.
    public var idleTimeout: Duration
    /// Connections served at once; one more is answered 503 with `Retry-After` and closed. Lowered to fit
    /// the process's descriptor limit (see `effectiveMaxConnections`).
    public var maxConnections: Int
    /// Largest request body: a larger announced `Content-Length` is answered 413 unread; a chunked body
    /// that grows past it has its connection closed.
    public var maxRequestBodyBytes: Int
    /// Largest request head (request line and headers); larger ones are refused by the HTTP decoder.
    public var maxHeaderBytes: Int

    public init(idleTimeout: Duration = .seconds(15), maxConnections: Int = 8_192, maxRequestBodyBytes: Int = 64 << 10,
                maxHeaderBytes: Int = 16 << 10) {
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
    }

    /// The national service: reads only, small forms.
    public static let national = ServerLimits()
    /// A region node: the admin API takes batches of records (its request context allows 4 MiB).
    public static let node = ServerLimits(maxConnections: 2_048, maxRequestBodyBytes: 8 << 20)

    /// Descriptors kept free of connections: the SQLite files, logs, the reference pack, outgoing fetches.
    static let reservedDescriptors = 128

    /// `maxConnections`, or fewer when the descriptor limit could not hold that many (after raising the soft
    /// limit to the hard one): past the descriptor limit the server could not even accept to answer 503.
    public var effectiveMaxConnections: Int {
        guard let available = Self.raiseDescriptorLimit() else { return maxConnections }
        return max(1, min(maxConnections, available - Self.reservedDescriptors))
    }

    /// Raises the soft limit on open descriptors to the hard limit (commonly 1,024 → 524,288) and returns it.
    @discardableResult
    public static func raiseDescriptorLimit() -> Int? {
        #if canImport(Glibc)
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return limit.rlim_cur == rlim_t.max ? Int.max / 2 : Int(clamping: limit.rlim_cur)  // rlim_t.max: RLIM_INFINITY
        #else
        return nil
        #endif
    }

    /// The HTTP/1 server with these limits: Hummingbird's idle timeout and decoder limits, and a handler
    /// that counts connections and request bodies.
    public func httpServer() -> HTTPServerBuilder {
        let gate = ConnectionGate(limit: effectiveMaxConnections)
        let maxBody = maxRequestBodyBytes
        let retryAfter = 5
        return .http1(configuration: HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestLimitHandler(gate: gate, maxBody: maxBody, retryAfter: retryAfter)],
            idleTimeout: .nanoseconds(Int64(idleTimeout.components.seconds) * 1_000_000_000
                                      + idleTimeout.components.attoseconds / 1_000_000_000),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: maxHeaderBytes, maxHeaderListSize: maxHeaderBytes,
                                            maxHeaderFieldCount: 100)))
    }
}

/// The count of open connections, shared by every connection's handler.
final class ConnectionGate: Sendable {
    let limit: Int
    private let open = NIOLockedValueBox(0)

    init(limit: Int) { self.limit = limit }

    /// Counts a connection in; false when it is one too many.
    func enter() -> Bool { open.withLockedValue { $0 += 1; return $0 <= limit } }
    func leave() { open.withLockedValue { $0 -= 1 } }
}

/// One connection's guard: over the connection limit it answers 503 to its first request and closes;
/// under it, it refuses a body announced too large (413) and closes a connection whose body grows too large.
final class RequestLimitHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    private let gate: ConnectionGate
    private let maxBody: Int
    private let retryAfter: Int
    private var counted = false
    private var overLimit = false
    /// After a refusal: nothing more is passed on, the connection is closing.
    private var refusing = false
    private var bodyBytes = 0

    init(gate: ConnectionGate, maxBody: Int, retryAfter: Int) {
        self.gate = gate
        self.maxBody = maxBody
        self.retryAfter = retryAfter
    }

    func handlerAdded(context: ChannelHandlerContext) {
        counted = true
        overLimit = !gate.enter()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if counted { gate.leave() }
        counted = false
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refusing else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            if overLimit {
                refuse(context, status: .serviceUnavailable, code: "overloaded",
                       message: "Le service reçoit trop de connexions en ce moment ; réessayez dans \(retryAfter) secondes.",
                       extra: [.retryAfter: String(retryAfter)])
                return
            }
            if let length = head.headerFields[.contentLength].flatMap(Int.init), length > maxBody {
                refuse(context, status: .contentTooLarge, code: "too_large",
                       message: "La requête dépasse la taille maximale de \(maxBody) octets.", extra: [:])
                return
            }
            bodyBytes = 0
        case .body(let buffer):
            bodyBytes += buffer.readableBytes
            if bodyBytes > maxBody {
                // The request is already with its handler, which may be answering: hang up.
                refusing = true
                context.close(promise: nil)
                return
            }
        case .end:
            break
        }
        context.fireChannelRead(data)
    }

    /// Answers with the API's error shape (`ErrorBody`) and closes the connection.
    private func refuse(_ context: ChannelHandlerContext, status: HTTPResponse.Status, code: String, message: String,
                       extra: HTTPFields) {
        refusing = true
        let data = (try? SproJSON.encoder().encode(ErrorBody(code: code, message: message))) ?? Data()
        var fields = extra
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.contentLength] = String(data.count)
        fields[.connection] = "close"
        fields[.cacheControl] = "no-store"
        context.write(wrapOutboundOut(.head(HTTPResponse(status: status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: data))), promise: nil)
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in bound.value.close(promise: nil) }
    }
}
