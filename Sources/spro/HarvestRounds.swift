import Directory
import Federation
import Foundation
import Geocoding
import Harvest
import Logging
import NationalDirectory
import Reference
import Synchronization

/// One harvest as the command line runs it, again and again for `--every` / `--harvest-every`: the
/// registry read afresh each round, progress printed, the report written beside the national file's
/// run record. An operator's lifting of the mass-deletion guard holds for the first round only.
final class HarvestRounds: Sendable {
    let registry: URL
    let store: NationalStore
    let pack: ReferencePack
    let locator: GeocodingLocator
    let reportFile: URL
    let geocodeAll: Bool
    private let lifted: Mutex<[RegionCode: String]>

    init(registry: URL, store: NationalStore, pack: ReferencePack, locator: GeocodingLocator, reportFile: URL,
         geocodeAll: Bool, lifted: [RegionCode: String]) {
        self.registry = registry
        self.store = store
        self.pack = pack
        self.locator = locator
        self.reportFile = reportFile
        self.geocodeAll = geocodeAll
        self.lifted = Mutex(lifted)
    }

    @Sendable func run() async throws -> HarvestReport {
        do {
            return try await round()
        } catch {
            // On standard output too, beside the log line: the operator's terminal shows the round failed.
            printLine("Moissonnage impossible : \(error)")
            throw error
        }
    }

    private func round() async throws -> HarvestReport {
        var harvester = Harvester(regions: try Region.loadAll(from: registry), store: store, reference: pack, locator: locator)
        harvester.allowMassDeletion = lifted.withLock { lifted in
            defer { lifted = [:] }
            return lifted
        }
        if geocodeAll { harvester.reuseScore = nil }
        harvester.progress = { o in
            printLine("\(o.region) \(o.name): \(o.status.rawValue)" + (o.versionInService.map { " v\($0)" } ?? "")
                      + ", \(o.places) places"
                      + (o.geocoding.map { " (\($0.geocoded) geocoded, \($0.reused) locations reused)" } ?? "")
                      + (o.refusal.map { " — \($0)" } ?? ""))
        }
        var report = try await harvester.run()
        // The file tells each Région what to fix in its data in service, not only what was refused.
        report.flag(places: try await store.directoryPlaces(), states: try await store.acceptedStates(), reference: pack)
        try SproJSON.encoder(pretty: true).encode(report).write(to: reportFile, options: .atomic)
        printLine("\(report.verifiedCount) of \(report.regions.count) regions verified; report: \(reportFile.path)")
        return report
    }
}
