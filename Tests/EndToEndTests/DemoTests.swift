import Directory
import Federation
import Foundation
import NationalDirectory
import SproTestSupport
import Testing

/// The whole federation on this machine, as `spro demo --once` runs it: real nodes on loopback,
/// real signatures, real SQLite files, the real reference pack.
@Suite struct DemoTests {
    @Test func demoHarvestsEighteenRegionsAndWritesCoverage() async throws {
        let work = temporaryDirectory("demo")
        var options = Demo.Options(
            workspace: Workspace(root: work), referenceDirectory: TestReference.directory,
            repository: RepositoryData(regions: TestReference.repositoryRoot.appendingPathComponent("Regions"),
                                       charters: TestReference.repositoryRoot.appendingPathComponent("Charters")))
        options.once = true
        options.ephemeralPorts = true
        let lines = LineCollector()
        options.log = { lines.append($0) }
        let summary = try await Demo(options: options).run()

        #expect(summary.regions == 18 && summary.regionsVerified == 18)
        #expect((7_500...9_000).contains(summary.places))
        #expect(summary.byPrecision.values.reduce(0, +) == summary.places)  // every place has a precision
        #expect(summary.placesWithPosition >= summary.places - 10)
        #expect(summary.zones == 306)
        #expect(lines.text.contains("Regions harvested with valid signatures: 18 of 18"))

        let coverage = try JSONSerialization.jsonObject(with: Data(contentsOf: work.appendingPathComponent("coverage/coverage.json"))) as? [String: Any]
        #expect((coverage?["zones"] as? [Any])?.count == 306)
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("coverage/coverage.csv").path))
        let store = try NationalStore(path: work.appendingPathComponent("national.sqlite").path)
        #expect(try await store.totals().places == summary.places)
        #expect(try await store.acceptedStates().count == 18)
        // Private keys are owner-only.
        let attrs = try FileManager.default.attributesOfItem(atPath: work.appendingPathComponent("keys/53.key").path)
        #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        // A second run on the same work directory reuses keys: every region is unchanged, nothing is lost.
        let again = try await Demo(options: options).run()
        #expect(again.regionsVerified == 18 && again.places == summary.places)
        #expect(again.report.regions.allSatisfy { $0.status == .unchanged })
    }

    @Test func unknownRegionCodeNamesTheKnownOnes() {
        let error = #expect(throws: FederationError.self) {
            try Region.find("99", in: TestReference.repositoryRoot.appendingPathComponent("Regions"))
        }
        #expect(error?.description.contains("unknown region code \"99\"") == true)
        #expect(error?.description.contains("53") == true)
    }
}

/// Collects log lines from a concurrent context.
final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ s: String) { lock.withLock { lines.append(s) } }
    var text: String { lock.withLock { lines.joined(separator: "\n") } }
}
