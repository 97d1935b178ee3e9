import ArgumentParser
import Directory
import Federation
import Foundation
import Geocoding
import Harvest
import NationalDirectory
import Reference
import RegionNode
import SampleData
import Signing

/// Locates places from a table computed beforehand, so a harvest benchmark measures harvesting, not geocoding.
struct PrecomputedLocator: PlaceLocator {
    let table: [String: PlaceLocation]
    func locate(_ place: Place) -> PlaceLocation {
        table[place.id] ?? PlaceLocation(commune: nil, zone: nil, position: nil, precision: "unresolved", score: 0, reason: "not precomputed", coordinatesFlag: nil)
    }
}

/// 18 real nodes on loopback serving sample data at a given scale, and a fresh national store.
struct BenchFederation {
    let fleet: NodeFleet
    let stores: [(region: Region, store: NodeStore)]
    let datasets: [RegionDataset]
    let work: URL

    static func start(_ ctx: BenchContext, scale: Double) async throws -> BenchFederation {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("spro-bench-\(UUID().uuidString)")
        let datasets = SampleGenerator(reference: ctx.pack, townHalls: ctx.townHalls, scale: scale).generate()
        var stores: [(region: Region, store: NodeStore)] = []
        let now = Date()
        for d in datasets {
            let key = SigningKey(region: d.region, keyId: "\(d.region)-bench")
            let region = Region(code: d.region, name: ctx.pack.regions[d.region]?.name ?? d.region.rawValue, departements: [],
                                nodeURL: "", port: 0, keys: [key.publicEntry(validFrom: now - 60, validUntil: now + 86_400)])
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            let store = try NodeStore(region: region, databasePath: work.appendingPathComponent("\(d.region).sqlite").path, key: key)
            try await store.importDataset(d)
            _ = try await store.currentExport()
            stores.append((region, store))
        }
        let fleet = try await NodeFleet.start(stores, ephemeralPorts: true)
        return BenchFederation(fleet: fleet, stores: stores, datasets: datasets, work: work)
    }

    /// Each Région's team changes the address of one published place (a change to a place no referenced
    /// structure holds would not be exported), as an admin's edit at the node, published at once; the node's
    /// export is then built. Only that place's record changes, as when a team edits one address by hand.
    func changeOneAddressPerRegion(to line: String, published national: NationalStore) async throws {
        for (d, node) in zip(datasets, stores) {
            let published = try await national.placeIds(d.region)
            guard let first = d.places.first(where: { published.contains($0.id) }),
                  var place = try await node.store.place(first.id) else { continue }
            place.address.lines = [line]
            _ = try await node.store.submitPlace(place, validator: RecordValidator(), by: .system)
            _ = try await node.store.currentExport()
        }
    }

    func stop() async throws {
        try await fleet.stop()
        try? FileManager.default.removeItem(at: work)
    }
}

struct HarvestBench: TableBench {
    static let configuration = CommandConfiguration(
        commandName: "harvest", abstract: "Full, no-change and one-change-per-region harvests at 1x and 10x.")
    @Option(help: "Reference pack directory.") var reference: String?
    @Option(help: "A scale to run (1: ~8,000 places, 10: ~80,000); repeat for several. Default: 1 and 10.") var scale: [Double] = []

    func run() async throws {
        var table = Table()
        try await Self.measure(try BenchContext(reference: reference), scales: scale.isEmpty ? [1, 10] : scale, into: &table)
        table.print()
    }

    static func measure(_ ctx: BenchContext, into table: inout Table) async throws {
        try await measure(ctx, scales: [1, 10], into: &table)
    }

