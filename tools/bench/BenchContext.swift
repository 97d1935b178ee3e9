import Directory
import Foundation
import Reference

/// The reference pack and town halls, loaded once for every benchmark.
struct BenchContext {
    let directory: URL
    let pack: ReferencePack
    let townHalls: [TownHall]

    init(reference: String?) throws {
        directory = try ReferencePack.locate(explicit: reference)
        pack = try ReferencePack.load(from: directory)
        townHalls = try TownHall.load(from: directory)
    }
}
