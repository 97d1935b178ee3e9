import Directory
import Foundation
import PerformanceKit
import Storage

/// A stored value the coverage reading could not turn into the domain's type (a vocabulary value this
/// build does not know): names the table, the record and the column.
public struct StoredValueUnreadable: Error, CustomStringConvertible {
    public var table: String
    public var id: String
    public var column: String
    public var value: String

    public var description: String {
        "annuaire national : valeur « \(value) » illisible dans \(table) (\(id)), champ \(column)"
    }
}

extension NationalStore {
    /// Every place of the national directory as coverage reads it, merged as `directoryPlaces()` merges them.
    ///
    /// Reading whole records (JSON decoded into `Place` and `Structure`) was about 40 % of `spro coverage` at
    /// 80,000 places, and extracting their fields from the JSON in SQLite (`->>`, `json_each`) still most of
    /// the reading. This reads only columns for the places (the harvest writes the fields coverage and the
    /// national merge look at beside each record, migration 9), and, from the structures' JSON, three fields:
    /// - places: id, name, kind, structures (in their order), address (lines, postcode, city, commune code),
    ///   opening hours, publics, services, last confirmation day, and the location and sources;
    /// - structures: id, SIRET, name, network, basis, referencing state, and from the JSON the since and
    ///   valid-until days and the charter version.
    ///
    /// The other fields (contacts, reception modes, languages, accessibility, given coordinates, a
    /// structure's website and designation...) are left empty: these values are for coverage only, never
    /// for a page or an export. `CoverageReadingTests` holds the report computed from them equal to the
    /// report computed from `directoryPlaces()`.
    ///
    /// The Régions are read in two halves at the same time, the second on a read-only connection of its own;
    /// both halves must come from the same committed state (the Régions' snapshots are compared), else the
    /// read is tried again, and after three tries (a harvest committing each time) read on one connection.
    public func coveragePlaces() throws -> [DirectoryPlace] {
        let counts = try db.query("SELECT region, count(*) FROM places GROUP BY region ORDER BY region") { ($0.string(0), $0.int(1)) }
        if counts.count > 1, ProcessInfo.processInfo.activeProcessorCount > 1, !BackgroundExecutor.isCurrentThread,
           let other = try? Database(path: path, readOnly: true) {
            // Two runs of Régions in code order holding about half of the places each.
            let total = counts.reduce(0) { $0 + $1.1 }
            var cut = 1, before = counts[0].1
            while cut < counts.count - 1 && before + counts[cut].1 <= total / 2 {
                before += counts[cut].1
                cut += 1
            }
            // Split at a code, not on the listed Régions, so a Région harvested since the count is in one half.
            let split = counts[cut].0
            for _ in 0..<3 {
                let (first, second) = try concurrently({ [db] in
                    try db.read { (try Self.snapshotsRead(db), try Self.coverageRegionPlaces(db, regions: "" ..< split)) }
                }, {
                    try other.read { (try Self.snapshotsRead(other), try Self.coverageRegionPlaces(other, regions: split ..< Self.afterEveryCode)) }
                })
                if first.0 == second.0 { return DirectoryMerge.places(first.1 + second.1) }
            }
        }
        return DirectoryMerge.places(try db.read { try Self.coverageRegionPlaces(db, regions: "" ..< Self.afterEveryCode) })
    }

    /// A text ordered after every Région code.
    private static let afterEveryCode = "\u{10FFFF}"

    /// Which snapshot of each Région a connection sees: every write to the places goes with a new one.
    private static func snapshotsRead(_ db: Database) throws -> [String] {
        try db.query("SELECT region, version, accepted_at FROM region_snapshots ORDER BY region") {
            $0.string(0) + " " + String($0.int(1)) + " " + $0.string(2)
        }
    }

