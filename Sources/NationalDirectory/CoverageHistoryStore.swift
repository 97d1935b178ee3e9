import Directory
import Foundation
import PerformanceKit
import Storage

/// Who archived a coverage run.
public enum CoverageRunOrigin: String, Sendable, Codable {
    /// The national server, after each harvest that changed the places (once per harvest run).
    case service
    /// `spro coverage --archive`.
    case command = "commande"

    /// French label, for the history listing.
    public var label: String { self == .service ? "service" : "commande" }
}

/// One archived coverage run: when it was computed, for which harvest, over how many places, by whom.
public struct CoverageRun: Sendable, Equatable, Codable {
    public var id: Int
    public var harvestRun: Int
    public var computedAt: String
    public var places: Int
    /// SHA-256 of the report's JSON (its date left out): equal digests mean equal reports.
    public var digest: String
    public var origin: CoverageRunOrigin
    /// Whether the run kept its facts (runs archived before the history store have none: no causes).
    public var hasFacts: Bool
}

/// What a coverage run keeps of one place: enough to say, between two runs, that it appeared, went,
/// moved, or changed its hours or its structures.
public struct PlaceFact: Sendable, Hashable {
    public var region: RegionCode
    public var id: String
    public var name: String
    public var zone: ZoneEmploiCode?
    public var position: GeoPoint?
    /// Weekly opening hours as read from the place's hours; nil when it has none or they cannot be read.
    public var weeklyHours: Double?
    /// Ids (within `region`) of the structures receiving the public there.
    public var structureIds: [String]

    public init(region: RegionCode, id: String, name: String, zone: ZoneEmploiCode?, position: GeoPoint?, weeklyHours: Double?,
                structureIds: [String]) {
        self.region = region
        self.id = id
        self.name = name
        self.zone = zone
        self.position = position
        self.weeklyHours = weeklyHours
        self.structureIds = structureIds
    }

    /// `region/id`, as the gaps name places.
    public var key: String { region.rawValue + "/" + id }
    /// `key`'s order without joining it (region codes all have two characters): how facts are sorted, and two
    /// runs' facts walked side by side.
    public var order: (String, String) { (region.rawValue, id) }
}

/// What a coverage run keeps of one structure: its referencing state and end of validity.
public struct StructureFact: Sendable, Hashable {
    public var region: RegionCode
    public var id: String
    public var name: String
    public var network: Network
    public var state: ReferencingState
    /// End of validity (YYYY-MM-DD) of a referencing under a charter.
    public var validUntil: String?

    public init(region: RegionCode, id: String, name: String, network: Network, state: ReferencingState, validUntil: String?) {
        self.region = region
        self.id = id
        self.name = name
        self.network = network
        self.state = state
        self.validUntil = validUntil
    }

    public var key: String { region.rawValue + "/" + id }
    /// As `PlaceFact.order`.
    public var order: (String, String) { (region.rawValue, id) }
}

/// The places and structures a coverage run counted, kept with the run so that two runs can be explained:
/// which places and referencing decisions changed between them.
///
/// Stored as one text line per fact (tab-separated fields), each line once in `coverage_facts` however
/// many runs share it; a run stores the ids of its lines. A place or structure unchanged between runs
/// costs its run one id (about one byte, packed).
public struct CoverageFacts: Sendable, Equatable {
    /// By `key`.
    public var places: [PlaceFact]
    /// By `key`: the structures of `places`.
    public var structures: [StructureFact]

    public init(places: [PlaceFact], structures: [StructureFact]) {
        // Not on `key`: that joins strings for each comparison.
        self.places = places.sorted { $0.order < $1.order }
        self.structures = structures.sorted { $0.order < $1.order }
    }

    /// The facts of the places a coverage report counts (merged places: the record shown, with its structures);
    /// `weeklyHours`, when read already, are `WeeklyHours.of(places)`.
    public init(of places: [DirectoryPlace], weeklyHours: [Double?]? = nil) {
        let weekly = weeklyHours ?? WeeklyHours.of(places)
        var structures: [String: StructureFact] = [:]
        let facts = places.indices.map { i -> PlaceFact in
            let p = places[i], hours = weekly[i]
            for s in p.structures {
                let fact = StructureFact(region: p.region, id: s.id, name: s.name, network: s.network, state: s.referencing.state,
                                         validUntil: s.referencing.validUntil)
                structures[fact.key] = fact
            }
            return PlaceFact(region: p.region, id: p.place.id, name: p.place.name, zone: p.location.zone, position: p.location.position,
                             weeklyHours: hours, structureIds: p.structures.map(\.id))
        }
        self.init(places: facts, structures: Array(structures.values))
    }

    // MARK: - Lines

