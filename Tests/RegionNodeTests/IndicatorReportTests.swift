import Directory
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SproTestSupport
import Testing
@testable import RegionNode

/// Quality indicators reported over the admin API: checked per value, stored all or none.
@Suite struct IndicatorReportTests {
    static func body(_ values: [IndicatorValue]) throws -> ByteBuffer {
        ByteBuffer(bytes: try SproJSON.encoder().encode(values))
    }

    @Test func editorsReportTheirOwnAndBadBatchesChangeNothing() async throws {
        let node = try TestNode()
        try await node.store.importDataset(Fixtures.dataset())
        let editor = try await node.store.issueToken(name: "ml-editor", role: .editor, structureId: "53-ML-1")
        let app = Application(router: NodeServer.buildRouter(store: node.store))
        let good = IndicatorValue(subject: .place, subjectId: "53-P2", code: "first_receptions", period: "2026-Q3", value: 310, unit: "persons")
        let cases: [(String, [IndicatorValue], HTTPResponse.Status, String)] = [
            ("another structure's place", [good, IndicatorValue(subject: .place, subjectId: "53-P1", code: "visits", period: "2026", value: 5, unit: "persons")],
             .forbidden, "ne peut pas déclarer des indicateurs pour le lieu 53-P1"),
            ("bad period", [good, IndicatorValue(subject: .structure, subjectId: "53-ML-1", code: "visits", period: "2026-13", value: 5, unit: "persons")],
             .unprocessableContent, "indicators[1] (structure 53-ML-1, visits) : period : 2026-13 n'est pas de la forme AAAA, AAAA-Tn (AAAA-Qn) ou AAAA-MM"),
            ("percent over 100", [IndicatorValue(subject: .structure, subjectId: "53-ML-1", code: "satisfaction_rate", period: "2026", value: 130, unit: "percent")],
             .unprocessableContent, "indicators[0] (structure 53-ML-1, satisfaction_rate) : value : un pourcentage vaut au plus 100"),
            ("unknown place", [IndicatorValue(subject: .place, subjectId: "53-NOPE", code: "visits", period: "2026", value: 1, unit: "persons")],
             .unprocessableContent, "subjectId : lieu inconnu 53-NOPE"),
        ]
        let before = try await node.store.loadAll().indicators
        try await app.test(.router) { client in
            for (name, values, status, message) in cases {
                try await client.execute(uri: "/api/v1/indicators", method: .post, headers: [.authorization: "Bearer \(editor)"],
                                         body: try Self.body(values)) { response in
                    #expect(response.status == status, "\(name)")
                    #expect(String(buffer: response.body).contains(message), "\(name): \(String(buffer: response.body))")
                }
            }
            #expect(try await node.store.loadAll().indicators == before, "a refused batch stores nothing, not even its good values")
            try await client.execute(uri: "/api/v1/indicators", method: .post, headers: [.authorization: "Bearer \(editor)"],
                                     body: try Self.body([good])) { response in
                #expect(response.status == .created)
            }
        }
        let export = try SproJSON.decoder().decode(ExportDocument.self, from: try await node.store.currentExport().body)
        #expect(export.indicators.contains(good))
        #expect(try await node.store.auditLog(target: "place/53-P2").map(\.actor) == ["ml-editor"])
    }

