import ArgumentParser
import Directory
import Federation
import Foundation
import NationalDirectory
import OpenData
import Signing

/// Building every open-data release format (CSV with its data package, GeoJSON, data·inclusion, HSDS),
/// signing the manifest and writing the files, from the national directory the demo harvests at 1x
/// (~8,000 places) and 10x (~80,000).
struct OpenDataBench: TableBench {
    static let configuration = CommandConfiguration(commandName: "opendata",
                                                    abstract: "Time to build, sign and write a whole open-data release at 1x and 10x.")
    @Option(help: "Reference pack directory.") var reference: String?
    @Option(help: "A scale to run (1: ~8,000 places, 10: ~80,000); repeat for several. Default: 1 and 10.") var scale: [Double] = []
    @Option(help: "Where the demo's work directories are kept between runs (default: /tmp/spro-wrk, /tmp/spro-wrk-x10 as the HTTP benches).")
    var workRoot = "/tmp"

    func run() async throws {
        var table = Table()
        try await Self.measure(try BenchContext(reference: reference), scales: scale.isEmpty ? [1, 10] : scale, workRoot: workRoot, into: &table)
        table.print()
    }

    static func measure(_ ctx: BenchContext, into table: inout Table) async throws {
        try await measure(ctx, scales: [1, 10], workRoot: "/tmp", into: &table)
    }

    static func measure(_ ctx: BenchContext, scales: [Double], workRoot: String, into table: inout Table) async throws {
        for scale in scales {
            let work = Workspace(root: URL(fileURLWithPath: workRoot).appendingPathComponent(scale == 1 ? "spro-wrk" : "spro-wrk-x\(Int(scale))"))
            if !FileManager.default.fileExists(atPath: work.nationalDatabase.path) {
                var options = Demo.Options(workspace: work, referenceDirectory: ctx.directory, repository: try RepositoryData.locate())
                options.scale = scale
                options.once = true
                options.ephemeralPorts = true
                options.log = { _ in }
                _ = try await Demo(options: options).run()
            }
            let store = try NationalStore(path: work.nationalDatabase.path)
            let set = OpenDataSet(generatedAt: Date(), places: try await store.directoryPlaces(), structures: try await store.nationalStructures(),
                                  channels: try await store.channels(), regionNames: ctx.pack.regions.mapValues(\.name))
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("spro-opendata-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: out) }
            let key = SigningKey(nationalKeyId: "national-bench")
            let target = scale <= 1 ? 2.0 : 15.0
            var best = Double.infinity
            var folder: URL?
            for _ in 0..<3 {
                let (written, time) = try await seconds { try await OpenDataRelease.publish(set, version: 1, key: key, into: out, keep: 1) }
                best = min(best, time)
                folder = written
            }
            // Each format alone, one after the other, on every core it can use.
            let names = ["CSV + data package", "GeoJSON", "data·inclusion", "HSDS 3.0"]
            for (name, format) in zip(names, OpenDataRelease.formats) {
                let (_, time) = try seconds { try format(set) }
                table.add("open data \(Int(scale))x: \(name) alone", "\(fmt(time)) s")
            }
            let manifest = try SproJSON.decoder().decode(ReleaseManifest.self, from: Data(contentsOf: folder!.appendingPathComponent(OpenDataRelease.manifestName)))
            let bytes = manifest.files.reduce(0) { $0 + $1.bytes }
            table.add("open data \(Int(scale))x: build, sign and write every format, \(set.places.count) places, \(manifest.files.count) files",
                      "\(fmt(best)) s (best of 3), \(fmt(Double(bytes) / 1_048_576, 1)) MiB",
                      target: "< \(Int(target)) s", ok: best < target)
            for entry in manifest.files.sorted(by: { $0.bytes > $1.bytes }).prefix(4) {
                table.add("open data \(Int(scale))x: \(entry.name)", "\(fmt(Double(entry.bytes) / 1_048_576, 1)) MiB")
            }
        }
        table.add("open data: peak RSS of the process", "\(fmt(peakMemoryMiB(), 0)) MiB")
    }
}
