import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A task executor on one dedicated thread of lower scheduling priority (nice 10), paced while requests arrive
/// (`BackgroundPacing`), for long CPU work that must not hold the cooperative pool where a server answers its
/// requests: rebuilding the national directory after a harvest, or the harvest itself, in a serving process.
/// Jobs run one at a time, in order.
///
///     try await withTaskExecutorPreference(BackgroundExecutor.shared) { try await loader.load(from: store) }
///
/// Code run under the preference, and the default actors it calls, execute on this thread.
public final class BackgroundExecutor: TaskExecutor, @unchecked Sendable {
    /// The process's one background thread (it is never stopped).
    public static let shared = BackgroundExecutor(name: "spro-background")

    // Guards `jobs`; the thread waits on it.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    private init(name: String) {
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Whether the calling code runs on a background executor's thread: work there stays on that thread
    /// (`inParallelChunks` does not fan out to normal-priority workers, which would defeat the lower priority).
    public static var isCurrentThread: Bool { Thread.current.threadDictionary[threadKey] != nil }
    private static let threadKey = "spro.background"

    private func run() {
        Thread.current.threadDictionary[Self.threadKey] = true
        #if canImport(Glibc)
        // On Linux the nice value is per thread, and `who` 0 is the calling one: when this thread and a request
        // handler both want a core, the handler gets about ten times its share. That alone did not keep a server
        // under full load within 2× its usual p99 during a rebuild (`tools/bench/README.md`, the soak): a thread
        // that keeps a core for long stretches delays the requests that wake on it, whatever its priority. So,
        // while requests arrive, this one also rests 3 ms after each millisecond of CPU (`BackgroundPacing`).
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        _ = BackgroundPacing.paceCurrentThread()
        // Named for `top -H` and profilers (the system otherwise knows it by the name of the thread that created it,
        // a pool worker's): `/proc/thread-self/comm` is this thread's.
        try? Data("spro-background".utf8).write(to: URL(fileURLWithPath: "/proc/thread-self/comm"))
        #endif
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
