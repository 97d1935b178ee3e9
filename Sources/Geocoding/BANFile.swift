import Directory
import Foundation

/// One BAN CSV (`adresses-XX.csv`, one département, from adresse.data.gouv.fr) read into streets, each
/// with its numbered addresses.
///
/// The format: UTF-8, `;`-separated, a header naming the columns (`id;id_fantoir;numero;rep;nom_voie;
/// code_postal;code_insee;nom_commune;code_insee_ancienne_commune;nom_ancienne_commune;x;y;lon;lat;...`).
/// Columns are found by name, so the optional trailing ones (`certification_commune`, `cad_parcelles`)
/// may come and go. Fields are not quoted in the official files; RFC 4180 quotes are still understood.
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
        SemicolonRecords.forEach(data) { line, fields in
            if columns.isEmpty {
                let header = fields.enumerated().map { $0 == 0 && $1.hasPrefix("\u{FEFF}") ? String($1.dropFirst()) : $1 }
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
            guard let lon = Double(fields[columns[4]]), let lat = Double(fields[columns[5]]),
                  (-90...90).contains(lat), (-180...180).contains(lon) else {
                problem(line, "field \"lat\"/\"lon\": \"\(fields[columns[5]])\", \"\(fields[columns[4]])\" are not coordinates")
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

/// Reads `;`-separated records from UTF-8 bytes, with RFC 4180 quoting (quoted fields may hold `;`,
/// doubled quotes and line breaks). Empty lines are skipped.
enum SemicolonRecords {
    /// Calls `body` with each record's 1-based starting line and its fields, until it returns false.
    static func forEach(_ data: Data, _ body: (Int, [String]) -> Bool) {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            let n = bytes.count
            var fields: [String] = []
            var quoted: [UInt8] = []
            var line = 1
            var recordLine = 1
            var i = 0
            var start = 0
            var inQuotes = false
            var wasQuoted = false
            func field(_ end: Int) -> String {
                if wasQuoted { return String(decoding: quoted, as: UTF8.self) }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            }
            while i < n {
                let b = bytes[i]
                if inQuotes {
                    if b == 0x22 {
                        if i + 1 < n && bytes[i + 1] == 0x22 {
                            quoted.append(0x22)
                            i += 1
                        } else {
                            inQuotes = false
                        }
                    } else {
                        if b == 0x0A { line += 1 }
                        quoted.append(b)
                    }
                } else if b == 0x22 && i == start && !wasQuoted {
                    inQuotes = true
                    wasQuoted = true
                    quoted.removeAll(keepingCapacity: true)
                } else if b == 0x3B {
                    fields.append(field(i))
                    wasQuoted = false
                    start = i + 1
                } else if b == 0x0A || b == 0x0D {
                    let end = i
                    if b == 0x0D && i + 1 < n && bytes[i + 1] == 0x0A { i += 1 }
                    if !(fields.isEmpty && end == start && !wasQuoted) {
                        fields.append(field(end))
                        if !body(recordLine, fields) { return }
                    }
                    fields.removeAll(keepingCapacity: true)
                    wasQuoted = false
                    line += 1
                    recordLine = line
                    start = i + 1
                }
                i += 1
            }
            if start < n || !fields.isEmpty || wasQuoted {
                fields.append(field(n))
                _ = body(recordLine, fields)
            }
        }
    }
}