    /// Tabs and line breaks never reach a line's fields (names are for display); the unit separator
    /// joins a place's structure ids.
    static func clean(_ s: String) -> String {
        // Looked for in the bytes (all four are ASCII): walking characters was most of building the lines.
        s.utf8.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x1F })
            ? String(String.UnicodeScalarView(s.unicodeScalars.map { "\t\n\r\u{1F}".unicodeScalars.contains($0) ? " " : $0 })) : s
    }

    static func line(_ p: PlaceFact) -> String {
        ["P", p.region.rawValue, clean(p.id), p.zone?.rawValue ?? "", p.position.map { String($0.lat) } ?? "",
         p.position.map { String($0.lon) } ?? "", p.weeklyHours.map { String($0) } ?? "",
         p.structureIds.map(clean).joined(separator: "\u{1F}"), clean(p.name)].joined(separator: "\t")
    }

    static func line(_ s: StructureFact) -> String {
        ["S", s.region.rawValue, clean(s.id), s.network.rawValue, s.state.rawValue, s.validUntil ?? "", clean(s.name)]
            .joined(separator: "\t")
    }

    /// Every fact as its stored line: places, then structures (made on every core).
    var lines: [String] {
        let places = try! self.places.inParallelChunks { $0.map(Self.line) }.flatMap { $0 }  // cannot throw
        return places + structures.map(Self.line)
    }

    /// Reads lines written by `lines`; a line this build cannot read (a vocabulary value it does not know) throws.
    init(lines: [String]) throws {
        // Lines parsed on every core; fields split on the bytes (tabs are ASCII), not on characters.
        let parsed = try lines.inParallelChunks { slice -> (places: [PlaceFact], structures: [StructureFact]) in
            var places: [PlaceFact] = [], structures: [StructureFact] = []
            for line in slice {
                let f = line.utf8.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).map { String(Substring($0)) }
                switch f.first {
                case "P" where f.count == 9:
                    let position: GeoPoint? = Double(f[4]).flatMap { lat in Double(f[5]).map { GeoPoint(lat: lat, lon: $0) } }
                    places.append(PlaceFact(region: RegionCode(unchecked: f[1]), id: f[2], name: f[8],
                                            zone: f[3].isEmpty ? nil : ZoneEmploiCode(unchecked: f[3]), position: position,
                                            weeklyHours: Double(f[6]),
                                            structureIds: f[7].isEmpty ? [] : f[7].split(separator: "\u{1F}").map(String.init)))
                case "S" where f.count == 7:
                    guard let network = Network(rawValue: f[3]), let state = ReferencingState(rawValue: f[4]) else {
                        throw StoredValueUnreadable(table: "coverage_facts", id: f[2], column: "network/state", value: f[3] + "/" + f[4])
                    }
                    structures.append(StructureFact(region: RegionCode(unchecked: f[1]), id: f[2], name: f[6], network: network,
                                                    state: state, validUntil: f[5].isEmpty ? nil : f[5]))
                default:
                    throw StoredValueUnreadable(table: "coverage_facts", id: String(line.prefix(40)), column: "line", value: String(line.prefix(80)))
                }
            }
            return (places, structures)
        }
        self.init(places: parsed.flatMap(\.places), structures: parsed.flatMap(\.structures))
    }
}

/// A run's fact ids, sorted and packed as unsigned LEB128 deltas: consecutive ids (the usual case, facts
/// being added in key order) take one byte each.
enum FactIds {
    static func pack(_ ids: [Int64]) -> Data {
        var out = Data()
        out.reserveCapacity(ids.count + 16)
        var previous: Int64 = 0
        for id in ids.sorted() {
            var delta = UInt64(id - previous)
            previous = id
            repeat {
                let byte = UInt8(delta & 0x7F)
                delta >>= 7
                out.append(delta == 0 ? byte : byte | 0x80)
            } while delta != 0
        }
        return out
    }

    static func unpack(_ data: Data) -> [Int64] {
        var out: [Int64] = []
        var previous: Int64 = 0, value: UInt64 = 0, shift: UInt64 = 0
        for byte in data {
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                previous += Int64(value)
                out.append(previous)
                value = 0
                shift = 0
            } else {
                shift += 7
            }
        }
        return out
    }
}

extension NationalStore {
    /// Archives a coverage run: the report (JSON text and digest; a report equal to one archived is stored
    /// once) and, when given, the facts of the places and structures it counted. The service archives once per
    /// harvest run (a second call for the same run, from another serving process, keeps the first and returns
    /// false); a command archives every time. Returns the new run's id, or nil when nothing was added.
    @discardableResult
    public func archiveCoverage(harvestRun: Int, computedAt: Date, places: Int, reportJSON: String, digest: String,
                                origin: CoverageRunOrigin = .service, facts: CoverageFacts? = nil) throws -> Int? {
        try db.transaction {
            if origin == .service, try hasCoverage(harvestRun: harvestRun) { return nil }
            try db.run("INSERT OR IGNORE INTO coverage_reports (digest, json) VALUES (?, ?)", digest, reportJSON)
            let packed = try facts.map { try FactIds.pack(storeFacts($0.lines)) }
            guard try db.run("INSERT OR IGNORE INTO coverage_runs (harvest_run, computed_at, places, digest, origin, facts) VALUES (?, ?, ?, ?, ?, ?)",
                             harvestRun, ISOInstant.string(computedAt), places, digest, origin.rawValue, packed) > 0 else { return nil }
            return try db.queryFirst("SELECT last_insert_rowid()") { $0.int(0) }
        }
    }

