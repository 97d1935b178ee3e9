import Directory
import Foundation
import PerformanceKit
import Signing

/// Where things lie in an export's bytes: each top-level member's value, and for the record arrays
/// (`places`, `structures`...) each record. One pass over the bytes, without decoding them, so that a
/// harvest decodes only the records whose bytes it has not already accepted.
///
/// The scan checks the document's skeleton strictly (one object, string keys, colons, commas, arrays of
/// records) and finds each value's end by nesting and strings alone. It does not judge what lies inside a
/// record: a record is either decoded (which judges it) or byte for byte one the national store accepted
/// before. A document passing both is therefore well-formed JSON.
struct ExportLayout {
    /// Top-level members in document order: key, the byte range of the key (quotes included) and of its value.
    var members: [(key: String, keyBytes: Range<Int>, value: Range<Int>)] = []
    /// For each top-level member whose value is an array and whose key is in `recordArrays`, each
    /// element's byte range, in order.
    var records: [String: [Range<Int>]] = [:]

    /// The members whose records are located.
    static let recordArrays: Set<String> = ["charters", "structures", "places", "indicators", "tombstones", "channels"]

    /// What the scan refuses: the document is not one JSON object of the expected shape.
    struct Malformed: Error {
        var offset: Int
        var expected: String
    }

    /// Scans `data`; throws `Malformed` at the first byte that breaks the skeleton.
    static func scan(_ data: Data) throws(Malformed) -> ExportLayout {
        var layout = ExportLayout()
        let result: Malformed? = data.withUnsafeBytes { raw -> Malformed? in
            var scanner = Scanner(bytes: raw.bindMemory(to: UInt8.self))
            do throws(Malformed) {
                try scanner.document(into: &layout)
                return nil
            } catch {
                return error
            }
        }
        if let result { throw result }
        return layout
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func document(into layout: inout ExportLayout) throws(Malformed) {
            skipSpace()
            try expect(UInt8(ascii: "{"), "{")
            skipSpace()
            if peek() == UInt8(ascii: "}") {
                i += 1
            } else {
                while true {
                    skipSpace()
                    let keyStart = i
                    let key = try string()
                    let keyBytes = keyStart..<i
                    skipSpace()
                    try expect(UInt8(ascii: ":"), ":")
                    skipSpace()
                    let start = i
                    if ExportLayout.recordArrays.contains(key), peek() == UInt8(ascii: "[") {
                        layout.records[key] = try elements()
                    } else {
                        try skipValue()
                    }
                    // A repeated member is kept: `DuplicateKeyScan` over the header refuses it, naming it.
                    layout.members.append((key, keyBytes, start..<i))
                    skipSpace()
                    guard let b = peek() else { throw Malformed(offset: i, expected: ", or }") }
                    i += 1
                    if b == UInt8(ascii: "}") { break }
                    guard b == UInt8(ascii: ",") else { throw Malformed(offset: i - 1, expected: ", or }") }
                }
            }
            skipSpace()
            guard i == bytes.count else { throw Malformed(offset: i, expected: "end of document") }
        }

        /// An array's elements' ranges; `i` on the `[`.
        mutating func elements() throws(Malformed) -> [Range<Int>] {
            i += 1
            skipSpace()
            var out: [Range<Int>] = []
            if peek() == UInt8(ascii: "]") {
                i += 1
                return out
            }
            while true {
                skipSpace()
                let start = i
                try skipValue()
                out.append(start..<i)
                skipSpace()
                guard let b = peek() else { throw Malformed(offset: i, expected: ", or ]") }
                i += 1
                if b == UInt8(ascii: "]") { return out }
                guard b == UInt8(ascii: ",") else { throw Malformed(offset: i - 1, expected: ", or ]") }
            }
        }

        /// Moves past one value: a string, an object or array (by nesting, strings skipped), or a scalar.
        mutating func skipValue() throws(Malformed) {
            guard let b = peek() else { throw Malformed(offset: i, expected: "a value") }
            switch b {
            case UInt8(ascii: "\""):
                _ = try stringEnd()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while i < bytes.count {
                    let c = bytes[i]
                    if c == UInt8(ascii: "\"") {
                        _ = try stringEnd()
                        continue
                    }
                    if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                        depth += 1
                    } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                        depth -= 1
                        if depth == 0 {
                            i += 1
                            return
                        }
                    }
                    i += 1
                }
                throw Malformed(offset: i, expected: "end of \(b == UInt8(ascii: "{") ? "object" : "array")")
            case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ":"):
                throw Malformed(offset: i, expected: "a value")
            default:
                // A number or a literal: up to the next delimiter. Its spelling is judged by the decoder.
                let start = i
                while i < bytes.count {
                    let c = bytes[i]
                    if c == UInt8(ascii: ",") || c == UInt8(ascii: "}") || c == UInt8(ascii: "]") || Self.isSpace(c) { break }
                    if c == UInt8(ascii: "\"") || c == UInt8(ascii: "{") || c == UInt8(ascii: "[") || c == UInt8(ascii: ":") {
                        throw Malformed(offset: i, expected: "a delimiter")
                    }
                    i += 1
                }
                if i == start { throw Malformed(offset: i, expected: "a value") }
            }
        }

        /// A string's text, `i` on its opening quote; escapes are read as JSON reads them.
        mutating func string() throws(Malformed) -> String {
            guard peek() == UInt8(ascii: "\"") else { throw Malformed(offset: i, expected: "a string") }
            let start = i
            let escaped = try stringEnd()
            let slice = UnsafeBufferPointer(rebasing: bytes[(start + 1)..<(i - 1)])
            guard escaped else { return String(decoding: slice, as: UTF8.self) }
            let quoted = Data(UnsafeBufferPointer(rebasing: bytes[start..<i]))
            guard let text = try? JSONSerialization.jsonObject(with: quoted, options: .fragmentsAllowed) as? String else {
                throw Malformed(offset: start, expected: "a string")
            }
            return text
        }

        /// Moves past a string, `i` on its opening quote; tells whether it holds escapes.
        mutating func stringEnd() throws(Malformed) -> Bool {
            let start = i
            i += 1
            var escaped = false
            while i < bytes.count {
                let c = bytes[i]
                if c == UInt8(ascii: "\\") {
                    escaped = true
                    i += 2
                    continue
                }
                i += 1
                if c == UInt8(ascii: "\"") { return escaped }
            }
            throw Malformed(offset: start, expected: "end of string")
        }

        mutating func expect(_ byte: UInt8, _ text: String) throws(Malformed) {
            guard peek() == byte else { throw Malformed(offset: i, expected: text) }
            i += 1
        }

        func peek() -> UInt8? { i < bytes.count ? bytes[i] : nil }

        mutating func skipSpace() {
            while i < bytes.count, Self.isSpace(bytes[i]) { i += 1 }
        }

        static func isSpace(_ c: UInt8) -> Bool {
            c == UInt8(ascii: " ") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") || c == UInt8(ascii: "\t")
        }
    }
}

