import Directory
import Foundation

/// A town hall (mairie) from the DILA annuaire: real address, position and opening hours.
public struct TownHall: Sendable, Hashable {
    public let commune: CommuneCode
    /// Street lines (the file joins them with " / ").
    public let addressLines: [String]
    public let postcode: Postcode
    public let city: String
    public let position: GeoPoint
    /// Weekly opening slots.
    public let hours: [WeeklySlot]
}

/// Opening slots over a range of weekdays, as the annuaire gives them.
public struct WeeklySlot: Sendable, Hashable {
    /// 1 = Monday ... 7 = Sunday.
    public let firstDay: Int
    public let lastDay: Int
    /// "HH:MM" pairs.
    public let ranges: [(open: String, close: String)]

    public static func == (a: WeeklySlot, b: WeeklySlot) -> Bool {
        a.firstDay == b.firstDay && a.lastDay == b.lastDay
            && a.ranges.map { $0.open + $0.close } == b.ranges.map { $0.open + $0.close }
    }

    public func hash(into h: inout Hasher) {
        h.combine(firstDay)
        h.combine(lastDay)
        for r in ranges { h.combine(r.open); h.combine(r.close) }
    }
}

extension TownHall {
    static let dayNumbers = ["lundi": 1, "mardi": 2, "mercredi": 3, "jeudi": 4, "vendredi": 5, "samedi": 6, "dimanche": 7]
    static let osmDays = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]

    /// Opening hours in OSM `opening_hours` syntax, e.g. "Tu 09:00-12:00,14:00-17:00; Fr 09:00-12:00", or nil if none.
    public var osmOpeningHours: String? {
        let rules = hours.filter { !$0.ranges.isEmpty }.map { slot -> String in
            let days = slot.firstDay == slot.lastDay ? Self.osmDays[slot.firstDay - 1]
                : Self.osmDays[slot.firstDay - 1] + "-" + Self.osmDays[slot.lastDay - 1]
            return days + " " + slot.ranges.map { "\($0.open)-\($0.close)" }.joined(separator: ",")
        }
        return rules.isEmpty ? nil : rules.joined(separator: "; ")
    }

    /// Loads `mairies.csv` from the pack directory. Rows with unusable hours keep an empty schedule.
    public static func load(from directory: URL) throws(ReferenceError) -> [TownHall] {
        let t = try CSVTable(contentsOf: directory.appendingPathComponent("mairies.csv"))
        let c = (code: try t.column("code_insee"), adr: try t.column("adresse"), cp: try t.column("code_postal"),
                 ville: try t.column("ville"), lat: try t.column("lat"), lon: try t.column("lon"), h: try t.column("horaires_json"))
        var out: [TownHall] = []
        out.reserveCapacity(t.rows.count)
        for r in t.rows {
            let f = r.fields
            guard let code = try? CommuneCode(f[c.code]) else {
                throw ReferenceError(file: t.file, line: r.line, field: "code_insee", problem: "\"\(f[c.code])\" is not a commune code")
            }
            guard let cp = try? Postcode(f[c.cp]) else {
                throw ReferenceError(file: t.file, line: r.line, field: "code_postal", problem: "\"\(f[c.cp])\" is not a postcode")
            }
            guard let lat = Double(f[c.lat]), let lon = Double(f[c.lon]) else {
                throw ReferenceError(file: t.file, line: r.line, field: "lat", problem: "position is not numeric")
            }
            out.append(TownHall(
                commune: code,
                addressLines: repairingC1Controls(f[c.adr]).components(separatedBy: " / ").filter { !$0.isEmpty },
                postcode: cp, city: repairingC1Controls(f[c.ville]), position: GeoPoint(lat: lat, lon: lon),
                hours: parseHours(f[c.h])))
        }
        return out
    }

    /// The Windows-1252 characters that text decoded as Latin-1 leaves as C1 control characters (U+0080 to
    /// U+009F): `mairies.csv` has "Cricqueb\u{9C}uf" for Cricquebœuf and "rue des S\u{9C}urs". Repaired
    /// here, so that no control character reaches an address (the nodes refuse them at entry); one with no
    /// Windows-1252 meaning is dropped.
    static func repairingC1Controls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { (0x80...0x9F).contains($0.value) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard (0x80...0x9F).contains(scalar.value) else { out.append(scalar); continue }
            if let repaired = windows1252[scalar.value] { out.append(repaired) }
        }
        return String(out)
    }

    /// Windows-1252's characters at 0x80–0x9F, by code.
    static let windows1252: [UInt32: Unicode.Scalar] = [
        0x80: "€", 0x82: "‚", 0x83: "ƒ", 0x84: "„", 0x85: "…", 0x86: "†", 0x87: "‡", 0x88: "ˆ", 0x89: "‰", 0x8A: "Š", 0x8B: "‹",
        0x8C: "Œ", 0x8E: "Ž", 0x91: "‘", 0x92: "’", 0x93: "“", 0x94: "”", 0x95: "•", 0x96: "–", 0x97: "—", 0x98: "˜", 0x99: "™",
        0x9A: "š", 0x9B: "›", 0x9C: "œ", 0x9E: "ž", 0x9F: "Ÿ",
    ]

    /// Parses `[["mardi","vendredi",[["09:00:00","12:00:00"]]],...]`.
    static func parseHours(_ json: String) -> [WeeklySlot] {
        guard !json.isEmpty, let data = json.data(using: .utf8),
              let array = try? JSONSerialization.jsonObject(with: data) as? [[Any]] else { return [] }
        var slots: [WeeklySlot] = []
        for entry in array where entry.count == 3 {
            guard let d1 = entry[0] as? String, let d2 = entry[1] as? String,
                  let n1 = dayNumbers[d1.lowercased()], let n2 = dayNumbers[d2.lowercased()], n1 <= n2,
                  let ranges = entry[2] as? [[String]] else { continue }
            let rs = ranges.compactMap { r -> (String, String)? in
                guard r.count == 2 else { return nil }
                let o = String(r[0].prefix(5)), cl = String(r[1].prefix(5))
                return o < cl ? (o, cl) : nil
            }
            slots.append(WeeklySlot(firstDay: n1, lastDay: n2, ranges: rs.map { (open: $0.0, close: $0.1) }))
        }
        return slots
    }
}