    @Test func periodsFollowTheThreeForms() {
        for ok in ["2026", "2026-Q1", "2026-Q4", "2026-01", "2026-12"] { #expect(IndicatorPeriodicity(period: ok) != nil, "\(ok)") }
        for bad in ["26", "2026-Q5", "2026-Q", "2026-00", "2026-13", "2026-1", "2026-01-01", "", "abcd"] { #expect(IndicatorPeriodicity(period: bad) == nil, "\(bad)") }
    }

    /// A small catalogue: one national CEP indicator, one Bretagne's own, one another Région's.
    static let catalogue = IndicatorCatalogue(version: "test", source: "test", definitions: [
        IndicatorDefinition(code: "first_receptions", label: "Premiers accueils", owner: .nationalCEP, unit: "persons", periodicity: .quarter, type: .count),
        IndicatorDefinition(code: "share_without_appointment", label: "Sans rendez-vous", owner: .region(Fixtures.bretagne), unit: "percent",
                            periodicity: .quarter, type: .percent),
        IndicatorDefinition(code: "trained_staff", label: "Personnels formés", owner: .region(RegionCode(unchecked: "84")), unit: "count",
                            periodicity: .year, type: .count),
    ])

    @Test func valuesFollowTheirDefinitionInTheCatalogue() async throws {
        let node = try TestNode()
        try await node.store.importDataset(Fixtures.dataset())
        let admin = try await node.store.issueToken(name: "region-admin", role: .admin)
        let validator = RecordValidator(indicators: Self.catalogue)
        let app = Application(router: NodeServer.buildRouter(store: node.store, validator: validator))
        @Sendable func value(_ code: String, _ period: String, _ v: Double, _ unit: String) -> IndicatorValue {
            IndicatorValue(subject: .place, subjectId: "53-P2", code: code, period: period, value: v, unit: unit)
        }
        let cases: [(String, IndicatorValue, String)] = [
            ("undefined code", value("visits", "2026-Q3", 10, "persons"),
             "code : visits n'est ni dans le socle national du CEP ni défini par la région 53 (catalogue test)"),
            ("another Région's indicator", value("trained_staff", "2026", 3, "count"), "code : trained_staff n'est ni"),
            ("wrong unit", value("first_receptions", "2026-Q3", 10, "percent"), "unit : first_receptions se mesure en persons, pas en percent"),
            ("period finer than collected", value("first_receptions", "2026-07", 10, "persons"),
             "period : first_receptions se relève par trimestre ou plus ; 2026-07 est un mois"),
            ("a count is whole", value("first_receptions", "2026-Q3", 10.5, "persons"), "value : first_receptions est un effectif : un nombre entier est attendu"),
            ("a percentage", value("share_without_appointment", "2026-Q3", 101, "percent"), "value : un pourcentage vaut au plus 100"),
        ]
        let before = try await node.store.loadAll().indicators
        try await app.test(.router) { client in
            for (name, v, message) in cases {
                try await client.execute(uri: "/api/v1/indicators", method: .post, headers: [.authorization: "Bearer \(admin)"],
                                         body: try Self.body([v])) { response in
                    #expect(response.status == .unprocessableContent, "\(name)")
                    #expect(String(buffer: response.body).contains(message), "\(name): \(String(buffer: response.body))")
                }
            }
            #expect(try await node.store.loadAll().indicators == before)
            // Values that follow their definitions go in: national quarterly, national yearly (coarser), the Région's own.
            let good = [value("first_receptions", "2026-Q3", 310, "persons"), value("first_receptions", "2025", 1200, "persons"),
                        value("share_without_appointment", "2026-Q3", 42.5, "percent")]
            try await client.execute(uri: "/api/v1/indicators", method: .post, headers: [.authorization: "Bearer \(admin)"],
                                     body: try Self.body(good)) { response in
                #expect(response.status == .created, "\(String(buffer: response.body))")
            }
            // A charter may only require indicators the catalogue defines for its Région, at their periodicity or longer.
            var charter = Fixtures.charter(2)
            charter.requiredIndicators = [RequiredIndicator(code: "trained_staff", label: "Personnels formés", unit: "count", periodicity: .year)]
            try await client.execute(uri: "/api/v1/charters", method: .post, headers: [.authorization: "Bearer \(admin)"],
                                     body: ByteBuffer(bytes: try SproJSON.encoder().encode(charter))) { response in
                #expect(response.status == .unprocessableContent)
                #expect(String(buffer: response.body).contains("requiredIndicators[0].code : trained_staff n'est ni"), "\(String(buffer: response.body))")
            }
            charter.requiredIndicators = [RequiredIndicator(code: "first_receptions", label: "Premiers accueils", unit: "persons", periodicity: .month)]
            try await client.execute(uri: "/api/v1/charters", method: .post, headers: [.authorization: "Bearer \(admin)"],
                                     body: ByteBuffer(bytes: try SproJSON.encoder().encode(charter))) { response in
                #expect(response.status == .unprocessableContent)
                #expect(String(buffer: response.body).contains("requiredIndicators[0].periodicity"))
            }
        }
        let stored = try await node.store.loadAll().indicators
        #expect(stored.count == before.count + 3)
        #expect(try await node.store.charters().isEmpty)  // neither charter was adopted
    }
}
