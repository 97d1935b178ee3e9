import Dispatch
import Foundation
import Synchronization

extension Array where Element: Sendable {
    /// `transform` applied to contiguous slices of the array, one per core (at most `parts`), run at the
    /// same time; results in slice order. For CPU-bound work over thousands of records (JSON encoding and
    /// decoding of an export) that would otherwise leave the other cores idle. The first error is rethrown.
    public func inParallelChunks<R: Sendable>(parts: Int = ProcessInfo.processInfo.activeProcessorCount,
                                              _ transform: (ArraySlice<Element>) throws -> R) throws -> [R] {
        // On the low-priority background thread the work stays there: requests keep the cores.
        let n = BackgroundExecutor.isCurrentThread ? 1 : Swift.max(1, Swift.min(parts, count))
        guard n > 1 else { return [try transform(self[...])] }
        let size = (count + n - 1) / n
        let results = Mutex<[Result<R, any Error>?]>(Array<Result<R, any Error>?>(repeating: nil, count: n))
        withoutActuallyEscaping(transform) { transform in
            nonisolated(unsafe) let transform = transform
            DispatchQueue.concurrentPerform(iterations: n) { i in
                let slice = self[Swift.min(i * size, count)..<Swift.min((i + 1) * size, count)]
                let result = Result { try transform(slice) }
                results.withLock { $0[i] = result }
            }
        }
        return try results.withLock { all in try all.map { try $0!.get() } }
    }
}

/// JSON arrays encoded in parts, joined into one: `[a,b]` and `[c]` make `[a,b,c]`, the bytes
/// `JSONEncoder` writes for the whole array.
public enum JSONArrayJoin {
    public static func join(_ parts: [Data]) -> Data {
        var out = Data("[".utf8)
        out.reserveCapacity(parts.reduce(2) { $0 + $1.count })
        var first = true
        for part in parts where part.count > 2 {
            if !first { out.append(UInt8(ascii: ",")) }
            out.append(part.dropFirst().dropLast())
            first = false
        }
        out.append(UInt8(ascii: "]"))
        return out
    }
}
