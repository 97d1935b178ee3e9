import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// spro's benchmarks. Run them in release mode: `swift run -c release spro-bench all`.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spro-bench", abstract: "Benchmarks of spro (release builds); each prints a table.",
        subcommands: [All.self, StreamBench.self, GeocoderBench.self, HarvestBench.self, ExportBench.self, SearchBench.self, CoverageBench.self, SoakBench.self, ImportBench.self, OpenDataBench.self, BackOfficeBench.self, HarvestOnce.self])

    struct All: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "all", abstract: "Every benchmark.")
        @Option(help: "Reference pack directory.") var reference: String?
        func run() async throws {
            var table = Table()
            // First, before the reference pack is loaded: the process's peak memory is then the fetch's own.
            await StreamBench.measure(into: &table)
            let pack = try BenchContext(reference: reference)
            try GeocoderBench.measure(pack, into: &table)
            try await ExportBench.measure(pack, into: &table)
            try await HarvestBench.measure(pack, into: &table)
            SearchBench.measure(pack, into: &table)
            try await CoverageBench.measure(pack, into: &table)
            try await ImportBench.measure(pack, into: &table)
            try await OpenDataBench.measure(pack, into: &table)
            try await BackOfficeBench.measure(pack, into: &table)
            table.print()
        }
    }
}

/// A benchmark subcommand that fills one table from the shared context and prints it.
protocol TableBench: AsyncParsableCommand {
    var reference: String? { get }
    static func measure(_ ctx: BenchContext, into table: inout Table) async throws
}

extension TableBench {
    func run() async throws {
        var table = Table()
        try await Self.measure(try BenchContext(reference: reference), into: &table)
        table.print()
    }
}

/// A results table: benchmark, figure, target, verdict.
struct Table {
    private var rows: [(String, String, String, String)] = []

    mutating func add(_ name: String, _ value: String, target: String = "", ok: Bool? = nil) {
        rows.append((name, value, target, ok.map { $0 ? "ok" : "MISSED" } ?? ""))
        FileHandle.standardError.write(Data("  \(name): \(value)\n".utf8))
    }

    func print() {
        let header = ("benchmark", "result", "target", "")
        let all = [header] + rows
        let w0 = all.map(\.0.count).max()!, w1 = all.map(\.1.count).max()!, w2 = all.map(\.2.count).max()!
        func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
        var out = ""
        for (i, r) in all.enumerated() {
            out += "| \(pad(r.0, w0)) | \(pad(r.1, w1)) | \(pad(r.2, w2)) | \(pad(r.3, 6)) |\n"
            if i == 0 { out += "|" + String(repeating: "-", count: w0 + 2) + "|" + String(repeating: "-", count: w1 + 2) + "|"
                + String(repeating: "-", count: w2 + 2) + "|--------|\n" }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}

/// Measures wall time of `body` in seconds.
func seconds<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = ContinuousClock.now
    let value = try body()
    let d = ContinuousClock.now - start
    return (value, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
}

func seconds<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
    let start = ContinuousClock.now
    let value = try await body()
    let d = ContinuousClock.now - start
    return (value, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
}

/// Peak resident memory of this process so far (or since `resetPeakMemory`), in MiB (Linux `VmHWM`).
func peakMemoryMiB() -> Double { statusMiB("VmHWM:") }

/// Resident memory of this process now, in MiB (Linux `VmRSS`).
func residentMemoryMiB() -> Double { statusMiB("VmRSS:") }

/// Starts `peakMemoryMiB` afresh from the resident memory now (Linux: `5` to `/proc/self/clear_refs`), after
/// handing the heap's free pages back to the system, so that what an earlier step freed does not count.
func resetPeakMemory() {
    #if canImport(Glibc)
    // glibc's `malloc_trim`, which the Glibc module does not export.
    if let symbol = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim") {
        _ = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)(0)
    }
    #endif
    guard let file = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return }
    try? file.write(contentsOf: Data("5".utf8))
    try? file.close()
}

private func statusMiB(_ field: String) -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field) }),
          let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kb / 1024
}

func fmt(_ v: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", v) }
