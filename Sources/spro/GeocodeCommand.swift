import ArgumentParser
import Federation
import Foundation
import Geocoding
import Reference

struct GeocodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "geocode", abstract: "Geocode a CSV (adresse, code_postal, ville) offline; appends code_insee, lat, lon, precision, score, reason.")
    @OptionGroup var reference: ReferenceOptions
    @Option(name: .customLong("in"), help: "Input CSV.") var input: String
    @Option(help: "Output CSV.") var out: String
    @OptionGroup var ban: BANOptions

    func run() async throws {
        let pack = try ReferencePack.load(from: try ReferencePack.locate(explicit: reference.directory))
        let streets = try ban.locator()
        let summary = try GeocodeCSV.run(input: URL(fileURLWithPath: input), output: URL(fileURLWithPath: out),
                                         geocoder: Geocoder(pack: pack, streetLocator: streets))
        printLine(String(describing: summary))
        if let error = streets?.lastError { printLine("BAN lookups failed, those rows stayed at commune level: \(error)") }
    }
}
