import Directory
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Referencing
import SproTestSupport
import Testing
@testable import RegionNode

/// Têtes de réseau (`Structure.networkHeadId`), the entry checks on a whole dataset, the territory box for
/// coordinates, language codes, one savepoint per import row, and the convention a referencing names in
/// the public export.
@Suite struct NetworkHeadAndDatasetTests {
    static let validator = RecordValidator(knownCommunes: Set(TestReference.pack.communes.keys.map(\.rawValue)))
    static let territories = Territories(TestReference.pack)

    /// The fixture dataset, an ARML applying beside it, and an admin token.
    static func node() async throws -> (TestNode, admin: String) {
        let node = try TestNode()
        try await node.store.adoptCharters([ReferencingLifecycleTests.charter(1)])
        try await node.store.importDataset(Fixtures.dataset())
        try await node.store.apply(arml(), places: [], validator: validator, by: .system)
        return (node, try await node.store.issueToken(name: "equipe", role: .admin))
    }

    /// The Missions locales' regional association: a tête de réseau with no place of its own.
    static func arml(_ id: String = "53-ARML-1") -> Structure {
        var s = Fixtures.structure(id, network: .missionLocale, state: .applied, basis: .regionalCharter)
        s.siret = nil
        s.name = "Association régionale des Missions locales de Bretagne"
        return s
    }

    static func put(_ client: some TestClientProtocol, _ s: Structure, token: String) async throws -> AdminListsTests.Answer {
        try await AdminListsTests.call(client, .put, "/api/v1/structures/\(s.id)", token: token, body: s)
    }

    static func message(_ answer: AdminListsTests.Answer) -> String { answer.json["message"] as? String ?? "" }

    // MARK: - Têtes de réseau

