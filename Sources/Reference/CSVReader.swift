import Foundation

/// The one CSV reader of spro: RFC 4180 over UTF-8 bytes, fields handed out as byte ranges and turned into
/// strings only when asked for.
///
/// - Fields are separated by `delimiter`: `,` by default, `;` for BAN extracts and French spreadsheets.
/// - A field that starts with `"` is quoted: it may hold the delimiter, line breaks and doubled quotes
///   (`""` for one `"`), and must end at its closing quote. A quote inside an unquoted field is kept as is.
/// - Records end at LF, CRLF or a lone CR; empty lines are skipped; a UTF-8 byte order mark is skipped.
/// - Each record carries the 1-based line it starts on, so errors can name it.
public struct CSVReader: Sendable {
    /// The field separator, one ASCII byte.
    public let delimiter: UInt8

    /// A reader splitting fields on `delimiter`, an ASCII character other than a quote or a line break.
    public init(delimiter: Unicode.Scalar = ",") {
        precondition(delimiter.isASCII && !["\"", "\n", "\r"].contains(delimiter), "a CSV delimiter is one ASCII character")
        self.delimiter = UInt8(delimiter.value)
    }

    /// Calls `body` with every record in order, until it returns false.
    ///
    /// The record is valid during the call only (it points into `data`). Throws, naming `file` and the
    /// line, when a quoted field is never closed or text follows its closing quote; rethrows `body`'s error.
    public func forEachRecord(in data: Data, file: String,
                              _ body: (CSVRecord) throws(DataFileError) -> Bool) throws(DataFileError) {
        var failure: DataFileError?
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            do throws(DataFileError) {
                _ = try Self.parse(raw.bindMemory(to: UInt8.self), delimiter: delimiter, file: file,
                                   firstLine: 1, atStart: true, isLast: true, body)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// Calls `body` with every record of the file at `url`, read `chunkSize` bytes at a time: memory holds
    /// one chunk and the record being read, whatever the file's size. Same records and errors as
    /// `forEachRecord(in:)` over the whole file; also throws when the file cannot be read.
    public func forEachRecord(inFileAt url: URL, file: String, chunkSize: Int = 1 << 20,
                              _ body: (CSVRecord) throws(DataFileError) -> Bool) throws(DataFileError) {
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw DataFileError(file: file, line: nil, field: nil, problem: "cannot be read (\(error.localizedDescription))")
        }
        defer { try? handle.close() }
        var buffer: [UInt8] = []
        var line = 1
        var atStart = true
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: max(chunkSize, 1)) ?? Data() } catch {
                throw DataFileError(file: file, line: line, field: nil, problem: "cannot be read (\(error.localizedDescription))")
            }
            let isLast = chunk.isEmpty
            buffer.append(contentsOf: chunk)
            var outcome: Result<Parsed, DataFileError> = .success(.finished)
            buffer.withUnsafeBufferPointer { bytes in
                do throws(DataFileError) {
                    outcome = .success(try Self.parse(bytes, delimiter: delimiter, file: file,
                                                      firstLine: line, atStart: atStart, isLast: isLast, body))
                } catch {
                    outcome = .failure(error)
                }
            }
            switch outcome {
            case .failure(let error): throw error
            case .success(.finished): return
            case .success(.incomplete(let from, let fromLine)):
                buffer.removeFirst(from)
                atStart = atStart && from == 0
                line = fromLine
            }
        }
    }

    /// How a parse of a buffer ended.
    enum Parsed {
        /// The data ended (or `body` wanted no more).
        case finished
        /// The record starting at byte `from`, on line `line`, runs past the buffer: parse again from
        /// there once more bytes are in.
        case incomplete(from: Int, line: Int)
    }

    private static let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    /// Parses `bytes`, which start at a record's first byte, on line `firstLine`. Unless `isLast`, a record
    /// is handed over only once the byte after its line end is in the buffer (a CR may be followed by LF):
    /// the unfinished one is answered as `incomplete`.
    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8, file: String,
                              firstLine: Int, atStart: Bool, isLast: Bool,
                              _ body: (CSVRecord) throws(DataFileError) -> Bool) throws(DataFileError) -> Parsed {
        let n = bytes.count
        // The byte order mark, possibly split across chunks: wait for three bytes.
        if atStart && !isLast && n < 3 { return .incomplete(from: 0, line: firstLine) }
        var i = atStart && n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        var line = firstLine
        var recordLine = firstLine
        var recordStart = i
        var spans: [CSVRecord.Span] = []
        var unescaped: [[UInt8]] = []
        var lastQuoted = false
        var incomplete: Parsed { .incomplete(from: recordStart, line: recordLine) }

        /// Hands the record over; false when `body` wants no more.
        func emit() throws(DataFileError) -> Bool {
            defer {
                spans.removeAll(keepingCapacity: true)
                unescaped.removeAll(keepingCapacity: true)
            }
            // An empty line reads as one empty unquoted field: not a record.
            if spans.count == 1 && spans[0].start == spans[0].end && !lastQuoted { return true }
            return try body(CSVRecord(line: recordLine, bytes: bytes, spans: spans, unescaped: unescaped))
        }

        while i < n {
            // At the start of a field.
            if bytes[i] == quote {
                let fieldLine = line
                let start = i + 1
                var j = start
                var doubled = false
                var closed = false
                while j < n {
                    let b = bytes[j]
                    if b == quote {
                        if j + 1 < n && bytes[j + 1] == quote {
                            doubled = true
                            j += 2
                            continue
                        }
                        closed = true
                        break
                    }
                    if b == lf || (b == cr && !(j + 1 < n && bytes[j + 1] == lf)) { line += 1 }
                    j += 1
                }
                guard closed else {
                    if !isLast { return incomplete }
                    throw DataFileError(file: file, line: fieldLine, field: nil,
                                        problem: "a quoted field (field \(spans.count + 1)) is never closed by a quote")
                }
                if doubled {
                    var text: [UInt8] = []
                    text.reserveCapacity(j - start)
                    var k = start
                    while k < j {
                        text.append(bytes[k])
                        k += bytes[k] == quote ? 2 : 1
                    }
                    spans.append(CSVRecord.Span(start: 0, end: 0, unescaped: unescaped.count))
                    unescaped.append(text)
                } else {
                    spans.append(CSVRecord.Span(start: start, end: j, unescaped: -1))
                }
                lastQuoted = true
                i = j + 1
                if i < n, bytes[i] != delimiter, bytes[i] != lf, bytes[i] != cr {
                    throw DataFileError(file: file, line: line, field: nil,
                                        problem: "field \(spans.count) has text after its closing quote "
                                            + "(a quote inside a quoted field is written twice: \"\")")
                }
            } else {
                var j = i
                while j < n {
                    let b = bytes[j]
                    if b == delimiter || b == lf || b == cr { break }
                    j += 1
                }
                spans.append(CSVRecord.Span(start: i, end: j, unescaped: -1))
                lastQuoted = false
                i = j
            }
            // After a field: a delimiter, a line end, or the end of the data.
            guard i < n else { break }
            if bytes[i] == delimiter {
                i += 1
                if i == n {
                    if !isLast { return incomplete }
                    // A trailing delimiter ends with an empty field.
                    spans.append(CSVRecord.Span(start: n, end: n, unescaped: -1))
                    lastQuoted = false
                }
                continue
            }
            if bytes[i] == cr {
                if i + 1 == n && !isLast { return incomplete }
                if i + 1 < n && bytes[i + 1] == lf { i += 1 }
            }
            i += 1
            guard try emit() else { return .finished }
            line += 1
            recordLine = line
            recordStart = i
        }
        if !isLast { return incomplete }
        if !spans.isEmpty { _ = try emit() }
        return .finished
    }
}

