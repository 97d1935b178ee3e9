#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// A client connection on a plain socket, for what an HTTP client library will not do: hold a connection
/// idle, send half a request head, count what the server does with them. Reads block on a plain thread,
/// never on the concurrency pool, and give up after `timeout` seconds, so a server that never answers
/// fails the test instead of hanging it.
public final class RawSocket: Sendable {
    private let fd: Int32

    /// Connects to 127.0.0.1:`port`.
    public init(port: Int, timeout: TimeInterval = 30) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawHTTPError.socket(errno) }
        var wait = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            let code = errno
            Glibc.close(fd)
            throw RawHTTPError.socket(code)
        }
    }

    deinit { close() }

    /// Closes the connection (once).
    public func close() {
        guard !closed.withLock({ was in defer { was = true }; return was }) else { return }
        Glibc.close(fd)
    }

    private let closed = Mutex(false)

    /// Sends `text` as it is.
    public func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw RawHTTPError.socket(errno) }
            sent += n
        }
    }

    /// Everything the server sends until it closes the connection; nil when it was still open at the timeout.
    public func readUntilClosed() async -> String? {
        await Self.onThread { [fd] in
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n == 0 { return String(decoding: received, as: UTF8.self) }
                if n < 0 { return errno == ECONNRESET ? String(decoding: received, as: UTF8.self) : nil }
                received += buffer[0..<n]
            }
        }
    }

    /// One HTTP response with a `Content-Length` body, leaving the connection open.
    public func readResponse() async -> String? {
        await Self.onThread { [fd] in
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let text = String(decoding: received, as: UTF8.self)
                if let end = text.range(of: "\r\n\r\n") {
                    let head = text[..<end.lowerBound].lowercased()
                    let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                        .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                    if received.count - text.utf8.distance(from: text.utf8.startIndex, to: end.upperBound) >= length { return text }
                }
                let n = recv(fd, &buffer, buffer.count, 0)
                if n <= 0 { return nil }
                received += buffer[0..<n]
            }
        }
    }

    private static func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }
}