    static func measure(_ ctx: BenchContext, scales: [Double], into table: inout Table) async throws {
        let geocoder = Geocoder(pack: ctx.pack)
        var processPeak = 0.0
        for scale in scales {
            let target = scale <= 1 ? 2.0 : 15.0
            let federation = try await BenchFederation.start(ctx, scale: scale)
            // Geocode beforehand: the targets exclude geocoding.
            var table0: [String: PlaceLocation] = [:]
            let located = GeocodingLocator(geocoder: geocoder, reference: ctx.pack)
            for d in federation.datasets { for p in d.places { table0[p.id] = located.locate(p) } }
            let store = try NationalStore(path: federation.work.appendingPathComponent("national.sqlite").path)
            let harvester = Harvester(regions: federation.fleet.regions, store: store, reference: ctx.pack,
                                      locator: PrecomputedLocator(table: table0))
            let (report, full) = try await seconds { try await harvester.run() }
            let places = report.regions.reduce(0) { $0 + $1.places }
            table.add("harvest \(Int(scale))x: full, \(report.verifiedCount)/18 regions, \(places) places", "\(fmt(full)) s",
                      target: "< \(Int(target)) s", ok: full < target && report.verifiedCount == 18)
            let (again, unchanged) = try await seconds { try await harvester.run() }
            table.add("harvest \(Int(scale))x: no change (ETag 304)", "\(fmt(unchanged * 1000, 0)) ms",
                      target: scale == 1 ? "< 200 ms" : "", ok: scale == 1 ? unchanged < 0.2 && again.regions.allSatisfy { $0.status == .unchanged } : nil)
            // New versions with one address changed per region: only those places are geocoded again.
            try await federation.changeOneAddressPerRegion(to: "1 place de la Mairie", published: store)
            processPeak = max(processPeak, peakMemoryMiB())
            // In a process of its own, so that its peak memory is the harvester's, not that of the 18 nodes
            // and their data, which live in this one.
            let child = try await HarvestOnce.spawn(regions: federation.fleet.regions, locations: table0,
                                                    store: store.path, reference: ctx.directory, work: federation.work)
            let incremental = child.report, newVersions = child.seconds, peak = child.peakMiB, residentBefore = child.beforeMiB
            let counts = incremental.regions.compactMap(\.geocoding)
            let geocoded = counts.reduce(0) { $0 + $1.geocoded }, reused = counts.reduce(0) { $0 + $1.reused }
            let updated = incremental.regions.reduce(0) { $0 + $1.updated }
            // Each region geocodes its changed place, plus any place whose last score was low (geocoded every time);
            // the others are kept by their bytes and count as reused.
            let changeTarget = scale <= 1 ? 0.15 : 1.0
            table.add("harvest \(Int(scale))x: new versions, 1 address changed per region",
                      "\(fmt(newVersions * 1000, 0)) ms, \(updated) updated, \(geocoded) geocoded, \(reused) kept or reused",
                      target: "< \(Int(changeTarget * 1000)) ms",
                      ok: counts.count == 18 && geocoded >= 18 && reused + geocoded == places && updated == 18 && newVersions < changeTarget)
            table.add("harvest \(Int(scale))x: 1 address changed per region, peak RSS of the harvesting process",
                      "\(fmt(peak, 0)) MiB, \(fmt(peak - residentBefore, 0)) MiB over the \(fmt(residentBefore, 0)) MiB before (reference pack, locations)",
                      target: scale <= 1 ? "" : "< 400 MiB", ok: scale <= 1 ? nil : peak < 400)
            for r in incremental.regions where r.status != .accepted {
                table.add("harvest \(Int(scale))x: new versions, region \(r.region) not accepted",
                          "\(r.status.rawValue): \(r.refusal ?? "-")", ok: false)
            }
            try await federation.stop()
        }
        table.add("harvest: peak memory of the benchmark process", "\(fmt(max(processPeak, peakMemoryMiB()), 0)) MiB")
    }
}

struct ExportBench: TableBench {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "A node's export time and size at 1,500 and 15,000 places.")
    @Option(help: "Reference pack directory.") var reference: String?

    static func measure(_ ctx: BenchContext, into table: inout Table) async throws {
        let idf = RegionCode(unchecked: "11")
        for (wanted, target) in [(1_500, 0.2), (15_000, 2.0)] {
            // Île-de-France has about 1,230 places at scale 1; scale it to the wanted size.
            var scale = Double(wanted) / 1_230
            var dataset = SampleGenerator(reference: ctx.pack, townHalls: ctx.townHalls, scale: scale).generate(region: idf)
            scale *= Double(wanted) / Double(max(dataset.places.count, 1))
            dataset = SampleGenerator(reference: ctx.pack, townHalls: ctx.townHalls, scale: scale).generate(region: idf)
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spro-export-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let key = SigningKey(region: idf, keyId: "bench")
            let region = Region(code: idf, name: "Île-de-France", departements: [], nodeURL: "", port: 0)
            let store = try NodeStore(region: region, databasePath: dir.appendingPathComponent("node.sqlite").path, key: key)
            try await store.importDataset(dataset)
            let (export, elapsed) = try await seconds { try await store.currentExport() }
            table.add("node export, \(dataset.places.count) places (\(dataset.indicators.count) indicator values)",
                      "\(fmt(elapsed * 1000, 0)) ms, \(fmt(Double(export.body.count) / 1_048_576)) MiB",
                      target: "< \(Int(target * 1000)) ms", ok: elapsed < target)
            try? FileManager.default.removeItem(at: dir)
        }
    }
}

