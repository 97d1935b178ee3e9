/// A JSON text built byte by byte, commas placed by the containers; strings escaped and numbers
/// formatted as Foundation's `JSONEncoder` does with `.withoutEscapingSlashes`. For the few large
/// documents written often (nearest answers, an export's indicator values); each writer that uses it is
/// checked byte for byte against `JSONEncoder` in tests.
public struct JSONBytes: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Per open container: whether a member was written yet (the next one needs a comma).
    private var filled: [Bool] = []
    /// A key was just written: its value follows without a comma.
    private var afterKey = false

    public init(capacity: Int) {
        bytes.reserveCapacity(capacity)
        filled.reserveCapacity(8)
    }

    private mutating func separate() {
        if afterKey {
            afterKey = false
            return
        }
        guard let last = filled.indices.last else { return }
        if filled[last] { bytes.append(UInt8(ascii: ",")) }
        filled[last] = true
    }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        filled.append(false)
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        filled.removeLast()
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        filled.append(false)
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        filled.removeLast()
    }

    /// A key of the current object (plain ASCII, nothing to escape).
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    /// The bytes written so far, leaving the writer empty but inside the same containers: one run of a
    /// `PlaceFragments`.
    public mutating func takeBytes() -> [UInt8] {
        defer { bytes = [] }
        return bytes
    }

    /// Members written as if after others in an open object, so the bytes begin with a comma: a run of
    /// bytes rewritten alone between runs written once (`,"sources":[…]` in a place's record).
    public static func laterMembers(capacity: Int = 256, _ write: (inout JSONBytes) -> Void) -> [UInt8] {
        var w = JSONBytes(capacity: capacity)
        w.filled = [true]
        write(&w)
        return w.bytes
    }

    /// A value written elsewhere (a whole object), in the current container.
    public mutating func rawValue(_ value: [UInt8]) {
        separate()
        bytes.append(contentsOf: value)
    }

    /// Bytes appended as they are, commas and containers left to the caller.
    public mutating func raw(_ value: [UInt8]) { bytes.append(contentsOf: value) }

    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func rawInt(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }

    public mutating func bool(_ value: Bool) {
        separate()
        let text: StaticString = value ? "true" : "false"
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func int(_ value: Int) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    /// As `JSONEncoder`: Swift's shortest round-trip form, without a trailing ".0" (620, -0, 1e-07).
    public mutating func double(_ value: Double) {
        separate()
        let text = value.description
        let utf8 = text.utf8
        if utf8.count > 2, text.hasSuffix(".0") {
            bytes.append(contentsOf: utf8.dropLast(2))
        } else {
            bytes.append(contentsOf: utf8)
        }
    }

    public mutating func strings(_ values: [String]) {
        beginArray()
        for v in values { string(v) }
        endArray()
    }

    public mutating func string(_ value: String) {
        separate()
        escaped(value)
    }

    /// A quoted, escaped string, commas left to the caller.
    public mutating func escaped(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = value
        text.withUTF8 { utf8 in
            // Runs of bytes that need no escape are copied whole.
            var run = 0
            for i in utf8.indices {
                let b = utf8[i]
                guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<i]))
                run = i + 1
                bytes.append(UInt8(ascii: "\\"))
                switch b {
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0..<0x20:
                    let hex: StaticString = "0123456789abcdef"
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                              hex.utf8Start[Int(b >> 4)], hex.utf8Start[Int(b & 0xF)]])
                default: bytes.append(b)  // the quote or the backslash itself
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
