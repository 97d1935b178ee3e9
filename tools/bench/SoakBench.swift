import ArgumentParser
import AsyncHTTPClient
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
    @Flag(help: "Serve with --no-background-pacing (to compare).") var noBackgroundPacing = false

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
                            "--log-level", "warning"] + (noBackgroundPacing ? ["--no-background-pacing"] : [])
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        defer { server.terminate() }
        let base = "http://127.0.0.1:\(port)"
        let client = HTTPClient.shared
        guard try await Self.waitFor(client, "\(base)/readyz", seconds: 180) else { throw ValidationError("the server did not become ready") }
        let script = try Self.wrkScript()

        // wrk runs in 5 s slices, back to back, for the whole soak. Each round waits for a slice run with nothing
        // else under way, then has the Régions edit (wrk stopped), harvests and waits until the server has swapped the run in,
        // archived its coverage and freed the replaced content. A slice that overlaps a round counts as "during
        // harvests"; the others are the reference, taken between the rounds: this machine's speed drifts by a
        // third within minutes, and a reference taken only before the first harvest drifts with it.
        _ = try Self.wrk(base, seconds: 3, connections: connections, script: script)  // warm-up
        let timeline = SliceTimeline()
        let slices = Task.detached {
            while !timeline.isStopped {
                try await timeline.parkWhileHeld()
                let (started, steal) = (Date(), Self.stolenSeconds())
                let result = try Self.wrk(base, seconds: 5, connections: connections, script: script)
                timeline.append(Slice(start: started, end: Date(), result: result, stolen: Self.stolenSeconds() - steal))
            }
        }
        // The server's resident size at the end of each round, the replaced content freed.
        var rss: [Int: Double] = [:]
        var harvestSeconds: [Double] = []
        var reloadCPU: [Double] = []
        var lastReload = Self.gauge("spro_national_reload_duration_seconds", in: await Self.get(client, "\(base)/metrics") ?? "")
        for round in 1...rounds {
            // The Régions' edits, one address each, as a team makes them at its node, with wrk stopped after a slice
            // without harvests: in service each node runs on its Région's machine, and here its new signed export
            // (about 0.65 s of CPU for the 18) would take the cores from the server under test, five times what
            // the harvest takes. wrk runs again before the harvest starts.
            try await timeline.holdAfterQuietSlice()
            let editsCPU = try await withTaskExecutorPreference(BackgroundExecutor.shared) {
                let before = Self.processCPUSeconds()
                try await federation.changeOneAddressPerRegion(to: "\(round) place de la Mairie", published: store)
                return Self.processCPUSeconds() - before
            }
            timeline.resume()
            let busyFrom = Date()
            // The harvest (as `national serve --harvest-every` runs it, or a harvest timer with `Nice=`) on the
            // low-priority background thread: the bench process must not take the cores from the server it
            // measures more than the service's own harvest would. The process's CPU time around it includes the
            // nodes answering on this process's other threads.
            let (report, elapsed, harvestCPU) = try await withTaskExecutorPreference(BackgroundExecutor.shared) {
                let before = Self.processCPUSeconds()
                let (report, elapsed) = try await seconds { try await harvester.run() }
                return (report, elapsed, Self.processCPUSeconds() - before)
            }
            harvestSeconds.append(elapsed)
            let run = try await store.generation().harvestRun
            // What the server's reload cost, on its background thread (`spro_national_reload_cpu_seconds`): set once the
            // coverage is archived, after the swap, so read once it moved from the previous reload's and the
            // content carries this run.
            var metrics = ""
            guard try await Self.waitFor(client, "\(base)/metrics", seconds: 120, accept: { page in
                metrics = page
                return page.contains("spro_national_content_harvest_run \(run)")
                    && Self.gauge("spro_national_reload_duration_seconds", in: page) != lastReload
            }) else { throw ValidationError("round \(round): the server did not serve harvest run \(run) within 120 s") }
            let reload = (Self.gauge("spro_national_reload_cpu_seconds", in: metrics), Self.gauge("spro_national_reload_duration_seconds", in: metrics))
            let rests = Self.gauge("spro_background_rests_total", in: metrics) ?? 0
            lastReload = reload.1
            if let cpu = reload.0 { reloadCPU.append(cpu) }
            // The replaced content is freed on the server's background thread two seconds after the swap: part of the round.
            try await Task.sleep(for: .seconds(3))
            rss[round] = Self.residentMiB(server.processIdentifier)
            timeline.addBusy(from: busyFrom, to: Date())
            FileHandle.standardError.write(Data(("  round \(round): \(report.regions.filter { $0.status == .accepted }.count) accepted in \(fmt(elapsed)) s (bench CPU: edits \(fmt(editsCPU)) s, harvest \(fmt(harvestCPU)) s), "
                + "server reload \(fmt(reload.0 ?? 0)) s CPU in \(fmt(reload.1 ?? 0)) s, server RSS \(fmt(rss[round] ?? 0, 0)) MiB, its background thread's rests so far \(Int(rests))\n").utf8))
        }
        try await timeline.waitForQuietSlice()
        timeline.stop()
        try await slices.value
        let (during, quiet) = timeline.split()
        guard !quiet.isEmpty, !during.isEmpty else { throw ValidationError("no slice with or without harvests") }
        let quietP99 = quiet.map(\.p99).sorted(), duringP99 = during.map(\.p99).sorted()
        let reference = quietP99[quietP99.count / 2]
        // The p99 of every request answered during the rounds, and of every one answered between them: wrk's
        // latency histograms of the slices merged (a slice's own p99 moves with this machine's hiccups, which
        // strike slices without a round as well).
        let (duringAll, quietAll) = (Self.p99(of: during), Self.p99(of: quiet))
        table.add("soak \(places) places: wrk -t2 -c\(connections), \(quiet.count) slices of 5 s without harvests (between the rounds)",
                  "\(fmt(quiet.map(\.rate).reduce(0, +) / Double(quiet.count), 0)) req/s, p99 \(fmt(quietAll, 2)) ms, "
                    + "\(quiet.reduce(0) { $0 + $1.non2xx }) non-2xx, \(quiet.reduce(0) { $0 + $1.socketErrors }) socket errors")
        let total = during.reduce(0) { $0 + $1.requests }
        let non2xx = during.reduce(0) { $0 + $1.non2xx }, errors = during.reduce(0) { $0 + $1.socketErrors }
        table.add("soak: \(rounds) harvests (1 address changed per Région), wrk in \(during.count) slices of 5 s",
                  "\(total) requests, \(non2xx) non-2xx, \(errors) socket errors", target: "0 and 0", ok: non2xx == 0 && errors == 0)
        table.add("soak: p99 of the requests during harvests", "\(fmt(duringAll, 2)) ms (\(fmt(duringAll / max(quietAll, 0.001), 2))× without)",
                  target: "≤ 2×", ok: duringAll <= 2 * quietAll)
        let worst = (during: duringP99.last ?? 0, quiet: quietP99.last ?? 0)
        table.add("soak: p99 of a 5 s slice, against the median slice without harvests (\(fmt(reference, 2)) ms)",
                  "during: median \(fmt(duringP99[duringP99.count / 2] / max(reference, 0.001), 2))×, worst \(fmt(worst.during, 2)) ms "
                    + "(\(fmt(worst.during / max(reference, 0.001), 2))×), \(duringP99.filter { $0 > 2 * reference }.count) of \(duringP99.count) above 2×; "
                    + "without: worst \(fmt(worst.quiet, 2)) ms (\(fmt(worst.quiet / max(reference, 0.001), 2))×), "
                    + "\(quietP99.filter { $0 > 2 * reference }.count) of \(quietP99.count) above 2×")
        let slow = timeline.all.enumerated().filter { $0.element.result.max > 100 }
        if !slow.isEmpty {
            FileHandle.standardError.write(Data(("  slices with a request over 100 ms: "
                + slow.map { "#\($0.offset + 1)\($0.element.isBusy ? "*" : "") max \(fmt($0.element.result.max, 0)) ms" }.joined(separator: ", ") + "\n").utf8))
        }
        // The hypervisor's share: CPU time this virtual machine's cores wanted and did not get (/proc/stat "steal").
        let stolen = timeline.all.map(\.stolen)
        table.add("soak: CPU time stolen by the hypervisor", "\(fmt(stolen.reduce(0, +) * 1000, 0)) ms in all, "
                  + "most in a slice \(fmt((stolen.max() ?? 0) * 1000, 0)) ms")
        FileHandle.standardError.write(Data(("  stolen per slice (ms), * during harvests: "
            + timeline.all.map { ($0.isBusy ? "*" : "") + fmt($0.stolen * 1000, 0) }.joined(separator: " ") + "\n").utf8))
        FileHandle.standardError.write(Data(("  p99 per slice (ms), * during harvests: "
            + timeline.all.map { ($0.isBusy ? "*" : "") + fmt($0.result.p99, 2) }.joined(separator: " ") + "\n").utf8))
        table.add("soak: mean req/s during harvests", fmt(during.map(\.rate).reduce(0, +) / Double(during.count), 0))
        table.add("soak: harvest time (1 change per Région)", "median \(fmt(harvestSeconds.sorted()[harvestSeconds.count / 2])) s, max \(fmt(harvestSeconds.max() ?? 0)) s")
        if !reloadCPU.isEmpty {
            let sorted = reloadCPU.sorted()
            table.add("soak: server reload after a harvest, CPU time", "median \(fmt(sorted[sorted.count / 2])) s, max \(fmt(sorted.last ?? 0)) s")
        }
        // Growth is the trend of the RSS from harvest 5 on (least squares), not the difference of two readings: from
        // one round to the next the allocator's high-water mark moves by ±5 % on its own, with no trend.
        let from = min(5, rounds)
        let samples = (from...rounds).compactMap { r in rss[r].map { (Double(r), $0) } }
        let trend = Self.leastSquares(samples)
        let (atFrom, growth) = (trend.intercept + trend.slope * Double(from), trend.slope * Double(rounds - from))
        table.add("soak: server RSS after harvests \(from)…\(rounds) (the replaced content freed)",
                  "\(fmt(rss[from] ?? 0, 0)) MiB after harvest \(from), \(fmt(rss[rounds] ?? 0, 0)) after harvest \(rounds), "
                    + "\(fmt(samples.map(\.1).min() ?? 0, 0))–\(fmt(samples.map(\.1).max() ?? 0, 0)) between; "
                    + "trend \(growth >= 0 ? "+" : "")\(fmt(growth, 1)) MiB over \(rounds - from) harvests (\(fmt(100 * growth / max(atFrom, 1), 1)) %)",
                  target: "no growth (trend ≤ +5 %)", ok: growth <= 0.05 * atFrom)
        try await federation.stop()
        table.print()
    }

    /// Whether `url` answered 200 (with a body `accept`s) within `seconds`, asked every 200 ms in this process (a
    /// curl spawned five times a second would take the cores from the server during the rounds only).
    static func waitFor(_ client: HTTPClient, _ url: String, seconds: Double, accept: (String) -> Bool = { _ in true }) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let body = await get(client, url), accept(body) { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    /// The body of a GET that answered 200, or nil.
    static func get(_ client: HTTPClient, _ url: String) async -> String? {
        guard let response = try? await client.execute(HTTPClientRequest(url: url), timeout: .seconds(10)), response.status == .ok,
              let body = try? await response.body.collect(upTo: 16 << 20) else { return nil }
        return String(buffer: body)
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

    /// The line `y = intercept + slope · x` closest to `points` (least squares); flat through their mean if all share one x.
    static func leastSquares(_ points: [(Double, Double)]) -> (intercept: Double, slope: Double) {
        let n = Double(points.count)
        guard n > 0 else { return (0, 0) }
        let (mx, my) = (points.map(\.0).reduce(0, +) / n, points.map(\.1).reduce(0, +) / n)
        let sxx = points.reduce(0) { $0 + ($1.0 - mx) * ($1.0 - mx) }
        let slope = sxx > 0 ? points.reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / sxx : 0
        return (my - slope * mx, slope)
    }

    /// The 99th percentile, in ms, of all the requests of `results` (wrk's rule: the smallest latency at or below
    /// which 99 % of them were answered).
    static func p99(of results: [WrkResult]) -> Double {
        var merged: [Int: Int] = [:]
        for result in results { merged.merge(result.histogram, uniquingKeysWith: +) }
        let count = merged.values.reduce(0, +)
        let rank = Int((0.99 * Double(count) + 0.5).rounded(.down))
        var seen = 0
        for (microseconds, n) in merged.sorted(by: { $0.key < $1.key }) {
            seen += n
            if seen >= rank { return Double(microseconds) / 1000 }
        }
        return 0
    }

    struct WrkResult {
        /// How many requests were answered in each latency, in microseconds.
        var histogram: [Int: Int] = [:]
        var requests = 0
        var rate = 0.0
        var p99 = 0.0
        var max = 0.0
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
            if line.hasPrefix("histogram ") {
                for pair in line.dropFirst("histogram ".count).split(separator: " ") {
                    let vc = pair.split(separator: ":")
                    if vc.count == 2, let v = Int(vc[0]), let c = Int(vc[1]) { r.histogram[v, default: 0] += c }
                }
            }
            // "Latency   1.20ms  500.00us  30.00ms   80.00%": mean, stdev, max, share within one stdev.
            if line.hasPrefix("Latency"), parts.count >= 4 { r.max = milliseconds(parts[3]) }
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
            -- The whole latency histogram, "microseconds:count" pairs, for the p99 of many slices together.
            done = function(summary, latency, requests)
              local pairs = {}
              for i = 1, 1000000 do
                local v, c = latency(i)
                if v == nil or v == 0 then break end
                pairs[#pairs + 1] = string.format("%d:%d", v, c)
              end
              io.write("histogram " .. table.concat(pairs, " ") .. "\\n")
            end
            """.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The value of an unlabelled metric in a Prometheus text page.
    static func gauge(_ name: String, in page: String) -> Double? {
        page.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    /// The CPU time of this whole process so far, in seconds (`CLOCK_PROCESS_CPUTIME_ID`).
    static func processCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// The CPU time the hypervisor has withheld from this machine's cores since boot (`steal` in `/proc/stat`), in
    /// seconds; 0 where it is not reported.
    static func stolenSeconds() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let cpu = stat.split(separator: "\n").first, cpu.hasPrefix("cpu ") else { return 0 }
        // "cpu user nice system idle iowait irq softirq steal ...", in USER_HZ ticks.
        let fields = cpu.split(separator: " ")
        return fields.count > 8 ? (Double(fields[8]) ?? 0) / Double(sysconf(Int32(_SC_CLK_TCK))) : 0
    }

    /// The resident memory of process `pid` now (`VmRSS`), in MiB.
    static func residentMiB(_ pid: Int32) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }
}

/// One wrk run of the soak, with when it ran and whether it overlapped a round.
struct Slice {
    var start: Date
    var end: Date
    var result: SoakBench.WrkResult
    /// CPU time the hypervisor withheld from the machine during the slice, in seconds.
    var stolen = 0.0
    var isBusy = false
}

/// The soak's wrk slices and the rounds' spans (edits, harvest, swap, archive, freeing), written by the wrk task
/// and the rounds, read at the end.
final class SliceTimeline: @unchecked Sendable {
    private let lock = NSLock()
    private var slices: [Slice] = []
    private var busy: [(Date, Date)] = []
    private var stopped = false
    /// The wrk loop stops once a slice started at or after this date has ended, until `resume()`.
    private var holdAfter: Date?
    private var parked = false

    var isStopped: Bool { lock.withLock { stopped } }
    func stop() { lock.withLock { stopped = true } }
    func append(_ slice: Slice) { lock.withLock { slices.append(slice) } }
    func addBusy(from: Date, to: Date) { lock.withLock { busy.append((from, to)) } }

    /// Every slice, marked when it overlapped a round.
    var all: [Slice] {
        lock.withLock {
            slices.map { slice in
                var slice = slice
                slice.isBusy = busy.contains { slice.start < $0.1 && $0.0 < slice.end }
                return slice
            }
        }
    }

    /// The results of the slices during the rounds, and of those between them.
    func split() -> (during: [SoakBench.WrkResult], quiet: [SoakBench.WrkResult]) {
        let all = self.all
        return (all.filter(\.isBusy).map(\.result), all.filter { !$0.isBusy }.map(\.result))
    }

    /// Has the wrk loop stop after the next slice that starts from now (a slice without a round, the caller starting
    /// none meanwhile), and returns once it has stopped: what the caller does until `resume()` runs without wrk.
    func holdAfterQuietSlice() async throws {
        let from = Date()
        lock.withLock { holdAfter = from }
        while !(lock.withLock { parked }) { try await Task.sleep(for: .milliseconds(20)) }
    }

    func resume() {
        lock.withLock {
            holdAfter = nil
            parked = false
        }
    }

    /// Called by the wrk loop before each slice: waits while a hold asks it to.
    func parkWhileHeld() async throws {
        while true {
            let park = lock.withLock { () -> Bool in
                guard let from = holdAfter, let last = slices.last, last.start >= from else { parked = false; return false }
                parked = true
                return true
            }
            if !park { return }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Returns once a slice started after now has ended (the call's caller starts no work meanwhile, so that slice
    /// ran without a round).
    func waitForQuietSlice() async throws {
        let from = Date()
        while !(lock.withLock { slices.contains { $0.start >= from } }) {
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
