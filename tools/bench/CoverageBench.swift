import ArgumentParser
import Coverage
import Directory
import Foundation
import Geocoding
import Harvest
import NationalDirectory
import SampleData

/// Full coverage computation (every commune, every service and public family) at ~8,000 and ~80,000 places.
struct CoverageBench: TableBench {
    static let configuration = CommandConfiguration(commandName: "coverage", abstract: "Coverage of all zones at 1x and 10x.")
    @Option(help: "Reference pack directory.") var reference: String?

    static func measure(_ ctx: BenchContext, into table: inout Table) {
        let locator = GeocodingLocator(geocoder: Geocoder(pack: ctx.pack), reference: ctx.pack)
        for (scale, target) in [(1.0, 3.0), (10.0, 20.0)] {
            let datasets = SampleGenerator(reference: ctx.pack, townHalls: ctx.townHalls, scale: scale).generate()
            let places = datasets.flatMap { d -> [DirectoryPlace] in
                let structures = Dictionary(uniqueKeysWithValues: d.structures.map { ($0.id, $0) })
                return d.places.map { p in
                    DirectoryPlace(region: d.region, place: p, location: locator.locate(p),
                                   structures: p.structures.compactMap { structures[$0.structureId] }, sourceVersion: 1)
                }
            }
            let before = peakMemoryMiB()
            let (report, elapsed) = seconds { CoverageCalculator(reference: ctx.pack).compute(places: places) }
            table.add("coverage \(Int(scale))x: \(report.zoneCount) zones, \(places.count) places, \(report.families.count) families",
                      "\(fmt(elapsed)) s, peak \(fmt(peakMemoryMiB(), 0)) MiB (was \(fmt(before, 0)))",
                      target: "< \(Int(target)) s", ok: elapsed < target)
        }
    }
}
