import Directory
import Foundation
import Referencing
import SproTestSupport
import Testing
@testable import RegionNode

/// Regional CEP operators: a designation record (decision, CREFOP consultation) and the impartiality rule.
@Suite struct CEPDesignationTests {
    static func operatorStructure(_ designation: CEPDesignation?) -> Structure {
        var s = Fixtures.structure("53-CEP-1", network: .other, state: .applied, basis: .regionalCEPOperator)
        s.designation = designation
        return s
    }

    @Test func designationIsRequiredAndCheckedAndNothingIsStoredOnRefusal() async throws {
        let node = try TestNode()
        let place = Fixtures.place("53-CEP-P", structures: ["53-CEP-1"])
        let cases: [(CEPDesignation?, String)] = [
            (nil, "structure 53-CEP-1 : designation : un opérateur régional du CEP a besoin de sa désignation (date de décision, consultation du CREFOP)"),
            (CEPDesignation(decidedOn: "2025-03-01", crefopConsultedOn: "2025-04-01", sellsTraining: false),
             "structure 53-CEP-1 : designation.crefopConsultedOn : le CREFOP est consulté avant la décision (2025-03-01)"),
            (CEPDesignation(decidedOn: "mars 2025", crefopConsultedOn: "2025-01-01", sellsTraining: false),
             "structure 53-CEP-1 : designation.decidedOn : doit être une date AAAA-MM-JJ"),
        ]
        for (designation, message) in cases {
            await #expect { try await node.store.apply(Self.operatorStructure(designation), places: [place], validator: RecordValidator(), by: .system) }
                throws: { "\($0)" == message }
        }
        var charterStructure = Fixtures.structure("53-CIDFF-2", network: .cidff, state: .applied, basis: .regionalCharter)
        charterStructure.designation = CEPDesignation(decidedOn: "2025-03-01", crefopConsultedOn: "2025-02-01", sellsTraining: false)
        await #expect { try await node.store.apply(charterStructure, places: [], validator: RecordValidator(), by: .system) }
            throws: { "\($0)".contains("seul un opérateur régional du CEP a une désignation") }
        let counts = try await node.store.counts()
        #expect(counts.structures == 0 && counts.places == 0)
        #expect(try await node.store.auditLog().isEmpty)
    }

    @Test func anOperatorThatSellsTrainingIsRefusedByTheImpartialityRule() async throws {
        let node = try TestNode()
        let place = Fixtures.place("53-CEP-P", structures: ["53-CEP-1"])
        let selling = CEPDesignation(decidedOn: "2025-03-01", crefopConsultedOn: "2025-02-10", sellsTraining: true)
        let error = await #expect(throws: RecordError.self) {
            try await node.store.apply(Self.operatorStructure(selling), places: [place], validator: RecordValidator(), by: .system)
        }
        #expect(error.map { "\($0)" }?.hasPrefix("structure 53-CEP-1 : designation.sellsTraining : un opérateur régional du CEP ne peut pas vendre") == true)
        #expect(error.map { NodeAPIError($0)?.status } == .unprocessableContent)
        let counts = try await node.store.counts()
        #expect(counts.structures == 0 && counts.places == 0, "nothing is stored on refusal")

        // An operator that sells nothing is referenced on its designation, the rule recorded as passed.
        let designation = CEPDesignation(decidedOn: "2025-03-01", crefopConsultedOn: "2025-02-10", sellsTraining: false)
        let event = try await node.store.apply(Self.operatorStructure(designation), places: [place], validator: RecordValidator(), by: .system)
        #expect(event.to == .referenced && event.charterVersion == nil)
        #expect(event.motive.contains("CREFOP consulté le 2025-02-10"))
        let rule = try #require(event.criteria.first { $0.criterionId == "impartialite" })
        #expect(rule.passed && rule.source == .automatic)
        let export = try SproJSON.decoder().decode(ExportDocument.self, from: try await node.store.currentExport().body)
        #expect(export.structures.first?.designation == designation, "the designation is public with the structure")

        // Its details cannot later say it sells training: the edit is refused, the stored record unchanged.
        var edited = try #require(try await node.store.structure("53-CEP-1"))
        edited.designation?.sellsTraining = true
        await #expect(throws: RecordError.self) { try await node.store.submitStructure(edited, validator: RecordValidator(), by: .system) }
        #expect(try await node.store.structure("53-CEP-1")?.designation?.sellsTraining == false)
    }
}