    /// The places of the Régions whose code lies in `regions`, in code then id order.
    private static func coverageRegionPlaces(_ db: Database, regions: Range<String>) throws -> [DirectoryPlace] {
        let range: [any SQLBindable] = [regions.lowerBound, regions.upperBound]
        var structures: [String: Structure] = [:]
        for (region, structure) in try db.query("""
            SELECT region, id, siret, name, network, basis, referencing_state,
                   json ->> '$.referencing.since', json ->> '$.referencing.validUntil', json ->> '$.referencing.charterVersion'
            FROM structures WHERE region >= ? AND region < ?
            """, arguments: range, map: { row -> (String, Structure) in
            let id = row.string(1)
            func vocabulary<V: RawRepresentable<String>>(_ column: Int32, _ name: String) throws -> V {
                let raw = row.string(column)
                guard let v = V(rawValue: raw) else { throw StoredValueUnreadable(table: "structures", id: id, column: name, value: raw) }
                return v
            }
            return (row.string(0), Structure(
                id: id, siret: row.optionalString(2).map(SIRET.init(unchecked:)), name: row.string(3),
                network: try vocabulary(4, "network"), basis: try vocabulary(5, "basis"),
                referencing: PublicReferencing(state: try vocabulary(6, "referencing_state"), charterVersion: row.optionalInt(9),
                                               since: row.optionalString(7) ?? "", validUntil: row.optionalString(8))))
        }) { structures[region + "/" + structure.id] = structure }

        var links: [String: [PlaceStructure]] = [:]
        for (key, link) in try db.query("""
            SELECT region, place_id, structure_id, is_host FROM place_structures WHERE region >= ? AND region < ? ORDER BY region, place_id, rowid
            """, arguments: range, map: {
            ($0.string(0) + "/" + $0.string(1), PlaceStructure(structureId: $0.string(2), isHost: $0.int(3) != 0))
        }) { links[key, default: []].append(link) }

        // The lists of services and publics repeat (a few hundred combinations): each text is read once.
        var services: [String: [Service]] = [:], publics: [String: [Public]] = [:]
        // Unit separator between address lines: it cannot occur in a line the harvest accepted.
        return try db.query("""
            SELECT p.region, p.id, p.name, p.commune, p.zone, p.lat, p.lon, p.precision, p.score, p.geocode_reason, p.coordinates_flag,
                   s.version, s.generated_at, coalesce(p.first_harvested, s.accepted_at), coalesce(p.last_changed, s.accepted_at),
                   p.kind, p.opening_hours, p.last_confirmed, p.services, p.publics, p.address_lines, p.postcode, p.city,
                   p.commune_code
            FROM places p JOIN region_snapshots s ON s.region = p.region WHERE p.region >= ? AND p.region < ? ORDER BY p.region, p.id
            """, arguments: range) { row in
            let region = RegionCode(unchecked: row.string(0))
            let id = row.string(1)
            func list<V: RawRepresentable<String>>(_ column: Int32, _ name: String, _ memo: inout [String: [V]]) throws -> [V] {
                guard let text = row.optionalString(column), !text.isEmpty else { return [] }
                if let known = memo[text] { return known }
                let values = try text.split(separator: ",").map { raw in
                    guard let v = V(rawValue: String(raw)) else {
                        throw StoredValueUnreadable(table: "places", id: id, column: name, value: String(raw))
                    }
                    return v
                }
                memo[text] = values
                return values
            }
            let kindRaw = row.string(15)
            guard let kind = PlaceKind(rawValue: kindRaw) else {
                throw StoredValueUnreadable(table: "places", id: id, column: "kind", value: kindRaw)
            }
            let lines = row.optionalString(20).flatMap { $0.isEmpty ? nil : $0 }.map { $0.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init) } ?? []
            let place = Place(
                id: id, name: row.string(2), kind: kind, structures: links[region.rawValue + "/" + id] ?? [],
                address: Address(lines: lines, postcode: Postcode(unchecked: row.string(21)), city: row.string(22),
                                 communeCode: row.optionalString(23).map(CommuneCode.init(unchecked:))),
                openingHours: row.optionalString(16), publics: try list(19, "publics", &publics), services: try list(18, "services", &services),
                lastConfirmed: row.optionalString(17))
            let location = PlaceLocation(
                commune: row.optionalString(3).map(CommuneCode.init(unchecked:)),
                zone: row.optionalString(4).map(ZoneEmploiCode.init(unchecked:)),
                position: row.isNull(5) ? nil : GeoPoint(lat: row.double(5), lon: row.double(6)),
                precision: row.string(7), score: row.double(8), reason: row.optionalString(9), coordinatesFlag: row.optionalString(10))
            let source = RecordSource(region: region, id: id, exportVersion: row.int(11), generatedAt: row.string(12),
                                      firstHarvested: row.string(13), lastChanged: row.string(14))
            return DirectoryPlace(region: region, place: place, location: location,
                                  structures: place.structures.compactMap { structures[region.rawValue + "/" + $0.structureId] },
                                  sourceVersion: row.int(11), sources: [source])
        }
    }
}
