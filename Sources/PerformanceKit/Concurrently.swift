import Dispatch
import Synchronization

/// Runs two independent computations at the same time, one per core, and returns both results; the first
/// error is rethrown. On the low-priority background thread (`BackgroundExecutor`) they run one after the
/// other, so that requests keep the other cores.
public func concurrently<A: Sendable, B: Sendable>(_ a: () throws -> A, _ b: () throws -> B) throws -> (A, B) {
    guard !BackgroundExecutor.isCurrentThread else { return (try a(), try b()) }
    let first = Mutex<Result<A, any Error>?>(nil)
    let second = Mutex<Result<B, any Error>?>(nil)
    withoutActuallyEscaping(a) { a in
        withoutActuallyEscaping(b) { b in
            nonisolated(unsafe) let a = a
            nonisolated(unsafe) let b = b
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                if i == 0 {
                    let r = Result { try a() }
                    first.withLock { $0 = r }
                } else {
                    let r = Result { try b() }
                    second.withLock { $0 = r }
                }
            }
        }
    }
    return (try first.withLock { $0! }.get(), try second.withLock { $0! }.get())
}

/// `concurrently` for computations that cannot fail.
public func concurrently<A: Sendable, B: Sendable>(_ a: () -> A, _ b: () -> B) -> (A, B) {
    // The throwing form cannot throw here.
    try! concurrently({ () throws -> A in a() }, { () throws -> B in b() })
}
