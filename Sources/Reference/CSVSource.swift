import Foundation

/// Where CSV text comes from: bytes already in memory, or a file read in chunks as its records are needed.
public enum CSVSource: Sendable {
    case bytes(Data, name: String)
    case file(URL)

    /// The name errors give the source: the file's path.
    public var name: String {
        switch self {
        case .bytes(_, let name): name
        case .file(let url): url.path
        }
    }

    /// Calls `body` with every record, until it returns false (see `CSVReader`).
    public func forEachRecord(_ reader: CSVReader, _ body: (CSVRecord) throws(DataFileError) -> Bool) throws(DataFileError) {
        switch self {
        case .bytes(let data, let name): try reader.forEachRecord(in: data, file: name, body)
        case .file(let url): try reader.forEachRecord(inFileAt: url, file: url.path, body)
        }
    }
}
