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

@Suite struct JSONBytesTests {
    @Test func indicatorValuesAreWrittenAsJSONEncoderWritesThem() throws {
        var rng = SystemRandomNumberGenerator()
        let texts = ["visits", "taux_satisfaction", "53-P\"1\"", "a\\b", "é/ü\n\t", "\u{1}", "2026-Q3", ""]
        var values = [0, -0.0, 1, 1200, 0.1, 1e-7, 1e21, 123456789.125, -42.5, Double.leastNonzeroMagnitude, 3.0e15]
            .map { IndicatorValue(subject: .place, subjectId: "53-P0", code: "c", period: "2026", value: $0, unit: "u") }
        for i in 0..<500 {
            values.append(IndicatorValue(subject: i % 2 == 0 ? .place : .structure, subjectId: texts.randomElement(using: &rng)!,
                                         code: texts.randomElement(using: &rng)!, period: texts.randomElement(using: &rng)!,
                                         value: Double.random(in: -1e6...1e6, using: &rng).rounded(toPlaces: i % 5),
                                         unit: texts.randomElement(using: &rng)!))
        }
        var w = JSONBytes(capacity: 0)
        w.beginArray()
        for v in values { v.write(to: &w) }
        w.endArray()
        let expected = try SproJSON.encoder().encode(values)
        #expect(Data(w.bytes) == expected, "\(String(decoding: w.bytes.prefix(300), as: UTF8.self))")
    }
}

private extension Double {
    func rounded(toPlaces places: Int) -> Double {
        let p = pow(10, Double(places))
        return (self * p).rounded() / p
    }
}
