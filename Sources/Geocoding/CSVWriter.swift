/// Writes RFC 4180 CSV: a field is quoted when it holds a comma, a double quote, CR or LF, and inner
/// quotes are doubled. Fields with leading or trailing spaces are quoted too, so no reader trims them.
struct CSVWriter {
    /// "\n" or "\r\n" (RFC 4180 says CRLF; the writer follows the input file's choice).
    let lineEnding: String
    private(set) var text = ""

    init(lineEnding: String = "\n") {
        self.lineEnding = lineEnding
    }

    mutating func writeRow(_ fields: [String]) {
        for (i, f) in fields.enumerated() {
            if i > 0 { text += "," }
            text += Self.escape(f)
        }
        text += lineEnding
    }

    static func escape(_ field: String) -> String {
        var needsQuotes = false
        for b in field.utf8 where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D {
            needsQuotes = true
            break
        }
        if !needsQuotes, let first = field.utf8.first, let last = field.utf8.last, first == 0x20 || last == 0x20 {
            needsQuotes = true
        }
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
