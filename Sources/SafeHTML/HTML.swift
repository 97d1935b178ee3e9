/// A fragment of HTML that is safe to send: text interpolated into it is escaped, and only other
/// `HTML` values go in as markup. Pages are written as `HTML` literals, so a value read from a store,
/// a query or a form can never become markup by accident:
///
///     let row: HTML = "<td>\(place.name)</td>"          // name escaped
///     let page: HTML = "<ul>\(rows)</ul>"                // rows: [HTML], inserted as markup
///
/// Escaping covers element content and quoted attribute values (`& < > " '`). URLs in attributes are
/// text like any other; a page that puts a caller's value into `href` must check its scheme itself.
public struct HTML: Sendable, Hashable, CustomStringConvertible {
    /// The markup, ready to send.
    public private(set) var rendered: String

    /// Markup written by the program itself (never a caller's value): the one way in without escaping.
    public init(trusted markup: String) {
        rendered = markup
    }

    /// An empty fragment.
    public init() {
        rendered = ""
    }

    /// Text, escaped.
    public init(text: String) {
        rendered = HTML.escape(text)
    }

    public var description: String { rendered }

    /// Appends another fragment.
    public static func += (lhs: inout HTML, rhs: HTML) {
        lhs.rendered += rhs.rendered
    }

    public static func + (lhs: HTML, rhs: HTML) -> HTML {
        HTML(trusted: lhs.rendered + rhs.rendered)
    }

    /// Escapes text for element content and quoted attribute values.
    static func escape(_ s: String) -> String {
        // Most text has nothing to escape: return it as it is without copying it scalar by scalar.
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

extension HTML: ExpressibleByStringInterpolation {
    /// A literal is the program's own markup.
    public init(stringLiteral value: String) {
        rendered = value
    }

    public init(stringInterpolation: Interpolation) {
        rendered = stringInterpolation.rendered
    }

    /// Literal segments go in as markup, interpolated text is escaped, interpolated `HTML` is kept.
    public struct Interpolation: StringInterpolationProtocol {
        var rendered = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            rendered.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        public mutating func appendLiteral(_ literal: String) {
            rendered += literal
        }

        /// Markup: another fragment.
        public mutating func appendInterpolation(_ fragment: HTML) {
            rendered += fragment.rendered
        }

        /// Markup: fragments one after another.
        public mutating func appendInterpolation(_ fragments: [HTML]) {
            for f in fragments { rendered += f.rendered }
        }

        /// An optional fragment: nothing when nil.
        public mutating func appendInterpolation(_ fragment: HTML?) {
            if let fragment { rendered += fragment.rendered }
        }

        /// Text: escaped.
        public mutating func appendInterpolation(_ text: String) {
            rendered += HTML.escape(text)
        }

        /// Text: escaped.
        public mutating func appendInterpolation(_ text: Substring) {
            rendered += HTML.escape(String(text))
        }

        /// Any other value: its description, escaped.
        public mutating func appendInterpolation<T: CustomStringConvertible>(_ value: T) {
            rendered += HTML.escape(value.description)
        }
    }
}

extension Array where Element == HTML {
    /// The fragments one after another, optionally with markup between them.
    public func joined(separator: HTML = HTML()) -> HTML {
        var out = HTML()
        for (i, f) in enumerated() {
            if i > 0 { out += separator }
            out += f
        }
        return out
    }
}

extension Sequence {
    /// One fragment per element, one after another.
    public func html(_ transform: (Element) throws -> HTML) rethrows -> HTML {
        var out = HTML()
        for e in self { out += try transform(e) }
        return out
    }
}
