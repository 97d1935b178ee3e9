import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// How a fetch is bounded: time to first byte, total time, body size, and retries.
public struct FetchLimits: Sendable {
    /// Seconds without progress before giving up (covers connecting).
    public var idleTimeout: TimeInterval
    /// Seconds for the whole exchange, whatever happens.
    public var totalTimeout: TimeInterval
    /// Largest body accepted, in bytes; a larger one is cut off as soon as it is seen.
    public var maxBytes: Int
    /// Attempts for failures that may pass (network errors, 5xx), with exponential backoff.
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
    case timedOut(seconds: TimeInterval)
    case tooLarge(limit: Int)
    case httpStatus(Int)
    case truncated(expected: Int64, got: Int)

    public var description: String {
        switch self {
        case .network(let m): "network error: \(m)"
        case .timedOut(let s): "no complete answer within \(Int(s)) s"
        case .tooLarge(let limit): "response larger than the \(limit)-byte limit"
        case .httpStatus(let code): "HTTP status \(code)"
        case .truncated(let expected, let got): "truncated body: \(got) of \(expected) bytes"
        }
    }

    var isTransient: Bool {
        switch self {
        case .network, .timedOut: true
        case .httpStatus(let code): code >= 500
        case .tooLarge, .truncated: false
        }
    }
}

/// Fetches exports over HTTP with URLSession (libcurl on Linux), never holding more than the size limit in memory.
public struct ExportFetcher: Sendable {
    public let limits: FetchLimits

    public init(limits: FetchLimits = FetchLimits()) {
        self.limits = limits
    }

    /// GETs `url`, sending `If-None-Match` when an ETag is known, retrying transient failures.
    public func fetch(_ url: URL, etag: String? = nil) async throws(FetchError) -> FetchResult {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await fetchOnce(url, etag: etag)
            } catch {
                guard error.isTransient, attempt < limits.attempts, !Task.isCancelled else { throw error }
                let delay = limits.backoff * pow(2, Double(attempt - 1))
                try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
            }
        }
    }

    func fetchOnce(_ url: URL, etag: String?) async throws(FetchError) -> FetchResult {
        var request = URLRequest(url: url)
        request.timeoutInterval = limits.idleTimeout
        if let etag { request.setValue(etag, forHTTPHeaderField: "If-None-Match") }
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = limits.idleTimeout
        config.timeoutIntervalForResource = limits.totalTimeout
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        config.urlCache = nil
        let delegate = CappedDownload(limit: limits.maxBytes)
        let session = URLSession(configuration: config, delegate: delegate, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let result: Result<(Data, HTTPURLResponse), FetchError> = await withCheckedContinuation { continuation in
            delegate.start(session.dataTask(with: request), totalTimeout: limits.totalTimeout, continuation: continuation)
        }
        let (data, response) = try result.get()
        switch response.statusCode {
        case 304: return .notModified
        case 200:
            if response.expectedContentLength > 0 && Int64(data.count) != response.expectedContentLength {
                throw .truncated(expected: response.expectedContentLength, got: data.count)
            }
            return .body(data, etag: response.value(forHTTPHeaderField: "ETag"))
        default: throw .httpStatus(response.statusCode)
        }
    }
}

/// URLSession delegate that accumulates a body up to a limit and finishes exactly once.
final class CappedDownload: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let limit: Int
    private let lock = NSLock()
    private var data = Data()
    private var response: HTTPURLResponse?
    private var failure: FetchError?
    private var continuation: CheckedContinuation<Result<(Data, HTTPURLResponse), FetchError>, Never>?

    init(limit: Int) {
        self.limit = limit
    }

    func start(_ task: URLSessionDataTask, totalTimeout: TimeInterval,
               continuation: CheckedContinuation<Result<(Data, HTTPURLResponse), FetchError>, Never>) {
        lock.withLock { self.continuation = continuation }
        // A watchdog for the total time: a server that trickles bytes never trips the idle timeout.
        DispatchQueue.global().asyncAfter(deadline: .now() + totalTimeout) { [weak self, weak task] in
            guard let self else { return }
            self.fail(.timedOut(seconds: totalTimeout))
            task?.cancel()
        }
        task.resume()
    }

    private func fail(_ error: FetchError) {
        lock.withLock { if failure == nil { failure = error } }
        finish(nil)
    }

    private func finish(_ transportError: (any Error)?) {
        let (cont, result): (CheckedContinuation<Result<(Data, HTTPURLResponse), FetchError>, Never>?, Result<(Data, HTTPURLResponse), FetchError>) = lock.withLock {
            let c = continuation
            continuation = nil
            if let failure { return (c, .failure(failure)) }
            if let transportError {
                // A hang-up before the announced length arrived: say so, rather than "network error".
                if let response, response.expectedContentLength > 0, Int64(data.count) < response.expectedContentLength {
                    return (c, .failure(.truncated(expected: response.expectedContentLength, got: data.count)))
                }
                let ns = transportError as NSError
                if ns.domain == NSURLErrorDomain && ns.code == NSURLErrorTimedOut { return (c, .failure(.timedOut(seconds: 0))) }
                return (c, .failure(.network(transportError.localizedDescription)))
            }
            guard let response else { return (c, .failure(.network("no response"))) }
            let body = data
            data = Data()
            return (c, .success((body, response)))
        }
        cont?.resume(returning: result)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        if response.expectedContentLength > Int64(limit) {
            lock.withLock { failure = .tooLarge(limit: limit) }
            completionHandler(.cancel)
            finish(nil)
            return
        }
        lock.withLock { self.response = response as? HTTPURLResponse }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive chunk: Data) {
        let over: Bool = lock.withLock {
            guard failure == nil else { return true }
            if data.count + chunk.count > limit {
                failure = .tooLarge(limit: limit)
                data = Data()
                return true
            }
            data.append(chunk)
            return false
        }
        if over {
            dataTask.cancel()
            finish(nil)
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        finish(error)
    }
}
