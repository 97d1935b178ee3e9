import Foundation

/// Why a browser session failed, with what chromium said when it stopped.
public enum BrowserError: Error, CustomStringConvertible {
    case cannotStart(String)
    case exited(String, log: String)
    case timeout(String, Duration)
    /// Chromium answered a command with an error.
    case refused(String)
    /// The page's script threw, or a wait in the page ran out.
    case script(String)

    public var description: String {
        switch self {
        case .cannotStart(let why): "chromium cannot start: \(why)"
        case .exited(let when, let log): "chromium stopped (\(when)); its last words:\n\(log)"
        case .timeout(let what, let after): "no \(what) after \(after)"
        case .refused(let why): "chromium refused a DevTools command: \(why)"
        case .script(let why): "in the page: \(why)"
        }
    }
}

/// A page in a real headless Chromium, driven as a person would drive it: keys typed one by one, Tab to
/// move the focus, Enter or Space to activate, mouse clicks, a screenshot of what is shown.
///
/// It speaks the DevTools protocol over `--remote-debugging-pipe` (no port, no WebSocket). Every step
/// has a timeout, and chromium is killed and its temporary profile removed however the body ends.
/// For a one-shot load and DOM dump, `HeadlessBrowser` is enough.
public final class BrowserSession: Sendable {
    private let connection: DevToolsConnection
    private let sessionId: String
    /// How long one step (a command, a page load, a wait) may take before the test fails naming it.
    public let stepTimeout: Duration

    private init(connection: DevToolsConnection, sessionId: String, stepTimeout: Duration) {
        self.connection = connection
        self.sessionId = sessionId
        self.stepTimeout = stepTimeout
    }

