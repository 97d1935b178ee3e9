import AddressText
import Directory
import Foundation
import Storage

/// Street-level geocoding over BAN extracts (Base Adresse Nationale, `adresses-XX.csv` per
/// département), indexed in a SQLite file with an FTS5 table of street names.
///
/// A street line is matched inside its INSEE commune (all arrondissements for Paris, Lyon and
/// Marseille when only the commune is known): first by its exact key, normalised as the geocoder
/// normalises addresses (types spelled out, SAINT unified, accents folded); failing that, FTS5 finds the
/// commune's streets sharing a 3-letter prefix with one of its significant words (all the commune's
/// streets when none is close enough), and the most similar name (`NameSimilarity`, at least 0.8) is
/// taken, so a typo still finds its street. The house number is
/// then looked up with its suffix ("12 BIS" = "12 B").
///
/// Loading a file is one transaction; loading it again is skipped when its size and content fingerprint
/// are already indexed, and a new version of a file replaces the old one's streets.
///
/// The geocoder calls `locate` synchronously from any task, and one SQLite connection may serve one
/// thread at a time, so the connection sits behind a lock: the only shared state, held for the
/// duration of a query (tens of microseconds).
public final class BANIndex: StreetLocator, @unchecked Sendable {
    /// The SQLite file.
    public let path: String
    private let database: Database
    private let lock = NSLock()
    private var failure: String?

    /// Minimum name similarity for a street found despite differences (typos, missing words).
    public static let streetThreshold = 0.8
    /// Candidate streets compared per lookup, best FTS5 rank first.
    static let candidateLimit = 200

    /// What loading one file did.
    public struct LoadSummary: Sendable, Hashable, CustomStringConvertible {
        /// What was done with the file.
        public enum Status: String, Sendable, Hashable {
            /// New file, indexed.
            case loaded
            /// Same size and fingerprint as a file already indexed: nothing done.
            case unchanged
            /// A file of this name was indexed with other content: its streets were replaced.
            case replaced
        }
        /// The file's name.
        public let file: String
        public let status: Status
        /// Data rows read (0 when unchanged).
        public let rows: Int
        /// Streets and house numbers indexed from the file.
        public let streets: Int
        public let numbers: Int
        /// Rows not indexed, with the first few reasons (file:line: field: problem).
        public let skipped: Int
        public let problems: [String]

        public var description: String {
            switch status {
            case .unchanged:
                return "\(file): unchanged, already indexed (\(streets) streets, \(numbers) numbers)"
            case .loaded, .replaced:
                return "\(file): \(status.rawValue), \(rows) rows, \(streets) streets, \(numbers) house numbers"
                    + (skipped > 0 ? ", \(skipped) rows skipped" : "")
            }
        }
    }

    static let migrations = [
        """
        CREATE TABLE ban_file (
            name TEXT PRIMARY KEY,
            bytes INTEGER NOT NULL,
            fingerprint TEXT NOT NULL,
            rows INTEGER NOT NULL,
            streets INTEGER NOT NULL,
            numbers INTEGER NOT NULL,
            loaded_at TEXT NOT NULL
        );
        CREATE TABLE ban_street (
            id INTEGER PRIMARY KEY,
            file TEXT NOT NULL,
            commune TEXT NOT NULL,
            key TEXT NOT NULL,
            label TEXT NOT NULL,
            lat REAL NOT NULL,
            lon REAL NOT NULL
        );
        CREATE INDEX ban_street_by_key ON ban_street(commune, key);
        CREATE INDEX ban_street_by_file ON ban_street(file);
        CREATE TABLE ban_number (
            street INTEGER NOT NULL,
            number INTEGER NOT NULL,
            suffix TEXT NOT NULL,
            lat REAL NOT NULL,
            lon REAL NOT NULL,
            PRIMARY KEY (street, number, suffix)
        ) WITHOUT ROWID;
        -- rowid = ban_street.id; the commune is a column so that MATCH can restrict to it.
        CREATE VIRTUAL TABLE ban_street_fts USING fts5(key, commune, prefix = '3');
        """,
    ]

