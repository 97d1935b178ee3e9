import ArgumentParser
import Directory
import Federation
import Foundation
import Geocoding
import Harvest
import NationalDirectory
import PerformanceKit
import Reference
import RegionNode

/// wrk on the nearest API of a real `spro national serve` process for the whole duration of consecutive
/// harvests (one address changed per Région each time), each picked up and swapped in by the running server.
struct SoakBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "wrk on a live national server during N harvests with one address changed per Région (needs wrk: tools/setup --bench).")
    @Option(help: "Reference pack directory.") var reference: String?
    @Option(help: "Consecutive harvests.") var rounds = 20
    @Option(help: "Sample data scale (1 is about 8,000 places).") var scale = 1.0
    @Option(help: "wrk connections.") var connections = 32
    @Option(help: "The spro executable to serve with (default: beside spro-bench).") var spro: String?

    func run() async throws {
        var table = Table()
        let ctx = try BenchContext(reference: reference)
        let federation = try await BenchFederation.start(ctx, scale: scale)
        let file = federation.work.appendingPathComponent("national.sqlite")
        let store = try NationalStore(path: file.path)
        let harvester = Harvester(regions: federation.fleet.regions, store: store, reference: ctx.pack,
                                  locator: GeocodingLocator(geocoder: Geocoder(pack: ctx.pack), reference: ctx.pack))
        let first = try await harvester.run()
        let places = first.regions.reduce(0) { $0 + $1.places }

        let port = 18_180
        let binary = spro.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("spro")
        let server = Process()
        server.executableURL = binary
        server.arguments = ["national", "serve", "--national", file.path, "--reference", ctx.directory.path, "--port", "\(port)",
                            "--log-level", "warning"]
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        defer { server.terminate() }
        let base = "http://127.0.0.1:\(port)"
        guard try await Self.waitFor("\(base)/readyz", seconds: 180) else { throw ValidationError("the server did not become ready") }
        let script = try Self.wrkScript()

        // Without harvests: slices as long as those during harvests (a p99 over 5 s is noisier than over 10 s), their
        // median p99 the reference.
        _ = try Self.wrk(base, seconds: 3, connections: connections, script: script)  // warm-up
        let quiet = try (1...4).map { _ in try Self.wrk(base, seconds: 5, connections: connections, script: script) }
        let baseline = quiet.sorted { $0.p99 < $1.p99 }[quiet.count / 2]
        table.add("soak \(places) places: wrk -t2 -c\(connections), 4 slices of 5 s, no harvest",
                  "\(fmt(quiet.map(\.rate).reduce(0, +) / Double(quiet.count), 0)) req/s, p99 median \(fmt(baseline.p99, 2)) ms "
                    + "(\(quiet.map { fmt($0.p99, 2) }.joined(separator: ", "))), \(quiet.reduce(0) { $0 + $1.non2xx }) non-2xx, "
                    + "\(quiet.reduce(0) { $0 + $1.socketErrors }) socket errors")

        // During harvests: wrk runs in 5 s slices, back to back, until the last harvest is served.
        let done = StopSignal()
        let slices = Task.detached { () -> [WrkResult] in
            var out: [WrkResult] = []
            while !done.isSet { out.append(try Self.wrk(base, seconds: 5, connections: connections, script: script)) }
            return out
        }
        var rss: [Int: Double] = [:]
        var harvestSeconds: [Double] = []
        var reloadCPU: [Double] = []
        var lastReload = Self.gauge("spro_national_reload_duration_seconds", in: (try? Self.curl("\(base)/metrics").1) ?? "")
        for round in 1...rounds {
            // The Régions' edits (one address each, as a team edits it; their nodes run elsewhere) and the harvest (as `national serve --harvest-every` runs
            // it, or a harvest timer with `Nice=`) on the low-priority background thread: the bench process must not
            // take the cores from the server it measures more than the service's own harvest would.
            let (report, elapsed) = try await withTaskExecutorPreference(BackgroundExecutor.shared) {
                try await federation.changeOneAddressPerRegion(to: "\(round) place de la Mairie", published: store)
                return try await seconds { try await harvester.run() }
            }
            harvestSeconds.append(elapsed)
            let run = try await store.generation().harvestRun
            // Served once the server's content carries this run.
            _ = try await Self.waitFor("\(base)/metrics", seconds: 120) { $0.contains("spro_national_content_harvest_run \(run)") }
            rss[round] = Self.residentMiB(server.processIdentifier)
            // What the server's reload cost, on its background thread (`spro_national_reload_cpu_seconds`): set once the
            // coverage is archived, after the swap, so read when it moved from the previous reload's.
            var metrics = ""
            _ = try await Self.waitFor("\(base)/metrics", seconds: 60) { page in
                metrics = page
                return Self.gauge("spro_national_reload_duration_seconds", in: page) != lastReload
            }
            let reload = (Self.gauge("spro_national_reload_cpu_seconds", in: metrics), Self.gauge("spro_national_reload_duration_seconds", in: metrics))
            lastReload = reload.1
            if let cpu = reload.0 { reloadCPU.append(cpu) }
            FileHandle.standardError.write(Data(("  round \(round): \(report.regions.filter { $0.status == .accepted }.count) accepted in \(fmt(elapsed)) s, "
                + "server reload \(fmt(reload.0 ?? 0)) s CPU in \(fmt(reload.1 ?? 0)) s, server RSS \(fmt(rss[round] ?? 0, 0)) MiB\n").utf8))
        }
        done.set()
        let during = try await slices.value
        let total = during.reduce(0) { $0 + $1.requests }
        let non2xx = during.reduce(0) { $0 + $1.non2xx }, errors = during.reduce(0) { $0 + $1.socketErrors }
        let worst = during.map(\.p99).max() ?? 0
        table.add("soak: \(rounds) harvests (1 address changed per Région), wrk in \(during.count) slices of 5 s",
                  "\(total) requests, \(non2xx) non-2xx, \(errors) socket errors", target: "0 and 0", ok: non2xx == 0 && errors == 0)
        table.add("soak: worst p99 of a slice during harvests", "\(fmt(worst, 2)) ms (\(fmt(worst / max(baseline.p99, 0.001), 2))× without)",
                  target: "≤ 2×", ok: worst <= 2 * baseline.p99)
        FileHandle.standardError.write(Data("  p99 per slice (ms): \(during.map { fmt($0.p99, 2) }.joined(separator: " "))\n".utf8))
        let p99s = during.map(\.p99).sorted()
        table.add("soak: p99 of the slices during harvests", "median \(fmt(p99s[p99s.count / 2], 2)) ms; "
                  + "\(p99s.filter { $0 > 2 * baseline.p99 }.count) of \(p99s.count) slices above 2× without")
        table.add("soak: mean req/s during harvests", fmt(during.map(\.rate).reduce(0, +) / Double(max(during.count, 1)), 0))
        table.add("soak: harvest time (1 change per Région)", "median \(fmt(harvestSeconds.sorted()[harvestSeconds.count / 2])) s, max \(fmt(harvestSeconds.max() ?? 0)) s")
        if !reloadCPU.isEmpty {
            let sorted = reloadCPU.sorted()
            table.add("soak: server reload after a harvest, CPU time", "median \(fmt(sorted[sorted.count / 2])) s, max \(fmt(sorted.last ?? 0)) s")
        }
        let r5 = rss[min(5, rounds)] ?? 0, r20 = rss[rounds] ?? 0
        table.add("soak: server RSS after harvest 5 / after harvest \(rounds)", "\(fmt(r5, 0)) / \(fmt(r20, 0)) MiB",
                  target: "no growth (≤ +5 %)", ok: r20 <= r5 * 1.05)
        try await federation.stop()
        table.print()
    }

    /// Whether `url` answered 200 (with a body `accept`s) within `seconds`.
    static func waitFor(_ url: String, seconds: Double, accept: @escaping (String) -> Bool = { _ in true }) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let (status, body) = try? curl(url), status == 200, accept(body) { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    /// One GET through curl (the bench avoids an HTTP client dependency of its own).
    static func curl(_ url: String) throws -> (Int, String) {
        let out = try run("/usr/bin/curl", ["-s", "-w", "\n%{http_code}", url])
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    struct WrkResult {
        var requests = 0
        var rate = 0.0
        var p99 = 0.0
        var non2xx = 0
        var socketErrors = 0
    }

    /// Runs wrk (nearest queries around eight city centres) and reads its summary.
    static func wrk(_ base: String, seconds: Int, connections: Int, script: String) throws -> WrkResult {
        let out = try run("/usr/bin/wrk", ["-t2", "-c\(connections)", "-d\(seconds)s", "--latency", "-s", script, base])
        var r = WrkResult()
        for line in out.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
            if line.hasPrefix("99%"), let v = parts.last { r.p99 = milliseconds(v) }
            if line.hasPrefix("Requests/sec:"), let v = parts.last { r.rate = Double(v) ?? 0 }
            if line.contains("requests in"), let n = Int(parts.first ?? "") { r.requests = n }
            if line.hasPrefix("Non-2xx"), let v = parts.last { r.non2xx = Int(v) ?? 0 }
            if line.hasPrefix("Socket errors:") {
                // "Socket errors: connect 0, read 0, write 0, timeout 0"
                r.socketErrors = stride(from: 3, to: parts.count, by: 2).compactMap { Int(parts[$0]) }.reduce(0, +)
            }
        }
        return r
    }

    static func milliseconds(_ s: String) -> Double {
        if s.hasSuffix("us") { return (Double(s.dropLast(2)) ?? 0) / 1000 }
        if s.hasSuffix("ms") { return Double(s.dropLast(2)) ?? 0 }
        if s.hasSuffix("s") { return (Double(s.dropLast()) ?? 0) * 1000 }
        return Double(s) ?? 0
    }

    static func wrkScript() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("spro-soak.lua").path
        try Data("""
            local points = { {48.39,-4.49}, {47.99,-4.10}, {48.86,2.35}, {45.76,4.84}, {43.30,5.37}, {44.84,-0.58}, {50.63,3.06}, {43.60,1.44} }
            local i = 0
            request = function()
              i = i + 1
              local p = points[(i % #points) + 1]
              return wrk.format("GET", string.format("/api/v1/places/nearest?lat=%.4f&lon=%.4f&limit=10", p[1], p[2]))
            end
            """.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The value of an unlabelled metric in a Prometheus text page.
    static func gauge(_ name: String, in page: String) -> Double? {
        page.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    /// The resident memory of process `pid` now (`VmRSS`), in MiB.
    static func residentMiB(_ pid: Int32) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }
}

/// A flag set once, read from another task.
final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
