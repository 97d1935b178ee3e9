import Directory
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

    /// The columns of a table: the required ones must be present (else the whole file is refused), others as found.
    static func columns(of table: CSVTable, required: [String]) throws(ReferenceError) -> [String: Int] {
        var columns: [String: Int] = [:]
        for name in required { columns[name] = try table.column(name) }
        for (i, name) in table.header.enumerated() where columns[name] == nil { columns[name] = i }
        return columns
    }

    /// Reads every row of `table` with `read`, which returns a record or records its errors on the row.
    /// `name` names a row's record before its id is read.
    static func readAll<Record: Sendable>(_ table: CSVTable, required: [String], name: (ImportCSVRow) -> String,
                                          read: (inout ImportCSVRow) -> Record?) throws(ReferenceError) -> ImportRows<Record> {
        let columns = try columns(of: table, required: required)
        var records: [(line: Int, record: Record)] = []
        var errors: [ImportRowError] = []
        for (line, fields) in table.rows {
            var row = ImportCSVRow(line: line, fields: fields, columns: columns, record: "")
            row.record = name(row)
            if let record = read(&row) { records.append((line, record)) }
            errors += row.errors
        }
        return ImportRows(rows: records, errors: errors)
    }

    mutating func fail(_ field: String, _ rule: String) {
        errors.append(ImportRowError(line: line, record: record, field: field, rule: rule))
    }

    /// The trimmed value of a column, "" when absent.
    func value(_ name: String) -> String {
        columns[name].map { fields[$0].trimmingCharacters(in: .whitespaces) } ?? ""
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
