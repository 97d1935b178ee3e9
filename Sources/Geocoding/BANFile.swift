import AddressText
import Directory
import Foundation
import Reference

/// One BAN CSV (`adresses-XX.csv`, one département, from adresse.data.gouv.fr) read into streets, each
/// with its numbered addresses.
///
/// The format: UTF-8, `;`-separated, a header naming the columns (`id;id_fantoir;numero;rep;nom_voie;
/// code_postal;code_insee;nom_commune;code_insee_ancienne_commune;nom_ancienne_commune;x;y;lon;lat;...`).
/// Columns are found by name, so the optional trailing ones (`certification_commune`, `cad_parcelles`)
/// may come and go. Fields are not quoted in the official files; RFC 4180 quotes are still understood
/// (the shared `CSVReader`).
///
/// A street is one name in one commune and, for a commune nouvelle, one former commune: two
/// "Rue de l'Église" of two merged villages stay two streets.
struct BANFile {
    struct Point {
        /// nil for an address without a usable number (BAN writes 99999 for some lieux-dits).
        var number: Int?
        /// Canonical suffix ("BIS", "TER", "A"...) or "" for none.
        var suffix: String
        var lat: Double
        var lon: Double
    }

    struct Street {
        var commune: String
        /// The comparison key, as `AddressNormalizer.streetName` gives it: "RUE DE SIAM".
        var key: String
        /// The BAN's own spelling, for messages: "Rue de Siam".
        var label: String
        var points: [Point]
    }

    static let requiredColumns = ["numero", "rep", "nom_voie", "code_insee", "lon", "lat"]
    /// Numbers at or above this are placeholders, not house numbers.
    static let placeholderNumber = 99_999
    /// Problems kept verbatim for the summary; the rest are only counted.
    static let keptProblems = 10

    var streets: [Street] = []
    /// Data rows read.
    var rows = 0
    /// Rows skipped (bad commune code or coordinates), with the first few reasons.
    var skipped = 0
    var problems: [String] = []

    /// Parses the bytes of a BAN file; `file` names it in errors.
    static func parse(_ data: Data, file: String) throws(BANError) -> BANFile {
        var result = BANFile()
        var columns: [Int] = []
        var width = 0
        var byGroup: [String: Int] = [:]
        // Rows come sorted by street: the previous row's street is the usual answer.
        var previous: (commune: String, old: String, name: String, street: Int?)?
        var badCommunes: [String: String] = [:]
        let oldColumnName = "code_insee_ancienne_commune"

        func problem(_ line: Int, _ text: String) {
            result.skipped += 1
            if result.problems.count < keptProblems { result.problems.append("\(file):\(line): \(text)") }
        }

        var failure: BANError?
        // Only the columns used become strings: a BAN row has about twenty.
        try records(data, file: file) { fields in
            let line = fields.line
            if columns.isEmpty {
                let header = fields.fields
                if header.count == 1, header[0].contains(",") {
                    failure = .notBANFormat(file: file, problem: "the header is comma-separated; a BAN file uses semicolons")
                    return false
                }
                for name in requiredColumns {
                    guard let i = header.firstIndex(of: name) else {
                        failure = .notBANFormat(file: file, problem: "column \"\(name)\" is missing from the header "
                                                + "(expected the adresses-XX.csv format of adresse.data.gouv.fr)")
                        return false
                    }
                    columns.append(i)
                }
                columns.append(header.firstIndex(of: oldColumnName) ?? -1)
                width = header.count
                return true
            }
            result.rows += 1
            guard fields.count == width else {
                problem(line, "has \(fields.count) fields, the header has \(width)")
                return true
            }
            let numero = fields[columns[0]], rep = fields[columns[1]], name = fields[columns[2]]
            let commune = fields[columns[3]]
            let old = columns[6] >= 0 ? fields[columns[6]] : ""
            let lonText = fields[columns[4]], latText = fields[columns[5]]
            guard let lon = Double(lonText), let lat = Double(latText),
                  (-90...90).contains(lat), (-180...180).contains(lon) else {
                problem(line, "field \"lat\"/\"lon\": \"\(latText)\", \"\(lonText)\" are not coordinates")
                return true
            }
            let streetIndex: Int
            if let p = previous, let s = p.street, p.name == name, p.commune == commune, p.old == old {
                streetIndex = s
            } else {
                if let why = badCommunes[commune] ?? Self.communeProblem(commune) {
                    badCommunes[commune] = why
                    previous = (commune, old, name, nil)
                    problem(line, "field \"code_insee\": \(why)")
                    return true
                }
                let key = AddressNormalizer.streetName(name)
                guard !key.isEmpty else {
                    previous = (commune, old, name, nil)
                    problem(line, "field \"nom_voie\": \"\(name)\" has no letters or digits")
                    return true
                }
                let group = commune + " " + old + " " + key
                if let s = byGroup[group] {
                    streetIndex = s
                } else {
                    streetIndex = result.streets.count
                    byGroup[group] = streetIndex
                    result.streets.append(Street(commune: commune, key: key, label: name, points: []))
                }
                previous = (commune, old, name, streetIndex)
            }
            let number = Int(numero).flatMap { $0 >= 0 && $0 < placeholderNumber ? $0 : nil }
            result.streets[streetIndex].points.append(Point(number: number, suffix: suffix(rep), lat: lat, lon: lon))
            return true
        }
        if let failure { throw failure }
        if columns.isEmpty { throw .notBANFormat(file: file, problem: "the file is empty; a header row is expected") }
        return result
    }

    /// The `;`-separated records of `data`; a quote left open makes the file one that is not in the BAN format.
    private static func records(_ data: Data, file: String, _ body: (CSVRecord) -> Bool) throws(BANError) {
        do {
            try CSVReader(delimiter: ";").forEachRecord(in: data, file: file, body)
        } catch {
            throw .notBANFormat(file: file, problem: "line \(error.line ?? 1): \(error.problem)")
        }
    }

    /// Why a `code_insee` value is not a commune code, or nil when it is one.
    static func communeProblem(_ raw: String) -> String? {
        do {
            _ = try CommuneCode(raw)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// The BAN's `rep` ("bis", "b", "ter", "a") in the normaliser's form: "B" is BIS as in "3B RUE ...".
    static func suffix(_ rep: String) -> String {
        guard !rep.isEmpty else { return "" }
        let folded = TextFolding.fold(rep)
        return StreetVocabulary.numberSuffixes[Substring(folded)] ?? folded
    }
}
