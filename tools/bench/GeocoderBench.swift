import ArgumentParser
import Directory
import Foundation
import Geocoding
import Reference

/// Geocoder accuracy on the 34,858 town-hall addresses of `mairies.csv` (true commune and position known),
/// and single-threaded throughput at commune level.
struct GeocoderBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "geocoder", abstract: "Accuracy on town halls, and throughput.")
    @Option(help: "Reference pack directory.") var reference: String?
    @Flag(help: "List every wrong or unresolved address.") var verbose = false

    func run() async throws {
        var table = Table()
        try Self.measure(try BenchContext(reference: reference), into: &table, verbose: verbose)
        table.print()
    }

    static func measure(_ ctx: BenchContext, into table: inout Table, verbose: Bool = false) throws {
        let (geocoder, build) = seconds { Geocoder(pack: ctx.pack) }
        let addresses = ctx.townHalls.map { Address(lines: $0.addressLines, postcode: $0.postcode, city: $0.city) }
        var right = 0, wrong: [(TownHall, GeocodeResult)] = [], unresolved: [(TownHall, GeocodeResult)] = []
        var distances: [Double] = []
        let (results, elapsed) = seconds { addresses.map { geocoder.geocode($0) } }
        for (hall, r) in zip(ctx.townHalls, results) {
            guard let commune = r.commune else { unresolved.append((hall, r)); continue }
            // A town hall of Paris, Lyon or Marseille may be coded as the commune or an arrondissement.
            let parent = ctx.pack.communes[commune]?.parent
            if commune == hall.commune || parent == hall.commune { right += 1 } else { wrong.append((hall, r)) }
            if let p = r.position { distances.append(p.distance(to: hall.position)) }
        }
        distances.sort()
        let share = Double(right) / Double(addresses.count)
        table.add("geocoder: right commune (mairies.csv)", "\(right) / \(addresses.count) = \(fmt(share * 100))%",
                  target: ">= 99.5%", ok: share >= 0.995)
        table.add("geocoder: wrong commune / unresolved", "\(wrong.count) / \(unresolved.count)")
        table.add("geocoder: median distance to true position", "\(fmt(distances[distances.count / 2] / 1000)) km (commune centre)")
        table.add("geocoder: throughput, 1 thread", "\(Int(Double(addresses.count) / elapsed)) addresses/s",
                  target: "> 20,000/s", ok: Double(addresses.count) / elapsed > 20_000)
        table.add("geocoder: index build", "\(fmt(build)) s")
        if verbose {
            for (h, r) in wrong + unresolved {
                FileHandle.standardError.write(Data("  \(h.commune) \(h.addressLines.joined(separator: " / ")), \(h.postcode) \(h.city) -> \(r.commune?.rawValue ?? "unresolved") \(r.reason ?? "")\n".utf8))
            }
        }
    }
}
