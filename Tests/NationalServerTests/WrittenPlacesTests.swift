import Directory
import Foundation
import NationalDirectory
import OpenData
import Testing
@testable import NationalServer

/// What a build of the content reuses from the last one is, byte for byte, what a build from nothing writes.
@Suite struct WrittenPlacesTests {
    @Test func piecesKeptFromTheLastBuildAreThoseWrittenAnew() async throws {
        let content = try await NationalAppTests.content()
        var places = content.search.places
        try #require(places.count >= 4 && places.allSatisfy { !$0.sources.isEmpty })
        let written = WrittenPlaces()
        try Self.expectSameAsWrittenAnew(places, written)
        #expect(written.placesWritten == places.count)

        // Nothing changed: nothing is written.
        try Self.expectSameAsWrittenAnew(places, written)
        #expect(written.placesWritten == places.count)

        // Every Région published a new export version with the same records: the versions and sources are
        // rewritten in the fragments and records, no place is written whole.
        for i in places.indices {
            places[i].sourceVersion += 1
            places[i].sources = places[i].sources.map { source in
                var s = source
                s.exportVersion += 1
                s.generatedAt = "2026-12-06T10:00:00Z"
                return s
            }
        }
        try Self.expectSameAsWrittenAnew(places, written)
        #expect(written.placesWritten == places.count)

        // One place renamed, another moved, a structure renamed: those places alone are written again.
        places[0].place.name = "Mission locale du Pays de Brest — antenne"
        places[1].location.position = GeoPoint(lat: 48.41, lon: -4.46)
        let renamed = try #require(places[2].structures.first?.id)
        let sharing = places.filter { $0.structures.contains { $0.id == renamed } }.count
        for i in places.indices {
            for j in places[i].structures.indices where places[i].structures[j].id == renamed { places[i].structures[j].name = "CIO de Brest-Iroise" }
        }
        let before = written.placesWritten
        try Self.expectSameAsWrittenAnew(places, written)
        let rewritten = Set([0, 1] + places.indices.filter { places[$0].structures.contains { $0.id == renamed } })
        #expect(sharing >= 1 && written.placesWritten - before == rewritten.count)

        // A place withdrawn and then back: it is written again (the cache keeps only what the last build served).
        let withdrawn = places.removeLast()
        try Self.expectSameAsWrittenAnew(places, written)
        let afterWithdrawal = written.placesWritten
        places.append(withdrawn)
        try Self.expectSameAsWrittenAnew(places, written)
        #expect(written.placesWritten == afterWithdrawal + 1)
    }

    /// The served content reads the new name at once: the search by name and the read API's list.
    @Test func aRenamedPlaceIsFoundByItsNewNameAfterARebuild() async throws {
        let content = try await NationalAppTests.content()
        let written = WrittenPlaces()
        var places = content.search.places
        _ = NationalContent(search: PlaceSearch(places: places), structures: content.structures, totals: content.totals,
                            resolveQuery: content.resolveQuery, written: written)
        places[0].place.name = "Espace Orientation Kerichen"
        var structures = content.structures
        try #require(structures.count >= 2)
        structures[1].structure.name = "CIO de Brest-Iroise"
        let rebuilt = NationalContent(search: PlaceSearch(places: places), structures: structures, totals: content.totals,
                                      resolveQuery: content.resolveQuery, written: written)
        let structure = try #require(rebuilt.listings.structures.positions[RecordJSON.nationalId(structures[1].region, structures[1].structure.id)])
        #expect(rebuilt.listings.structures.names.matches("iroise") == [structure])
        #expect(rebuilt.listings.structures.names.matches(content.structures[1].structure.name).isEmpty
                || content.structures[1].structure.name.contains("Brest"))
        #expect(rebuilt.names.matches("kerichen") == [0])
        let listed = try #require(rebuilt.listings.places.positions[RecordJSON.nationalId(places[0].region, places[0].place.id)])
        #expect(String(decoding: rebuilt.listings.places.records[listed], as: UTF8.self).contains("\"name\":\"Espace Orientation Kerichen\""))
        #expect(rebuilt.listings.places.names.matches("kerichen") == [listed])
    }

    static func expectSameAsWrittenAnew(_ places: [DirectoryPlace], _ written: WrittenPlaces) throws {
        let search = PlaceSearch(places: places)
        let kept = written.pieces(search), fresh = WrittenPlaces().pieces(search)
        try #require(kept.count == fresh.count)
        for (a, b) in zip(kept, fresh) {
            #expect(a.recordJSON == b.recordJSON && a.recordHash == FNV1a.hash(b.recordJSON))
            #expect(a.recordJSON == RecordJSON.place(a.served) { s in RecordJSON.nationalId(a.served.region, s.id) })
            #expect([a.fragments.head, a.fragments.middle, a.fragments.rest, a.fragments.versions, a.fragments.tail]
                    == [b.fragments.head, b.fragments.middle, b.fragments.rest, b.fragments.versions, b.fragments.tail])
            #expect([a.card.data, a.card.body, a.card.week, a.card.tail] == [b.card.data, b.card.body, b.card.week, b.card.tail])
            #expect(a.card.approximate == b.card.approximate && a.words == b.words)
        }
    }
}
