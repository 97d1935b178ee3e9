import Foundation

/// A CSV file read whole: its header and its rows of strings, each with the line it starts on.
/// Read with `CSVReader` (RFC 4180 quoting, LF or CRLF, BOM skipped, empty lines skipped).
public struct CSVTable: Sendable {
    /// Column names from the header row.
    public let header: [String]
    /// Data rows with the line each starts on.
    public let rows: [(line: Int, fields: [String])]
    /// The file name, for error messages.
    public let file: String

    /// Parses `data`; every row must have as many fields as the header.
    public init(data: Data, file: String, delimiter: Unicode.Scalar = ",") throws(ReferenceError) {
        self.file = file
        var header: [String]?
        var rows: [(line: Int, fields: [String])] = []
        try CSVReader(delimiter: delimiter).forEachRecord(in: data, file: file) { record throws(DataFileError) in
            guard let width = header?.count else {
                header = record.fields
                return true
            }
            guard record.count == width else {
                throw ReferenceError(file: file, line: record.line, field: nil,
                                     problem: "has \(record.count) fields, the header has \(width)")
            }
            rows.append((record.line, record.fields))
            return true
        }
        guard let header else {
            throw ReferenceError(file: file, line: 1, field: nil, problem: "file is empty; a header row is expected")
        }
        self.header = header
        self.rows = rows
    }

    /// Reads a file, naming it in errors.
    public init(contentsOf url: URL, delimiter: Unicode.Scalar = ",") throws(ReferenceError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ReferenceError(file: url.path, line: nil, field: nil, problem: "cannot be read (\(error.localizedDescription))")
        }
        try self.init(data: data, file: url.path, delimiter: delimiter)
    }

    /// Column index of `name`, or an error naming the missing column.
    public func column(_ name: String) throws(ReferenceError) -> Int {
        guard let i = header.firstIndex(of: name) else {
            throw ReferenceError(file: file, line: 1, field: name, problem: "required column is missing from the header")
        }
        return i
    }
}
