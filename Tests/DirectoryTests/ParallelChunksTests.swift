import Foundation
import Testing
@testable import Directory

@Suite struct ParallelChunksTests {
    struct Odd: Error, Equatable { let value: Int }

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
            Tombstone(kind: i % 2 == 0 ? .place : .structure, id: "53-P\(i)", withdrawnAt: "2026-11-0\(i % 9 + 1)T00:00:00Z",
                      motive: i % 3 == 0 ? nil : "fermé, \"définitivement\" / \(i)")
        }
        let whole = try SproJSON.encoder().encode(records)
        for parts in [1, 2, 5, 200] {
            let joined = JSONArrayJoin.join(try records.inParallelChunks(parts: parts) { try SproJSON.encoder().encode(Array($0)) })
            #expect(joined == whole, "\(parts) parts")
        }
        #expect(JSONArrayJoin.join([Data("[]".utf8), Data("[1]".utf8), Data("[]".utf8)]) == Data("[1]".utf8))
        #expect(JSONArrayJoin.join([]) == Data("[]".utf8))
    }
}