/// One record of a CSV file, as `CSVReader` hands it out: its fields are read on demand.
/// Valid only during the reader's call to its body.
public struct CSVRecord {
    /// Where a field's bytes are: `start..<end` in the data, or, for a quoted field with doubled quotes,
    /// its bytes, quotes undoubled, at index `unescaped`.
    struct Span {
        let start: Int
        let end: Int
        let unescaped: Int
    }

    /// The 1-based line the record starts on.
    public let line: Int
    private let bytes: UnsafeBufferPointer<UInt8>
    private let spans: [Span]
    private let unescaped: [[UInt8]]

    init(line: Int, bytes: UnsafeBufferPointer<UInt8>, spans: [Span], unescaped: [[UInt8]]) {
        self.line = line
        self.bytes = bytes
        self.spans = spans
        self.unescaped = unescaped
    }

    /// The number of fields.
    public var count: Int { spans.count }

    /// Field `index` (0-based) as a string, without its quotes; bytes that are not UTF-8 become U+FFFD.
    public subscript(index: Int) -> String {
        withBytes(index) { String(decoding: $0, as: UTF8.self) }
    }

    /// Field `index` as a string, or nil when its bytes are not valid UTF-8 (a Latin-1 file, say).
    public func validText(_ index: Int) -> String? {
        withBytes(index) { String(validating: $0, as: UTF8.self) }
    }

    private func withBytes<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        let span = spans[index]
        if span.unescaped >= 0 { return unescaped[span.unescaped].withUnsafeBufferPointer(body) }
        return body(UnsafeBufferPointer(rebasing: bytes[span.start..<span.end]))
    }

    /// True when field `index` is empty, without making its string.
    public func isEmpty(_ index: Int) -> Bool {
        let span = spans[index]
        return span.unescaped >= 0 ? unescaped[span.unescaped].isEmpty : span.start == span.end
    }

    /// Every field as a string.
    public var fields: [String] { (0..<spans.count).map { self[$0] } }
}
