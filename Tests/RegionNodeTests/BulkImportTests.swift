import Directory
import Foundation
import Reference
import SproTestSupport
import Testing
@testable import RegionNode

/// Bulk import of points d'accueil from a CSV: per-row errors, all-or-nothing, idempotent re-import.
@Suite struct BulkImportTests {
    static let header = "id,name,structure_ids,address,postcode,city,commune_code,opening_hours,reception_modes,publics,services,accessible,free_of_charge,phone"

    /// 1,000 rows; every 33rd row (30 of them) carries one of six faults. Returns the CSV and the bad lines with their field.
    static func csv() -> (Data, [Int: String]) {
        var lines = [header]
        var bad: [Int: String] = [:]
        for i in 0..<1_000 {
            var fields = ["53-IMP-\(i)", "Permanence \(i)", "53-ML-1;53-FT-1", "\"\(i) rue de Siam, bâtiment B\"", "29200", "Brest", "29019",
                          "Mo-Fr 09:00-12:00", "sans_rendez_vous", "jeunes_16_25;tous_publics", "cep_niveau_1", "oui", "oui", "02 98 00 00 00"]
            if i % 33 == 7 && bad.count < 30 {
                let line = i + 2  // header is line 1
                switch bad.count % 6 {
                case 0: fields[4] = "2920"; bad[line] = "postcode"
                case 1: fields[6] = "29999"; bad[line] = "address.communeCode"
                case 2: fields[7] = "Mo-Fr 09:00-25:00"; bad[line] = "openingHours"
                case 3: fields[2] = "53-XX-9"; bad[line] = "structure_ids"
                case 4: fields[8] = "par_pigeon"; bad[line] = "reception_modes"
                default: fields[1] = ""; bad[line] = "name"
                }
            }
            lines.append(fields.joined(separator: ","))
        }
        return (Data(lines.joined(separator: "\n").utf8), bad)
    }

    static func node() async throws -> (TestNode, RecordValidator) {
        let node = try TestNode()
        try await node.store.importDataset(Fixtures.dataset())
        return (node, RecordValidator(knownCommunes: Set(TestReference.pack.communes.keys.map(\.rawValue))))
    }

    static func importCSV(_ node: TestNode, _ validator: RecordValidator, allOrNothing: Bool) async throws -> ImportReport {
        let (data, _) = csv()
        let parsed = try PlaceCSV.read(try CSVTable(data: data, file: "lieux.csv"))
        return try await node.store.importPlaces(parsed.places, parseErrors: parsed.errors, validator: validator,
                                                 allOrNothing: allOrNothing, by: .system)
    }

    @Test func validRowsGoInAndBadOnesAreReportedByLineAndField() async throws {
        let (node, validator) = try await Self.node()
        let before = try await node.store.counts().places
        let report = try await Self.importCSV(node, validator, allOrNothing: false)
        #expect(report.stored == 970 && report.unchanged == 0 && !report.refusedWhole)
        #expect(try await node.store.counts().places == before + 970)
        let expected = Self.csv().1
        #expect(report.errors.count == 30)
        #expect(Dictionary(uniqueKeysWithValues: report.errors.map { ($0.line, $0.field) }) == expected)
        #expect(report.errors.allSatisfy { $0.record.hasPrefix("place 53-IMP-") })
        let hours = try #require(report.errors.first { $0.field == "openingHours" })
        #expect(hours.rule.contains("25:00"), "\(hours)")
        // Quoted fields with commas survive, and the first structure is the host.
        let place = try #require(try await node.store.place("53-IMP-0"))
        #expect(place.address.lines == ["0 rue de Siam, bâtiment B"] && place.structures.first?.isHost == true)
        #expect(place.freeOfCharge == true && place.publics == [.jeunes, .tousPublics])

        // A re-import is idempotent: nothing stored again, nothing audited again.
        let auditBefore = try await node.store.auditLog().count
        let again = try await Self.importCSV(node, validator, allOrNothing: false)
        #expect(again.stored == 0 && again.unchanged == 970 && again.errors.count == 30)
        #expect(try await node.store.auditLog().count == auditBefore)
    }

    @Test func allOrNothingStoresNoneWhenAnyRowIsBad() async throws {
        let (node, validator) = try await Self.node()
        let before = try await node.store.loadAll().places
        let exportBefore = try await node.store.currentExport().version
        let report = try await Self.importCSV(node, validator, allOrNothing: true)
        #expect(report.refusedWhole && report.stored == 0 && report.errors.count == 30)
        #expect(try await node.store.loadAll().places == before)
        #expect(try await node.store.currentExport().version == exportBefore)
    }

    @Test func aMissingRequiredColumnIsNamed() throws {
        #expect { try PlaceCSV.read(try CSVTable(data: Data("id,name\n1,a\n".utf8), file: "lieux.csv")) } throws: { error in
            "\(error)".contains("structure_ids") && "\(error)".contains("lieux.csv")
        }
    }
}
