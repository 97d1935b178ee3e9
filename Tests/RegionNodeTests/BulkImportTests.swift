import Directory
import Foundation
import Reference
import SproTestSupport
import Testing
@testable import RegionNode

/// Bulk import of structures, places and indicators from CSV and JSON: per-row errors, all-or-nothing, idempotent re-import.
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
                case 2: fields[7] = "Mo-Fr 09:00-49:00"; bad[line] = "openingHours"
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
        return try await node.store.importPlaces(PlaceCSV.rows(.bytes(data, name: "lieux.csv")), validator: validator,
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
        #expect(report.errors.allSatisfy { $0.record.hasPrefix("lieu 53-IMP-") })
        let hours = try #require(report.errors.first { $0.field == "openingHours" })
        #expect(hours.rule.contains("49:00"), "\(hours)")
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

    /// A row that is not UTF-8 (a line saved in Latin-1), holds a control character, or has too few or too
    /// many fields is rejected naming its line and column, and the rows after it go in; with
    /// --all-or-nothing, none does.
    @Test func rowsThatAreNotTextOrOfTheWrongWidthAreRejectedByLineAndColumn() async throws {
        func row(_ id: String, name: String) -> Data {
            Data(([id, name, "53-ML-1", "\"1 rue de Siam\"", "29200", "Brest", "29019"] + Array(repeating: "", count: 7))
                .joined(separator: ",").utf8)
        }
        var data = Data((Self.header + "\n").utf8)
        data += row("53-OK-1", name: "Permanence") + Data("\n".utf8)
        data += row("53-LATIN-1", name: "Point d'accueil M\u{1}tropole").map { $0 == 1 ? 0xE9 : $0 } + Data("\n".utf8)
        data += row("53-NUL-1", name: "Permanence\u{0}") + Data("\n".utf8)
        data += Data("53-SHORT-1,Permanence courte,53-ML-1\n".utf8)
        data += row("53-LONG-1", name: "Permanence") + Data(",en trop\n".utf8)
        data += row("53-OK-2", name: "Permanence") + Data("\n".utf8)

        let (node, validator) = try await Self.node()
        let all = try await node.store.importPlaces(PlaceCSV.rows(.bytes(data, name: "lieux.csv")), validator: validator,
                                                    allOrNothing: true, by: .system)
        #expect(all.refusedWhole && all.stored == 0 && all.rejected == 4)
        #expect(try await node.store.place("53-OK-1") == nil)

        let report = try await node.store.importPlaces(PlaceCSV.rows(.bytes(data, name: "lieux.csv")), validator: validator,
                                                       allOrNothing: false, by: .system)
        #expect(report.stored == 2 && report.rejected == 4 && !report.refusedWhole)
        #expect(report.errors.map(\.line) == [3, 4, 5, 6])
        #expect(report.errors.map(\.field) == ["name", "name", "address", "phone"])
        #expect(report.errors.map(\.record) == ["lieu 53-LATIN-1", "lieu 53-NUL-1", "lieu 53-SHORT-1", "lieu 53-LONG-1"])
        #expect(report.errors[0].rule.contains("UTF-8") && report.errors[0].rule.contains("Latin-1"), "\(report.errors[0])")
        #expect(report.errors[1].rule.contains("U+0000"), "\(report.errors[1])")
        #expect(report.errors[2].rule.contains("trop courte : 3 champs") && report.errors[3].rule.contains("trop longue : 15 champs"))
        #expect(try await node.store.place("53-OK-2") != nil)
        #expect(try await node.store.place("53-NUL-1") == nil)
        #expect(try await node.store.place("53-LATIN-1") == nil)
    }

    /// A file is read as it is imported, with the same outcome as its bytes in memory; past
    /// `ImportReport.listedErrors` bad rows, the others are counted, not listed.
    @Test func aFileIsImportedAsItIsReadAndRejectedRowsAreCountedPastTheListed() async throws {
        let (node, validator) = try await Self.node()
        let url = temporaryDirectory("import").appendingPathComponent("lieux.csv")
        try Self.csv().0.write(to: url)
        let fromFile = try await node.store.importPlaces(PlaceCSV.rows(.file(url)), validator: validator, allOrNothing: false, by: .system)
        #expect(fromFile.stored == 970 && fromFile.rejected == 30 && fromFile.errors.count == 30)
        #expect(try await Self.importCSV(node, validator, allOrNothing: false).errors == fromFile.errors)

        let limit = ImportReport.listedErrors
        let short = (0..<(limit + 50)).map { "53-COURT-\($0),Permanence" }.joined(separator: "\n")
        let many = try await node.store.importPlaces(PlaceCSV.rows(.bytes(Data((Self.header + "\n" + short).utf8), name: "courts.csv")),
                                                     validator: validator, allOrNothing: false, by: .system)
        #expect(many.rejected == limit + 50 && many.errors.count == limit && many.stored == 0)
        #expect(many.errors.last?.line == limit + 1)
    }

    @Test func aMissingRequiredColumnIsNamed() async throws {
        let (node, validator) = try await Self.node()
        await #expect { try await node.store.importPlaces(PlaceCSV.rows(.bytes(Data("id,name\n1,a\n".utf8), name: "lieux.csv")),
                                                          validator: validator, allOrNothing: false, by: .system) } throws: { error in
            "\(error)".contains("structure_ids") && "\(error)".contains("lieux.csv")
        }
    }

    // MARK: - Structures

    @Test func structuresFromCSVApplyOrUpdateAndKeepTheirReferencing() async throws {
        let (node, validator) = try await Self.node()
        let csv = """
        id,name,network,basis,siret,website,phone,email,designation_decided_on,designation_crefop_consulted_on,sells_training
        53-CIDFF-7,CIDFF du Morbihan,cidff,regional_charter,,https://cidff56.example.org,02 97 00 00 00,,,,
        53-ML-1,Mission locale du Pays de Brest (nouveau nom),mission_locale,cep_operator_by_law,,https://ml-brest.example.org,,,,,
        53-FT-9,France Travail Vannes,france_travail,cep_operator_by_law,,,,,,,
        53-BAD-1,Structure au SIRET faux,cidff,regional_charter,12345678901234,,,,,,
        53-BAD-2,,cidff,regional_charter,,,,,,,
        53-BAD-3,Réseau inconnu,club_de_foot,regional_charter,,,,,,,
        53-BAD-4,Un CIDFF opérateur CEP de droit,cidff,cep_operator_by_law,,,,,,,
        53-BAD-5,Opérateur régional,cibc,regional_cep_operator,,,,,2024-05-01,2024-06-01,non
        """
        let parsed = StructureCSV.rows(.bytes(Data(csv.utf8), name: "structures.csv"))
        let mlBefore = try #require(try await node.store.structure("53-ML-1"))
        let report = try await node.store.importStructures(parsed, validator: validator, allOrNothing: false, by: .system)
        #expect(report.stored == 3 && report.errors.count == 5)
        #expect(report.errors.map(\.line) == [5, 6, 7, 8, 9])
        #expect(report.errors.map(\.field) == ["siret", "name", "network", "basis", "designation.crefopConsultedOn"])
        #expect(report.errors[0].description.hasPrefix("ligne 5 : structure 53-BAD-1 : siret :"))
        // New ones enter the workflow: an application, or referenced at once by law; each with its history event.
        #expect(try await node.store.structure("53-CIDFF-7")?.referencing.state == .applied)
        #expect(try await node.store.structure("53-FT-9")?.referencing.state == .referenced)
        #expect(try await node.store.history("53-CIDFF-7").map(\.to) == [.applied])
        // A known one has its details updated; its referencing is untouched.
        let ml = try #require(try await node.store.structure("53-ML-1"))
        #expect(ml.name == "Mission locale du Pays de Brest (nouveau nom)" && ml.referencing == mlBefore.referencing)
        #expect(try await node.store.history("53-ML-1") == [])
        // Re-importing the same file changes nothing, even the new ones' history.
        let again = try await node.store.importStructures(parsed, validator: validator, allOrNothing: false, by: .system)
        #expect(again.stored == 0 && again.unchanged == 3)
        #expect(try await node.store.history("53-CIDFF-7").count == 1)
    }

    // MARK: - Indicators

    @Test func indicatorsFromCSVAreCheckedAgainstTheirDefinitions() async throws {
        let (node, base) = try await Self.node()
        let validator = RecordValidator(knownCommunes: base.knownCommunes, indicators: IndicatorReportTests.catalogue)
        let csv = """
        subject,subject_id,code,period,value,unit
        place,53-P2,first_receptions,2026-Q3,310,persons
        place,53-P2,share_without_appointment,2026-Q3,"42,5",percent
        structure,53-ML-1,first_receptions,2025,1200,persons
        place,53-P2,visits,2026-Q3,10,persons
        place,53-NOPE,first_receptions,2026-Q3,10,persons
        place,53-P2,first_receptions,2026-Q3,douze,persons
        salle,53-P2,first_receptions,2026-Q3,10,persons
        place,53-P2,share_without_appointment,2026-Q2,140,percent
        """
        let parsed = IndicatorCSV.rows(.bytes(Data(csv.utf8), name: "indicateurs.csv"))
        let none = try await node.store.importIndicators(parsed, validator: validator, allOrNothing: true, by: .system)
        #expect(none.refusedWhole && none.stored == 0)
        let before = try await node.store.loadAll().indicators.count
        let report = try await node.store.importIndicators(parsed, validator: validator, allOrNothing: false, by: .system)
        #expect(report.stored == 3)
        #expect(report.errors.map(\.line) == [5, 6, 7, 8, 9])
        #expect(report.errors.map(\.field) == ["code", "subjectId", "value", "subject", "value"])
        #expect(report.errors[0].record == "indicateur visits 2026-Q3 du lieu 53-P2")
        let stored = try await node.store.loadAll().indicators
        #expect(stored.count == before + 3)
        #expect(stored.contains { $0.code == "share_without_appointment" && $0.value == 42.5 })  // French decimal comma
        let again = try await node.store.importIndicators(parsed, validator: validator, allOrNothing: false, by: .system)
        #expect(again.stored == 0 && again.unchanged == 3)
    }

    // MARK: - JSON

    @Test func jsonArraysAreReadItemByItem() async throws {
        let (node, validator) = try await Self.node()
        var good = Fixtures.place("53-JSON-1", structures: ["53-ML-1"])
        good.name = "Point d'accueil JSON"
        let goodJSON = String(decoding: try SproJSON.encoder().encode(good), as: UTF8.self)
        let badPostcode = goodJSON.replacingOccurrences(of: "53-JSON-1", with: "53-JSON-2").replacingOccurrences(of: "\"29200\"", with: "\"2920\"")
        let unknownStructure = goodJSON.replacingOccurrences(of: "53-JSON-1", with: "53-JSON-3").replacingOccurrences(of: "53-ML-1", with: "53-XX-1")
        let data = Data("[\(goodJSON), \(badPostcode), {\"id\": \"53-JSON-4\"}, \(unknownStructure)]".utf8)
        let parsed = try ImportJSON.read(data, as: Place.self, file: "lieux.json")
        let report = try await node.store.importPlaces(parsed, validator: validator, allOrNothing: false, by: .system)
        #expect(report.stored == 1 && report.errors.count == 3)
        #expect(report.errors.map(\.description).joined(separator: "\n").contains("élément 2 : lieu 53-JSON-2 : address.postcode :"))
        #expect(report.errors.map(\.line) == [2, 3, 4] && report.errors.allSatisfy(\.isItem))
        #expect(report.errors[1].record == "lieu 53-JSON-4" && report.errors[2].field == "structure_ids")
        #expect(try await node.store.place("53-JSON-1")?.name == "Point d'accueil JSON")
        #expect(throws: ImportJSON.NotAnArray.self) { try ImportJSON.read(Data("{}".utf8), as: Place.self, file: "x.json") }
    }

    @Test func placesCarryTheirKindPositionAndLanguagesAndBadValuesAreNamed() async throws {
        let (node, validator) = try await Self.node()
        let csv = """
            id,name,structure_ids,address,postcode,city,commune_code,kind,latitude,longitude,languages
            53-POS,Antenne de Brest,53-ML-1,12 rue de Siam,29200,Brest,29019,permanence,"48,3904",-4.4861,fr;BR
            53-KIND,Antenne,53-ML-1,12 rue de Siam,29200,Brest,29019,chateau,,,
            53-HALF,Antenne,53-ML-1,12 rue de Siam,29200,Brest,29019,,48.39,,
            53-FAR,Antenne,53-ML-1,12 rue de Siam,29200,Brest,29019,,148.39,-4.48,
            53-LANG,Antenne,53-ML-1,12 rue de Siam,29200,Brest,29019,,,,français
            """
        let report = try await node.store.importPlaces(PlaceCSV.rows(.bytes(Data(csv.utf8), name: "lieux.csv")), validator: validator,
                                                       allOrNothing: false, by: .system)
        #expect(report.stored == 1 && report.rejected == 4)
        #expect(report.errors.map(\.field) == ["kind", "longitude", "latitude", "languages"], "\(report.errors)")
        let place = try #require(try await node.store.place("53-POS"))
        #expect(place.kind.rawValue == "permanence" && place.coordinates == GeoPoint(lat: 48.3904, lon: -4.4861) && place.languages == ["fr", "br"])
    }

    @Test func aReferencedListLandsAsReferencedInOneCallWithItsConventionAndDate() async throws {
        let (node, validator) = try await Self.node()
        try await node.store.adoptCharters([Fixtures.charter()])
        let now = ISODay.parse("2026-12-05")!
        let csv = """
            id,name,network,basis,siret,referenced_on,convention,charter_version
            53-CIDFF-1,CIDFF du Finistère,cidff,regional_charter,,2025-06-01,"Convention SPRO Bretagne 2024 (Région, recteur, préfet)",1
            53-ML-7,Mission locale du Pays de Morlaix,mission_locale,cep_operator_by_law,,2024-02-01,Convention SPRO Bretagne 2024,
            53-IJ-9,Point Information Jeunesse de Morlaix,information_jeunesse,regional_charter,,2027-01-01,Convention SPRO Bretagne 2024,1
            53-IJ-8,PIJ de Quimperlé,information_jeunesse,regional_charter,,2020-01-01,Convention SPRO Bretagne 2017,1
            53-ML-1,Mission locale de Brest,mission_locale,cep_operator_by_law,,2024-02-01,Convention SPRO Bretagne 2024,
            53-IJ-7,PIJ de Landerneau,information_jeunesse,regional_charter,,2025-06-01,Convention SPRO Bretagne 2024,9
            53-IJ-6,PIJ de Carhaix,information_jeunesse,regional_charter,,2025-06-01,,1
            """
        let report = try await node.store.importFile(.referenced, .bytes(Data(csv.utf8), name: "references.csv"), validator: validator,
                                                     allOrNothing: false, by: .system, at: now)
        #expect(report.stored == 2 && report.rejected == 5, "\(report.errors)")
        #expect(report.errors.map(\.field) == ["referenced_on", "referenced_on", "id", "charter_version", "convention"], "\(report.errors)")
        let cidff = try #require(try await node.store.structure("53-CIDFF-1"))
        #expect(cidff.referencing == PublicReferencing(state: .referenced, charterVersion: 1, since: "2025-06-01", validUntil: "2028-06-01"))
        let event = try #require(try await node.store.history("53-CIDFF-1").first)
        #expect(event.to == .referenced && event.from == nil && event.effectiveOn == "2025-06-01")
        #expect(event.motive.contains("reprise de l'existant") && event.signatories == ["Convention SPRO Bretagne 2024 (Région, recteur, préfet)"])
        #expect(try await node.store.structure("53-ML-7")?.referencing == PublicReferencing(state: .referenced, charterVersion: nil, since: "2024-02-01", validUntil: nil))
        // Published at once as referenced.
        let export = try SproJSON.decoder().decode(ExportDocument.self, from: try await node.store.currentExport().body)
        #expect(export.structures.first { $0.id == "53-CIDFF-1" }?.referencing.state == .referenced)
        #expect(export.structures.first { $0.id == "53-CIDFF-1" }?.referencing.convention == nil, "a convention in words names no record")
    }

    /// A `convention` naming a convention recorded on the node links the reprise to it: its parties sign the
    /// event, and the export names it by id and signature day.
    @Test func aReprisedReferencingNamesTheRecordedConventionItRestsOn() async throws {
        let (node, validator) = try await Self.node()
        try await node.store.adoptCharters([Fixtures.charter()])
        try await node.store.addConvention(Convention(id: "spro-bretagne-2024", title: "Convention régionale du SPRO de Bretagne", signedOn: "2024-03-01",
                                                      parties: [.init(role: .region, name: "Région Bretagne"), .init(role: .recteur, name: "Recteur de l'académie de Rennes"),
                                                                .init(role: .prefet, name: "Préfet de la région Bretagne")]),
                                           by: .system)
        let csv = """
            id,name,network,basis,siret,referenced_on,convention,charter_version
            53-CIDFF-1,CIDFF du Finistère,cidff,regional_charter,,2025-06-01,spro-bretagne-2024,1
            """
        let report = try await node.store.importFile(.referenced, .bytes(Data(csv.utf8), name: "references.csv"), validator: validator,
                                                     allOrNothing: false, by: .system, at: ISODay.parse("2026-12-05")!)
        #expect(report.stored == 1, "\(report.errors)")
        let event = try #require(try await node.store.history("53-CIDFF-1").first)
        #expect(event.conventionId == "spro-bretagne-2024")
        #expect(event.signatories == ["Région Bretagne", "Recteur de l'académie de Rennes", "Préfet de la région Bretagne"])
        let export = try SproJSON.decoder().decode(ExportDocument.self, from: try await node.store.currentExport().body)
        #expect(export.structures.first { $0.id == "53-CIDFF-1" }?.referencing.convention
                == ConventionReference(id: "spro-bretagne-2024", signedOn: CalendarDay(unchecked: "2024-03-01")))
    }
}
