import ArgumentParser
import Foundation
import Harvest
#if canImport(Glibc)
import Glibc
#endif

/// A node gone mad streams 2 GB as its export: the harvester's fetch must stop reading at its size cap,
/// so its memory stays near the cap however much the node sends. Run it alone (`spro-bench stream`) for
/// a peak memory that is the fetch's own; `all` runs it first for the same reason.
struct StreamBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stream",
                                                    abstract: "Peak memory of a fetch while a loopback node streams 2 GB (chunked and announced).")

    func run() async throws {
        var table = Table()
        await Self.measure(into: &table)
        table.print()
    }

    static let total: Int64 = 2 << 30

    static func measure(into table: inout Table) async {
        let before = peakMemoryMiB()
        for announced in [false, true] {
            guard let server = try? StreamingServer(total: total, announce: announced) else {
                table.add("fetch of a 2 GB body", "could not listen on loopback", ok: false)
                return
            }
            let fetcher = ExportFetcher(limits: FetchLimits(idleTimeout: 30, totalTimeout: 600, attempts: 1))
            let (result, elapsed) = await seconds { () async -> String in
                do {
                    _ = try await fetcher.fetch(URL(string: "http://127.0.0.1:\(server.port)/export.json")!)
                    return "accepted (unexpected)"
                } catch {
                    return (error as? FetchError)?.code ?? String(describing: error)
                }
            }
            let sent = server.stop()
            let peak = peakMemoryMiB()
            table.add("fetch of a 2 GB \(announced ? "announced (Content-Length)" : "chunked") body, 64 MiB cap",
                      "\(result) after \(fmt(elapsed)) s, node sent \(sent >> 20) MiB; peak RSS \(fmt(peak, 0)) MiB (\(fmt(before, 0)) before)",
                      target: "refused, peak < 200 MiB", ok: result == "too_large" && peak < 200)
        }
    }
}

extension FetchError {
    fileprivate var code: String {
        if case .tooLarge = self { return "too_large" }
        return description
    }
}

/// An HTTP server on a plain socket that answers every request with `total` bytes of spaces, 1 MiB per
/// write from one buffer (its own memory stays flat), until the client hangs up; counts what it sent.
final class StreamingServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var sentBytes: Int64 = 0

    init(total: Int64, announce: Bool) throws {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        listener = socketFD
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(socketFD, sa, length) == 0 && listen(socketFD, 4) == 0 && getsockname(socketFD, sa, &length) == 0
            }
        }
        guard ok else { throw StreamingServerError.cannotListen }
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread { [self] in
            while true {
                let connection = accept(socketFD, nil, nil)
                if connection < 0 { break }
                // A client that stops reading without hanging up must not hold the benchmark forever.
                var wait = timeval(tv_sec: 10, tv_usec: 0)
                setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
                stream(connection, total: total, announce: announce)
                close(connection)
            }
            done.signal()
        }.start()
    }

    private func stream(_ connection: Int32, total: Int64, announce: Bool) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var head: [UInt8] = []
        while !head.suffix(4).elementsEqual(Array("\r\n\r\n".utf8)) {
            let n = recv(connection, &buffer, buffer.count, 0)
            if n <= 0 { return }
            head += buffer[0..<n]
        }
        // Without a length, the body ends when the connection closes (HTTP/1.0 style): no chunk framing to write.
        let header = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + (announce ? "Content-Length: \(total)\r\n" : "Connection: close\r\n") + "\r\n"
        guard write(connection, Array(header.utf8)) else { return }
        let chunk = [UInt8](repeating: UInt8(ascii: " "), count: 1 << 20)
        var sent: Int64 = 0
        while sent < total, write(connection, chunk) {
            sent += Int64(chunk.count)
            lock.withLock { sentBytes = sent }
        }
    }

    private func write(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// Stops listening and returns the bytes of body sent.
    func stop() -> Int64 {
        shutdown(listener, Int32(SHUT_RDWR))
        done.wait()
        close(listener)
        return lock.withLock { sentBytes }
    }
}

enum StreamingServerError: Error {
    case cannotListen
}
