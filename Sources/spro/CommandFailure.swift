import ArgumentParser
import Foundation

/// The exit codes, the same for every command. ArgumentParser's own 64 (EX_USAGE, from sysexits) is
/// kept for usage errors, so a script tells "you called me wrong" from "the data was refused".
enum ExitCodes {
    /// A refusal or a failure, told in one line on standard error.
    static let refused: Int32 = 1
    /// The paragraph `--help` shows; `specific` says what 1 means for the command.
    static func help(_ specific: String? = nil) -> String {
        "Exit codes: 0 done; 1 refused or failed\(specific.map { " (\($0))" } ?? ""), one line on standard error saying why; "
            + "64 usage error (unknown option, missing or invalid argument), the usage following the message."
    }

    /// A command's `--help` discussion: its paragraphs (ArgumentParser wraps them), then the exit codes.
    static func discussion(_ paragraphs: String..., refused specific: String? = nil) -> String {
        (paragraphs + [help(specific)]).joined(separator: "\n\n")
    }
}

/// A command's refusal or failure: one line on standard error, exit code 1, no usage text (unlike
/// ArgumentParser's `ValidationError`, which is for a wrong command line).
struct CommandFailure: Error, CustomStringConvertible {
    let message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}

/// Writes one line to standard error at once, so it reaches a terminal or a log as it happens.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Prints progress of long work to standard error (standard output keeps the results): a line every
/// `every` items, or sooner once `seconds` have passed since the last line.
struct ProgressLine {
    let every: Int
    let seconds: Double
    private let clock = ContinuousClock()
    private var last: ContinuousClock.Instant
    private var lastCount = 0

    init(every: Int, seconds: Double = 5) {
        self.every = every
        self.seconds = seconds
        last = clock.now
    }

    /// Called as work goes on; `line` is made only when a line is due.
    mutating func update(_ count: Int, _ line: () -> String) {
        let now = clock.now
        guard count - lastCount >= every || now - last >= .seconds(seconds) else { return }
        last = now
        lastCount = count
        printError(line())
    }
}

/// Numbers as French readers write them, "37 680" and "98,5 %", with the narrow no-break space of the
/// coverage reports; fixed rules, not the host's locale.
enum FrenchNumbers {
    static let thinSpace = "\u{202F}"

    static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = n < 0 ? "-" : ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += thinSpace }
            out.append(ch)
        }
        return out
    }

    /// `part` of `total` with one decimal.
    static func percent(_ part: Int, of total: Int) -> String {
        let tenths = total > 0 ? Int((Double(part) * 1000 / Double(total)).rounded()) : 0
        return "\(tenths / 10),\(tenths % 10)" + thinSpace + "%"
    }
}
