import ArgumentParser
import Directory
import Foundation
import Reference
import RegionNode
import SampleData
import Signing

/// A Région imports a CSV of a million places into its node: the rows are read from the file as they are
/// stored, so memory does not grow with the file (the issue measured 1.35 GB for 98 MB before).
struct ImportBench: TableBench {
    static let configuration = CommandConfiguration(commandName: "import",
                                                    abstract: "Peak memory and time of a node's CSV import of 1,000,000 places.")
    @Option(help: "Reference pack directory.") var reference: String?
    @Option(help: "Rows in the CSV.") var rows = 1_000_000

    func run() async throws {
        var table = Table()
        try await Self.measure(try BenchContext(reference: reference), rows: rows, into: &table)
        table.print()
    }

    static func measure(_ ctx: BenchContext, into table: inout Table) async throws {
        try await measure(ctx, rows: 1_000_000, into: &table)
    }

    static func measure(_ ctx: BenchContext, rows: Int, into table: inout Table) async throws {
        let code = RegionCode(unchecked: "53")
        let dataset = SampleGenerator(reference: ctx.pack, townHalls: ctx.townHalls, scale: 1).generate(region: code)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spro-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("lieux.csv")
        let size = try writeCSV(rows: rows, like: dataset, to: csv)

        let store = try NodeStore(region: Region(code: code, name: "Bretagne", departements: [], nodeURL: "", port: 0),
                                  databasePath: dir.appendingPathComponent("node.sqlite").path,
                                  key: SigningKey(region: code, keyId: "bench"))
        try await store.importDataset(RegionDataset(region: code, structures: dataset.structures, places: [], indicators: []))
        let validator = RecordValidator(knownCommunes: Set(ctx.pack.communes.keys.map(\.rawValue)))
        resetPeakMemory()
        let before = residentMemoryMiB()
        let (report, elapsed) = try await seconds {
            try await store.importPlaces(PlaceCSV.rows(.file(csv)), validator: validator, allOrNothing: false, by: .system)
        }
        let peak = peakMemoryMiB()
        table.add("node import of a CSV of \(rows) places (\(fmt(Double(size) / 1_048_576, 0)) MiB)",
                  "\(report.stored) stored, \(report.rejected) rejected in \(fmt(elapsed, 1)) s "
                      + "(\(Int(Double(rows) / elapsed)) rows/s); peak RSS \(fmt(peak, 0)) MiB (\(fmt(before, 0)) before)",
                  target: "peak < 300 MB", ok: peak * 1.048576 < 300 && report.stored == rows)
    }

    /// Writes `rows` places in the import format, cycling through the sample's structures and addresses,
    /// one rejected-free row per line; returns the file's size.
    static func writeCSV(rows: Int, like dataset: RegionDataset, to url: URL, from first: Int = 0) throws -> Int {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let out = try FileHandle(forWritingTo: url)
        defer { try? out.close() }
        var buffer = Data("id,name,structure_ids,address,postcode,city,commune_code,opening_hours,reception_modes,publics,services,accessible,free_of_charge,phone\n".utf8)
        var size = 0
        let samples = dataset.places
        for i in first..<(first + rows) {
            let p = samples[i % samples.count]
            let line = "53-IMPORT-\(i),Permanence \(i),\(p.structures.map(\.structureId).joined(separator: ";")),"
                + "\"\(i % 200) rue de la Gare\",\(p.address.postcode.rawValue),\(p.address.city),\(p.address.communeCode?.rawValue ?? ""),"
                + "Mo-Fr 09:00-12:00,sans_rendez_vous,tous_publics,cep_niveau_1,oui,oui,02 98 00 00 00\n"
            buffer.append(contentsOf: line.utf8)
            if buffer.count > 1 << 20 {
                try out.write(contentsOf: buffer)
                size += buffer.count
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try out.write(contentsOf: buffer)
        return size + buffer.count
    }
}
