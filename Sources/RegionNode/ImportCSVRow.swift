import Directory
import Foundation
import Reference

/// One CSV row being read into a record: its fields by column name, and the errors found, named by line,
/// record and column. Shared by the CSV readers of places, structures and indicators.
struct ImportCSVRow {
    let line: Int
    let fields: [String]
    let columns: [String: Int]
    /// The record's name in errors, e.g. "lieu 53-P1"; set once the id is read.
    var record: String
    private(set) var errors: [ImportRowError] = []

    init(line: Int, fields: [String], columns: [String: Int], record: String) {
        self.line = line
        self.fields = fields
        self.columns = columns
        self.record = record
    }

    /// The columns of a header: the required ones must be present (else the whole file is refused), others as found.
    static func columns(of header: [String], required: [String], file: String) throws(ReferenceError) -> [String: Int] {
        var columns: [String: Int] = [:]
        for name in required {
            guard let i = header.firstIndex(of: name) else {
                throw ReferenceError(file: file, line: 1, field: name, problem: "colonne obligatoire absente de la ligne d'en-tête")
            }
            columns[name] = i
        }
        for (i, name) in header.enumerated() where columns[name] == nil { columns[name] = i }
        return columns
    }

    /// The rows of a CSV import, read from `source` as they are needed, each with `read`, which returns a
    /// record or records its errors on the row. `name` names a row's record before its id is read. A row
    /// whose field count is not the header's, or with a field that is not UTF-8, is rejected naming the
    /// line and the column, and the next row is read.
    static func rows<Record: Sendable>(_ source: CSVSource, required: [String],
                                       name: @escaping @Sendable (ImportCSVRow) -> String,
                                       read: @escaping @Sendable (inout ImportCSVRow) -> Record?) -> ImportRows<Record> {
        ImportRows { body in
            var header: [String]?
            var columns: [String: Int] = [:]
            // `body` may throw anything (the store's errors); the reader's body only its own: carry it out.
            var failure: (any Error)?
            try source.forEachRecord(CSVReader()) { record throws(DataFileError) in
                guard let header else {
                    header = record.fields
                    columns = try Self.columns(of: record.fields, required: required, file: source.name)
                    return true
                }
                var fields: [String] = []
                fields.reserveCapacity(record.count)
                var notText: Int?
                for i in 0..<record.count {
                    if let text = record.validText(i) {
                        fields.append(text)
                    } else {
                        fields.append(record[i])
                        notText = notText ?? i
                    }
                }
                var row = ImportCSVRow(line: record.line, fields: fields, columns: columns, record: "")
                row.record = name(row)
                if record.count < header.count {
                    row.fail(header[record.count], "ligne trop courte : \(record.count) champs, l'en-tête en a \(header.count)")
                } else if record.count > header.count {
                    row.fail(header[header.count - 1], "ligne trop longue : \(record.count) champs, l'en-tête en a \(header.count) "
                             + "(une virgule dans un champ doit être entre guillemets)")
                } else if let i = notText {
                    row.fail(header[i], "« \(fields[i]) » n'est pas du texte UTF-8 : enregistrez le fichier en UTF-8 "
                             + "(il semble être en Latin-1 ou Windows-1252)")
                }
                do {
                    if row.errors.isEmpty, let parsed = read(&row) { try body(.record(line: record.line, parsed)) }
                    for error in row.errors { try body(.rejected(error)) }
                } catch {
                    failure = error
                    return false
                }
                return true
            }
            if let failure { throw failure }
        }
    }

    mutating func fail(_ field: String, _ rule: String) {
        errors.append(ImportRowError(line: line, record: record, field: field, rule: rule))
    }

    /// The trimmed value of a column, "" when absent (from the header or from a short row).
    func value(_ name: String) -> String {
        guard let i = columns[name], i < fields.count else { return "" }
        return fields[i].trimmingCharacters(in: .whitespaces)
    }

    /// The value, or nil when empty.
    func optional(_ name: String) -> String? {
        let v = value(name)
        return v.isEmpty ? nil : v
    }

    /// A `;`-separated list.
    func list(_ name: String) -> [String] {
        value(name).split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A non-empty value, or nil after recording the error.
    mutating func required(_ name: String) -> String? {
        let v = value(name)
        if v.isEmpty { fail(name, "ne doit pas être vide") }
        return v.isEmpty ? nil : v
    }

    /// A list of vocabulary values, or nil after recording the first unknown one.
    mutating func vocabulary<V: Vocabulary>(_ name: String, _ type: V.Type) -> [V]? {
        var out: [V] = []
        for raw in list(name) {
            guard let v = V(rawValue: raw) else {
                fail(name, "valeur inconnue \(raw) (valeurs possibles : \(V.allCases.map(\.rawValue).joined(separator: ", ")))")
                return nil
            }
            out.append(v)
        }
        return out
    }

    /// One vocabulary value, or nil after recording the error.
    mutating func one<V: Vocabulary>(_ name: String, _ type: V.Type) -> V? {
        guard let raw = required(name) else { return nil }
        guard let v = V(rawValue: raw) else {
            fail(name, "valeur inconnue \(raw) (valeurs possibles : \(V.allCases.map(\.rawValue).joined(separator: ", ")))")
            return nil
        }
        return v
    }

    /// oui/non (yes/no, true/false, 1/0); `.some(nil)` when empty, nil after recording an error.
    mutating func flag(_ name: String) -> Bool?? {
        switch value(name).lowercased() {
        case "": return .some(nil)
        case "oui", "yes", "true", "1": return true
        case "non", "no", "false", "0": return false
        default: fail(name, "oui ou non attendu"); return nil
        }
    }

    /// A number written with a point or a French decimal comma ("12,5"), or nil after recording the error.
    mutating func number(_ name: String) -> Double? {
        guard let raw = required(name) else { return nil }
        guard let v = Double(raw.replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: " ", with: "")) else {
            fail(name, "\(raw) n'est pas un nombre")
            return nil
        }
        return v
    }
}
