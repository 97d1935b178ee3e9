import Directory
import NationalDirectory
import OpenData

/// What a list of the read API may be filtered by (`/api/v1/places?region=53&service=...`).
enum ListFilter: Hashable, Sendable {
    case region(RegionCode), departement(DepartementCode), commune(CommuneCode), zone(ZoneEmploiCode)
    case network(Network), service(Service), audience(Public)
}

/// One kind of record (places or structures) ready to be listed, built once with the content: each
/// record's JSON written once, ordered by national id (what a cursor points after), with the positions of
/// the records bearing each filter value, so that a list request only intersects sorted arrays and copies bytes.
struct RecordListing: Sendable {
    /// What the listing is built from, one per record.
    struct Entry {
        var id: String
        var json: [UInt8]
        /// `FNV1a.hash(json)`.
        var hash: UInt64
        var lastChanged: String
        var filters: Set<ListFilter>
        /// The words a search by name (`q`) finds the record by, folded (`PlaceNameIndex.words(in:)`).
        var words: [String]
        /// Every national id the record is known by (one per Région listing it).
        var aliases: [String]
    }

    /// National ids, ascending.
    let ids: [String]
    let records: [[UInt8]]
    /// Each record's FNV-1a hash, which the lists' ETags combine.
    let hashes: [UInt64]
    /// When each record last changed (ISO 8601), for `updated_since`.
    let lastChanged: [String]
    /// Positions, ascending, of the records with each filter value.
    let postings: [ListFilter: [Int32]]
    /// Position by any national id the record is known by.
    let positions: [String: Int]
    /// The records by name, by position.
    let names: PlaceNameIndex

    init(_ entries: [Entry]) {
        let sorted = entries.sorted { $0.id < $1.id }
        ids = sorted.map(\.id)
        records = sorted.map(\.json)
        hashes = sorted.map(\.hash)
        lastChanged = sorted.map(\.lastChanged)
        var postings: [ListFilter: [Int32]] = [:]
        var positions: [String: Int] = [:]
        for (i, entry) in sorted.enumerated() {
            for filter in entry.filters { postings[filter, default: []].append(Int32(i)) }
            for alias in entry.aliases + [entry.id] { positions[alias] = i }
        }
        self.postings = postings
        self.positions = positions
        names = PlaceNameIndex(words: sorted.map(\.words))
    }

    /// The first position whose id sorts after `id`: where the page after a cursor starts, even when the
    /// record it names was withdrawn since.
    func position(after id: String) -> Int {
        var lo = 0, hi = ids.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ids[mid] <= id { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

/// 64-bit FNV-1a: a fast, stable fingerprint of bytes for ETags (not a defence against forgery; nothing
/// is trusted on it).
enum FNV1a {
    static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    static func hash(_ bytes: [UInt8], into start: UInt64 = offset) -> UInt64 {
        var h = start
        for b in bytes {
            h ^= UInt64(b)
            h = h &* prime
        }
        return h
    }

    static func hash(_ value: UInt64, into start: UInt64) -> UInt64 {
        var h = start
        for shift in stride(from: 0, to: 64, by: 8) {
            h ^= (value >> UInt64(shift)) & 0xff
            h = h &* prime
        }
        return h
    }
}

/// The read API's listings of the national directory: places and structures.
struct DirectoryListings: Sendable {
    let places: RecordListing
    let structures: RecordListing

    /// `pieces`: each served place's pieces (`WrittenPlaces`), by index in `served`, their structures named by
    /// `structureIds(national)`.
    /// `structureWords`: each structure's words (`WrittenPlaces.words(of:)`), by index in `national`.
    init(places served: [DirectoryPlace], pieces: [WrittenPlaces.Pieces], structures national: [NationalStructure],
         structureWords: [[String]]) {
        var structurePlaces: [StructureKey: [Int]] = [:]
        var placeEntries: [RecordListing.Entry] = []
        placeEntries.reserveCapacity(served.count)
        for (i, p) in served.enumerated() {
            for key in p.structureKeys { structurePlaces[key, default: []].append(i) }
            var filters = Set<ListFilter>()
            for source in p.sources { filters.insert(.region(source.region)) }
            filters.insert(.region(p.region))
            filters.formUnion(Self.geography(p.location))
            for n in p.networks { filters.insert(.network(n)) }
            for s in p.place.services { filters.insert(.service(s)) }
            for a in p.place.publics { filters.insert(.audience(a)) }
            placeEntries.append(RecordListing.Entry(
                id: RecordJSON.nationalId(p.region, p.place.id), json: pieces[i].recordJSON, hash: pieces[i].recordHash,
                lastChanged: p.lastChanged, filters: filters,
                words: pieces[i].words, aliases: p.sources.map { RecordJSON.nationalId($0.region, $0.id) }))
        }
        places = RecordListing(placeEntries)

        structures = RecordListing(national.indices.map { n in
            let s = national[n]
            let present = structurePlaces[s.key] ?? []
            var filters = Set<ListFilter>([.region(s.region), .network(s.structure.network)])
            for source in s.sources { filters.insert(.region(source.region)) }
            for i in present {
                let p = served[i]
                filters.formUnion(Self.geography(p.location))
                for service in p.place.services { filters.insert(.service(service)) }
                for a in p.place.publics { filters.insert(.audience(a)) }
            }
            let placeIds = present.map { RecordJSON.nationalId(served[$0].region, served[$0].place.id) }.sorted()
            let json = RecordJSON.structure(s, placeIds: placeIds)
            return RecordListing.Entry(
                id: RecordJSON.nationalId(s.region, s.structure.id), json: json, hash: FNV1a.hash(json),
                lastChanged: s.lastChanged, filters: filters, words: structureWords[n],
                aliases: s.sources.map { RecordJSON.nationalId($0.region, $0.id) })
        })
    }

    /// A place names its structures by their national ids: the record shown for their SIRET (or Région and id).
    static func structureIds(_ national: [NationalStructure]) -> [StructureKey: String] {
        var ids: [StructureKey: String] = [:]
        for s in national { ids[s.key] = RecordJSON.nationalId(s.region, s.structure.id) }
        return ids
    }

    private static func geography(_ location: PlaceLocation) -> Set<ListFilter> {
        var out = Set<ListFilter>()
        if let commune = location.commune {
            out.insert(.commune(commune))
            out.insert(.departement(commune.departement))
        }
        if let zone = location.zone { out.insert(.zone(zone)) }
        return out
    }
}
