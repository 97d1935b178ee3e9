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
             .forbidden, "not place 53-P1"),
            ("bad period", [good, IndicatorValue(subject: .structure, subjectId: "53-ML-1", code: "visits", period: "2026-13", value: 5, unit: "persons")],
             .unprocessableContent, "indicators[1] (structure 53-ML-1, visits): period: 2026-13 is not YYYY, YYYY-Qn or YYYY-MM"),
            ("percent over 100", [IndicatorValue(subject: .structure, subjectId: "53-ML-1", code: "satisfaction_rate", period: "2026", value: 130, unit: "percent")],
             .unprocessableContent, "indicators[0] (structure 53-ML-1, satisfaction_rate): value: a percentage is at most 100"),
            ("unknown place", [IndicatorValue(subject: .place, subjectId: "53-NOPE", code: "visits", period: "2026", value: 1, unit: "persons")],
             .unprocessableContent, "subjectId: unknown place 53-NOPE"),
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
        for ok in ["2026", "2026-Q1", "2026-Q4", "2026-01", "2026-12"] { #expect(NodeStore.isPeriod(ok), "\(ok)") }
        for bad in ["26", "2026-Q5", "2026-Q", "2026-00", "2026-13", "2026-1", "2026-01-01", "", "abcd"] { #expect(!NodeStore.isPeriod(bad), "\(bad)") }
    }
}
