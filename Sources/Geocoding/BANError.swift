/// Why a BAN extract could not be read or indexed; each case says what to do.
public enum BANError: Error, CustomStringConvertible, Sendable {
    /// The path does not exist or cannot be read.
    case unreadable(path: String, reason: String)
    /// The file is not a BAN `adresses-XX.csv`.
    case notBANFormat(file: String, problem: String)
    /// The file is still gzipped, as downloaded.
    case compressed(file: String)
    /// The directory holds no `adresses-XX.csv`.
    case noFiles(directory: String)
    /// The SQLite index failed (the SQLite error's text).
    case index(path: String, problem: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "\(path): cannot be read (\(reason))"
        case .notBANFormat(let file, let problem):
            return "\(file): not a BAN adresses CSV: \(problem)"
        case .compressed(let file):
            return "\(file): the file is gzipped; run `gunzip \(file)` and pass the .csv"
        case .noFiles(let directory):
            return "\(directory): no adresses-XX.csv file; download the départements needed from "
                + "https://adresse.data.gouv.fr/data/ban/adresses/latest/csv/ and gunzip them there"
        case .index(let path, let problem):
            return "\(path): BAN index: \(problem)"
        }
    }
}
