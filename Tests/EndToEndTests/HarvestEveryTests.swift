import Directory
import Federation
import Foundation
import SproTestSupport
import Synchronization
import Testing

/// `spro harvest --every` as a process: a round that fails on the national side (here the registry caught
/// half-written) is reported, and the next round harvests.
@Suite struct HarvestEveryTests {
    /// Standard output as it arrives, and a wait for a line to appear in it.
    final class Output: Sendable {
        let text = Mutex("")
        let changes: AsyncStream<Void>
        let continuation: AsyncStream<Void>.Continuation

        init() { (changes, continuation) = AsyncStream<Void>.makeStream() }

        func append(_ data: Data) {
            text.withLock { $0 += String(decoding: data, as: UTF8.self) }
            continuation.yield()
        }

        /// Returns once the output contains `needle`; false if the stream ended first.
        func wait(for needle: String) async -> Bool {
            if text.withLock({ $0.contains(needle) }) { return true }
            for await _ in changes where text.withLock({ $0.contains(needle) }) { return true }
            return false
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func aFailedRoundIsReportedAndTheNextOneHarvests() async throws {
        let (work, store) = try await CommandLineTests.nodeWorkspace()
        defer { try? FileManager.default.removeItem(at: work.root) }
        // The entry `KeyRing.prepare` wrote, trusting the node's key.
        let registryFile = work.registryFile(RegionCode(unchecked: "53"))
        let keyedRegion = try Region.load(from: registryFile)
        // The registry entry caught while an operator edits it: not JSON.
        try Data(#"{"code": "53", "name": "Bretagne", "#.utf8).write(to: registryFile)

        let output = Output()
        let pipe = Pipe()
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { output.continuation.finish() } else { output.append(data) }
        }
        let process = Process()
        process.executableURL = HarvestCrashTests.sproBinary
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try await Loopback.serveNode(store) { url in
            process.arguments = ["harvest", "--work", work.root.path, "--reference", TestReference.directory.path, "--every", "1s"]
            try process.run()
            defer { process.terminate() }
            #expect(await output.wait(for: "Moissonnage impossible"))
            // The operator finishes the edit; the loop is still running and the next round takes the node.
            var fixed = keyedRegion
            fixed.nodeURL = url
            try fixed.write(to: registryFile)
            #expect(await output.wait(for: "1 of 1 regions verified"), "\(output.text.withLock { $0 })")
            #expect(process.isRunning)
        }
    }
}
