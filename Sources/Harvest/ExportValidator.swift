import Directory
import Foundation
import NationalDirectory
import Reference
import Signing

/// Puts a place on the map: resolves its commune and position (the geocoder, in production).
public protocol PlaceLocator: Sendable {
    func locate(_ place: Place) -> PlaceLocation

    /// A fingerprint of everything `locate` reads of the place and answers from: equal fingerprints give
    /// equal locations, so a harvest may reuse a stored one. The default covers `GeocodingInput`.
    func inputFingerprint(_ place: Place) -> String

    /// What the locator answers from besides the place (the geocoder's data): a place stored under another
    /// is located again even when its record has not changed. The default is the empty string.
    var dataVersion: String { get }
}

/// Checks a fetched export against the trust registry and the region's last accepted state,
/// validates it record by record, and geocodes its places. Pure: no I/O, no store writes.
public struct ExportValidator: Sendable {
    public let region: Region
    public let reference: ReferencePack
    public let locator: any PlaceLocator
    /// Largest share of the region's places an export may drop without tombstones.
    public var maxDeletionShare: Double = 0.3
    /// Below this many stored places the mass-deletion guard does not apply.
    public var massDeletionFloor: Int = 20
    /// Largest share of the places a region had `deletionWindowDays` ago that its exports may drop without
    /// tombstones over that window, in any number of steps each under `maxDeletionShare`.
    public var maxCumulativeDeletionShare: Double = 0.5
    /// The cumulative guard's window.
    public static let deletionWindowDays = 30
    /// A stored location whose input is unchanged is reused when its score is at least this (the geocoder's
    /// "worth a human look" line: lower ones are geocoded again, in case the reference data now does better).
    /// Nil geocodes every place.
    public var reuseScore: Double? = 0.75
    /// Largest step from the last accepted version (from 0 for a Région never harvested): a version near
    /// `Int.max` would make every later export a rollback and lock the Région out. A node adds one per
    /// publication, so a million is years of publishing every minute.
    public static let maxVersionStep = 1_000_000
    /// Longest validity of an export, `expiresAt` minus `generatedAt`: 31 days.
    public static let maxValidity: TimeInterval = 31 * 86_400
    /// How far in the future `generatedAt` may lie, for the node's clock running ahead of ours: 5 minutes.
    public static let clockSkew: TimeInterval = 300

    public init(region: Region, reference: ReferencePack, locator: any PlaceLocator) {
        self.region = region
        self.reference = reference
        self.locator = locator
    }

    /// What validation produced: a snapshot to swap in, or `nil` when the bytes are those already accepted.
    public struct Outcome: Sendable {
        public var snapshot: RegionSnapshot?
        public var anomalies: [Anomaly]
        /// Places geocoded and places whose stored location was reused.
        public var geocoding = GeocodingCounts()
    }

