import Directory
import Foundation
import Reference
import SproTestSupport
import Testing
@testable import RegionNode

/// A node refuses at entry a place outside its Région's territory (its communes and the bassins d'emploi
/// it shares), naming the field and where the place is: the national harvest would otherwise refuse the
/// Région's whole export for that one place.
@Suite struct NodeTerritoryTests {
    static func node() async throws -> (TestNode, RecordValidator) {
        let node = try TestNode()
        try await node.store.importDataset(Fixtures.dataset())
        let pack = TestReference.pack
        return (node, RecordValidator(knownCommunes: Set(pack.communes.keys.map(\.rawValue)), territories: Territories(pack)))
    }

    static func place(_ id: String, postcode: String, city: String, commune: String?) throws -> Place {
        var place = Fixtures.place(id, structures: ["53-ML-1"])
        place.address = Address(lines: ["1 place de la Mairie"], postcode: try Postcode(postcode), city: city,
                                communeCode: try commune.map { try CommuneCode($0) })
        return place
    }

    @Test func aPlaceInAnotherRegionIsRefusedByItsCommuneOrItsPostcode() async throws {
        let (node, validator) = try await Self.node()
        let paris = try Self.place("53-PARIS-1", postcode: "75001", city: "Paris", commune: "75056")
        let error = #expect(throws: RecordError.self) {
            try validator.within(Fixtures.bretagne).validate(paris)
        }
        guard case .invalid(let record, let field, let rule)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(record == "lieu 53-PARIS-1" && field == "address.communeCode")
        #expect(rule.contains("Paris") && rule.contains("Île-de-France") && rule.contains("hors du territoire"), "\(rule)")

        let byPostcode = try Self.place("53-PARIS-2", postcode: "75001", city: "Paris", commune: nil)
        await #expect { _ = try await node.store.submitPlace(byPostcode, validator: validator, by: .system) } throws: { error in
            guard case RecordError.invalid(_, let field, let rule) = error else { return false }
            return field == "address.postcode" && rule.contains("75001")
        }
        #expect(try await node.store.place("53-PARIS-2") == nil)
        // The same validator without a Région (the harvest's own checks, say) does not judge territory.
        try validator.validate(paris)
    }

    @Test func aPlaceInABassinDEmploiTheRegionSharesIsAccepted() async throws {
        let (node, validator) = try await Self.node()
        let pack = TestReference.pack
        // A commune of a neighbouring Région whose zone d'emploi straddles into Bretagne.
        let shared = try #require(pack.communeList.first { c in
            c.kind == .commune && c.region != Fixtures.bretagne && pack.zones[c.zone]?.regions.contains(Fixtures.bretagne) == true
                && pack.postcodes.values.contains { $0.contains { $0.commune == c.code } }
        })
        let postcode = try #require(pack.postcodes.values.first { $0.contains { $0.commune == shared.code } }?.first?.postcode)
        let place = try Self.place("53-VOISIN-1", postcode: postcode.rawValue, city: shared.name, commune: shared.code.rawValue)
        _ = try await node.store.submitPlace(place, validator: validator, by: .system)
        #expect(try await node.store.place("53-VOISIN-1")?.address.communeCode == shared.code)
    }

    @Test func aCSVRowOutsideTheRegionIsRejectedByLineAndTheOthersGoIn() async throws {
        let (node, validator) = try await Self.node()
        let csv = """
        id,name,structure_ids,address,postcode,city,commune_code
        53-CSV-1,Permanence de Brest,53-ML-1,1 rue de Siam,29200,Brest,29019
        53-CSV-2,Permanence de Lyon,53-ML-1,1 place Bellecour,69002,Lyon,69123
        53-CSV-3,Permanence de Quimper,53-ML-1,1 rue Kéréon,29000,Quimper,29232
        """
        let report = try await node.store.importPlaces(PlaceCSV.rows(.bytes(Data(csv.utf8), name: "lieux.csv")),
                                                       validator: validator, allOrNothing: false, by: .system)
        #expect(report.stored == 2 && report.rejected == 1)
        #expect(report.errors.first?.line == 3 && report.errors.first?.field == "address.communeCode")
        #expect(report.errors.first?.rule.contains("Lyon") == true, "\(report.errors)")
    }

    /// Oversize and odd fields are refused at entry, naming the field: a 3 MB name, 10,000 address lines,
    /// a `javascript:` website, an id of another Région, two hosts for one place.
    @Test func oversizeAndOddFieldsAreRefusedNamingTheField() throws {
        let (_, base) = (0, RecordValidator(territories: Territories(TestReference.pack)))
        let validator = base.within(Fixtures.bretagne)
        func field(_ body: () throws -> Void) -> String? {
            do { try body(); return nil } catch let RecordError.invalid(_, field, _) { return field } catch { return "\(error)" }
        }
        var place = Fixtures.place("53-BORNES-1", structures: ["53-ML-1"])
        #expect(field { try validator.validate(place) } == nil)
        place.name = String(repeating: "a", count: 3_000_000)
        #expect(field { try validator.validate(place) } == "name")
        place.name = "Accueil"
        place.address.lines = Array(repeating: "rue", count: 10_000)
        #expect(field { try validator.validate(place) } == "address.lines")
        place.address.lines = ["1 rue de Siam"]
        place.structures = [PlaceStructure(structureId: "53-ML-1", isHost: true), PlaceStructure(structureId: "53-FT-1", isHost: true)]
        #expect(field { try validator.validate(place) } == "structures")
        var other = Fixtures.place("44-P1", structures: ["53-ML-1"])
        #expect(field { try validator.validate(other) } == "id")
        other.id = "53-P1"
        #expect(field { try validator.validate(other) } == nil)
        var structure = Fixtures.structure("53-ML-1")
        structure.website = "javascript:alert(1)"
        #expect(field { try validator.validate(structure) } == "website")
        structure.website = "https://ml-brest.example.org"
        structure.email = "pas une adresse"
        #expect(field { try validator.validate(structure) } == "email")
    }
}
