import ArgumentParser
import Directory
import Federation
import Foundation
import Geocoding
import Reference

struct GeocodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "geocode",
        abstract: "Geocode a CSV (adresse, code_postal, ville) offline; appends code_insee, lat, lon, precision, score, reason.",
        discussion: ExitCodes.discussion(
            "Prints the rows read, the rows per precision and the first unresolved ones (their line and why) on standard "
                + "output, and progress on standard error.",
            refused: "the input cannot be read, lacks a column or has a malformed row, or the output cannot be written"))
    @OptionGroup var reference: ReferenceOptions
    @Option(name: .customLong("in"), help: "Input CSV.") var input: String
    @Option(help: "Output CSV.") var out: String
    @OptionGroup var ban: BANOptions

    /// Unresolved rows listed by line; the others are in the output's reason column.
    static let listedUnresolved = 10

    func run() async throws {
        let referenceDirectory = try ReferencePack.locate(explicit: reference.directory)
        printError("Lecture du référentiel \(referenceDirectory.path)…")
        let pack = try ReferencePack.load(from: referenceDirectory)
        let streets = try ban.locator()
        var progress = ProgressLine(every: 10_000)
        let summary = try GeocodeCSV.run(input: URL(fileURLWithPath: input), output: URL(fileURLWithPath: out),
                                         geocoder: Geocoder(pack: pack, streetLocator: streets)) { done, total in
            progress.update(done) { "\(FrenchNumbers.count(done)) lignes sur \(FrenchNumbers.count(total)) géocodées…" }
        }
        for line in Self.report(summary, output: out) { printLine(line) }
        if let error = streets?.lastError {
            printLine("La BAN n'a pas répondu pour certaines lignes, restées au niveau de la commune : \(error)")
        }
    }

    /// French names of the precisions, from the most precise.
    static let precisionNames: [(GeocodePrecision, String)] = [
        (.housenumber, "au numéro (BAN)"),
        (.street, "à la rue (BAN)"),
        (.given, "coordonnées fournies"),
        (.commune, "au centre de la commune"),
        (.postcode, "par le code postal seul"),
        (.unresolved, "non résolues"),
    ]

    /// The summary as lines for people: rows read, counts by precision with their share, the first unresolved rows.
    static func report(_ summary: GeocodeCSV.Summary, output: String) -> [String] {
        let total = summary.rows
        var lines = ["\(FrenchNumbers.count(total)) lignes géocodées, écrites dans \(output)"]
        let width = precisionNames.map(\.1.count).max() ?? 0
        for (precision, name) in precisionNames {
            let n = summary.byPrecision[precision] ?? 0
            guard n > 0 || precision == .unresolved else { continue }
            let label = name + String(repeating: " ", count: width - name.count)
            lines.append("  \(label)  \(FrenchNumbers.count(n)) (\(FrenchNumbers.percent(n, of: total)))")
        }
        if !summary.unresolved.isEmpty {
            lines.append("Lignes non résolues :")
            for problem in summary.unresolved.prefix(listedUnresolved) {
                lines.append("  ligne \(problem.line) : \(problem.reason)")
            }
            let more = summary.unresolved.count - listedUnresolved
            if more > 0 { lines.append("  … et \(FrenchNumbers.count(more)) autres (colonne reason de \(output))") }
        }
        return lines
    }
}
