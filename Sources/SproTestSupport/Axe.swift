import Foundation

/// axe-core, the accessibility engine, run in a page of a real browser: the script that
/// `axe-selenium-python` bundles (installed by `tools/setup --tests`) is loaded into the page through the
/// DevTools session, then `axe.run` checks it against WCAG 2.0 and 2.1, levels A and AA (what RGAA 4
/// follows).
public enum Axe {
    /// The rule tags checked: WCAG 2.0 and 2.1, A and AA.
    public static let tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

    /// axe-core cannot be found: the test fails saying how to install it, it is never skipped.
    public struct Missing: Error, CustomStringConvertible {
        let why: String
        public var description: String {
            "axe-core is not installed (\(why)): run tools/setup --tests (it installs axe-selenium-python, which bundles axe.min.js)"
        }
    }

    /// Where `axe-selenium-python` keeps `axe.min.js`, asked of Python as `tools/setup` asks it. The package
    /// is only located, never imported: its Selenium API is not used.
    public static func scriptFile() throws -> URL {
        let locate = #"import importlib.util, os; s = importlib.util.find_spec("axe_selenium_python"); "#
            + #"print(os.path.join(s.submodule_search_locations[0], "node_modules", "axe-core", "axe.min.js"))"#
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", locate]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { throw Missing(why: "python3 cannot be run: \(error)") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, !path.isEmpty else { throw Missing(why: "python3 finds no axe_selenium_python package") }
        guard FileManager.default.isReadableFile(atPath: path) else { throw Missing(why: "\(path) is absent") }
        return URL(fileURLWithPath: path)
    }

    /// The script's text, read once per test process.
    public static func script() throws -> String {
        try cached.get()
    }

    private static let cached = Result<String, any Error> { try String(contentsOf: try scriptFile(), encoding: .utf8) }

    /// What axe found in a page: every violation with its nodes; the other rules counted.
    public struct Results: Decodable, Sendable, CustomStringConvertible {
        public struct Violation: Decodable, Sendable {
            public struct Node: Decodable, Sendable {
                /// The CSS selector of the element.
                public let target: String
                public let html: String
                public let summary: String?
            }
            public let id: String
            public let impact: String?
            public let help: String
            public let nodes: [Node]
        }
        /// axe-core's version.
        public let version: String
        public let url: String
        public let violations: [Violation]
        /// Rules that held (each may cover many elements).
        public let passes: Int
        /// Rules axe could not decide (for instance contrast over an image), by id: reported, not failed.
        public let incomplete: [String]
        /// Rules that had nothing to check in the page.
        public let inapplicable: Int

        /// One line for the test's output: "axe-core 4.10.2, /couverture: 0 violations, 28 rules passed, …".
        public var summary: String {
            "axe-core \(version), \(url): \(violations.count) violation\(violations.count == 1 ? "" : "s"), \(passes) rules passed, "
                + "\(incomplete.count) to review\(incomplete.isEmpty ? "" : " (" + incomplete.joined(separator: ", ") + ")"), "
                + "\(inapplicable) not applicable"
        }

        /// Every violation: its rule, impact and help, then each element it was found on.
        public var description: String {
            ([summary] + violations.map { v in
                "- \(v.id) (\(v.impact ?? "impact inconnu")): \(v.help)\n"
                    + v.nodes.map { "    \($0.target): \($0.html)\($0.summary.map { "\n      " + $0.replacingOccurrences(of: "\n", with: "\n      ") } ?? "")" }
                    .joined(separator: "\n")
            }).joined(separator: "\n")
        }
    }
}

extension BrowserSession {
    /// Loads axe-core into the page shown (once per page) and checks it against `Axe.tags`. The page's own
    /// scripts must be enabled for axe to run: a test of a page without JavaScript loads it with scripts
    /// off, then turns them back on (the page's scripts, skipped at load, stay skipped). The deadline is long:
    /// the coverage report (306 zones) takes about 3 minutes in a debug build alone, more in a loaded CI run.
    public func axe(timeout: Duration = .seconds(600)) async throws -> Axe.Results {
        if try await evaluate("typeof window.axe === 'undefined'", as: Bool.self) {
            try await send("Runtime.evaluate", ["expression": try Axe.script(), "returnByValue": true], timeout: timeout)
            guard try await evaluate("typeof window.axe !== 'undefined' && typeof axe.run === 'function'", as: Bool.self) else {
                throw BrowserError.script("axe-core was loaded but defines no axe.run")
            }
        }
        let tags = String(decoding: try JSONEncoder().encode(Axe.tags), as: UTF8.self)
        return try await evaluate("""
            axe.run(document, { runOnly: \(tags), resultTypes: ["violations"] }).then(function (r) {
              return {
                version: r.testEngine.version, url: location.pathname + location.search,
                violations: r.violations.map(function (v) {
                  return { id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(function (n) {
                    return { target: n.target.map(String).join(" "), html: n.html, summary: n.failureSummary || null };
                  }) };
                }),
                passes: r.passes.length, incomplete: r.incomplete.map(function (i) { return i.id; }), inapplicable: r.inapplicable.length
              };
            })
            """, as: Axe.Results.self, timeout: timeout)
    }
}