    @Test func aTeteDeReseauIsAnotherStructureOfTheNodeWithoutLoops() async throws {
        let (node, admin) = try await Self.node()
        try await AdminListsTests.app(node).test(.router) { client in
            var ml = try #require(try await node.store.structure("53-ML-1"))
            ml.networkHeadId = "53-ML-1"
            var answer = try await Self.put(client, ml, token: admin)
            #expect(answer.status == .unprocessableContent && answer.field == "networkHeadId" && Self.message(answer).contains("sa propre"), "\(answer.json)")
            ml.networkHeadId = "53-NOPE-1"
            answer = try await Self.put(client, ml, token: admin)
            #expect(answer.status == .unprocessableContent && answer.field == "networkHeadId" && Self.message(answer).contains("inconnue 53-NOPE-1"), "\(answer.json)")
            ml.networkHeadId = String(repeating: "x", count: 65)
            answer = try await Self.put(client, ml, token: admin)
            #expect(answer.status == .unprocessableContent && answer.field == "networkHeadId" && Self.message(answer).contains("64 au plus"), "\(answer.json)")
            #expect(try await node.store.structure("53-ML-1")?.networkHeadId == nil, "refusals store nothing")

            ml.networkHeadId = "53-ARML-1"
            #expect(try await Self.put(client, ml, token: admin).status == .ok)
            #expect(try await node.store.structure("53-ML-1")?.networkHeadId == "53-ARML-1")
            // The ARML cannot in turn be headed by the Mission locale it heads, nor through a third structure.
            var head = try #require(try await node.store.structure("53-ARML-1"))
            head.networkHeadId = "53-ML-1"
            answer = try await Self.put(client, head, token: admin)
            #expect(answer.status == .unprocessableContent && answer.field == "networkHeadId"
                    && Self.message(answer).contains("boucle de têtes de réseau : 53-ARML-1 → 53-ML-1 → 53-ARML-1"), "\(answer.json)")
            var ft = try #require(try await node.store.structure("53-FT-1"))
            ft.networkHeadId = "53-ML-1"
            #expect(try await Self.put(client, ft, token: admin).status == .ok)
            head.networkHeadId = "53-FT-1"
            answer = try await Self.put(client, head, token: admin)
            #expect(Self.message(answer).contains("53-ARML-1 → 53-FT-1 → 53-ML-1 → 53-ARML-1"), "\(answer.json)")

            // The signed export carries the link between public structures, and reads back as it was written; the
            // ARML, still applying, is not exported and so not named.
            let body = try await node.store.currentExport().body
            #expect(String(decoding: body, as: UTF8.self).contains(#""networkHeadId":"53-ML-1""#))
            #expect(!String(decoding: body, as: UTF8.self).contains("53-ARML-1"))
            let export = try SproJSON.decoder().decode(ExportDocument.self, from: body)
            #expect(export.structures.first { $0.id == "53-ML-1" }?.networkHeadId == nil)
            #expect(export.structures.first { $0.id == "53-FT-1" }?.networkHeadId == "53-ML-1")
        }
        // The team's page of the structure links to its head's page.
        let ml = try #require(try await node.store.structure("53-ML-1"))
        let page = StructurePage(regionName: "Bretagne", actor: .system, csrfToken: "t", structure: ml, places: [], history: []).document.description
        #expect(page.contains("<dt>Tête de réseau</dt><dd><a href=\"/equipe/structures/53-ARML-1\">53-ARML-1</a></dd>"), "\(page)")
    }

    /// The export names a tête de réseau only when it publishes the head too: an ARML still applying is left out.
    @Test func theExportNamesAHeadOnlyWhenTheHeadIsPublic() {
        var member = Fixtures.structure("53-ML-9")
        member.networkHeadId = "53-ARML-1"
        let applying = Self.arml()
        var referenced = Self.arml()
        referenced.referencing.state = .referenced
        let hidden = PublicView.payload(charters: [], structures: [member, applying], places: [], indicators: [], tombstones: [], channels: [])
        #expect(hidden.structures.map(\.id) == ["53-ML-9"])
        #expect(hidden.structures[0].networkHeadId == nil)
        let shown = PublicView.payload(charters: [], structures: [member, referenced], places: [], indicators: [], tombstones: [], channels: [])
        #expect(shown.structures.first { $0.id == "53-ML-9" }?.networkHeadId == "53-ARML-1")
    }

    @Test func aWithdrawnHeadIsRefusedAtApplicationAndWhenAnEditIsApproved() async throws {
        let (node, _) = try await Self.node()
        let editor = Principal(name: "ml", role: .editor, structureId: "53-ML-1")
        var ml = try #require(try await node.store.structure("53-ML-1"))
        ml.networkHeadId = "53-ARML-1"
        guard case .pending(let editId) = try await node.store.submitStructure(ml, validator: Self.validator, by: editor) else {
            Issue.record("an editor's edit waits for the Région")
            return
        }
        // Meanwhile the ARML leaves the SPRO: the edit naming it can no longer be approved.
        try await node.store.transition("53-ARML-1", TransitionRequest(to: .withdrawn, motive: "dissolution"), by: .system)
        await #expect { try await node.store.decideEdit(editId, approve: true, by: .system) } throws: { error in
            guard case RecordError.invalid(let record, let field, let rule) = error else { return false }
            return record == "structure 53-ML-1" && field == "networkHeadId" && rule.contains("retirée")
        }
        #expect(try await node.store.structure("53-ML-1")?.networkHeadId == nil)
        // Nor may a new structure name it when it applies.
        var cidff = ReferencingLifecycleTests.cidffStructure()
        cidff.networkHeadId = "53-ARML-1"
        await #expect(throws: RecordError.invalid(record: "structure 53-CIDFF-1", field: "networkHeadId",
                                                  rule: "la structure 53-ARML-1 s'est retirée du SPRO : elle ne peut pas être tête de réseau")) {
            try await node.store.apply(cidff, places: [], validator: Self.validator, by: .system)
        }
        #expect(try await node.store.structure("53-CIDFF-1") == nil)
    }

    @Test func aStructuresFileNamesHeadsKnownOrAboveAndRefusesTheRowOfABadOne() async throws {
        let (node, _) = try await Self.node()
        try await node.store.transition("53-ARML-1", TransitionRequest(to: .withdrawn, motive: "dissolution"), by: .system)
        let csv = """
            id,name,network,basis,network_head_id
            53-ML-7,Mission locale de Morlaix,mission_locale,cep_operator_by_law,53-ARML-1
            53-CRIJ-1,CRIJ Bretagne,information_jeunesse,regional_charter,
            53-IJ-7,PIJ de Morlaix,information_jeunesse,regional_charter,53-CRIJ-1
            53-IJ-8,PIJ de Lannion,information_jeunesse,regional_charter,53-IJ-8
            53-IJ-9,PIJ de Carhaix,information_jeunesse,regional_charter,53-IJ-10
            53-ML-8,Mission locale de Brest 2,mission_locale,cep_operator_by_law,53-ML-1
            """
        let report = try await node.store.importStructures(StructureCSV.rows(.bytes(Data(csv.utf8), name: "s.csv")), validator: Self.validator,
                                                           allOrNothing: false, by: .system)
        #expect(report.stored == 3 && report.rejected == 3, "\(report.errors)")
        #expect(report.errors.map(\.line) == [2, 5, 6] && report.errors.allSatisfy { $0.field == "networkHeadId" }, "\(report.errors)")
        #expect(report.errors[0].rule.contains("retirée") && report.errors[1].rule.contains("sa propre") && report.errors[2].rule.contains("inconnue 53-IJ-10"))
        #expect(try await node.store.structure("53-IJ-7")?.networkHeadId == "53-CRIJ-1", "a head from a line above")
        #expect(try await node.store.structure("53-ML-8")?.networkHeadId == "53-ML-1", "a head the node holds")
        #expect(try await node.store.structure("53-ML-7") == nil)

        // A JSON array of structures carries the field too.
        var fromJSON = Fixtures.structure("53-ML-9")
        fromJSON.networkHeadId = "53-CRIJ-1"
        var looping = Fixtures.structure("53-CRIJ-1", network: .informationJeunesse, state: .applied, basis: .regionalCharter)
        looping.siret = nil
        looping.name = "CRIJ Bretagne"
        looping.networkHeadId = "53-IJ-7"
        let json = try ImportJSON.read(try SproJSON.encoder().encode([fromJSON, looping]), as: Structure.self, file: "s.json")
        let second = try await node.store.importStructures(json, validator: Self.validator, allOrNothing: false, by: .system)
        #expect(second.stored == 1 && second.errors.map(\.field) == ["networkHeadId"] && second.errors[0].isItem, "\(second.errors)")
        #expect(second.errors.first?.rule.contains("53-CRIJ-1 → 53-IJ-7 → 53-CRIJ-1") == true, "\(second.errors)")
        #expect(try await node.store.structure("53-ML-9")?.networkHeadId == "53-CRIJ-1")
    }

    // MARK: - Whole datasets

    @Test func aDatasetIsCheckedRecordByRecordAndRefusedWhole() async throws {
        let node = try TestNode()
        try await node.store.importDataset(Fixtures.dataset())
        var dataset = Fixtures.dataset()
        dataset.structures[1].siret = dataset.structures[0].siret              // one SIRET, two structures
        dataset.structures[2].networkHeadId = "53-NOPE-1"                       // unknown tête de réseau
        dataset.places[1].structures = [PlaceStructure(structureId: "53-XX-1", isHost: true)]  // unknown structure
        dataset.places[2].openingHours = "Mo-Fr 09:00-49:00"                    // the entry rules of the other writes
        dataset.places[3].id = "29-P3"                                          // not the Région's prefix
        dataset.places.append(dataset.places[0])                                // an id twice
        await #expect { try await node.store.importDataset(dataset) } throws: { error in
            guard case NodeError.datasetRefused(let errors, let rejected) = error else { return false }
            let text = (error as? NodeError)?.description ?? ""
            return rejected == 6 && errors.map(\.field) == ["id", "siret", "networkHeadId", "structures", "openingHours", "id"]
                && errors.map(\.record) == ["lieu 53-P0", "structure 53-FT-1", "structure 53-IJ-1", "lieu 53-P1", "lieu 53-P2", "lieu 29-P3"]
                && errors.map(\.line) == [6, 2, 3, 2, 3, 4] && errors.allSatisfy(\.isItem)
                && text.hasPrefix("jeu de données refusé, rien n'est importé : 6 enregistrements en erreur : ")
                && text.contains("élément 2 : structure 53-FT-1 : siret : le SIRET") && !text.contains("\n")
        }
        #expect(try await node.store.place("29-P3") == nil, "nothing changed")
        #expect(try await node.store.place("53-P3") != nil)

        // A head later in the dataset is known; a loop within the dataset is not let in.
        var headed = Fixtures.dataset()
        headed.structures[0].networkHeadId = "53-ARML-1"
        headed.structures.append(Self.arml())
        try await node.store.importDataset(headed)
        #expect(try await node.store.structure("53-ML-1")?.networkHeadId == "53-ARML-1")
        headed.structures[3].networkHeadId = "53-ML-1"
        await #expect { try await node.store.importDataset(headed) } throws: { error in
            guard case NodeError.datasetRefused(let errors, _) = error else { return false }
            return errors.map(\.record) == ["structure 53-ML-1", "structure 53-ARML-1"] && errors.allSatisfy { $0.rule.contains("boucle") }
        }
    }

    @Test func aDatasetIsCheckedWithTheValidatorItIsGiven() async throws {
        let node = try TestNode()
        var dataset = Fixtures.dataset()
        dataset.places[0].coordinates = GeoPoint(lat: 0, lon: 0)
        // Without reference data the coordinates are not judged (the demo's samples keep their traps for the harvest)...
        try await node.store.importDataset(dataset)
        // ...with it, they are.
        let checked = RecordValidator(knownCommunes: Self.validator.knownCommunes, territories: Self.territories)
        await #expect { try await node.store.importDataset(dataset, validator: checked) } throws: { error in
            guard case NodeError.datasetRefused(let errors, _) = error else { return false }
            return errors.map(\.field) == ["coordinates"] && errors[0].rule.contains("0,0")
        }
    }

    // MARK: - Coordinates, languages

    @Test func coordinatesOutsideTheRegionsBoxAreRefusedSayingWhenTheyLookSwapped() throws {
        let bretagne = Fixtures.bretagne
        let brest = GeoPoint(lat: 48.3904, lon: -4.4861)
        #expect(Self.territories.coordinatesProblem(brest, of: bretagne) == nil)
        let paris = try #require(Self.territories.coordinatesProblem(GeoPoint(lat: 48.8566, lon: 2.3522), of: bretagne))
        #expect(paris.contains("hors du territoire de Bretagne (53)") && !paris.contains("inversées"), "\(paris)")
        let swapped = try #require(Self.territories.coordinatesProblem(GeoPoint(lat: -4.4861, lon: 48.3904), of: bretagne))
        #expect(swapped.contains("inversées"), "\(swapped)")
        #expect(Self.territories.coordinatesProblem(GeoPoint(lat: 0, lon: 0), of: bretagne)?.contains("0,0") == true)
        // Each Région has its own box; a Région the reference data does not know is not judged.
        #expect(Self.territories.coordinatesProblem(GeoPoint(lat: 48.8566, lon: 2.3522), of: RegionCode(unchecked: "11")) == nil)
        #expect(Self.territories.coordinatesProblem(brest, of: RegionCode(unchecked: "11")) != nil)
        #expect(Self.territories.coordinatesProblem(GeoPoint(lat: 47.6582, lon: -2.7608), of: bretagne) == nil, "Vannes")
        #expect(Self.territories.coordinatesProblem(brest, of: RegionCode(unchecked: "99")) == nil)
    }

    @Test func placeRowsWithImpossibleCoordinatesOrLanguagesAreRefusedByColumn() async throws {
        let (node, _) = try await Self.node()
        let validator = RecordValidator(knownCommunes: Self.validator.knownCommunes, territories: Self.territories)
        let csv = """
            id,name,structure_ids,address,postcode,city,commune_code,latitude,longitude,languages
            53-GEO-1,Permanence de Brest,53-ML-1,1 rue de Siam,29200,Brest,29019,"48,3904",-4.4861,br;EN;gcf
            53-GEO-2,À Paris,53-ML-1,1 rue de Siam,29200,Brest,29019,48.8566,2.3522,
            53-GEO-3,Inversées,53-ML-1,1 rue de Siam,29200,Brest,29019,-4.4861,48.3904,
            53-GEO-4,Île nulle,53-ML-1,1 rue de Siam,29200,Brest,29019,0,0,
            53-GEO-5,Langue en clair,53-ML-1,1 rue de Siam,29200,Brest,29019,,,breton
            53-GEO-6,Chiffre,53-ML-1,1 rue de Siam,29200,Brest,29019,,,b2
            """
        let report = try await node.store.importPlaces(PlaceCSV.rows(.bytes(Data(csv.utf8), name: "lieux.csv")), validator: validator,
                                                       allOrNothing: false, by: .system)
        #expect(report.stored == 1 && report.rejected == 5, "\(report.errors)")
        #expect(report.errors.map(\.field) == ["coordinates", "coordinates", "coordinates", "languages", "languages"], "\(report.errors)")
        #expect(report.errors[0].rule.contains("hors du territoire") && report.errors[1].rule.contains("inversées") && report.errors[2].rule.contains("0,0"))
        #expect(report.errors[3].rule.contains("« breton »"), "\(report.errors[3])")
        #expect(try await node.store.place("53-GEO-1")?.languages == ["br", "en", "gcf"], "codes folded to lower case")
    }

    @Test func theAPIsPlacesFollowTheSameLanguageRule() throws {
        var place = Fixtures.place("53-P9", structures: ["53-ML-1"])
        place.languages = ["br", "gcf", "EN"]
        try Self.validator.validate(place)
        #expect(try LanguageCode("EN").rawValue == "en" && LanguageCode("gcf").rawValue == "gcf")
        for bad in ["breton", "b", "b2", "fr-FR", "", "é"] {
            place.languages = ["br", bad]
            let rule: String
            do { _ = try LanguageCode(bad); rule = "" } catch { rule = error.description }
            #expect(rule.contains("code de langue invalide"), "\(bad)")
            #expect(throws: RecordError.invalid(record: "lieu 53-P9", field: "languages", rule: rule)) { try Self.validator.validate(place) }
        }
    }

    /// A code written in capitals through the API is stored as the file import stores it: in lower case.
    @Test func languagesAreStoredInLowerCaseWhateverTheWayIn() async throws {
        let (node, _) = try await Self.node()
        var place = Fixtures.place("53-P9", structures: ["53-ML-1"])
        place.languages = ["BR", "gcf", "En"]
        _ = try await node.store.submitPlace(place, validator: Self.validator, by: .system)
        #expect(try await node.store.place("53-P9")?.languages == ["br", "gcf", "en"])
    }

    // MARK: - One savepoint per row

    @Test func aRowRefusedHalfWayThroughItsWritesLeavesNothingAndTheNextGoesIn() throws {
        let repository = try NodeRepository(path: temporaryDirectory("savepoint").appendingPathComponent("node.sqlite").path)
        let importer = Importer(repository: repository, region: Fixtures.bretagne)
        let rows = ImportRows(rows: [(line: 2, record: Fixtures.structure("53-ML-1")), (line: 3, record: Fixtures.structure("53-ML-2")),
                                     (line: 4, record: Fixtures.structure("53-ML-3"))], errors: [])
        let now = Date()
        let report = try importer.bulkImport(rows, allOrNothing: false, by: .system, what: "structures", key: { "structure \($0.id)" }) { _ in
        } store: { s in
            try repository.writeStructure(s, at: now)
            // A rule met after a write: the row's own write must not stay, whatever the error's kind.
            if s.id == "53-ML-2" { throw RecordError.conflict("structure 53-ML-2 : refusée après écriture") }
            if s.id == "53-ML-3" {
                throw ReferencingError.forbiddenTransition(structure: s.id, from: .withdrawn, to: .referenced)
            }
            return true
        }
        #expect(report.stored == 1 && report.rejected == 2)
        #expect(report.errors.map(\.line) == [3, 4] && report.errors.map(\.field) == ["referencing.state", "referencing.state"], "\(report.errors)")
        #expect(report.errors[0].rule == "structure 53-ML-2 : refusée après écriture" && report.errors[1].record == "structure 53-ML-3")
        #expect(try repository.structure("53-ML-1") != nil)
        #expect(try repository.structure("53-ML-2") == nil && repository.structure("53-ML-3") == nil)
    }

    @Test func anErrorThatIsNotAboutTheRowStopsTheImportAndKeepsNothing() throws {
        struct DiskFull: Error {}
        let repository = try NodeRepository(path: temporaryDirectory("savepoint").appendingPathComponent("node.sqlite").path)
        let importer = Importer(repository: repository, region: Fixtures.bretagne)
        let rows = ImportRows(rows: [(line: 2, record: Fixtures.structure("53-ML-1")), (line: 3, record: Fixtures.structure("53-ML-2"))], errors: [])
        #expect(throws: DiskFull.self) {
            _ = try importer.bulkImport(rows, allOrNothing: false, by: .system, what: "structures", key: { "structure \($0.id)" }) { _ in
            } store: { s in
                try repository.writeStructure(s, at: Date())
                if s.id == "53-ML-2" { throw DiskFull() }
                return true
            }
        }
        #expect(try repository.structure("53-ML-1") == nil, "the import's one transaction is rolled back")
    }

    // MARK: - The convention in the export

    @Test func theExportNamesTheConventionAReferencingWasDecidedUnderByIdAndDayOnly() async throws {
        let (node, _) = try await Self.node()
        try await node.store.addConvention(Convention(id: "spro-bretagne-2024", title: "Convention régionale du SPRO de Bretagne", signedOn: "2024-03-01",
                                                      parties: [.init(role: .region, name: "Région Bretagne"),
                                                                .init(role: .recteur, name: "Recteur de la région académique"),
                                                                .init(role: .prefet, name: "Préfet de la région Bretagne")]),
                                           by: .system)
        let id = ReferencingLifecycleTests.cidff
        try await node.store.apply(ReferencingLifecycleTests.cidffStructure(), places: [ReferencingLifecycleTests.cidffPlace()],
                                   validator: Self.validator, by: .system)
        // Named while under review, it is not yet published: the decision to reference is what rests on it.
        try await node.store.transition(id, TransitionRequest(to: .underReview, motive: "dossier complet", conventionId: "spro-bretagne-2024"), by: .system)
        #expect(try await node.store.structure(id)?.referencing.convention == nil)
        try await node.store.transition(id, TransitionRequest(to: .referenced, motive: "conforme", attested: ["confiance": true],
                                                              evidence: ["confiance": EvidenceRequest(text: "Entretien avec la directrice ; charte d'accueil signée")],
                                                              conventionId: "spro-bretagne-2024"), by: .system)
        let expected = ConventionReference(id: "spro-bretagne-2024", signedOn: CalendarDay(unchecked: "2024-03-01"))
        #expect(try await node.store.structure(id)?.referencing.convention == expected)
        let body = try await node.store.currentExport().body
        let published = try #require(try SproJSON.decoder().decode(ExportDocument.self, from: body).structures.first { $0.id == id })
        #expect(published.referencing.convention == expected)
        let text = String(decoding: body, as: UTF8.self)
        #expect(text.contains(#""convention":{"id":"spro-bretagne-2024","signedOn":"2024-03-01"}"#))
        #expect(!text.contains("Recteur de la région académique") && !text.contains("Convention régionale du SPRO"), "parties and title stay on the node")
        // Structures whose decision named none publish none.
        #expect(try SproJSON.decoder().decode(ExportDocument.self, from: body).structures.filter { $0.referencing.convention != nil }.map(\.id) == [id])

        // A suspension and a reinstatement naming none keep it; a withdrawal ends it.
        try await node.store.transition(id, TransitionRequest(to: .suspended, motive: "contrôle"), by: .system)
        #expect(try await node.store.structure(id)?.referencing.convention == expected)
        try await node.store.transition(id, TransitionRequest(to: .referenced, motive: "contrôle levé", attested: ["confiance": true],
                                                              evidence: ["confiance": EvidenceRequest(text: "Contrôle sur place")]), by: .system)
        #expect(try await node.store.structure(id)?.referencing.convention == expected)
        try await node.store.transition(id, TransitionRequest(to: .withdrawn, motive: "fin d'activité"), by: .system)
        #expect(try await node.store.structure(id)?.referencing.convention == nil)
    }
}