    /// Starts chromium with a blank page of `width`×`height` CSS pixels, runs `body` with it, then ends it.
    public static func run<T>(width: Int = 1200, height: Int = 900, stepTimeout: Duration = .seconds(30),
                              _ body: (BrowserSession) async throws -> T) async throws -> T {
        guard let executable = HeadlessBrowser.executable else { throw HeadlessBrowser.Missing() }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)")
        let process: ChromiumProcess
        do {
            process = try ChromiumProcess(executable: executable, arguments: [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--disable-background-networking", "--hide-scrollbars",
                "--user-data-dir=\(profile.path)", "--remote-debugging-pipe", "--window-size=\(width),\(height)", "about:blank",
            ], profile: profile)
        } catch {
            try? FileManager.default.removeItem(at: profile)
            throw error
        }
        let connection = DevToolsConnection(process: process)
        await connection.start()
        do {
            let page = try await open(connection, stepTimeout: stepTimeout)
            try await page.setViewport(width: width, height: height)
            let result = try await body(page)
            await process.terminate()
            return result
        } catch {
            await process.terminate()
            throw error
        }
    }

    /// A new page target, attached in flat mode: its commands carry its `sessionId`.
    private static func open(_ connection: DevToolsConnection, stepTimeout: Duration) async throws -> BrowserSession {
        func call(_ method: String, _ params: [String: Any], session: String? = nil) async throws -> [String: Any] {
            let reply = try await connection.call(method, params: try JSONSerialization.data(withJSONObject: params),
                                                  sessionId: session, timeout: stepTimeout)
            return try JSONSerialization.jsonObject(with: reply) as? [String: Any] ?? [:]
        }
        guard let target = try await call("Target.createTarget", ["url": "about:blank"])["targetId"] as? String,
              let session = try await call("Target.attachToTarget", ["targetId": target, "flatten": true])["sessionId"] as? String
        else { throw BrowserError.refused("no page target to attach to") }
        _ = try await call("Page.enable", [:], session: session)
        return BrowserSession(connection: connection, sessionId: session, stepTimeout: stepTimeout)
    }

    /// Sends a DevTools command to the page and returns its result.
    @discardableResult
    public func send(_ method: String, _ params: [String: Any] = [:], timeout: Duration? = nil) async throws -> [String: Any] {
        let reply = try await connection.call(method, params: try JSONSerialization.data(withJSONObject: params),
                                              sessionId: sessionId, timeout: timeout ?? stepTimeout)
        return try JSONSerialization.jsonObject(with: reply) as? [String: Any] ?? [:]
    }

    /// Loads `url` and waits for its `load` event.
    public func navigate(_ url: String) async throws {
        let mark = await connection.eventCount
        if let failure = try await send("Page.navigate", ["url": url])["errorText"] as? String {
            throw BrowserError.refused("cannot load \(url): \(failure)")
        }
        _ = try await connection.event("Page.loadEventFired", sessionId: sessionId, after: mark, timeout: stepTimeout)
    }

    /// Runs `action` (a click on a link, Enter in a form) and waits for the page it leads to to load:
    /// how a test follows the browser's own navigation, with JavaScript off as with it on.
    public func followingNavigation(_ action: () async throws -> Void) async throws {
        let mark = await connection.eventCount
        try await action()
        _ = try await connection.event("Page.loadEventFired", sessionId: sessionId, after: mark, timeout: stepTimeout)
    }

    /// Gives the page a position, as a person who let `origin` know where they are:
    /// `navigator.geolocation` then answers `lat`, `lon`.
    public func setPosition(lat: Double, lon: Double, grantingTo origin: String) async throws {
        // Permissions belong to the browser, not to the page: sent without the page's session.
        _ = try await connection.call("Browser.grantPermissions",
                                      params: try JSONSerialization.data(withJSONObject: ["permissions": ["geolocation"], "origin": origin]),
                                      sessionId: nil, timeout: stepTimeout)
        try await send("Emulation.setGeolocationOverride", ["latitude": lat, "longitude": lon, "accuracy": 50])
    }

    /// Turns the page's scripts off (or on again), as a person who disabled JavaScript has them; the
    /// test's own `evaluate` still reads the page.
    public func setScriptsEnabled(_ enabled: Bool) async throws {
        try await send("Emulation.setScriptExecutionDisabled", ["value": !enabled])
    }

    /// How the page fits the viewport's width: what a phone test checks (a phone widens its layout
    /// viewport to the widest content, so `innerWidth` staying the set width means nothing is wider).
    public struct HorizontalFit: Decodable, Sendable {
        /// The page's width, and the viewport's.
        public let scrollWidth: Double, innerWidth: Double
        /// The elements reaching past the viewport's right edge (tag, id, width, start of text), to say what overflows.
        public let tooWide: [String]
        /// No sideways scrolling in a viewport of `width`.
        public func fits(_ width: Double) -> Bool { innerWidth == width && scrollWidth <= innerWidth && tooWide.isEmpty }
    }

    /// How the current page fits the viewport's width.
    public func horizontalFit() async throws -> HorizontalFit {
        try await evaluate("""
            ({ scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth), innerWidth: window.innerWidth,
               tooWide: Array.prototype.filter.call(document.querySelectorAll("body *"), function (el) {
                 return el.getBoundingClientRect().right > window.innerWidth + 0.5; }).map(function (el) {
                 return el.tagName + (el.id ? "#" + el.id : "") + " " + Math.round(el.getBoundingClientRect().width) + "px "
                   + el.textContent.slice(0, 40); }) })
            """)
    }

    /// The value of a JavaScript expression (a promise is awaited), decoded from its JSON form.
    public func evaluate<T: Decodable>(_ expression: String, as type: T.Type = T.self, timeout: Duration? = nil) async throws -> T {
        let reply = try await send("Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true],
                                   timeout: timeout)
        let evaluation = try JSONDecoder().decode(Evaluation<T>.self, from: JSONSerialization.data(withJSONObject: reply))
        if let thrown = evaluation.exceptionDetails {
            throw BrowserError.script(thrown.exception?.description ?? thrown.text)
        }
        if let value = evaluation.result.value { return value }
        // `undefined` or `null`: fine for an optional type (which decodes JSON `null`), an error for any other.
        // (Not `T.self as? any ExpressibleByNilLiteral.Type`: Swift 6.3.1 crashes compiling that with -O.)
        if let none = try? JSONDecoder().decode(T.self, from: Data("null".utf8)) { return none }
        throw BrowserError.script("\(expression) gave \(evaluation.result.type), not a \(T.self)")
    }

    /// Runs a statement for its effect.
    public func run(_ script: String) async throws {
        _ = try await evaluate("(function () { \(script)\n})()", as: String?.self)
    }

    /// Waits until a JavaScript expression is truthy, checking it again on every change of the DOM,
    /// so an answer that arrives and is rendered ends the wait at once.
    public func waitUntil(_ condition: String, timeout: Duration? = nil) async throws {
        let limit = timeout ?? stepTimeout
        let milliseconds = limit.components.seconds * 1000 + limit.components.attoseconds / 1_000_000_000_000_000
        let script = """
            new Promise(function (resolve, reject) {
              function met() { try { return !!(\(condition)); } catch (e) { return false; } }
              if (met()) { resolve(true); return; }
              var observer = new MutationObserver(function () {
                if (met()) { observer.disconnect(); clearTimeout(timer); resolve(true); }
              });
              var timer = setTimeout(function () {
                observer.disconnect();
                reject(new Error("still false after \(milliseconds) ms: " + \(Self.quoted(condition))));
              }, \(milliseconds));
              observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
            })
            """
        _ = try await evaluate(script, as: Bool.self, timeout: limit + .seconds(10))
    }

    /// A key to press, with what chromium needs to act on it as on a real one.
    public struct Key: Sendable {
        let key: String, code: String, keyCode: Int, text: String?
        public static let tab = Key(key: "Tab", code: "Tab", keyCode: 9, text: nil)
        public static let enter = Key(key: "Enter", code: "Enter", keyCode: 13, text: "\r")
        public static let space = Key(key: " ", code: "Space", keyCode: 32, text: " ")
        public static let arrowDown = Key(key: "ArrowDown", code: "ArrowDown", keyCode: 40, text: nil)
        public static let arrowUp = Key(key: "ArrowUp", code: "ArrowUp", keyCode: 38, text: nil)

        /// A printable character, as typed on a keyboard.
        static func character(_ c: Character) -> Key {
            let s = String(c), upper = s.uppercased()
            let ascii = upper.unicodeScalars.count == 1 && upper.unicodeScalars.first!.isASCII && (c.isLetter || c.isNumber)
            let code = ascii ? (c.isLetter ? "Key" + upper : "Digit" + s) : ""
            return Key(key: s, code: code, keyCode: ascii ? Int(upper.unicodeScalars.first!.value) : 0, text: s)
        }
    }

    /// Presses and releases a key on the focused element.
    public func press(_ key: Key, shift: Bool = false) async throws {
        var down: [String: Any] = ["type": "keyDown", "key": key.key, "code": key.code, "windowsVirtualKeyCode": key.keyCode,
                                   "modifiers": shift ? 8 : 0]
        if let text = key.text { down["text"] = text; down["unmodifiedText"] = text }
        try await send("Input.dispatchKeyEvent", down)
        do {
            try await send("Input.dispatchKeyEvent", ["type": "keyUp", "key": key.key, "code": key.code,
                                                      "windowsVirtualKeyCode": key.keyCode, "modifiers": shift ? 8 : 0])
        } catch BrowserError.refused(let message) where message.contains("navigated") {
            // The key press submitted a form: the release lands on a page that is already gone.
        }
    }

    /// Types `text` key by key into the focused element.
    public func type(_ text: String) async throws {
        for c in text { try await press(.character(c)) }
    }

    /// Clicks the middle of the first element matching `selector`, with the mouse, after scrolling it into view.
    public func click(_ selector: String) async throws {
        struct Point: Decodable { let x: Double, y: Double }
        let p = try await evaluate("""
            (function () {
              var el = document.querySelector(\(Self.quoted(selector)));
              if (!el) throw new Error("nothing matches " + \(Self.quoted(selector)));
              el.scrollIntoView({ block: "center" });
              var r = el.getBoundingClientRect();
              return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
            })()
            """, as: Point.self)
        try await send("Input.dispatchMouseEvent", ["type": "mousePressed", "x": p.x, "y": p.y, "button": "left", "clickCount": 1])
        do {
            try await send("Input.dispatchMouseEvent", ["type": "mouseReleased", "x": p.x, "y": p.y, "button": "left", "clickCount": 1])
        } catch BrowserError.refused(let message) where message.contains("navigated") {
            // The click followed a link or submitted a form before chromium answered.
        }
    }

    /// Sets the viewport, as a phone's (`mobile`: touch, meta viewport honoured) or a desktop window's.
    public func setViewport(width: Int, height: Int, mobile: Bool = false) async throws {
        try await send("Emulation.setDeviceMetricsOverride", ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile])
    }

    /// A PNG of the viewport, also written to `file` when given.
    @discardableResult
    public func screenshot(to file: URL? = nil) async throws -> Data {
        guard let base64 = try await send("Page.captureScreenshot", ["format": "png"])["data"] as? String,
              let png = Data(base64Encoded: base64) else { throw BrowserError.refused("Page.captureScreenshot gave no image") }
        if let file { try png.write(to: file) }
        return png
    }

    private struct Evaluation<T: Decodable>: Decodable {
        struct Remote: Decodable { let type: String; let value: T? }
        struct Thrown: Decodable {
            struct Exception: Decodable { let description: String? }
            let text: String
            let exception: Exception?
        }
        let result: Remote
        let exceptionDetails: Thrown?
    }

    /// A JavaScript string literal.
    static func quoted(_ s: String) -> String {
        String(decoding: (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8), as: UTF8.self)
    }
}
