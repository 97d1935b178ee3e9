import Foundation

/// A minimal RFC 4180 CSV reader (quoted fields, doubled quotes, CRLF) over UTF-8 bytes.
/// Rows are handed out with their 1-based line number so errors can name it.
public struct CSVTable: Sendable {
    /// Column names from the header row.
    public let header: [String]
    /// Data rows with the line each starts on.
    public let rows: [(line: Int, fields: [String])]
    /// The file name, for error messages.
    public let file: String

    /// Parses `data`; every row must have as many fields as the header.
    public init(data: Data, file: String) throws(ReferenceError) {
        self.file = file
        var records: [(Int, [String])] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var sawQuote = false
        let bytes = [UInt8](data)
        var i = 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            sawQuote = false
        }
        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == 0x22 {
                    if i + 1 < bytes.count && bytes[i + 1] == 0x22 {
                        field.append(0x22)
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if b == 0x0A { line += 1 }
                    field.append(b)
                }
            } else if b == 0x22 && field.isEmpty && !sawQuote {
                inQuotes = true
                sawQuote = true
            } else if b == 0x2C {
                endField()
            } else if b == 0x0A || b == 0x0D {
                if b == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
                endField()
                if !(fields.count == 1 && fields[0].isEmpty) { records.append((recordLine, fields)) }
                fields.removeAll(keepingCapacity: true)
                line += 1
                recordLine = line
            } else {
                field.append(b)
            }
            i += 1
        }
        if inQuotes {
            throw ReferenceError(file: file, line: recordLine, field: nil, problem: "unterminated quoted field")
        }
        if !field.isEmpty || !fields.isEmpty {
            endField()
            records.append((recordLine, fields))
        }
        guard let first = records.first else {
            throw ReferenceError(file: file, line: 1, field: nil, problem: "file is empty; a header row is expected")
        }
        header = first.1.map { $0.hasPrefix("\u{FEFF}") ? String($0.dropFirst()) : $0 }
        let width = header.count
        for r in records.dropFirst() where r.1.count != width {
            throw ReferenceError(file: file, line: r.0, field: nil,
                                 problem: "has \(r.1.count) fields, the header has \(width)")
        }
        rows = Array(records.dropFirst())
    }

    /// Reads a file, naming it in errors.
    public init(contentsOf url: URL) throws(ReferenceError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ReferenceError(file: url.path, line: nil, field: nil, problem: "cannot be read (\(error.localizedDescription))")
        }
        try self.init(data: data, file: url.path)
    }

    /// Column index of `name`, or an error naming the missing column.
    public func column(_ name: String) throws(ReferenceError) -> Int {
        guard let i = header.firstIndex(of: name) else {
            throw ReferenceError(file: file, line: 1, field: name, problem: "required column is missing from the header")
        }
        return i
    }
}

/// A reference-pack file that is missing or malformed.
public typealias ReferenceError = DataFileError

/// A data file (reference pack, CSV to import or geocode) that cannot be read, naming the file, line and field.
public struct DataFileError: Error, CustomStringConvertible, Sendable, Hashable {
    public let file: String
    public let line: Int?
    public let field: String?
    public let problem: String

    public init(file: String, line: Int?, field: String?, problem: String) {
        self.file = file
        self.line = line
        self.field = field
        self.problem = problem
    }

    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let field { s += ": field \"\(field)\"" }
        return s + ": " + problem
    }
}
