import Foundation

/// Headless Chromium (Debian's `chromium` package), to open the product's pages as a person would.
public enum HeadlessBrowser {
    public struct Missing: Error, CustomStringConvertible {
        public var description: String { "chromium is not installed: run tools/setup --tests (it installs Debian's chromium)" }
    }

    /// The browser executable, if installed.
    public static var executable: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Loads `url`, lets its scripts run (virtual time), and returns the resulting DOM;
    /// with `screenshot`, also writes a PNG of the viewport.
    public static func render(_ url: String, screenshot: URL? = nil, width: Int = 1200, height: Int = 1400,
                              scriptBudgetMilliseconds: Int = 8000) async throws -> String {
        guard let chromium = executable else { throw Missing() }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                         "--user-data-dir=\(profile.path)", "--window-size=\(width),\(height)",
                         "--virtual-time-budget=\(scriptBudgetMilliseconds)"]
        if let screenshot {
            // Chromium takes either a screenshot or a DOM dump per run: take the picture first.
            _ = try await run(chromium, arguments + ["--screenshot=\(screenshot.path)", url])
        }
        return try await run(chromium, arguments + ["--dump-dom", url])
    }

    /// Runs the browser to completion. The blocking read and wait happen on a plain thread, never on the
    /// Swift concurrency pool: on a two-core machine two browsers blocking pool threads would starve the
    /// in-process server they are loading pages from.
    static func run(_ executable: String, _ arguments: [String]) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do {
                    // Read while it runs so a large DOM never blocks on a full pipe.
                    let data = try out.fileHandleForReading.readToEnd() ?? Data()
                    process.waitUntilExit()
                    continuation.resume(returning: String(decoding: data, as: UTF8.self))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
