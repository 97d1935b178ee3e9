import ArgumentParser
import Coverage
import Directory
import Foundation
import Geocoding
import Harvest
import NationalDirectory
import Reference
import SampleData

/// Coverage at ~8,000 and ~80,000 places: the computation alone; then what `spro coverage --archive` does
/// from a national file (read the places, compute, write every file, archive the run with its facts), with the
/// peak memory it adds; and two archived runs compared (`spro coverage compare`), with the history's size.
struct CoverageBench: TableBench {
    static let configuration = CommandConfiguration(commandName: "coverage", abstract: "Coverage of all zones at 1x and 10x.")
    @Option(help: "Reference pack directory.") var reference: String?
    @Option(help: "Scales to run (1 for ~8,000 places, 10 for ~80,000).") var scale: [Double] = [1, 10]

    func run() async throws {
        var table = Table()
        try await Self.measure(try BenchContext(reference: reference), scales: scale, into: &table)
        table.print()
    }

    static func measure(_ ctx: BenchContext, into table: inout Table) async throws {
        try await measure(ctx, scales: [1, 10], into: &table)
    }

    static func measure(_ ctx: BenchContext, scales: [Double], into table: inout Table) async throws {
        let locator = GeocodingLocator(geocoder: Geocoder(pack: ctx.pack), reference: ctx.pack)
        let outlines = try Outlines.load(.zonesEmploi, from: ctx.directory)
        for scale in scales {
            let datasets = SampleGenerator(reference: ctx.pack, townHalls: ctx.townHalls, scale: scale).generate()
            let located = datasets.map { d in (d, d.places.map { locator.locate($0) }) }
            let places = located.flatMap { d, locations -> [DirectoryPlace] in
                let structures = Dictionary(uniqueKeysWithValues: d.structures.map { ($0.id, $0) })
                return zip(d.places, locations).map { p, loc in
                    DirectoryPlace(region: d.region, place: p, location: loc,
                                   structures: p.structures.compactMap { structures[$0.structureId] }, sourceVersion: 1)
                }
            }
            let n = Int(scale)
            let target = scale > 1 ? (compute: 20.0, whole: 3.0) : (compute: 3.0, whole: 1.0)
            let before = peakMemoryMiB()
            let (report, elapsed) = seconds { CoverageCalculator(reference: ctx.pack).compute(places: places) }
            table.add("coverage \(n)x: \(report.zoneCount) zones, \(places.count) places, \(report.families.count) families",
                      "\(fmt(elapsed)) s, peak \(fmt(peakMemoryMiB(), 0)) MiB (was \(fmt(before, 0)))",
                      target: "< \(Int(target.compute)) s", ok: elapsed < target.compute)

            // A national file holding these places, as a harvest leaves it.
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spro-coverage-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let store = try NationalStore(path: dir.appendingPathComponent("national.sqlite").path)
            for (version, edit) in [(1, false), (2, true)] {
                for (d, locations) in located {
                    var sourcePlaces = d.places, structures = d.structures
                    if edit {
                        // The second run: a tenth of the structures suspended, every twentieth place gone.
                        for i in structures.indices where i % 10 == 0 { structures[i].referencing.state = .suspended }
                        sourcePlaces = sourcePlaces.enumerated().filter { $0.offset % 20 != 7 }.map(\.element)
                    }
                    let byId = Dictionary(uniqueKeysWithValues: zip(d.places.map(\.id), locations))
                    try await store.replace(with: RegionSnapshot(
                        region: d.region, version: version, contentHash: "v\(version)", etag: nil, keyId: "bench", generatedAt: "2026-12-0\(version)T00:00:00Z",
                        expiresAt: "2027-12-01T00:00:00Z", charters: [], structures: structures,
                        places: sourcePlaces.map { ($0, byId[$0.id]!) }, indicators: [], tombstones: []), acceptedAt: Date())
                }
                if version == 1 {
                    let (whole, wholeRead) = try await seconds { try await store.directoryPlaces() }
                    table.add("coverage \(n)x: reading whole records (directoryPlaces, before)", "\(fmt(wholeRead)) s, \(whole.count) places")
                }
                resetPeakMemory()
                let start = peakMemoryMiB()
                let out = dir.appendingPathComponent("out-\(version)")
                let (read, readTime) = try await seconds { try await store.coveragePlaces() }
                let (r, computeTime) = seconds { CoverageCalculator(reference: ctx.pack).compute(places: read) }
                let (id, archiveTime) = try await seconds {
                    try await CoverageArchive.archive(r, places: read, in: store, harvestRun: version, origin: .command)
                }
                let (history, historyTime) = try await seconds {
                    try await CoverageArchive.history(in: store, current: r, currentPlaces: read, currentRun: id)
                }
                let (_, writeTime) = try seconds { try CoverageWriter.write(r, to: out, outlines: outlines, history: history) }
                let total = readTime + computeTime + archiveTime + historyTime + writeTime
                // One after the other here; the command overlaps them (its own time is measured below).
                table.add("coverage \(n)x run \(version): read + compute + archive + history + write, in sequence",
                          "\(fmt(total)) s (read \(fmt(readTime)), compute \(fmt(computeTime)), archive \(fmt(archiveTime)), "
                              + "history \(fmt(historyTime)), write \(fmt(writeTime))); peak +\(fmt(peakMemoryMiB() - start, 0)) MiB over \(fmt(start, 0))")
                if version == 2 {
                    let html = (try? Data(contentsOf: out.appendingPathComponent("coverage.html")).count) ?? 0
                    table.add("coverage \(n)x: coverage.html with history", "\(fmt(Double(html) / 1_048_576, 1)) MiB")
                }
            }
            let runs = try await store.coverageRuns()
            let (c, compareTime) = try await seconds {
                try await CoverageArchive.compare(run: runs[0].id, with: runs[1].id, in: store)
            }
            table.add("coverage \(n)x: compare two archived runs",
                      "\(fmt(compareTime)) s, \(c.comparison.gapsAppeared.count) gaps appeared, \(c.causes?.count ?? 0) causes",
                      target: "< 1 s", ok: compareTime < 1)
            let bytes = try await store.coverageHistoryBytes()
            table.add("coverage \(n)x: history size for 2 runs",
                      "reports \(fmt(Double(bytes.reports) / 1_048_576, 2)) MiB, fact lines \(fmt(Double(bytes.facts) / 1_048_576, 2)) MiB, "
                          + "ids \(fmt(Double(bytes.runs) / 1024, 0)) KiB")
            // The whole command, as a coordinator runs it on this file (two runs archived before): a child process.
            if let (times, peak) = try wholeCommand(national: dir.appendingPathComponent("national.sqlite"), reference: ctx.directory,
                                                    out: dir.appendingPathComponent("out-command")) {
                table.add("coverage \(n)x: `spro coverage --archive`, whole process, 3 runs",
                          times.map { fmt($0) + " s" }.joined(separator: ", ") + "; peak RSS \(fmt(peak, 0)) MiB",
                          target: "< \(Int(target.whole)) s", ok: times.max()! < target.whole)
            } else {
                table.add("coverage \(n)x: `spro coverage --archive`, whole process", "not run: build spro first (swift build -c release --product spro)")
            }
        }
    }

    /// Runs `spro coverage --archive` (the binary beside this one) three times on `national`; the wall-clock
    /// seconds of each and the largest peak resident memory of the three, in MiB. Nil without the binary.
    static func wholeCommand(national: URL, reference: URL, out: URL) throws -> (seconds: [Double], peakMiB: Double)? {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.deletingLastPathComponent().appendingPathComponent("spro")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else { return nil }
        var times: [Double] = []
        for _ in 0..<3 {
            let process = Process()
            process.executableURL = binary
            process.arguments = ["coverage", "--national", national.path, "--reference", reference.path, "--out", out.path, "--archive"]
            process.standardOutput = FileHandle.nullDevice
            let start = Date()
            try process.run()
            process.waitUntilExit()
            times.append(Date().timeIntervalSince(start))
            guard process.terminationStatus == 0 else { throw CoverageCommandFailed(status: process.terminationStatus) }
        }
        // The children's largest peak (Linux: in KiB).
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return (times, Double(usage.ru_maxrss) / 1024)
    }
}

struct CoverageCommandFailed: Error, CustomStringConvertible {
    let status: Int32
    var description: String { "spro coverage exited with status \(status)" }
}
