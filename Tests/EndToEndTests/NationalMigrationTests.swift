import Directory
import Foundation
import SproTestSupport
import Storage
import Testing
@testable import NationalDirectory

/// A national file written before a migration opens with its data whole and the new columns filled.
@Suite struct NationalMigrationTests {
    @Test func recordsStoredBeforeProvenanceGetTheirRegionsAcceptanceDate() async throws {
        let path = temporaryDirectory("migrate").appendingPathComponent("national.sqlite").path
        let encoder = SproJSON.encoder()
        do {
            // The file as migrations 1 and 2 left it, with one accepted Breton export.
            let db = try Database(path: path)
            try db.migrate(Array(NationalSchema.migrations.prefix(2)))
            try db.run("""
                INSERT INTO region_snapshots (region, version, content_hash, etag, key_id, generated_at, expires_at, accepted_at)
                VALUES ('53', 4, 'h', NULL, 'k', '2026-05-01T08:00:00Z', '2027-01-01T00:00:00Z', '2026-05-02T09:00:00Z')
                """)
            let structure = Fixtures.structure("53-ML-1")
            try db.run("""
                INSERT INTO structures (region, id, siret, name, network, basis, referencing_state, json, source_version)
                VALUES ('53', ?, ?, ?, 'mission_locale', 'cep_operator_by_law', 'referenced', ?, 4)
                """, structure.id, structure.siret?.rawValue, structure.name, String(decoding: try encoder.encode(structure), as: UTF8.self))
            let place = Fixtures.place("53-P0", structures: ["53-ML-1"])
            try db.run("""
                INSERT INTO places (region, id, name, commune, zone, lat, lon, precision, score, json, source_version)
                VALUES ('53', '53-P0', ?, '29019', '5301', 48.39, -4.49, 'commune', 1, ?, 4)
                """, place.name, String(decoding: try encoder.encode(place), as: UTF8.self))
        }
        let store = try NationalStore(path: path)
        let places = try await store.directoryPlaces()
        #expect(places.map(\.place.id) == ["53-P0"] && places.first?.structures.map(\.id) == ["53-ML-1"])
        let accepted = "2026-05-02T09:00:00Z"
        #expect(places.first?.sources == [RecordSource(region: Fixtures.bretagne, id: "53-P0", exportVersion: 4,
                                                       generatedAt: "2026-05-01T08:00:00Z", firstHarvested: accepted, lastChanged: accepted)])
        #expect(try await store.nationalStructures().map(\.sources.first?.firstHarvested) == [accepted])
    }
}
