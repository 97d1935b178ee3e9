import ArgumentParser
import Federation
import Foundation
import Geocoding

/// `--ban` for the commands that geocode: BAN extracts (Base Adresse Nationale, one `adresses-XX.csv`
/// per département) give street-level precision.
struct BANOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "BAN extract for street-level precision: a directory of adresses-XX.csv, one such file, or a ban.sqlite built before.",
        discussion: "New or changed CSV files are indexed into ban.sqlite beside them (or --ban-index); unchanged ones are skipped."))
    var ban: String?
    @Option(help: "Where to keep the BAN index (default: ban.sqlite beside the CSV files).")
    var banIndex: String?

    /// The street locator, after indexing any new or changed file, or nil without `--ban`.
    func locator() throws -> BANIndex? {
        guard let ban else { return nil }
        let (index, loaded) = try BANIndex.open(URL(fileURLWithPath: ban), index: banIndex.map { URL(fileURLWithPath: $0) })
        for summary in loaded {
            printLine("BAN \(summary)")
            for problem in summary.problems { printLine("  skipped: \(problem)") }
        }
        return index
    }
}