struct SearchBench: TableBench {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "In-process nearest-place queries at 8,000 and 80,000 places.")
    @Option(help: "Reference pack directory.") var reference: String?

    static func measure(_ ctx: BenchContext, into table: inout Table) {
        let geocoder = Geocoder(pack: ctx.pack)
        let locator = GeocodingLocator(geocoder: geocoder, reference: ctx.pack)
        for scale in [1.0, 10.0] {
            let datasets = SampleGenerator(reference: ctx.pack, townHalls: ctx.townHalls, scale: scale).generate()
            let places = datasets.flatMap { d in
                d.places.map { DirectoryPlace(region: d.region, place: $0, location: locator.locate($0), structures: [], sourceVersion: 1) }
            }
            let search = PlaceSearch(places: places)
            let origins = ctx.pack.populationUnits.filter { $0.population > 2_000 }.map(\.centre)
            let queries = 20_000
            let (_, elapsed) = seconds {
                var n = 0
                for i in 0..<queries { n += search.nearest(to: origins[i % origins.count], limit: 10).count }
                return n
            }
            let (_, filtered) = seconds {
                var n = 0
                let filter = SearchFilter(service: .cep2, sansRendezVous: true)
                for i in 0..<queries { n += search.nearest(to: origins[i % origins.count], limit: 10, filter: filter).count }
                return n
            }
            table.add("search in-process, \(places.count) places: nearest 10", "\(Int(Double(queries) / elapsed)) queries/s, \(fmt(elapsed / Double(queries) * 1e6, 0)) µs each")
            table.add("search in-process, \(places.count) places: with 2 filters", "\(Int(Double(queries) / filtered)) queries/s")
        }
    }
}

/// One harvest in a process of its own (`spro-bench harvest-once`, started by `harvest`): its peak
/// resident memory is the harvester's (the reference pack, the locations table, the store, the exports
/// in hand), not the benchmark's, whose 18 in-process nodes hold every place several times over.
struct HarvestOnce: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "harvest-once", abstract: "One harvest, for `harvest` (internal).",
                                                    shouldDisplay: false)
    @Option(help: "Reference pack directory.") var reference: String
    @Option(help: "National SQLite file.") var store: String
    @Option(help: "JSON file of the regions to harvest.") var regions: String
    @Option(help: "JSON file of each place's location, by id.") var locations: String

    /// What the child prints on its last line.
    struct Result: Codable {
        var seconds: Double
        var peakMiB: Double
        var beforeMiB: Double
        var report: HarvestReport
    }

    func run() async throws {
        let pack = try ReferencePack.load(from: URL(fileURLWithPath: reference))
        let decoder = SproJSON.decoder()
        let regions = try decoder.decode([Region].self, from: Data(contentsOf: URL(fileURLWithPath: regions)))
        let table = try decoder.decode([String: PlaceLocation].self, from: Data(contentsOf: URL(fileURLWithPath: locations)))
        let harvester = Harvester(regions: regions, store: try NationalStore(path: store), reference: pack,
                                  locator: PrecomputedLocator(table: table))
        resetPeakMemory()
        let before = residentMemoryMiB()
        let (report, elapsed) = try await seconds { try await harvester.run() }
        let result = Result(seconds: elapsed, peakMiB: peakMemoryMiB(), beforeMiB: before, report: report)
        print(String(decoding: try SproJSON.encoder().encode(result), as: UTF8.self))
    }

    /// Runs one harvest in a child process of this benchmark and returns what it measured.
    static func spawn(regions: [Region], locations: [String: PlaceLocation], store: String, reference: URL, work: URL) async throws -> Result {
        let encoder = SproJSON.encoder()
        let regionsFile = work.appendingPathComponent("harvest-regions.json")
        let locationsFile = work.appendingPathComponent("harvest-locations.json")
        try encoder.encode(regions).write(to: regionsFile)
        try encoder.encode(locations).write(to: locationsFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        process.arguments = ["harvest-once", "--reference", reference.path, "--store", store,
                             "--regions", regionsFile.path, "--locations", locationsFile.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        // Read before waiting: the report may not fit the pipe's buffer.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last else {
            throw HarvestOnceFailed(status: process.terminationStatus)
        }
        return try SproJSON.decoder().decode(Result.self, from: Data(line.utf8))
    }
}

struct HarvestOnceFailed: Error, CustomStringConvertible {
    let status: Int32
    var description: String { "the harvest's child process exited with status \(status)" }
}