    /// Validates `body` signed by `signature`. `previous` is the last accepted state, `previousPlaceIds`
    /// the ids stored now (for the mass-deletion guard), `allowMassDeletion` an operator's override,
    /// `deletionHistory` the region's deletions over the cumulative guard's window (nil: no cumulative
    /// guard), `stored` the region's stored records: a record whose bytes are those of a stored one is kept
    /// as stored, not decoded again (see `RegionSnapshot.kept`), and a changed place whose geocoding input is
    /// unchanged reuses its stored location (see `reuseScore`).
    public func validate(body: Data, signature: Data, etag: String?, previous: AcceptedState?,
                         previousPlaceIds: Set<String>, allowMassDeletion: Bool = false,
                         deletionHistory: DeletionHistory? = nil,
                         stored: StoredRecords = StoredRecords(), now: Date = Date()) throws(ExportRefused) -> Outcome {
        let sig: SignatureFile
        do {
            sig = try SignatureFile.decode(signature)
            // Over the whole export's bytes, kept records included.
            try TrustPolicy(region: region).verify(body, signature: sig, at: now)
        } catch {
            throw .signature(error)
        }
        let body = body.startIndex == 0 ? body : Data(body)
        let hash = sha256Hex(body)
        let layout: ExportLayout
        do {
            layout = try ExportLayout.scan(body)
        } catch {
            throw .invalidSchema(field: "(document)", rule: "not JSON")
        }
        // The header: every member but the records (their arrays stand empty), decoded as the whole document was.
        var header = Data("{".utf8)
        for (n, member) in layout.members.enumerated() {
            if n > 0 { header.append(UInt8(ascii: ",")) }
            header.append(body[member.keyBytes])
            header.append(UInt8(ascii: ":"))
            if layout.records[member.key] != nil { header.append(contentsOf: "[]".utf8) } else { header.append(body[member.value]) }
        }
        header.append(UInt8(ascii: "}"))
        if let duplicate = DuplicateKeyScan.first(in: header) {
            throw .duplicateKey(path: duplicate.path, key: duplicate.key)
        }
        let doc: LenientExport
        do {
            doc = try SproJSON.decoder().decode(LenientExport.self, from: header)
        } catch let error as DecodingError {
            throw .invalidSchema(field: error.fieldPath, rule: error.plainDescription)
        } catch {
            throw .invalidSchema(field: "(document)", rule: "not JSON")
        }
        guard doc.format == ExportDocument.currentFormat else {
            throw .invalidSchema(field: "format", rule: "expected \(ExportDocument.currentFormat), got \(doc.format)")
        }
        guard doc.region == region.code else { throw .wrongRegion(expected: region.code, got: doc.region) }
        guard doc.keyId == sig.keyId else { throw .signature(.keyIdMismatch(document: doc.keyId, signature: sig.keyId)) }
        if let previous {
            if doc.version < previous.version { throw .rollback(region: region.code, last: previous.version, got: doc.version) }
            if doc.version == previous.version {
                guard hash == previous.contentHash else { throw .replay(region: region.code, version: doc.version) }
                return Outcome(snapshot: nil, anomalies: [])
            }
        }
        guard doc.version >= 1 else { throw .invalidSchema(field: "version", rule: "must be at least 1") }
        let last = previous?.version ?? 0
        guard doc.version - last <= Self.maxVersionStep else {
            throw .versionJump(region: region.code, last: last, got: doc.version, maxStep: Self.maxVersionStep)
        }
        guard let expires = ISOInstant.parse(doc.expiresAt) else {
            throw .invalidSchema(field: "expiresAt", rule: "must be an ISO 8601 instant")
        }
        guard let generated = ISOInstant.parse(doc.generatedAt) else {
            throw .invalidSchema(field: "generatedAt", rule: "must be an ISO 8601 instant")
        }
        guard generated.timeIntervalSince(now) <= Self.clockSkew else {
            throw .generatedInFuture(generatedAt: doc.generatedAt, skewSeconds: Int(Self.clockSkew))
        }
        guard expires.timeIntervalSince(generated) <= Self.maxValidity else {
            throw .validityTooLong(generatedAt: doc.generatedAt, expiresAt: doc.expiresAt, maxDays: Int(Self.maxValidity / 86_400))
        }
        guard now < expires else { throw .expired(region: region.code, expiresAt: doc.expiresAt) }

        var anomalies: [Anomaly] = []
        let records = ExportRecords(body: body, layout: layout)
        func take<T>(_ items: [(index: Int, record: Lenient<T>)], kind: String) -> [T] {
            items.compactMap { index, item in
                switch item {
                case .ok(let value): return value
                case .bad(let id, let field, let rule):
                    anomalies.append(Anomaly(kind: kind, id: id ?? "#\(index)", field: field, rule: rule))
                    return nil
                }
            }
        }
        let charters = take(try records.decodeAll(Charter.self, "charters"), kind: "charter")
        try Self.refuseDuplicates(charters.map { String($0.version) }, kind: .charter)

        // Structures: those whose bytes are a stored record's are kept; the others decoded.
        let structureHashes = records.hashes("structures")
        let storedStructures = Dictionary(stored.structures.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
        var keptStructures: [Int: String] = [:]
        for (index, h) in structureHashes.enumerated() { if let id = storedStructures[h] { keptStructures[index] = id } }
        let decodedStructures = try records.decode(Structure.self, "structures",
                                                   indices: structureHashes.indices.filter { keptStructures[$0] == nil })
        var structureIdsInOrder: [(index: Int, id: String)] = keptStructures.map { ($0.key, $0.value) }
        var structures: [Structure] = []
        var newStructureHashes: [String: String] = [:]
        for (index, item) in decodedStructures {
            guard case .ok(let structure) = item else { continue }
            structures.append(structure)
            structureIdsInOrder.append((index, structure.id))
            newStructureHashes[structure.id] = structureHashes[index]
        }
        _ = take(decodedStructures, kind: "structure")
        try Self.refuseDuplicates(structureIdsInOrder.sorted { $0.index < $1.index }.map(\.id), kind: .structure)
        let structureIds = Set(structureIdsInOrder.map(\.id))

        // Places: one whose bytes are a stored record's keeps its row (location included) when nothing it was
        // judged by has changed: the geocoder's data, its structures all still exported, a score worth reusing.
        let placeHashes = records.hashes("places")
        let storedPlaces = Dictionary(stored.places.compactMap { id, p in p.hash.map { ($0, id) } }, uniquingKeysWith: { a, _ in a })
        var keptPlaces: [Int: String] = [:]
        if let reuseScore, stored.context == locator.dataVersion {
            for (index, h) in placeHashes.enumerated() {
                guard let id = storedPlaces[h], let p = stored.places[id], p.score >= reuseScore, p.resolved,
                      p.structureIds.allSatisfy(structureIds.contains) else { continue }
                keptPlaces[index] = id
            }
        }
        var places: [(place: Place, location: PlaceLocation)] = []
        var newPlaceHashes: [String: String] = [:]
        var geocoding = IncrementalGeocoding(locator: locator, known: stored.places, reuseScore: reuseScore)
        let decodedPlaceRecords = try records.decode(Place.self, "places", indices: placeHashes.indices.filter { keptPlaces[$0] == nil })
        var placeIdsInOrder: [(index: Int, id: String)] = keptPlaces.map { ($0.key, $0.value) }
        var decodedPlaces: [(index: Int, place: Place)] = []
        for (index, item) in decodedPlaceRecords {
            guard case .ok(let place) = item else { continue }
            decodedPlaces.append((index, place))
            placeIdsInOrder.append((index, place.id))
        }
        _ = take(decodedPlaceRecords, kind: "place")
        try Self.refuseDuplicates(placeIdsInOrder.sorted { $0.index < $1.index }.map(\.id), kind: .place)
        let decodedChannels = take(try records.decodeAll(Channel.self, "channels"), kind: "channel")
        try Self.refuseDuplicates(decodedChannels.map(\.id), kind: .channel)
        for (index, var place) in decodedPlaces {
            let unknown = place.structures.filter { !structureIds.contains($0.structureId) }
            if !unknown.isEmpty {
                place.structures.removeAll { !structureIds.contains($0.structureId) }
                guard !place.structures.isEmpty else {
                    anomalies.append(Anomaly(kind: "place", id: place.id, field: "structures",
                                             rule: "no known structure (\(unknown.map(\.structureId).joined(separator: ", ")))"))
                    continue
                }
            }
            if let hours = place.openingHours {
                do {
                    _ = try OpeningHours(hours)
                } catch {
                    anomalies.append(Anomaly(kind: "place", id: place.id, field: "openingHours", rule: error.description))
                    continue
                }
            }
            if let given = place.address.communeCode, reference.communes[given] == nil {
                anomalies.append(Anomaly(kind: "place", id: place.id, field: "address.communeCode",
                                         rule: "unknown commune code \(given)"))
                continue
            }
            let location = geocoding.locate(place)
            // A bassin d'emploi straddling two Régions is both Régions' business: either may list its
            // places (the national directory merges a place both list).
            if let commune = location.commune, let info = reference.communes[commune], info.region != region.code,
               reference.zones[info.zone]?.regions.contains(region.code) != true {
                throw .placeOutsideTerritory(placeId: place.id, commune: commune, communeRegion: info.region)
            }
            places.append((place, location))
            // Only a record stored as received may be kept by its bytes next time.
            if unknown.isEmpty { newPlaceHashes[place.id] = placeHashes[index] }
        }
        // Indicators: all kept when their array's bytes are those stored, else all decoded.
        let indicatorsHash = records.arrayHash("indicators")
        let keepIndicators = indicatorsHash != nil && indicatorsHash == stored.indicatorsHash
        var indicators: [IndicatorValue] = []
        var indicatorsClean = true
        if !keepIndicators {
            let before = anomalies.count
            indicators = take(try records.decodeAll(IndicatorValue.self, "indicators"), kind: "indicator")
            indicatorsClean = anomalies.count == before
        }
        let tombstones = take(try records.decodeAll(Tombstone.self, "tombstones"), kind: "tombstone")
        var channels: [Channel] = []
        for var channel in decodedChannels {
            channel.contributors.removeAll { !structureIds.contains($0) }
            guard !channel.contributors.isEmpty else {
                anomalies.append(Anomaly(kind: "channel", id: channel.id, field: "contributors", rule: "no known structure"))
                continue
            }
            if let hours = channel.openingHours, (try? OpeningHours(hours)) == nil {
                anomalies.append(Anomaly(kind: "channel", id: channel.id, field: "openingHours", rule: "not OSM opening_hours syntax"))
                continue
            }
            channels.append(channel)
        }
        // The places published: the few decoded, and the many kept by their bytes (a set the snapshot keeps too).
        let keptPlaceIds = Set(keptPlaces.values)
        let decodedPlaceIds = Set(places.map(\.place.id))
        let tombstoned = Set(tombstones.filter { $0.kind == .place }.map(\.id))
        func goneSilently(_ id: String) -> Bool { !decodedPlaceIds.contains(id) && !keptPlaceIds.contains(id) && !tombstoned.contains(id) }

        // Mass-deletion guard: places that vanish without a tombstone (counted in one pass over the stored ids,
        // without a set of every id published and its differences).
        let silentlyRemoved = allowMassDeletion ? 0 : previousPlaceIds.reduce(0) { goneSilently($1) ? $0 + 1 : $0 }
        if !allowMassDeletion, previousPlaceIds.count >= massDeletionFloor {
            if Double(silentlyRemoved) > maxDeletionShare * Double(previousPlaceIds.count) {
                throw .massDeletion(region: region.code, removed: silentlyRemoved, of: previousPlaceIds.count, maxShare: maxDeletionShare)
            }
        }
        // Cumulative guard: the same over the window, so that four steps of -29 % do not pass where one would not:
        // the stored places gone now, and those removed earlier in the window and still not back.
        if !allowMassDeletion, let history = deletionHistory {
            let baseline = history.baseline ?? previousPlaceIds.count
            let removed = silentlyRemoved + history.removedSince.reduce(0) { !previousPlaceIds.contains($1) && goneSilently($1) ? $0 + 1 : $0 }
            if baseline >= massDeletionFloor, Double(removed) > maxCumulativeDeletionShare * Double(baseline) {
                throw .cumulativeDeletion(region: region.code, removed: removed, of: baseline, days: Self.deletionWindowDays,
                                          maxShare: maxCumulativeDeletionShare)
            }
        }
        var snapshot = RegionSnapshot(
            region: region.code, version: doc.version, contentHash: hash, etag: etag, keyId: doc.keyId,
            generatedAt: doc.generatedAt, expiresAt: doc.expiresAt, charters: charters, structures: structures,
            places: places, indicators: indicators, tombstones: tombstones, channels: channels)
        snapshot.geocodeInputs = geocoding.fingerprints
        snapshot.acknowledgesRemovals = allowMassDeletion
        snapshot.kept = KeptRecords(placeIds: keptPlaceIds, structureIds: Set(keptStructures.values),
                                    indicators: keepIndicators)
        snapshot.recordHashes = RecordHashes(places: newPlaceHashes, structures: newStructureHashes,
                                             indicators: indicatorsClean ? indicatorsHash : nil, context: locator.dataVersion)
        var counts = geocoding.counts
        counts.reused += keptPlaces.count
        return Outcome(snapshot: snapshot, anomalies: anomalies, geocoding: counts)
    }

    /// Throws `duplicateId` for the first id given twice.
    private static func refuseDuplicates(_ ids: [String], kind: ExportRefused.RecordKind) throws(ExportRefused) {
        var seen = Set<String>(minimumCapacity: ids.count)
        for id in ids where !seen.insert(id).inserted { throw .duplicateId(kind: kind, id: id) }
    }
}
