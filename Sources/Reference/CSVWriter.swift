import Foundation

/// The one CSV writer of spro, RFC 4180: a field is quoted when it holds the delimiter, a double quote,
/// CR or LF, and its quotes are doubled; nothing else is quoted, and no byte order mark is written.
///
/// Lines end with LF: every file spro writes does, and every CSV reader (spro's, spreadsheets, Python's,
/// R's) accepts it. `.crlf` is there for a file that mirrors a user's CRLF input (`spro geocode`).
public struct CSVWriter: Sendable {
    /// How lines end.
    public enum LineEnding: Sendable {
        /// "\n", the default.
        case lf
        /// "\r\n", as RFC 4180 writes it.
        case crlf
    }

    /// The field separator, one ASCII byte.
    public let delimiter: UInt8
    public let lineEnding: LineEnding
    /// The UTF-8 bytes written so far.
    public private(set) var bytes: [UInt8] = []

    /// A writer separating fields with `delimiter`, an ASCII character other than a quote or a line break.
    public init(delimiter: Unicode.Scalar = ",", lineEnding: LineEnding = .lf) {
        precondition(delimiter.isASCII && !["\"", "\n", "\r"].contains(delimiter), "a CSV delimiter is one ASCII character")
        self.delimiter = UInt8(delimiter.value)
        self.lineEnding = lineEnding
    }

    /// Writes one row.
    public mutating func writeRow(_ fields: some Sequence<String>) {
        var first = true
        for field in fields {
            if !first { bytes.append(delimiter) }
            first = false
            Self.append(field, delimiter: delimiter, to: &bytes)
        }
        if lineEnding == .crlf { bytes.append(Self.cr) }
        bytes.append(Self.lf)
    }

    /// What was written, as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// What was written, as data to save.
    public var data: Data { Data(bytes) }

    /// One field as the writer writes it, e.g. `"dit ""MDE"""`.
    public static func escape(_ field: String, delimiter: Unicode.Scalar = ",") -> String {
        var out: [UInt8] = []
        append(field, delimiter: UInt8(delimiter.value), to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    private static func append(_ field: String, delimiter: UInt8, to out: inout [UInt8]) {
        let utf8 = field.utf8
        guard utf8.contains(where: { $0 == delimiter || $0 == quote || $0 == lf || $0 == cr }) else {
            out.append(contentsOf: utf8)
            return
        }
        out.append(quote)
        for b in utf8 {
            if b == quote { out.append(quote) }
            out.append(b)
        }
        out.append(quote)
    }
}
