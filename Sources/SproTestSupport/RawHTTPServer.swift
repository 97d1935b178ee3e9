#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// An HTTP server on a plain socket, for nodes that break HTTP itself in ways a real server library
/// will not (a body shorter than its `Content-Length`, then a hang-up; no answer at all). Each
/// connection's request is read whole, answered with the bytes `reply` gives for its path, and the
/// connection closed; when `reply` gives nil the connection is held, unanswered, until the server stops.
public enum RawHTTP {
    /// Serves on 127.0.0.1 (a system-chosen port) while `body` runs, passing the base URL. Stopping
    /// never waits for a client: held connections are closed with the listener.
    public static func serve<T: Sendable>(reply: @escaping @Sendable (_ path: String) -> [UInt8]?,
                                          _ body: @Sendable (String) async throws -> T) async throws -> T {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw RawHTTPError.socket(errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(listener, sa, length) == 0 && listen(listener, 16) == 0 && getsockname(listener, sa, &length) == 0
            }
        }
        guard bound else {
            close(listener)
            throw RawHTTPError.socket(errno)
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        // Accepts on a plain thread: blocking calls stay off the concurrency pool.
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            var held: [Int32] = []
            while true {
                let connection = accept(listener, nil, nil)
                if connection < 0 { break }  // the listener was shut down
                if answer(connection, reply) {
                    close(connection)
                } else {
                    held.append(connection)
                }
            }
            held.forEach { close($0) }
            done.signal()
        }
        thread.start()
        defer {
            shutdown(listener, Int32(SHUT_RDWR))
            done.wait()
            close(listener)
        }
        return try await body("http://127.0.0.1:\(port)")
    }

    /// Reads the request head, then writes the reply for its path; false when the connection is to be held.
    private static func answer(_ connection: Int32, _ reply: @Sendable (String) -> [UInt8]?) -> Bool {
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        while !request.suffix(4).elementsEqual(end), request.count < 65_536 {
            let n = recv(connection, &buffer, buffer.count, 0)
            if n <= 0 { return true }
            request += buffer[0..<n]
        }
        // "GET /export.json HTTP/1.1"
        let line = String(decoding: request.prefix { $0 != UInt8(ascii: "\r") }, as: UTF8.self)
        let path = line.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
        guard let bytes = reply(path) else { return false }
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return true }
            sent += n
        }
        return true
    }
}

/// A raw test server could not open its socket.
public enum RawHTTPError: Error {
    case socket(Int32)
}
