import Foundation

/// The DevTools protocol over a `ChromiumProcess`'s pipe: numbers each command, matches chromium's
/// replies to them by `id`, keeps the events it sends, and fails every wait that outlasts its timeout
/// or chromium itself.
actor DevToolsConnection {
    private let process: ChromiumProcess
    private var lastId = 0
    private var waiters: [Int: Waiter] = [:]
    /// Every event so far: a wait for one that came before it was asked for still finds it.
    private var events: [(method: String, sessionId: String?, params: Data)] = []
    private var ended: BrowserError?

    private struct Waiter {
        enum Awaited { case reply, event(method: String, sessionId: String?) }
        let awaited: Awaited
        let continuation: CheckedContinuation<Data, any Error>
        let timer: Task<Void, Never>
    }

    init(process: ChromiumProcess) {
        self.process = process
    }

    /// Starts delivering chromium's messages; call once, before the first command.
    func start() {
        let messages = process.messages
        Task { [weak self] in
            for await message in messages { await self?.receive(message) }
            await self?.browserStopped()
        }
    }

    /// Sends a command (to the page's session when `sessionId` is given) and returns its `result` object.
    func call(_ method: String, params: Data, sessionId: String?, timeout: Duration) async throws -> Data {
        if let ended { throw ended }
        lastId += 1
        let id = lastId
        var message = "{\"id\":\(id),\"method\":\(Self.quoted(method))"
        if let sessionId { message += ",\"sessionId\":\(Self.quoted(sessionId))" }
        message += ",\"params\":" + String(decoding: params, as: UTF8.self) + "}"
        return try await withCheckedThrowingContinuation { continuation in
            waiters[id] = Waiter(awaited: .reply, continuation: continuation,
                                 timer: timer(id, BrowserError.timeout("the reply to \(method)", timeout), after: timeout))
            if !process.send(Array(message.utf8)) {
                resolve(id, with: .failure(BrowserError.exited("while sending \(method)", log: process.logTail())))
            }
        }
    }

    /// How many events have come so far: pass it to `event(_:after:)` to wait for one that comes later.
    var eventCount: Int { events.count }

    /// The params of the first event named `method` (for the page's session) numbered `after` or more.
    func event(_ method: String, sessionId: String?, after mark: Int, timeout: Duration) async throws -> Data {
        if let found = events[mark...].first(where: { $0.method == method && $0.sessionId == sessionId }) { return found.params }
        if let ended { throw ended }
        lastId += 1
        let token = lastId
        return try await withCheckedThrowingContinuation { continuation in
            waiters[token] = Waiter(awaited: .event(method: method, sessionId: sessionId), continuation: continuation,
                                    timer: timer(token, BrowserError.timeout("the event \(method)", timeout), after: timeout))
        }
    }

    private func receive(_ bytes: [UInt8]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { return }
        if let id = object["id"] as? Int {
            if let error = object["error"] as? [String: Any] {
                resolve(id, with: .failure(BrowserError.refused(error["message"] as? String ?? "\(error)")))
            } else {
                resolve(id, with: .success(Self.data(object["result"])))
            }
        } else if let method = object["method"] as? String {
            let sessionId = object["sessionId"] as? String, params = Self.data(object["params"])
            events.append((method, sessionId, params))
            let matching = waiters.filter {
                if case .event(method, sessionId) = $0.value.awaited { return true } else { return false }
            }
            for token in matching.keys { resolve(token, with: .success(params)) }
        }
    }

    private func resolve(_ token: Int, with result: Result<Data, any Error>) {
        guard let waiter = waiters.removeValue(forKey: token) else { return }  // already timed out
        waiter.timer.cancel()
        waiter.continuation.resume(with: result)
    }

    private func timer(_ token: Int, _ error: BrowserError, after timeout: Duration) -> Task<Void, Never> {
        Task { [weak self] in
            do { try await Task.sleep(for: timeout) } catch { return }  // cancelled: the answer came
            await self?.resolve(token, with: .failure(error))
        }
    }

    private func browserStopped() {
        let error = BrowserError.exited("chromium closed its DevTools pipe", log: process.logTail())
        ended = error
        for token in waiters.keys { resolve(token, with: .failure(error)) }
    }

    private static func data(_ value: Any?) -> Data {
        guard let value, JSONSerialization.isValidJSONObject(value),
              let data = try? JSONSerialization.data(withJSONObject: value) else { return Data("{}".utf8) }
        return data
    }

    private static func quoted(_ s: String) -> String {
        String(decoding: (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8), as: UTF8.self)
    }
}
