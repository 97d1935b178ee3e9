extension Duration {
    /// The duration in seconds as a `Double`, attoseconds included: for timings written in reports,
    /// metrics and console lines.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    /// The whole duration in nanoseconds, for system calls.
    var nanoseconds: Int { Int(components.seconds) * 1_000_000_000 + Int(components.attoseconds / 1_000_000_000) }
}

#if canImport(Glibc)
import Glibc
#endif

/// The CPU time the calling thread has used since it started, in seconds (`CLOCK_THREAD_CPUTIME_ID`): what a
/// piece of work run on one thread (a rebuild on `BackgroundExecutor`) cost, whatever else shared the cores.
public func currentThreadCPUSeconds() -> Double {
    #if canImport(Glibc)
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    #else
    return 0
    #endif
}
