import Foundation

/// Writes one line to standard output at once (unbuffered), so progress reaches a pipe or a log
/// file as it happens rather than when a buffer fills.
public func printLine(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
