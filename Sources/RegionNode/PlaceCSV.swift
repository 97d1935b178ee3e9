import Directory
import Foundation
import Reference

/// Reads points d'accueil from a CSV, the way Régions hold their lists. Columns (header row, any order):
/// `id, name, structure_ids, address, postcode, city` (required), `commune_code, opening_hours, reception_modes,
/// publics, services, accessible, free_of_charge, phone, kind, latitude, longitude, languages`; lists are
/// `;`-separated and the first structure is the host. `languages` are ISO 639 codes (`LanguageCode`).
public enum PlaceCSV {
    public static let requiredColumns = ["id", "name", "structure_ids", "address", "postcode", "city"]

    /// The rows that parse, with their line, and an error for each row that does not, read as imported.
    public static func rows(_ source: CSVSource) -> ImportRows<Place> {
        ImportCSVRow.rows(source, required: requiredColumns, name: { row in row.optional("id").map { "lieu \($0)" } ?? "lieu (sans identifiant)" }, read: read)
    }

    static func read(_ row: inout ImportCSVRow) -> Place? {
        guard let id = row.required("id") else { return nil }
        row.record = "lieu \(id)"
        guard let name = row.required("name") else { return nil }
        let structures = row.list("structure_ids")
        guard !structures.isEmpty else { row.fail("structure_ids", "un lieu relève d'au moins une structure"); return nil }
        let postcode: Postcode
        do { postcode = try Postcode(row.value("postcode")) } catch { row.fail("postcode", error.rule); return nil }
        var commune: CommuneCode?
        if let raw = row.optional("commune_code") {
            do { commune = try CommuneCode(raw) } catch { row.fail("commune_code", error.rule); return nil }
        }
        // Optional columns: the kind of place (default `site`), its position (both or neither), its languages.
        var kind = PlaceKind.site
        if let raw = row.optional("kind") {
            guard let k = PlaceKind(rawValue: raw) else {
                row.fail("kind", "valeur inconnue \(raw) (valeurs possibles : \(PlaceKind.allCases.map(\.rawValue).joined(separator: ", ")))")
                return nil
            }
            kind = k
        }
        var coordinates: GeoPoint?
        switch (row.optional("latitude"), row.optional("longitude")) {
        case (nil, nil): break
        case (.some, nil): row.fail("longitude", "la latitude est donnée sans la longitude"); return nil
        case (nil, .some): row.fail("latitude", "la longitude est donnée sans la latitude"); return nil
        case (.some, .some):
            guard let lat = row.number("latitude"), let lon = row.number("longitude") else { return nil }
            guard (-90...90).contains(lat) else { row.fail("latitude", "\(lat) hors de [-90, 90]"); return nil }
            guard (-180...180).contains(lon) else { row.fail("longitude", "\(lon) hors de [-180, 180]"); return nil }
            coordinates = GeoPoint(lat: lat, lon: lon)
        }
        var languages: [String] = []
        for raw in row.list("languages") {
            do { languages.append(try LanguageCode(raw).rawValue) } catch { row.fail("languages", error.description); return nil }
        }
        guard let modes = row.vocabulary("reception_modes", ReceptionMode.self),
              let publics = row.vocabulary("publics", Public.self),
              let services = row.vocabulary("services", Service.self),
              let accessible = row.flag("accessible"), let free = row.flag("free_of_charge") else { return nil }
        return Place(
            id: id, name: name, kind: kind,
            structures: structures.enumerated().map { PlaceStructure(structureId: $1, isHost: $0 == 0) },
            address: Address(lines: row.optional("address").map { [$0] } ?? [], postcode: postcode,
                             city: row.value("city"), communeCode: commune),
            coordinates: coordinates, openingHours: row.optional("opening_hours"), receptionModes: modes, publics: publics, services: services,
            accessible: accessible ?? false, languages: languages, phone: row.optional("phone"), freeOfCharge: free)
    }
}

/// Reads structures from a CSV. Columns: `id, name, network, basis` (required), `siret, website, phone, email`,
/// for a regional CEP operator `designation_decided_on, designation_crefop_consulted_on, sells_training`, and
/// `network_head_id`, the id of the structure heading its network in the Région (its tête de réseau).
public enum StructureCSV {
    public static let requiredColumns = ["id", "name", "network", "basis"]

    public static func rows(_ source: CSVSource) -> ImportRows<Structure> {
        ImportCSVRow.rows(source, required: requiredColumns, name: { row in row.optional("id").map { "structure \($0)" } ?? "structure (sans identifiant)" }, read: read)
    }

    static func read(_ row: inout ImportCSVRow) -> Structure? {
        guard let id = row.required("id") else { return nil }
        row.record = "structure \(id)"
        guard let name = row.required("name"), let network = row.one("network", Network.self),
              let basis = row.one("basis", BasisOfMembership.self) else { return nil }
        var siret: SIRET?
        if let raw = row.optional("siret") {
            do { siret = try SIRET(raw) } catch { row.fail("siret", error.rule); return nil }
        }
        var designation: CEPDesignation?
        if let decided = row.optional("designation_decided_on") {
            guard let sells = row.flag("sells_training") else { return nil }
            designation = CEPDesignation(decidedOn: decided, crefopConsultedOn: row.value("designation_crefop_consulted_on"),
                                         sellsTraining: sells ?? false)
        }
        // The referencing is the workflow's: a new structure applies, a known one keeps its own.
        return Structure(id: id, siret: siret, name: name, network: network, basis: basis, website: row.optional("website"),
                         phone: row.optional("phone"), email: row.optional("email"),
                         referencing: PublicReferencing(state: .applied, charterVersion: nil, since: "", validUntil: nil),
                         designation: designation, networkHeadId: row.optional("network_head_id"))
    }
}

/// Reads indicator values from a CSV. Columns: `subject` (structure or place), `subject_id`, `code`, `period`,
/// `value` (a point or a French decimal comma), `unit`.
public enum IndicatorCSV {
    public static let requiredColumns = ["subject", "subject_id", "code", "period", "value", "unit"]

    public static func rows(_ source: CSVSource) -> ImportRows<IndicatorValue> {
        ImportCSVRow.rows(source, required: requiredColumns, name: { "indicateur \($0.value("code")) \($0.value("period")) \($0.value("subject") == "place" ? "du lieu" : "de la structure") \($0.value("subject_id"))" }, read: read)
    }

    static func read(_ row: inout ImportCSVRow) -> IndicatorValue? {
        guard let subjectRaw = row.required("subject") else { return nil }
        guard let subject = IndicatorValue.Subject(rawValue: subjectRaw) else { row.fail("subject", "expected structure or place"); return nil }
        guard let id = row.required("subject_id"), let code = row.required("code"), let period = row.required("period"),
              let value = row.number("value"), let unit = row.required("unit") else { return nil }
        return IndicatorValue(subject: subject, subjectId: id, code: code, period: period, value: value, unit: unit)
    }
}
