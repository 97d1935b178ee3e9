import Foundation

/// Hostile text for the pages' escaping tests: one payload that opens a script element, one that
/// leaves a double-quoted attribute and adds an element with a handler. A test puts them in every field
/// a page shows, renders the page, and asks `problems(in:shown:)` whether they came out as inert text.
///
/// It escapes on its own (`& < > "`, as every page must at least) rather than calling the code under test.
public struct XSSPayloads: Sendable {
    /// Opens a script element.
    public let script: String
    /// Closes a quoted attribute and its tag, then adds an image whose handler runs.
    public let attribute: String
    /// The code both payloads would run: found anywhere but in their escaped text, it is a failure.
    public let code: String

    /// The payloads the issue names.
    public static let alerting = XSSPayloads(script: "<script>alert(1)</script>", attribute: "\"><img src=x onerror=alert(1)>",
                                             code: "alert(1)")
    /// For a real browser, where `alert` would block the page: a payload that runs sets `window.__xss`.
    public static let marking = XSSPayloads(script: "<script>window.__xss=1</script>", attribute: "\"><img src=x onerror=window.__xss=2>",
                                            code: "window.__xss")

    /// The hostile value of one field: its name (letters, digits and hyphens, so a test can tell which
    /// fields were shown), then both payloads.
    public func value(_ field: String) -> String {
        precondition(field.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }, "a field name is plain: \(field)")
        return "\(field) \(script) \(attribute)"
    }

    /// How `text` reads in markup once escaped.
    public static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// What is wrong with a rendered page (HTML or SVG) fed these payloads: a value of `shown` (each
    /// hostile value the page must show, usually `value(field)`) missing in its escaped form, or, once
    /// those escaped values are taken out, any piece of a payload left: a tag, a handler or the code.
    /// Empty when every value was shown and every payload is inert.
    public func problems(in page: String, shown: [String]) -> [String] {
        var problems = shown.filter { !page.contains(Self.escaped($0)) }.map { "not shown as escaped text: \($0)" }
        var rest = page
        for value in shown { rest = rest.replacingOccurrences(of: Self.escaped(value), with: "") }
        for piece in [script, attribute, "<script>" + code, "<img src=x", "onerror", code] where rest.contains(piece) {
            let at = rest.range(of: piece)!
            let from = rest.index(at.lowerBound, offsetBy: -60, limitedBy: rest.startIndex) ?? rest.startIndex
            let context = rest[from..<at.lowerBound]
            problems.append("\(piece) left outside the escaped values, after …\(context)")
        }
        return problems
    }

    /// A JavaScript expression, for `BrowserSession.evaluate(_:as: BrowserFindings.self)`: what a page in
    /// the browser shows of the `marking` payloads.
    public static let browserFindings = """
        ({ ran: window.__xss !== undefined,
           images: document.querySelectorAll("img[src='x'], image[href='x']").length,
           handlers: document.querySelectorAll("[onerror]").length,
           scripts: Array.prototype.filter.call(document.querySelectorAll("script"), function (s) {
             return s.textContent.indexOf("__xss") >= 0; }).length,
           text: document.documentElement.textContent })
        """
}

/// What a page loaded in a real browser shows of the `marking` payloads (see `XSSPayloads.browserFindings`).
public struct BrowserFindings: Decodable, Sendable {
    /// A payload's code ran.
    public let ran: Bool
    /// Images with `src="x"`, handler attributes, and script elements carrying a payload: the payloads became markup.
    public let images: Int
    public let handlers: Int
    public let scripts: Int
    /// The page's text, where the hostile values must read as they were typed.
    public let text: String

    /// What is wrong: a payload ran or became an element, or a value of `shown` is not in the page's text.
    public func problems(shown: [String]) -> [String] {
        var problems: [String] = []
        if ran { problems.append("a payload ran: window.__xss is set") }
        if images > 0 || handlers > 0 || scripts > 0 {
            problems.append("payloads became markup: \(images) images, \(handlers) handlers, \(scripts) scripts")
        }
        problems += shown.filter { !text.contains($0) }.map { "not shown as text: \($0)" }
        return problems
    }
}
