import CPacing

/// Keeps the background thread's long CPU work (a rebuild after a harvest, a harvest) from delaying the requests
/// a server answers meanwhile. While requests arrive (one started within the last `window`), the thread runs in
/// bursts of `burst` of CPU time, each followed by `rest` asleep; without requests it runs straight on.
///
/// Why not a lower priority alone: on two cores under full load, a thread at nice 10 or 19, or with a longer or
/// shorter scheduler slice, that keeps the CPU raised the p99 of the requests by 1.6 to 2×; the same share of CPU
/// taken in bursts of 1 ms with rests between raised it by about 10 % (`tools/bench/README.md`, the soak).
public enum BackgroundPacing {
    /// CPU time between two rests.
    public static let burst = Duration.milliseconds(1)
    /// A rest: at most a quarter of a core for background work while requests arrive.
    public static let rest = Duration.milliseconds(3)
    /// How recent the last request must be for the thread to rest.
    public static let window = Duration.milliseconds(10)

    /// Marks that a request has started (one relaxed atomic store; called by the servers' middleware).
    @inline(__always)
    public static func noteRequest() { spro_pacing_note_request() }

    /// How many times a paced thread has rested since the process started.
    public static var pauses: Int { spro_pacing_pauses() }

    /// Turns the rests off (or on again, the default) for the whole process (`national serve --no-background-pacing`), for
    /// an operator who wants reloads as fast as the cores allow, or to compare.
    public static func setEnabled(_ enabled: Bool) { spro_pacing_set_enabled(enabled ? 1 : 0) }

    /// Whether a paced thread rests now, when the last request started at `lastRequest` (monotonic nanoseconds, 0
    /// for none yet) and pacing is `enabled`.
    static func shouldRest(now: Int, lastRequest: Int, enabled: Bool = true) -> Bool {
        spro_pacing_should_rest(enabled ? 1 : 0, now, lastRequest, window.nanoseconds) != 0
    }

    /// Paces the calling thread from now on; false if the system refused (the thread then runs unpaced).
    static func paceCurrentThread() -> Bool {
        spro_pacing_start(burst.nanoseconds, rest.nanoseconds, window.nanoseconds) == 0
    }
}
