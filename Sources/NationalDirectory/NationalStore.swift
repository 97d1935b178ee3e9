import Directory
import Foundation
import PerformanceKit
import Storage

/// The national directory's SQLite file: every region's last accepted snapshot, swapped in whole.
public actor NationalStore {
    let db: Database
    public nonisolated let path: String

    /// Opens (creating and migrating if needed) the national file.
    public init(path: String) throws {
        self.path = path
        db = try Database(path: path)
        try db.migrate(NationalSchema.migrations)
    }

    /// The last accepted state of `region`, which survives restarts (rollback protection reads it).
    public func acceptedState(_ region: RegionCode) throws -> AcceptedState? {
        try db.queryFirst("SELECT version, content_hash, etag, key_id, generated_at, expires_at, accepted_at FROM region_snapshots WHERE region = ?",
                          region.rawValue) {
            AcceptedState(region: region, version: $0.int(0), contentHash: $0.string(1), etag: $0.optionalString(2),
                          keyId: $0.string(3), generatedAt: $0.string(4), expiresAt: $0.string(5), acceptedAt: $0.string(6))
        }
    }

    /// Every region's accepted state.
    public func acceptedStates() throws -> [AcceptedState] {
        try db.query("SELECT region, version, content_hash, etag, key_id, generated_at, expires_at, accepted_at FROM region_snapshots ORDER BY region") {
            AcceptedState(region: RegionCode(unchecked: $0.string(0)), version: $0.int(1), contentHash: $0.string(2),
                          etag: $0.optionalString(3), keyId: $0.string(4), generatedAt: $0.string(5),
                          expiresAt: $0.string(6), acceptedAt: $0.string(7))
        }
    }

    /// Ids of the places currently stored for a region.
    public func placeIds(_ region: RegionCode) throws -> Set<String> {
        Set(try db.query("SELECT id FROM places WHERE region = ?", region.rawValue) { $0.string(0) })
    }

    /// Swaps the snapshot in for its region in one transaction: a failure at any point, or a crash, leaves
    /// the previous snapshot whole. Only what changed is written: the records the snapshot keeps
    /// (`RegionSnapshot.kept`) stay as stored, its other places and structures replace those with their ids,
    /// and stored ones it no longer has are deleted; charters, channels and tombstones, small, are rewritten.
    /// Each record keeps its first-harvest date, and its last-change date unless its content differs.
    /// Returns how the region's places changed.
    @discardableResult
    public func replace(with s: RegionSnapshot, acceptedAt: Date) throws -> PlaceChanges {
        let r = s.region.rawValue
        let encoder = SproJSON.encoder()
        let decoder = SproJSON.decoder()
        let now = ISOInstant.string(acceptedAt)
        // The places written are encoded on every core before the transaction: it was most of a full swap.
        let placeJSON = try s.places.map(\.place).inParallelChunks { chunk in
            let encoder = SproJSON.encoder()
            return try chunk.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        }.flatMap { $0 }
        return try db.transaction {
            // Read inside the transaction, so the rows compared and the dates carried over are those replaced.
            let storedPlaceIds = Set(try db.query("SELECT id FROM places WHERE region = ?", r) { $0.string(0) })
            let storedStructureIds = Set(try db.query("SELECT id FROM structures WHERE region = ?", r) { $0.string(0) })
            let placeIds = s.allPlaceIds
            let structureIds = Set(s.structures.map(\.id)).union(s.kept.structureIds)

            // Rows gone, and the links and geocoding inputs of every place written again.
            let deletePlace = try db.prepare("DELETE FROM places WHERE region = ? AND id = ?")
            let deleteLinks = try db.prepare("DELETE FROM place_structures WHERE region = ? AND place_id = ?")
            let deleteInput = try db.prepare("DELETE FROM place_geocode_inputs WHERE region = ? AND place_id = ?")
            for id in storedPlaceIds.subtracting(placeIds).sorted() {
                try deleteLinks.run(r, id)
                try deleteInput.run(r, id)
                try deletePlace.run(r, id)
            }
            // Only for ids stored: a first harvest, or a new place, has nothing to look up.
            for (p, _) in s.places where storedPlaceIds.contains(p.id) {
                try deleteLinks.run(r, p.id)
                try deleteInput.run(r, p.id)
            }
            let deleteStructure = try db.prepare("DELETE FROM structures WHERE region = ? AND id = ?")
            for id in storedStructureIds.subtracting(structureIds).sorted() { try deleteStructure.run(r, id) }
            for table in ["charters", "tombstones", "channels"] + (s.kept.indicators ? [] : ["indicators"]) {
                try db.run("DELETE FROM \(table) WHERE region = ?", r)
            }

            let charter = try db.prepare("INSERT INTO charters (region, version, json) VALUES (?, ?, ?)")
            for c in s.charters { try charter.run(r, c.version, String(decoding: try encoder.encode(c), as: UTF8.self)) }
            let structure = try db.prepare("""
                INSERT OR REPLACE INTO structures (region, id, siret, name, network, basis, referencing_state, json, source_version,
                                                   first_harvested, last_changed, record_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for st in s.structures {
                let json = String(decoding: try encoder.encode(st), as: UTF8.self)
                let previous = storedStructureIds.contains(st.id) ? try storedRecord("structures", r, st.id, now: now) : nil
                let dates = try ProvenanceDates.next(st.content, previous: previous.map { old in
                    try (old.json == json ? st.content : decoder.decode(Structure.self, from: Data(old.json.utf8)).content, old.dates)
                }, at: now)
                try structure.run(r, st.id, st.siret?.rawValue, st.name, st.network.rawValue, st.basis.rawValue,
                                  st.referencing.state.rawValue, json, s.version, dates.firstHarvested, dates.lastChanged,
                                  s.recordHashes.structures[st.id])
            }
            let place = try db.prepare("""
                INSERT OR REPLACE INTO places (region, id, name, commune, zone, lat, lon, precision, score, geocode_reason,
                                               coordinates_flag, json, source_version, first_harvested, last_changed, record_hash,
                                               kind, opening_hours, last_confirmed, services, publics, address_lines, postcode, city,
                                               commune_code)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let link = try db.prepare("INSERT OR IGNORE INTO place_structures (region, place_id, structure_id, is_host) VALUES (?, ?, ?, ?)")
            var changes = PlaceChanges(removed: storedPlaceIds.subtracting(placeIds).count)
            for ((p, loc), json) in zip(s.places, placeJSON) {
                let previous = storedPlaceIds.contains(p.id) ? try storedRecord("places", r, p.id, now: now) : nil
                if let previous { if previous.json != json { changes.updated += 1 } } else { changes.added += 1 }
                let dates = try ProvenanceDates.next(p.content, previous: previous.map { old in
                    try (old.json == json ? p.content : decoder.decode(Place.self, from: Data(old.json.utf8)).content, old.dates)
                }, at: now)
                try place.run(r, p.id, p.name, loc.commune?.rawValue, loc.zone?.rawValue, loc.position?.lat, loc.position?.lon,
                              loc.precision, loc.score, loc.reason, loc.coordinatesFlag,
                              json, s.version, dates.firstHarvested, dates.lastChanged, s.recordHashes.places[p.id],
                              p.kind.rawValue, p.openingHours, p.lastConfirmed, p.services.map(\.rawValue).joined(separator: ","),
                              p.publics.map(\.rawValue).joined(separator: ","), p.address.lines.joined(separator: "\u{1F}"),
                              p.address.postcode.rawValue, p.address.city, p.address.communeCode?.rawValue)
                for ps in p.structures { try link.run(r, p.id, ps.structureId, ps.isHost) }
            }
            let input = try db.prepare("INSERT OR REPLACE INTO place_geocode_inputs (region, place_id, fingerprint) VALUES (?, ?, ?)")
            for (id, fingerprint) in s.geocodeInputs.sorted(by: { $0.key < $1.key }) { try input.run(r, id, fingerprint) }
            if !s.kept.indicators {
                let indicator = try db.prepare("""
                    INSERT OR REPLACE INTO indicators (region, subject, subject_id, code, period, value, unit) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
                for i in s.indicators { try indicator.run(r, i.subject.rawValue, i.subjectId, i.code, i.period, i.value, i.unit) }
            }
            let channel = try db.prepare("INSERT INTO channels (region, id, name, kind, json, source_version) VALUES (?, ?, ?, ?, ?, ?)")
            for c in s.channels {
                try channel.run(r, c.id, c.name, c.kind.rawValue, String(decoding: try encoder.encode(c), as: UTF8.self), s.version)
            }
            let tomb = try db.prepare("INSERT OR REPLACE INTO tombstones (region, kind, id, withdrawn_at) VALUES (?, ?, ?, ?)")
            for t in s.tombstones { try tomb.run(r, t.kind.rawValue, t.id, t.withdrawnAt) }
            // The deletion history: the count, and the places dropped without a tombstone (or, when an operator
            // lifted the guard, none of them any more).
            try db.run("INSERT INTO place_counts (region, accepted_at, places) VALUES (?, ?, ?)", r, now, placeIds.count)
            if s.acknowledgesRemovals {
                try db.run("DELETE FROM silent_removals WHERE region = ?", r)
            } else {
                let kept = placeIds.union(s.tombstones.filter { $0.kind == .place }.map(\.id))
                let listed = try db.query("SELECT place_id FROM silent_removals WHERE region = ?", r) { $0.string(0) }
                let forget = try db.prepare("DELETE FROM silent_removals WHERE region = ? AND place_id = ?")
                for id in listed where kept.contains(id) { try forget.run(r, id) }
                let removal = try db.prepare("INSERT OR IGNORE INTO silent_removals (region, place_id, removed_at) VALUES (?, ?, ?)")
                for id in storedPlaceIds.subtracting(kept).sorted() { try removal.run(r, id, now) }
            }
            try db.run("""
                INSERT OR REPLACE INTO region_snapshots (region, version, content_hash, etag, key_id, generated_at, expires_at, accepted_at,
                                                         indicators_hash, locator_version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, r, s.version, s.contentHash, s.etag, s.keyId, s.generatedAt, s.expiresAt, now,
                s.recordHashes.indicators, s.recordHashes.context)
            return changes
        }
    }

    /// A stored record's JSON and provenance dates (`table` is `places` or `structures`), or nil.
    private func storedRecord(_ table: String, _ region: String, _ id: String, now: String) throws -> (json: String, dates: ProvenanceDates)? {
        try db.queryFirst("SELECT json, first_harvested, last_changed FROM \(table) WHERE region = ? AND id = ?", region, id) {
            ($0.string(0), ProvenanceDates(firstHarvested: $0.optionalString(1) ?? now, lastChanged: $0.optionalString(2) ?? now))
        }
    }

    /// What a harvest reads to recognise the records an export carries unchanged (see `StoredRecords`).
    public func storedRecords(_ region: RegionCode) throws -> StoredRecords {
        let r = region.rawValue
        return try db.read {
            // Places and their links both in id order (their keys' order), walked side by side: a dictionary of
            // every place's links cost more than the rest of the read.
            let links = try db.query("SELECT place_id, structure_id FROM place_structures WHERE region = ? ORDER BY place_id", r) {
                (place: $0.string(0), structure: $0.string(1))
            }
            var next = 0
            func linksOf(_ id: String) -> [String] {
                var out: [String] = []
                while next < links.count && links[next].place == id {
                    out.append(links[next].structure)
                    next += 1
                }
                return out
            }
            var places: [String: StoredPlace] = [:]
            for (id, place) in try db.query("""
                SELECT p.id, p.record_hash, g.fingerprint, p.commune, p.zone, p.lat, p.lon, p.precision, p.score, p.geocode_reason,
                       p.coordinates_flag
                FROM places p LEFT JOIN place_geocode_inputs g ON g.region = p.region AND g.place_id = p.id
                WHERE p.region = ? ORDER BY p.id
                """, r, map: { row in
                let location = PlaceLocation(
                    commune: row.optionalString(3).map(CommuneCode.init(unchecked:)),
                    zone: row.optionalString(4).map(ZoneEmploiCode.init(unchecked:)),
                    position: row.isNull(5) ? nil : GeoPoint(lat: row.double(5), lon: row.double(6)),
                    precision: row.string(7), score: row.double(8), reason: row.optionalString(9), coordinatesFlag: row.optionalString(10))
                let id = row.string(0)
                return (id, StoredPlace(hash: row.optionalString(1), score: location.score, resolved: location.position != nil,
                                        structureIds: linksOf(id),
                                        known: row.optionalString(2).map { KnownLocation(fingerprint: $0, location: location) }))
            }) { places[id] = place }
            // A link to no stored place (only without foreign keys) would have stopped the walk: read them by id then.
            if next < links.count {
                let byPlace = Dictionary(grouping: links, by: \.place)
                for id in places.keys { places[id]?.structureIds = byPlace[id]?.map(\.structure) ?? [] }
            }
            let structures = Dictionary(try db.query("SELECT id, record_hash FROM structures WHERE region = ? AND record_hash IS NOT NULL", r) {
                ($0.string(0), $0.string(1))
            }, uniquingKeysWith: { a, _ in a })
            let snapshot = try db.queryFirst("SELECT indicators_hash, locator_version FROM region_snapshots WHERE region = ?", r) {
                ($0.optionalString(0), $0.optionalString(1))
            }
            return StoredRecords(places: places, structures: structures, indicatorsHash: snapshot?.0 ?? nil, context: snapshot?.1 ?? nil)
        }
    }

    /// Every channel of the directory (or of one region), each with its contributors' records, by region then id.
    /// `cache` keeps the contributors decoded from one read to the next (`DecodedRecords`).
    public func channels(region: RegionCode? = nil, reusing cache: DecodedRecords? = nil) throws -> [DirectoryChannel] {
        let decoder = SproJSON.decoder()
        // One snapshot: the contributors and the channels come from the same swap.
        let (structureRows, rows) = try db.read {
            (try regionStructures(reusing: cache),
             try db.query("SELECT region, json FROM channels ORDER BY region, id") { ($0.string(0), $0.string(1)) })
        }
        var structures: [String: Structure] = [:]
        for (s, source) in structureRows { structures[source.region.rawValue + "/" + s.id] = s }
        return try rows.compactMap { r, json in
            guard region == nil || region?.rawValue == r else { return nil }
            let c = try decoder.decode(Channel.self, from: Data(json.utf8))
            return DirectoryChannel(region: RegionCode(unchecked: r), channel: c,
                                    contributors: c.contributors.compactMap { structures["\(r)/\($0)"] })
        }
    }

    /// Every Région's harvested charters, oldest version first.
    public func chartersByRegion() throws -> [RegionCode: [Charter]] {
        let decoder = SproJSON.decoder()
        var out: [RegionCode: [Charter]] = [:]
        for (region, json) in try db.query("SELECT region, json FROM charters ORDER BY region, version", map: { ($0.string(0), $0.string(1)) }) {
            out[RegionCode(unchecked: region), default: []].append(try decoder.decode(Charter.self, from: Data(json.utf8)))
        }
        return out
    }

    /// Every harvested indicator value with its Région.
    public func indicatorValues() throws -> [(region: RegionCode, value: IndicatorValue)] {
        try db.query("SELECT region, subject, subject_id, code, period, value, unit FROM indicators") {
            (RegionCode(unchecked: $0.string(0)),
             IndicatorValue(subject: IndicatorValue.Subject(rawValue: $0.string(1)) ?? .place, subjectId: $0.string(2), code: $0.string(3),
                            period: $0.string(4), value: $0.double(5), unit: $0.string(6)))
        }
    }

    /// Records a harvest run's report.
    public func recordRun(startedAt: Date, finishedAt: Date, reportJSON: String) throws {
        try db.run("INSERT INTO harvest_runs (started_at, finished_at, report_json) VALUES (?, ?, ?)",
                   ISOInstant.string(startedAt), ISOInstant.string(finishedAt), reportJSON)
    }

    /// Counts over the whole directory.
    public func totals() throws -> DirectoryTotals {
        try db.read {
            let precisions = try db.query("SELECT precision, count(*) FROM places GROUP BY precision ORDER BY precision") {
                ($0.string(0), $0.int(1))
            }
            return DirectoryTotals(
                regions: try db.queryFirst("SELECT count(*) FROM region_snapshots") { $0.int(0) } ?? 0,
                structures: try db.queryFirst("SELECT count(*) FROM structures") { $0.int(0) } ?? 0,
                places: try db.queryFirst("SELECT count(*) FROM places") { $0.int(0) } ?? 0,
                placesWithPosition: try db.queryFirst("SELECT count(*) FROM places WHERE lat IS NOT NULL") { $0.int(0) } ?? 0,
                byPrecision: Dictionary(uniqueKeysWithValues: precisions))
        }
    }

    /// Every place of the national directory with its location, structures and sources, for search and
    /// coverage: the same place listed by several Régions comes once (see `DirectoryMerge`).
    /// With `reusing`, records whose bytes were decoded at the cache's last read are not decoded again.
    public func directoryPlaces(reusing cache: DecodedRecords? = nil) throws -> [DirectoryPlace] {
        // One read snapshot: a swap by another process lands before or after the reads, never between,
        // and a harvest's open write transaction never holds them up.
        DirectoryMerge.places(try db.read { try regionPlaces(reusing: cache) })
    }

    /// Every structure of the national directory: one per SIRET, with every Région listing it.
    public func nationalStructures(reusing cache: DecodedRecords? = nil) throws -> [NationalStructure] {
        DirectoryMerge.structures(try db.read { try regionStructures(reusing: cache) })
    }

    /// Every Région's structures with their provenance, by region then id.
    private func regionStructures(reusing cache: DecodedRecords?) throws -> [(structure: Structure, source: RecordSource)] {
        let decoder = SproJSON.decoder()
        var seen: [String: Structure] = [:]
        let rows = try db.query("""
            SELECT st.region, st.json, s.version, s.generated_at,
                   coalesce(st.first_harvested, s.accepted_at), coalesce(st.last_changed, s.accepted_at), st.record_hash
            FROM structures st JOIN region_snapshots s ON s.region = st.region ORDER BY st.region, st.id
            """) { row in
            let structure = try cache?.structure({ row.string(1) }, hash: row.optionalString(6), into: &seen, decoder: decoder)
                ?? decoder.decode(Structure.self, from: Data(row.string(1).utf8))
            return (structure: structure, source: RecordSource(region: RegionCode(unchecked: row.string(0)), id: structure.id, exportVersion: row.int(2),
                                            generatedAt: row.string(3), firstHarvested: row.string(4), lastChanged: row.string(5)))
        }
        cache?.keep(structures: seen)
        return rows
    }

    /// Every Région's places as stored, each with its one source, by region then id.
    private func regionPlaces(reusing cache: DecodedRecords?) throws -> [DirectoryPlace] {
        var structures: [String: Structure] = [:]
        for (st, source) in try regionStructures(reusing: cache) { structures[source.region.rawValue + "/" + st.id] = st }
        let decoder = SproJSON.decoder()
        var seen: [String: Place] = [:]
        let rows = try db.query("""
            SELECT p.region, p.json, p.commune, p.zone, p.lat, p.lon, p.precision, p.score, p.geocode_reason, p.coordinates_flag,
                   s.version, s.generated_at, coalesce(p.first_harvested, s.accepted_at), coalesce(p.last_changed, s.accepted_at),
                   p.record_hash
            FROM places p JOIN region_snapshots s ON s.region = p.region ORDER BY p.region, p.id
            """) { row in
            let region = RegionCode(unchecked: row.string(0))
            let place = try cache?.place({ row.string(1) }, hash: row.optionalString(14), into: &seen, decoder: decoder)
                ?? decoder.decode(Place.self, from: Data(row.string(1).utf8))
            let position: GeoPoint? = row.isNull(4) ? nil : GeoPoint(lat: row.double(4), lon: row.double(5))
            let location = PlaceLocation(
                commune: row.optionalString(2).map(CommuneCode.init(unchecked:)),
                zone: row.optionalString(3).map(ZoneEmploiCode.init(unchecked:)),
                position: position, precision: row.string(6), score: row.double(7),
                reason: row.optionalString(8), coordinatesFlag: row.optionalString(9))
            let members = place.structures.compactMap { structures[region.rawValue + "/" + $0.structureId] }
            let source = RecordSource(region: region, id: place.id, exportVersion: row.int(10), generatedAt: row.string(11),
                                      firstHarvested: row.string(12), lastChanged: row.string(13))
            return DirectoryPlace(region: region, place: place, location: location, structures: members,
                                  sourceVersion: row.int(10), sources: [source])
        }
        cache?.keep(places: seen)
        return rows
    }

    /// Places the geocoder could not resolve, with the reason: listed, never dropped.
    public func unresolvedPlaces() throws -> [(region: String, id: String, name: String, reason: String)] {
        try db.query("SELECT region, id, name, coalesce(geocode_reason, '') FROM places WHERE lat IS NULL ORDER BY region, id") {
            ($0.string(0), $0.string(1), $0.string(2), $0.string(3))
        }
    }
}

/// Counts over the national directory.
public struct DirectoryTotals: Sendable, Equatable, Codable {
    public var regions: Int
    public var structures: Int
    public var places: Int
    public var placesWithPosition: Int
    public var byPrecision: [String: Int]
}

/// A channel as the national directory serves it: one entry point with the structures staffing it.
public struct DirectoryChannel: Sendable, Codable {
    public var region: RegionCode
    public var channel: Channel
    public var contributors: [Structure]
}

/// A place as the national directory serves it: the record, where it is, and who receives there.
public struct DirectoryPlace: Sendable {
    public var region: RegionCode
    public var place: Place
    public var location: PlaceLocation
    public var structures: [Structure]
    /// The export version of `region`'s record.
    public var sourceVersion: Int
    /// Every Région's record of this place, by Région code (one unless Régions list the same place);
    /// empty for places built by hand (benchmarks, tests).
    public var sources: [RecordSource]

    /// `region`, `place`, `location`, `structures` and `sourceVersion` are those of the record shown.
    public init(region: RegionCode, place: Place, location: PlaceLocation, structures: [Structure], sourceVersion: Int,
                sources: [RecordSource] = []) {
        self.region = region
        self.place = place
        self.location = location
        self.structures = structures
        self.sourceVersion = sourceVersion
        self.sources = sources
    }

    /// The national keys of the structures present (their SIRETs where they have one).
    public var structureKeys: [StructureKey] { structures.map { StructureKey($0, region: region) } }

    /// The networks present at the place.
    public var networks: Set<Network> { Set(structures.map(\.network)) }
}

extension NationalStore {
    /// Each stored place's record JSON by id, to count what a new snapshot adds, updates and removes.
    public func placeJSON(_ region: RegionCode) throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try db.query("SELECT id, json FROM places WHERE region = ?", region.rawValue) {
            ($0.string(0), $0.string(1))
        })
    }
}

extension NationalStore {
    /// What the cumulative mass-deletion guard reads of a region since `since`: its place count then, and
    /// the places removed without tombstones since, not back and not acknowledged by an operator.
    public func deletionHistory(_ region: RegionCode, since: Date) throws -> DeletionHistory {
        let r = region.rawValue
        let cutoff = ISOInstant.string(since)
        return try db.read {
            // The count at the window's start: the last one before it, else the oldest within it.
            let baseline = try db.queryFirst(
                "SELECT places FROM place_counts WHERE region = ? AND accepted_at <= ? ORDER BY accepted_at DESC, rowid DESC LIMIT 1",
                r, cutoff) { $0.int(0) }
                ?? db.queryFirst("SELECT places FROM place_counts WHERE region = ? ORDER BY accepted_at, rowid LIMIT 1", r) { $0.int(0) }
            let removed = try db.query("SELECT place_id FROM silent_removals WHERE region = ? AND removed_at > ?", r, cutoff) {
                $0.string(0)
            }
            return DeletionHistory(baseline: baseline, removedSince: Set(removed))
        }
    }

    /// The JSON text of the latest harvest run's report, as `recordRun` received it, if any. The store
    /// keeps reports without knowing their type: `Harvest` writes them and reads them back.
    public func latestReportJSON() throws -> String? {
        try db.queryFirst("SELECT report_json FROM harvest_runs ORDER BY id DESC LIMIT 1", map: { $0.string(0) })
    }
}

/// A region's deletions over the guard's window (see `NationalStore.deletionHistory`).
public struct DeletionHistory: Sendable, Equatable {
    /// Places at the window's start; nil before any snapshot was recorded with its count.
    public var baseline: Int?
    /// Places removed without tombstones within the window, still absent, not acknowledged.
    public var removedSince: Set<String>

    public init(baseline: Int?, removedSince: Set<String>) {
        self.baseline = baseline
        self.removedSince = removedSince
    }
}

/// How a region's places changed in a swap: new ids, records whose stored JSON differs, ids gone.
public struct PlaceChanges: Sendable, Equatable {
    public var added = 0
    public var updated = 0
    public var removed: Int

    public init(added: Int = 0, updated: Int = 0, removed: Int) {
        self.added = added
        self.updated = updated
        self.removed = removed
    }
}
