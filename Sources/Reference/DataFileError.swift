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
