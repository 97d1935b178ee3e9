/// An error from SQLite, with the statement that caused it.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// SQLite's primary result code.
    public let code: Int32
    public let message: String
    public let sql: String?

    public var description: String {
        "SQLite error \(code): \(message)" + (sql.map { " in `\($0.prefix(200))`" } ?? "")
    }

    /// Whether the failure is a constraint violation (unique, foreign key, check).
    public var isConstraint: Bool { code & 0xff == 19 }

    /// Whether another connection held a lock the statement needed for longer than the busy timeout.
    public var isBusy: Bool { code & 0xff == 5 || code & 0xff == 6 }
}
