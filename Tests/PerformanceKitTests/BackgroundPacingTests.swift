import Foundation
import Synchronization
import Testing
@testable import PerformanceKit

/// The background thread rests between bursts of CPU while requests arrive, and runs straight on without them.
@Suite struct BackgroundPacingTests {
    @Test func restsOnlyWhileARequestIsRecent() {
        let now = 5_000_000_000
        #expect(!BackgroundPacing.shouldRest(now: now, lastRequest: 0), "no request yet")
        #expect(BackgroundPacing.shouldRest(now: now, lastRequest: now - 1))
        #expect(BackgroundPacing.shouldRest(now: now, lastRequest: now - BackgroundPacing.window.nanoseconds + 1))
        #expect(!BackgroundPacing.shouldRest(now: now, lastRequest: now - BackgroundPacing.window.nanoseconds))
        #expect(!BackgroundPacing.shouldRest(now: now, lastRequest: now - 60_000_000_000))
        #expect(!BackgroundPacing.shouldRest(now: now, lastRequest: now - 1, enabled: false), "serve --no-background-pacing")
    }

    #if os(Linux)
    /// CPU work on the background thread while requests are marked (every 200 µs, from a thread of its own, not
    /// the cooperative pool other suites keep busy) rests after its bursts: the rests counted, and the wall time
    /// at least the CPU time plus the rests.
    @Test func cpuWorkRestsWhileRequestsArrive() async throws {
        let stop = Atomic<Bool>(false)
        let marker = Thread {
            while !stop.load(ordering: .relaxed) {
                BackgroundPacing.noteRequest()
                usleep(200)
            }
        }
        marker.start()
        defer { stop.store(true, ordering: .relaxed) }
        try await Task.sleep(for: .milliseconds(5))
        let (rests, wall, cpu) = await withTaskExecutorPreference(BackgroundExecutor.shared) { () -> (Int, Double, Double) in
            let (before, started, cpu) = (BackgroundPacing.pauses, ContinuousClock.now, currentThreadCPUSeconds())
            var x = 0.0, i = 0
            // 60 ms of this thread's CPU time.
            while currentThreadCPUSeconds() - cpu < 0.06 {
                for _ in 0..<1_000 { x += Double(i).squareRoot(); i += 1 }
            }
            #expect(x > 0)
            return (BackgroundPacing.pauses - before, (ContinuousClock.now - started).seconds, currentThreadCPUSeconds() - cpu)
        }
        // One rest per millisecond of CPU, but for those a late mark let pass (the marker may wait for a core while
        // other suites run); without pacing there are none.
        #expect(rests >= 5, "\(rests) rests for \(cpu) s of CPU")
        #expect(wall >= cpu + Double(rests) * BackgroundPacing.rest.seconds * 0.9, "wall \(wall) s, CPU \(cpu) s, \(rests) rests")
    }
    #endif
}
