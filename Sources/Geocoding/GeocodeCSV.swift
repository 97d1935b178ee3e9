import Directory
import Foundation
import Reference

/// Geocodes a CSV file of addresses (`spro geocode`).
///
/// The input needs a header with at least `adresse`, `code_postal` and `ville` (`adresse` may hold
/// several street lines joined by " / "); an optional `code_insee` column is used as the Région's hint.
/// Every other column passes through unchanged. The output is the same table with the columns
/// `code_insee, lat, lon, precision, score, reason` appended; a column of the input bearing one of
/// those names is overwritten in place rather than duplicated. Quoting follows RFC 4180, and the
/// input's line ending (LF or CRLF) is kept.
public enum GeocodeCSV {
    public static let requiredColumns = ["adresse", "code_postal", "ville"]
    public static let resultColumns = ["code_insee", "lat", "lon", "precision", "score", "reason"]

    /// What a run did.
    public struct Summary: Sendable, Hashable, Codable {
        /// Data rows read.
        public var rows = 0
        /// Rows per precision.
        public var byPrecision: [GeocodePrecision: Int] = [:]
        /// Rows without a commune, by input line, with the reason.
        public var unresolved: [Problem] = []

        public struct Problem: Sendable, Hashable, Codable {
            public let line: Int
            public let reason: String
        }

        public init() {}
    }

    /// How often `progress` is called, in rows.
    public static let progressInterval = 1_000

    /// Reads `input`, geocodes every row and writes `output` (atomically). `progress` is told the rows
    /// done and the rows in all, every `progressInterval` rows.
    public static func run(input: URL, output: URL, geocoder: Geocoder,
                           progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }) throws(GeocodeCSVError) -> Summary {
        let data: Data
        do {
            data = try Data(contentsOf: input)
        } catch {
            throw GeocodeCSVError(file: input.path, line: nil, field: nil, problem: "cannot be read (\(error.localizedDescription))")
        }
        let (out, summary) = try geocode(data, file: input.path, geocoder: geocoder, progress: progress)
        do {
            try out.write(to: output, options: .atomic)
        } catch {
            throw GeocodeCSVError(file: output.path, line: nil, field: nil, problem: "cannot be written (\(error.localizedDescription))")
        }
        return summary
    }

    /// Geocodes CSV bytes; `file` names the input in errors.
    public static func geocode(_ data: Data, file: String, geocoder: Geocoder,
                               progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }) throws(GeocodeCSVError) -> (Data, Summary) {
        let table: CSVTable
        do {
            table = try CSVTable(data: data, file: file)
        } catch {
            throw GeocodeCSVError(file: error.file, line: error.line, field: error.field, problem: error.problem)
        }
        if table.header.count == 1, table.header[0].contains(";") {
            throw GeocodeCSVError(file: file, line: 1, field: nil,
                                  problem: "the header is separated by semicolons; save the file as comma-separated CSV")
        }
        var columns: [String: Int] = [:]
        for name in requiredColumns {
            guard let i = table.header.firstIndex(of: name) else {
                throw GeocodeCSVError(file: file, line: 1, field: name,
                                      problem: "required column is missing (the header needs \(requiredColumns.joined(separator: ", ")))")
            }
            columns[name] = i
        }
        let hintColumn = table.header.firstIndex(of: "code_insee")

        // Result columns: in place when the input already has them, appended otherwise.
        var header = table.header
        var slots: [Int] = []
        for name in resultColumns {
            if let i = header.firstIndex(of: name) {
                slots.append(i)
            } else {
                slots.append(header.count)
                header.append(name)
            }
        }
        let crlf: Bool = {
            guard let nl = data.firstIndex(of: 0x0A), nl > data.startIndex else { return false }
            return data[data.index(before: nl)] == 0x0D
        }()
        var writer = CSVWriter(lineEnding: crlf ? .crlf : .lf)
        writer.writeRow(header)

        var summary = Summary()
        for (line, fields) in table.rows {
            var notes: [String] = []
            var hint: CommuneCode?
            if let h = hintColumn {
                let raw = fields[h].trimmingCharacters(in: .whitespaces)
                if !raw.isEmpty {
                    do {
                        hint = try CommuneCode(raw)
                    } catch {
                        notes.append("field code_insee: \(error.description); ignored")
                    }
                }
            }
            let lines = fields[columns["adresse"]!].components(separatedBy: " / ")
                .flatMap { $0.split(whereSeparator: \.isNewline).map(String.init) }
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            var r = geocoder.geocode(postcode: fields[columns["code_postal"]!], city: fields[columns["ville"]!],
                                     lines: lines, communeHint: hint)
            if let reason = r.reason { notes.append(reason) }
            r.reason = notes.isEmpty ? nil : notes.joined(separator: "; ")

            var row = fields + Array(repeating: "", count: header.count - fields.count)
            let values = [r.commune?.rawValue ?? "",
                          r.position.map { String(format: "%.6f", $0.lat) } ?? "",
                          r.position.map { String(format: "%.6f", $0.lon) } ?? "",
                          r.precision.rawValue, String(format: "%.2f", r.score), r.reason ?? ""]
            for (slot, value) in zip(slots, values) { row[slot] = value }
            writer.writeRow(row)

            summary.rows += 1
            if summary.rows % progressInterval == 0 { progress(summary.rows, table.rows.count) }
            summary.byPrecision[r.precision, default: 0] += 1
            if r.commune == nil {
                summary.unresolved.append(.init(line: line, reason: r.reason ?? "unresolved"))
            }
        }
        return (writer.data, summary)
    }
}

/// A CSV to geocode that cannot be read or written, naming the file, line and field.
public typealias GeocodeCSVError = DataFileError
