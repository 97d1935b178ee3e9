import Directory
import NationalDirectory
import OpenData
import Synchronization

/// What is written once per served place for serving it (its nearest-answer fragments, its card on the
/// search page, its record in the read API's list, its words for the search by name), and each structure's
/// words, kept from one build of the content to the next. After a harvest most places are unchanged: they
/// keep what was written for them, and only what their Région's new export version changes (the version
/// and the sources) is written again. Writing every place anew after each harvest was about a fifth of a
/// rebuild's CPU at 8,000 places (`spro-bench soak`). Each build keeps only the places it served, so the
/// cache never outgrows the directory.
public final class WrittenPlaces: Sendable {
    /// One place's pieces, and the place they were written from.
    struct Pieces: Sendable {
        /// The place as served, its versions and sources those written in `fragments` and `recordSources`.
        private(set) var served: DirectoryPlace
        /// The national ids of its structures, as its record names them.
        let structureIds: [String]
        let card: PlaceCard
        var fragments: PlaceFragments
        let record: RecordJSON.PlaceParts
        /// `FNV1a.hash(record.head)`, which the record's hash continues.
        let headHash: UInt64
        /// `,"sources":[…]`, between the record's head and tail.
        var recordSources: [UInt8]
        /// Its distinct words, folded (`PlaceNameIndex.words(of:)`).
        let words: [String]

        /// The place's record in the read API: `{…}`.
        var recordJSON: [UInt8] { record.head + recordSources + record.tail }
        /// `FNV1a.hash(recordJSON)`, the head's part kept.
        var recordHash: UInt64 { FNV1a.hash(record.tail, into: FNV1a.hash(recordSources, into: headHash)) }

        /// `week`: the place's opening hours in French, nil without readable hours.
        init(_ served: DirectoryPlace, week: String?, structureIds: [String]) {
            self.served = served
            self.structureIds = structureIds
            card = PlaceCard(served, week: week)
            fragments = PlaceFragments(served, week: week)
            record = RecordJSON.PlaceParts(served, structureIds: structureIds)
            headHash = FNV1a.hash(record.head)
            recordSources = RecordJSON.sources(of: served)
            words = PlaceNameIndex.words(of: served)
        }

        /// Whether these pieces show `served`, but for its versions and sources: everything but those is
        /// compared (the records unchanged by a harvest are the same values, compared at once).
        func show(_ served: DirectoryPlace, structureIds: [String]) -> Bool {
            let old = self.served
            return old.region == served.region && old.place == served.place && old.location == served.location
                && old.structures == served.structures && self.structureIds == structureIds
                && old.firstHarvested == served.firstHarvested && old.lastChanged == served.lastChanged
        }

        /// These pieces for `served`, which they show but for its versions and sources.
        func updated(to served: DirectoryPlace) -> Pieces {
            var out = self
            if served.sourceVersion != self.served.sourceVersion || served.sources != self.served.sources {
                out.fragments = fragments.with(versionsOf: served)
                out.recordSources = RecordJSON.sources(of: served)
            }
            out.served = served
            return out
        }
    }

    /// By public id ("53/quimper-cio").
    private let kept = Mutex<[String: Pieces]>([:])
    /// Each structure's words for the read API's search by name, by its name and network's label.
    private let structureWords = Mutex<[StructureName: [String]]>([:])
    struct StructureName: Hashable {
        let name: String
        let network: String
    }
    private let written = Atomic<Int>(0)

    public init() {}

    /// How many places had their pieces written whole since the cache was made.
    public var placesWritten: Int { written.load(ordering: .relaxed) }

    /// Each structure's words (`PlaceNameIndex.words(in:)` of its name and its network's label), by index in
    /// `structures`, folded once for the structures the last build saw.
    func words(of structures: [NationalStructure]) -> [[String]] {
        let previous = structureWords.withLock { $0 }
        var next: [StructureName: [String]] = [:]
        next.reserveCapacity(structures.count)
        let out = structures.map { s in
            let key = StructureName(name: s.structure.name, network: s.structure.network.label)
            let words = next[key] ?? previous[key] ?? PlaceNameIndex.words(in: [key.name, key.network])
            next[key] = words
            return words
        }
        structureWords.withLock { $0 = next }
        return out
    }

    /// Every place of `search`, by index in `search.places`, its pieces reused where the last build wrote
    /// them for the same place. `structureIds` gives the national ids of a place's structures, in order
    /// (by default each one's own: `RecordJSON.nationalId`).
    func pieces(_ search: PlaceSearch,
                structureIds: (DirectoryPlace) -> [String] = { p in p.structures.map { RecordJSON.nationalId(p.region, $0.id) } }) -> [Pieces] {
        let previous = kept.withLock { $0 }
        var next: [String: Pieces] = [:]
        next.reserveCapacity(search.places.count)
        // Each distinct opening hours text's week in French, written once: places share them.
        var weeks: [String: String] = [:]
        var writes = 0
        let out = search.places.indices.map { i -> Pieces in
            let served = search.places[i]
            let id = served.region.rawValue + "/" + served.place.id
            let ids = structureIds(served)
            let pieces: Pieces
            if let old = previous[id], old.show(served, structureIds: ids) {
                pieces = old.updated(to: served)
            } else {
                var week: String?
                if let text = served.place.openingHours, let hours = search.hours(at: i) {
                    week = weeks[text] ?? hours.frenchWeek()
                    weeks[text] = week
                }
                pieces = Pieces(served, week: week, structureIds: ids)
                writes += 1
            }
            next[id] = pieces
            return pieces
        }
        kept.withLock { $0 = next }
        written.add(writes, ordering: .relaxed)
        return out
    }
}