    /// The ids of `lines` in `coverage_facts`, each line added if new. The lines of the latest run that kept
    /// facts are looked up in memory first: from one run to the next most lines are the same.
    private func storeFacts(_ lines: [String]) throws -> [Int64] {
        var known: [String: Int64] = [:]
        if let packed = try db.queryFirst("SELECT facts FROM coverage_runs WHERE facts IS NOT NULL ORDER BY id DESC LIMIT 1",
                                          map: { $0.data(0) }) {
            let stored = try factLines(FactIds.unpack(packed))
            known.reserveCapacity(stored.count)
            for (id, line) in stored { known[line] = id }
        }
        var ids: [Int64] = []
        ids.reserveCapacity(lines.count)
        for line in lines {
            if let id = known[line] {
                ids.append(id)
                continue
            }
            // Statements prepared once (the database caches them by text).
            if try db.run("INSERT OR IGNORE INTO coverage_facts (line) VALUES (?)", line) > 0 {
                ids.append(Int64(try db.queryFirst("SELECT last_insert_rowid()") { $0.int(0) } ?? 0))
            } else if let id = try db.queryFirst("SELECT id FROM coverage_facts WHERE line = ?", line, map: { $0.int(0) }) {
                ids.append(Int64(id))
            }
        }
        return ids
    }

    /// Whether the service archived the coverage of `harvestRun` already (this process or another serving one).
    public func hasCoverage(harvestRun: Int) throws -> Bool {
        try db.queryFirst("SELECT 1 FROM coverage_runs WHERE harvest_run = ? AND origin = 'service'", harvestRun) { $0.int(0) } != nil
    }

    /// Every archived coverage run, oldest first.
    public func coverageRuns() throws -> [CoverageRun] {
        try db.query("SELECT id, harvest_run, computed_at, places, digest, origin, facts IS NOT NULL FROM coverage_runs ORDER BY id") {
            CoverageRun(id: $0.int(0), harvestRun: $0.int(1), computedAt: $0.string(2), places: $0.int(3), digest: $0.string(4),
                        origin: CoverageRunOrigin(rawValue: $0.string(5)) ?? .service, hasFacts: $0.int(6) != 0)
        }
    }

    /// The JSON text of an archived coverage run's report.
    public func coverageReportJSON(run id: Int) throws -> String? {
        try db.queryFirst("SELECT r.json FROM coverage_runs c JOIN coverage_reports r ON r.digest = c.digest WHERE c.id = ?", id) {
            $0.string(0)
        }
    }

    /// The facts an archived run kept, or nil when it kept none (archived before the history store).
    public func coverageFacts(run id: Int) throws -> CoverageFacts? {
        try db.read {
            guard let packed = try db.queryFirst("SELECT facts FROM coverage_runs WHERE id = ? AND facts IS NOT NULL", id, map: { $0.data(0) })
            else { return nil }
            return try CoverageFacts(lines: factLines(FactIds.unpack(packed)).map(\.line))
        }
    }

    /// The stored lines of sorted fact `ids`, with their ids: one range query per stretch of consecutive ids
    /// (a run's ids are mostly consecutive) instead of one query per line.
    func factLines(_ ids: [Int64]) throws -> [(id: Int64, line: String)] {
        var out: [(id: Int64, line: String)] = []
        out.reserveCapacity(ids.count)
        var i = 0
        while i < ids.count {
            var j = i
            while j + 1 < ids.count, ids[j + 1] == ids[j] + 1 { j += 1 }
            out += try db.query("SELECT id, line FROM coverage_facts WHERE id BETWEEN ? AND ? ORDER BY id", ids[i], ids[j]) {
                (Int64($0.int(0)), $0.string(1))
            }
            i = j + 1
        }
        return out
    }

    /// Bytes the coverage history takes in the file: reports, fact lines, and the runs' packed ids
    /// (SQLite's `dbstat` is not always compiled in: the contents' own lengths).
    public func coverageHistoryBytes() throws -> (reports: Int, facts: Int, runs: Int) {
        try db.read {
            (try db.queryFirst("SELECT coalesce(sum(length(json)), 0) FROM coverage_reports") { $0.int(0) } ?? 0,
             try db.queryFirst("SELECT coalesce(sum(length(line)), 0) FROM coverage_facts") { $0.int(0) } ?? 0,
             try db.queryFirst("SELECT coalesce(sum(length(facts)), 0) FROM coverage_runs") { $0.int(0) } ?? 0)
        }
    }

    /// The id of the latest recorded harvest run (0 before any).
    public func latestHarvestRun() throws -> Int {
        try db.queryFirst("SELECT coalesce(max(id), 0) FROM harvest_runs") { $0.int(0) } ?? 0
    }
}