/// The records of a scanned export: their hashes, and those decoded one by one, the others left as bytes.
struct ExportRecords {
    let body: Data
    let layout: ExportLayout

    /// Below this many records, decoding stays on the calling thread.
    static let parallelThreshold = 512

    /// SHA-256 (hex) of each record's bytes in `kind`'s array, in order.
    func hashes(_ kind: String) -> [String] {
        let ranges = layout.records[kind] ?? []
        let bytes = body
        guard ranges.count >= Self.parallelThreshold else { return ranges.map { sha256Hex(bytes[$0]) } }
        return ((try? ranges.inParallelChunks { chunk in chunk.map { sha256Hex(bytes[$0]) } }) ?? []).flatMap { $0 }
    }

    /// SHA-256 (hex) of `kind`'s whole array, nil when the export has none.
    func arrayHash(_ kind: String) -> String? {
        guard layout.records[kind] != nil, let member = layout.members.last(where: { $0.key == kind }) else { return nil }
        return sha256Hex(body[member.value])
    }

    /// Every record of `kind`'s array, decoded.
    func decodeAll<T: Decodable & Sendable>(_ type: T.Type, _ kind: String) throws(ExportRefused) -> [(index: Int, record: Lenient<T>)] {
        try decode(type, kind, indices: Array((layout.records[kind] ?? []).indices))
    }

    /// The records at `indices` of `kind`'s array, decoded on every core when they are many. A record that
    /// is not JSON, or repeats a key, refuses the export; one that is JSON but not a valid record is `.bad`.
    func decode<T: Decodable & Sendable>(_ type: T.Type, _ kind: String, indices: [Int]) throws(ExportRefused) -> [(index: Int, record: Lenient<T>)] {
        let ranges = layout.records[kind] ?? []
        guard !indices.isEmpty else { return [] }
        let source = body
        let work = { @Sendable (chunk: ArraySlice<Int>) throws -> [(index: Int, record: Lenient<T>)] in
            var array = Data("[".utf8)
            array.reserveCapacity(chunk.reduce(2) { $0 + ranges[$1].count + 1 })
            for (n, index) in chunk.enumerated() {
                let bytes = source[ranges[index]]
                if let duplicate = DuplicateKeyScan.first(in: bytes) {
                    let inner = duplicate.path == "(document)" ? "" : duplicate.path.hasPrefix("[") ? duplicate.path : "." + duplicate.path
                    throw ExportRefused.duplicateKey(path: "\(kind)[\(index)]\(inner)", key: duplicate.key)
                }
                if n > 0 { array.append(UInt8(ascii: ",")) }
                array.append(bytes)
            }
            array.append(UInt8(ascii: "]"))
            let decoded: [Lenient<T>]
            do {
                decoded = try SproJSON.decoder().decode([Lenient<T>].self, from: array)
            } catch let error as DecodingError {
                // Lenient catches what a record's type refuses: what is left is bytes that are not JSON.
                throw ExportRefused.invalidSchema(field: kind, rule: error.plainDescription)
            }
            return zip(chunk, decoded).map { ($0, $1) }
        }
        do {
            if indices.count < Self.parallelThreshold { return try work(indices[...]) }
            return try indices.inParallelChunks(work).flatMap { $0 }
        } catch let refused as ExportRefused {
            throw refused
        } catch {
            throw .invalidSchema(field: kind, rule: "not JSON")
        }
    }
}
