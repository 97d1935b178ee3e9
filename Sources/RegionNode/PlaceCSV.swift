import Directory
import Foundation
import Reference

/// One rejected row of a bulk import: the row's line, the record and the field at fault.
public struct ImportRowError: Sendable, Equatable, Codable, CustomStringConvertible {
    public let line: Int
    public let record: String
    public let field: String
    public let rule: String

    public var description: String { "line \(line): \(record): \(field): \(rule)" }
}

/// Reads points d'accueil from a CSV, the way Régions hold their lists. Columns (header row, any order):
/// `id, name, structure_ids, address, postcode, city, commune_code, opening_hours, reception_modes, publics,
/// services, accessible, free_of_charge, phone`; lists are `;`-separated and the first structure is the host.
public enum PlaceCSV {
    public static let requiredColumns = ["id", "name", "structure_ids", "address", "postcode", "city"]

    /// The rows that parse, with their line, and an error for each row that does not.
    public static func read(_ table: CSVTable) throws(ReferenceError) -> (places: [(line: Int, place: Place)], errors: [ImportRowError]) {
        var columns: [String: Int] = [:]
        for name in requiredColumns { columns[name] = try table.column(name) }
        for (i, name) in table.header.enumerated() where columns[name] == nil { columns[name] = i }
        var places: [(Int, Place)] = []
        var errors: [ImportRowError] = []
        for (line, fields) in table.rows {
            func value(_ name: String) -> String {
                columns[name].map { fields[$0].trimmingCharacters(in: .whitespaces) } ?? ""
            }
            func list(_ name: String) -> [String] {
                value(name).split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            let id = value("id")
            let record = id.isEmpty ? "place (no id)" : "place \(id)"
            func fail(_ field: String, _ rule: String) { errors.append(ImportRowError(line: line, record: record, field: field, rule: rule)) }
            func vocabulary<V: Vocabulary>(_ name: String, _ type: V.Type) -> [V]? {
                var out: [V] = []
                for raw in list(name) {
                    guard let v = V(rawValue: raw) else {
                        fail(name, "unknown value \(raw) (accepted: \(V.allCases.map(\.rawValue).joined(separator: ", ")))")
                        return nil
                    }
                    out.append(v)
                }
                return out
            }
            func flag(_ name: String) -> Bool?? {
                switch value(name).lowercased() {
                case "": return .some(nil)
                case "oui", "yes", "true", "1": return true
                case "non", "no", "false", "0": return false
                default: fail(name, "expected oui or non"); return nil
                }
            }
            guard !id.isEmpty else { fail("id", "must not be empty"); continue }
            guard !value("name").isEmpty else { fail("name", "must not be empty"); continue }
            let structures = list("structure_ids")
            guard !structures.isEmpty else { fail("structure_ids", "a place belongs to at least one structure"); continue }
            let postcode: Postcode
            do { postcode = try Postcode(value("postcode")) } catch { fail("postcode", error.rule); continue }
            var commune: CommuneCode?
            if !value("commune_code").isEmpty {
                do { commune = try CommuneCode(value("commune_code")) } catch { fail("commune_code", error.rule); continue }
            }
            guard let modes = vocabulary("reception_modes", ReceptionMode.self),
                  let publics = vocabulary("publics", Public.self),
                  let services = vocabulary("services", Service.self),
                  let accessible = flag("accessible"), let free = flag("free_of_charge") else { continue }
            let hours = value("opening_hours")
            places.append((line, Place(
                id: id, name: value("name"), kind: .site,
                structures: structures.enumerated().map { PlaceStructure(structureId: $1, isHost: $0 == 0) },
                address: Address(lines: value("address").isEmpty ? [] : [value("address")], postcode: postcode,
                                 city: value("city"), communeCode: commune),
                openingHours: hours.isEmpty ? nil : hours, receptionModes: modes, publics: publics, services: services,
                accessible: accessible ?? false, phone: value("phone").isEmpty ? nil : value("phone"), freeOfCharge: free)))
        }
        return (places, errors)
    }
}

/// What a bulk import did.
public struct ImportReport: Sendable, Equatable, Codable {
    /// Rows stored as new or changed records.
    public var stored: Int
    /// Rows identical to what the node already holds (a re-import changes nothing).
    public var unchanged: Int
    /// Rows rejected, by line and field.
    public var errors: [ImportRowError]
    /// True when `--all-or-nothing` refused the whole file because of `errors`.
    public var refusedWhole: Bool
}

extension NodeStore {
    /// Imports parsed places in one transaction. Rows that break a rule are reported by line and field;
    /// the others go in, unless `allOrNothing`, in which case any error means nothing goes in.
    public func importPlaces(_ rows: [(line: Int, place: Place)], parseErrors: [ImportRowError] = [], validator: RecordValidator,
                             allOrNothing: Bool, by actor: Principal, at now: Date = Date()) throws -> ImportReport {
        try requireAdmin(actor, to: "import places")
        var errors = parseErrors
        var valid: [(line: Int, place: Place)] = []
        let known = Set(try db.query("SELECT id FROM structures") { $0.string(0) })
        var seen: [String: Int] = [:]
        for row in rows {
            do {
                try validator.validate(row.place)
                if let unknown = row.place.structures.first(where: { !known.contains($0.structureId) }) {
                    throw AdminError.invalid(record: "place \(row.place.id)", field: "structure_ids", rule: "unknown structure \(unknown.structureId)")
                }
                if let first = seen[row.place.id] {
                    throw AdminError.invalid(record: "place \(row.place.id)", field: "id", rule: "already on line \(first)")
                }
                seen[row.place.id] = row.line
                valid.append(row)
            } catch let AdminError.invalid(record, field, rule) {
                errors.append(ImportRowError(line: row.line, record: record, field: field, rule: rule))
            }
        }
        errors.sort { $0.line < $1.line }
        if allOrNothing && !errors.isEmpty {
            return ImportReport(stored: 0, unchanged: 0, errors: errors, refusedWhole: true)
        }
        return try db.transaction {
            var stored = 0, unchanged = 0
            for (_, place) in valid {
                let existing = try self.place(place.id)
                if existing == place { unchanged += 1; continue }
                try writePlace(place, at: now)
                try audit(actor, "place.import", "place/\(place.id)", before: Self.json(existing), after: Self.json(place), at: now)
                stored += 1
            }
            if stored > 0 { cached = nil }
            return ImportReport(stored: stored, unchanged: unchanged, errors: errors, refusedWhole: false)
        }
    }
}
