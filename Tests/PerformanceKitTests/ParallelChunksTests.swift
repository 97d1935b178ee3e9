import Foundation
import PerformanceKit
import Testing

/// The project's encoder settings (`SproJSON.encoder()`): what the joined and byte-built JSON must equal.
private func encoder() -> JSONEncoder {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return e
}

@Suite struct ParallelChunksTests {
    struct Odd: Error, Equatable { let value: Int }

    struct Row: Codable {
        let kind: String
        let id: String
        let withdrawnAt: String
        let motive: String?
    }

    @Test func chunksCoverTheArrayInOrderWhateverTheNumberOfParts() throws {
        let numbers = Array(0..<1_003)
        for parts in [1, 2, 3, 7, 2_000] {
            let chunks = try numbers.inParallelChunks(parts: parts) { Array($0) }
            #expect(chunks.flatMap { $0 } == numbers, "\(parts) parts")
            #expect(chunks.count == min(parts, numbers.count))
        }
        #expect(try [Int]().inParallelChunks(parts: 4) { $0.count } == [0])
    }

    @Test func anErrorInOneChunkIsRethrown() {
        #expect(throws: Odd(value: 3)) {
            _ = try [2, 4, 3, 6].inParallelChunks(parts: 4) { chunk in
                if let odd = chunk.first(where: { $0 % 2 == 1 }) { throw Odd(value: odd) }
                return chunk.count
            }
        }
    }

    @Test func arraysEncodedInPartsJoinIntoWhatOneEncoderWrites() throws {
        let records = (0..<101).map { i in
            Row(kind: i % 2 == 0 ? "place" : "structure", id: "53-P\(i)", withdrawnAt: "2026-11-0\(i % 9 + 1)T00:00:00Z",
                motive: i % 3 == 0 ? nil : "fermé, \"définitivement\" / \(i)")
        }
        let whole = try encoder().encode(records)
        for parts in [1, 2, 5, 200] {
            let joined = JSONArrayJoin.join(try records.inParallelChunks(parts: parts) { try encoder().encode(Array($0)) })
            #expect(joined == whole, "\(parts) parts")
        }
        #expect(JSONArrayJoin.join([Data("[]".utf8), Data("[1]".utf8), Data("[]".utf8)]) == Data("[1]".utf8))
        #expect(JSONArrayJoin.join([]) == Data("[]".utf8))
    }
}

@Suite struct JSONBytesTests {
    struct Member: Codable {
        let flag: Bool
        let n: Int
        let tags: [String]
        let x: Double
    }

    @Test func containersStringsAndNumbersAreWrittenAsJSONEncoderWritesThem() throws {
        let texts = ["", "plain", "quote \" and \\ backslash", "é/ü\n\t\r", "\u{1}\u{8}\u{C}\u{1F}", "Œ 🙂"]
        let doubles = [0, -0.0, 1, 1200, 0.1, 1e-7, 1e21, 123456789.125, -42.5, Double.leastNonzeroMagnitude, 3.0e15]
        let members = doubles.enumerated().map { i, x in
            Member(flag: i % 2 == 0, n: i * 37 - 100, tags: Array(texts.prefix(i % (texts.count + 1))), x: x)
        }
        var w = JSONBytes(capacity: 0)
        w.beginArray()
        for m in members {
            w.beginObject()
            w.key("flag"); w.bool(m.flag)
            w.key("n"); w.int(m.n)
            w.key("tags"); w.strings(m.tags)
            w.key("x"); w.double(m.x)
            w.endObject()
        }
        w.endArray()
        #expect(Data(w.bytes) == (try encoder().encode(members)), "\(String(decoding: w.bytes.prefix(300), as: UTF8.self))")
    }
}

/// Work run under `BackgroundExecutor`'s preference stays on its thread, across calls to actors.
@Suite struct BackgroundExecutorTests {
    actor Counter {
        var n = 0
        func add() -> Bool { n += 1; return BackgroundExecutor.isCurrentThread }
    }

    nonisolated static func work(_ counter: Counter) async -> [Bool] {
        var seen = [BackgroundExecutor.isCurrentThread]
        seen.append(await counter.add())
        seen.append(BackgroundExecutor.isCurrentThread)
        async let child = { BackgroundExecutor.isCurrentThread }()
        seen.append(await child)
        let chunks = try! Array(0..<1000).inParallelChunks { _ in BackgroundExecutor.isCurrentThread }
        seen.append(chunks == [true])
        return seen
    }

    @Test func workUnderThePreferenceRunsOnTheBackgroundThread() async {
        #expect(!BackgroundExecutor.isCurrentThread)
        let seen = await withTaskExecutorPreference(BackgroundExecutor.shared) { await Self.work(Counter()) }
        #expect(seen == [true, true, true, true, true])
        #expect(!BackgroundExecutor.isCurrentThread)
        #if os(Linux)
        // The system knows the thread by its name (`top -H`, profilers).
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        let names = tasks.compactMap { try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8) }
        #expect(names.contains("spro-background\n"))
        #endif
    }
}