    /// Opens the index at `path`, creating it if needed.
    public init(path: String) throws(BANError) {
        self.path = path
        do {
            database = try Database(path: path)
            let fts5 = try database.queryFirst("SELECT sqlite_compileoption_used('ENABLE_FTS5')") { $0.int(0) } ?? 0
            guard fts5 == 1 else {
                throw BANError.index(path: path, problem: "this SQLite is built without FTS5, which the BAN index needs; "
                                     + "install a system SQLite with FTS5 (Debian's libsqlite3 has it)")
            }
            try database.migrate(Self.migrations)
        } catch {
            throw Self.indexError(error, path: path)
        }
    }

    /// Opens the index for a `--ban` argument and loads what it names:
    /// - a directory: every `adresses-*.csv` in it, indexed in `DIR/ban.sqlite`;
    /// - a `.csv` file: that file, indexed in `ban.sqlite` beside it;
    /// - a `.sqlite` file: an index built before, used as it is.
    /// `index` puts the SQLite file elsewhere (the data directory may be read-only).
    public static func open(_ source: URL, index: URL? = nil) throws(BANError) -> (BANIndex, [LoadSummary]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source.path, isDirectory: &isDirectory) else {
            throw .unreadable(path: source.path, reason: "no such file or directory")
        }
        if !isDirectory.boolValue && source.pathExtension == "sqlite" {
            return (try BANIndex(path: (index ?? source).path), [])
        }
        let files: [URL]
        if isDirectory.boolValue {
            files = try csvFiles(in: source)
        } else {
            if source.pathExtension == "gz" { throw .compressed(file: source.path) }
            files = [source]
        }
        let indexURL = index ?? (isDirectory.boolValue ? source : source.deletingLastPathComponent())
            .appendingPathComponent("ban.sqlite")
        let ban = try BANIndex(path: indexURL.path)
        var summaries: [LoadSummary] = []
        for file in files { summaries.append(try ban.load(file)) }
        return (ban, summaries)
    }

    /// The `adresses-*.csv` files of a directory, sorted.
    static func csvFiles(in directory: URL) throws(BANError) -> [URL] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw .unreadable(path: directory.path, reason: error.localizedDescription)
        }
        let csv = names.filter { $0.hasPrefix("adresses-") && $0.hasSuffix(".csv") }.sorted()
        if csv.isEmpty {
            if let gz = names.first(where: { $0.hasPrefix("adresses-") && $0.hasSuffix(".csv.gz") }) {
                throw .compressed(file: directory.appendingPathComponent(gz).path)
            }
            throw .noFiles(directory: directory.path)
        }
        return csv.map { directory.appendingPathComponent($0) }
    }

    // MARK: - Loading

    /// Indexes one BAN file, in one transaction. Skipped when the same content is already indexed.
    public func load(_ file: URL) throws(BANError) -> LoadSummary {
        if file.pathExtension == "gz" { throw .compressed(file: file.path) }
        let data: Data
        do {
            data = try Data(contentsOf: file, options: .mappedIfSafe)
        } catch {
            throw .unreadable(path: file.path, reason: error.localizedDescription)
        }
        let name = file.lastPathComponent
        let fingerprint = Self.fingerprint(data)
        lock.lock()
        defer { lock.unlock() }
        do {
            if let known = try database.queryFirst(
                "SELECT name, streets, numbers FROM ban_file WHERE bytes = ? AND fingerprint = ?", data.count, fingerprint,
                map: { ($0.string(0), $0.int(1), $0.int(2)) }) {
                return LoadSummary(file: known.0 == name ? name : "\(name) (as \(known.0))", status: .unchanged,
                                   rows: 0, streets: known.1, numbers: known.2, skipped: 0, problems: [])
            }
            let parsed = try BANFile.parse(data, file: file.path)
            return try database.transaction { () throws -> LoadSummary in
                let replaced = try database.queryFirst("SELECT 1 FROM ban_file WHERE name = ?", name) { _ in true } ?? false
                if replaced { try delete(file: name) }
                let numbers = try insert(parsed, file: name)
                try database.run("""
                    INSERT INTO ban_file (name, bytes, fingerprint, rows, streets, numbers, loaded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, name, data.count, fingerprint, parsed.rows, parsed.streets.count, numbers,
                    ISO8601DateFormatter().string(from: Date()))
                return LoadSummary(file: name, status: replaced ? .replaced : .loaded, rows: parsed.rows,
                                   streets: parsed.streets.count, numbers: numbers, skipped: parsed.skipped,
                                   problems: parsed.problems)
            }
        } catch {
            throw Self.indexError(error, path: path)
        }
    }

    private func delete(file name: String) throws {
        try database.run("DELETE FROM ban_number WHERE street IN (SELECT id FROM ban_street WHERE file = ?)", name)
        try database.run("DELETE FROM ban_street_fts WHERE rowid IN (SELECT id FROM ban_street WHERE file = ?)", name)
        try database.run("DELETE FROM ban_street WHERE file = ?", name)
        try database.run("DELETE FROM ban_file WHERE name = ?", name)
    }

    /// Inserts the streets, their FTS entries and their numbers; returns the number of house numbers.
    private func insert(_ parsed: BANFile, file name: String) throws -> Int {
        let street = try database.prepare(
            "INSERT INTO ban_street (file, commune, key, label, lat, lon) VALUES (?, ?, ?, ?, ?, ?)")
        let fts = try database.prepare("INSERT INTO ban_street_fts (rowid, key, commune) VALUES (?, ?, ?)")
        // A number listed twice on a street is stored once; `run` returns the rows actually inserted.
        let number = "INSERT OR IGNORE INTO ban_number (street, number, suffix, lat, lon) VALUES (?, ?, ?, ?, ?)"
        var numbers = 0
        for s in parsed.streets {
            let point = Self.representativePoint(s.points)
            try street.run(name, s.commune, s.key, s.label, point.lat, point.lon)
            let id = database.lastInsertRowID
            try fts.run(id, s.key, s.commune)
            for p in s.points {
                guard let n = p.number else { continue }
                numbers += try database.run(number, id, n, p.suffix, p.lat, p.lon)
            }
        }
        return numbers
    }

    /// A point of the street: the address nearest the centroid of its addresses, so that the point lies
    /// on the street even when it curves (the centroid of a bent street may fall between its branches).
    static func representativePoint(_ points: [BANFile.Point]) -> GeoPoint {
        let n = Double(points.count)
        let lat = points.reduce(0) { $0 + $1.lat } / n
        let lon = points.reduce(0) { $0 + $1.lon } / n
        let scale = cos(lat * .pi / 180)
        let nearest = points.min { a, b in
            let da = (a.lat - lat) * (a.lat - lat) + (a.lon - lon) * (a.lon - lon) * scale * scale
            let db = (b.lat - lat) * (b.lat - lat) + (b.lon - lon) * (b.lon - lon) * scale * scale
            return da < db
        }!
        return GeoPoint(lat: nearest.lat, lon: nearest.lon)
    }

    /// FNV-1a (64 bits) of the content, with the size: enough to recognise a file already loaded.
    static func fingerprint(_ data: Data) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        data.withUnsafeBytes { raw in
            for b in raw {
                h ^= UInt64(b)
                h &*= 0x0000_0100_0000_01b3
            }
        }
        return String(h, radix: 16)
    }

    // MARK: - Lookup

    /// The SQLite error of the last failed lookup, if any: the `StreetLocator` protocol cannot throw, so
    /// a lookup that fails answers nil and leaves its error here for the caller to report.
    public var lastError: String? {
        lock.lock()
        defer { lock.unlock() }
        return failure
    }

    /// Files, streets and house numbers indexed.
    public func counts() throws(BANError) -> (files: Int, streets: Int, numbers: Int) {
        lock.lock()
        defer { lock.unlock() }
        do {
            return try database.queryFirst(
                "SELECT count(*), coalesce(sum(streets), 0), coalesce(sum(numbers), 0) FROM ban_file") {
                ($0.int(0), $0.int(1), $0.int(2))
            } ?? (0, 0, 0)
        } catch {
            throw Self.indexError(error, path: path)
        }
    }

    /// The indexed files with their fingerprints ("adresses-29.csv:1a2b..."), or a note of the failure
    /// to read them (then every harvest geocodes again, which is slow but right).
    public var dataVersion: String {
        lock.lock()
        defer { lock.unlock() }
        do {
            return "BAN " + (try database.query("SELECT name, bytes, fingerprint FROM ban_file ORDER BY name") {
                "\($0.string(0)):\($0.int(1)):\($0.string(2))"
            }).joined(separator: ",")
        } catch {
            failure = "\(error)"
            return "BAN unreadable \(UUID().uuidString)"
        }
    }

    /// Whether any BAN street of `commune` (or of its arrondissements) is indexed.
    public func covers(_ commune: CommuneCode) -> Bool {
        let codes = Self.searchedCommunes(commune)
        lock.lock()
        defer { lock.unlock() }
        do {
            for code in codes where try database.queryFirst(
                "SELECT 1 FROM ban_street WHERE commune = ? LIMIT 1", code, map: { _ in true }) != nil {
                return true
            }
        } catch {
            failure = "\(error)"
        }
        return false
    }

    /// The position of `line` in `commune`: `.housenumber`, `.street`, or nil when no street of the
    /// commune is named closely enough (or the lookup failed: see `lastError`).
    public func locate(_ line: StreetLine, in commune: CommuneCode) -> StreetMatch? {
        let codes = Self.searchedCommunes(commune)
        lock.lock()
        defer { lock.unlock() }
        do {
            return try match(line, communes: codes)
        } catch {
            failure = "\(error)"
            return nil
        }
    }

    /// A street of the index compared with the query.
    private struct Candidate {
        let id: Int
        let key: String
        let label: String
        let position: GeoPoint
        let similarity: Double
    }

    private func match(_ line: StreetLine, communes: [String]) throws -> StreetMatch? {
        var candidates: [Candidate] = []
        for code in communes {
            candidates += try database.query(
                "SELECT id, key, label, lat, lon FROM ban_street WHERE commune = ? AND key = ? ORDER BY id", code, line.street) {
                Candidate(id: $0.int(0), key: $0.string(1), label: $0.string(2),
                          position: GeoPoint(lat: $0.double(3), lon: $0.double(4)), similarity: 1)
            }
        }
        if candidates.isEmpty {
            candidates = try similarStreets(line.street, communes: communes)
        }
        guard let best = candidates.first else { return nil }
        var notes: [String] = []
        if best.similarity < 1 {
            notes.append("street \"\(line.street)\" read as \"\(best.label)\" (BAN)")
        }
        // A commune nouvelle may have one street of the name per former commune: the house number tells
        // them apart when only one has it; otherwise the first is used, said, and scored x 0.9.
        let named = candidates.filter { $0.key == best.key }
        func ambiguity(_ count: Int, _ what: String) -> Double {
            guard count > 1 else { return 1 }
            notes.append("\(count) streets \"\(best.label)\" in the commune\(what); the first one used")
            return 0.9
        }
        if let wanted = line.houseNumber {
            let suffix = wanted.suffix ?? ""
            var exact: [(Candidate, GeoPoint)] = []
            var other: [(Candidate, String, GeoPoint)] = []
            for c in named {
                let found = try database.query(
                    "SELECT suffix, lat, lon FROM ban_number WHERE street = ? AND number = ? ORDER BY suffix", c.id, wanted.number) {
                    ($0.string(0), GeoPoint(lat: $0.double(1), lon: $0.double(2)))
                }
                if let hit = found.first(where: { $0.0 == suffix }) {
                    exact.append((c, hit.1))
                } else if let near = found.first {
                    other.append((c, near.0, near.1))
                }
            }
            if let (c, position) = exact.first {
                let factor = ambiguity(exact.count, " have a number \(wanted)")
                return StreetMatch(position: position, precision: .housenumber, score: c.similarity * factor,
                                   note: Self.joined(notes), label: c.label)
            }
            if let (c, near, position) = other.first {
                let used = near.isEmpty ? "\(wanted.number)" : "\(wanted.number) \(near)"
                notes.append("house number \(wanted) not in the BAN for \"\(c.label)\"; \(used) used")
                let factor = ambiguity(other.count, " have a number \(used)")
                return StreetMatch(position: position, precision: .housenumber, score: c.similarity * factor * 0.95,
                                   note: Self.joined(notes), label: c.label)
            }
            notes.append("house number \(wanted) not in the BAN for \"\(best.label)\"; street position used")
        }
        let factor = ambiguity(named.count, "")
        return StreetMatch(position: best.position, precision: .street, score: best.similarity * factor * 0.9,
                           note: Self.joined(notes), label: best.label)
    }

    /// Streets of the communes whose names are similar enough to `key`, best first; empty when none is,
    /// or when two different names are equally close (a partial name such as "RUE JEAN").
    ///
    /// FTS5 proposes the candidates sharing a word prefix; when none of them is close enough (a typo in
    /// the first three letters: "RUE DU PRAC"), every street of the commune is compared, a few thousand
    /// names at most, only for addresses that would otherwise stay at commune level.
    private func similarStreets(_ key: String, communes: [String]) throws -> [Candidate] {
        let query = NameKey(key)
        if let expression = Self.ftsQuery(key, communes: communes) {
            let found = try scored(query, database.query("""
                SELECT s.id, s.key, s.label, s.lat, s.lon FROM ban_street_fts f JOIN ban_street s ON s.id = f.rowid
                WHERE ban_street_fts MATCH ? ORDER BY f.rank LIMIT \(Self.candidateLimit)
                """, expression, map: Self.candidate))
            if !found.isEmpty { return found }
        }
        var all: [Candidate] = []
        for code in communes {
            all += try database.query("SELECT id, key, label, lat, lon FROM ban_street WHERE commune = ?", code, map: Self.candidate)
        }
        return scored(query, all)
    }

    private static func candidate(_ row: Row) -> Candidate {
        Candidate(id: row.int(0), key: row.string(1), label: row.string(2),
                  position: GeoPoint(lat: row.double(3), lon: row.double(4)), similarity: 0)
    }

    /// The streets at least `streetThreshold` similar to `query`, best first, or none when the best is tied
    /// with another name.
    private func scored(_ query: NameKey, _ streets: [Candidate]) -> [Candidate] {
        var scored: [Candidate] = []
        for c in streets {
            let s = NameSimilarity.similarity(query, NameKey(c.key), atLeast: Self.streetThreshold, containment: .strict)
            if s >= Self.streetThreshold {
                scored.append(Candidate(id: c.id, key: c.key, label: c.label, position: c.position, similarity: s))
            }
        }
        scored.sort { ($0.similarity, -$0.id) > ($1.similarity, -$1.id) }
        guard let best = scored.first else { return [] }
        if scored.contains(where: { $0.key != best.key && best.similarity - $0.similarity < 0.005 }) { return [] }
        return scored
    }

    /// The FTS5 expression for a street key inside some communes: a 3-character prefix of each word that
    /// names the street (not articles, not the street type in first position: "RUE DU PORT" is searched
    /// by PORT), so that a typo past the third letter still finds it. Nil when no such word is left
    /// ("RUE"), then only the exact key can match.
    static func ftsQuery(_ key: String, communes: [String]) -> String? {
        var prefixes: [String] = []
        for (i, word) in key.split(separator: " ").enumerated() {
            if NameSimilarity.minorWords.contains(String(word)) { continue }
            if i == 0, StreetVocabulary.spelledStreetTypes.contains(word) { continue }
            let prefix = "\"\(word.prefix(3))\"*"
            if !prefixes.contains(prefix) { prefixes.append(prefix) }
        }
        guard !prefixes.isEmpty, !communes.isEmpty else { return nil }
        let places = communes.map { "\"\($0)\"" }.joined(separator: " OR ")
        return "commune : (\(places)) AND key : (\(prefixes.joined(separator: " OR ")))"
    }

    /// The BAN files Paris, Lyon and Marseille addresses under their arrondissements: a commune-level
    /// answer for one of them is looked up in all its arrondissements.
    static func searchedCommunes(_ commune: CommuneCode) -> [String] {
        switch commune.rawValue {
        case "75056": return (1...20).map { String(75100 + $0) }
        case "69123": return (1...9).map { String(69380 + $0) }
        case "13055": return (1...16).map { String(13200 + $0) }
        default: return [commune.rawValue]
        }
    }

    /// An error thrown while using the database, as a `BANError`.
    static func indexError(_ error: any Error, path: String) -> BANError {
        error as? BANError ?? .index(path: path, problem: "\(error)")
    }

    private static func joined(_ notes: [String]) -> String? {
        notes.isEmpty ? nil : notes.joined(separator: "; ")
    }
}
