import Foundation

/// A key named twice in one JSON object, and where: `places[3]`, `(document)`.
public struct DuplicateKey: Sendable, Equatable {
    public var path: String
    public var key: String
}

/// Finds keys repeated within one JSON object. `JSONDecoder` keeps one of the values silently (and other
/// parsers keep another), so a signed export whose readers could disagree on its content is refused.
/// One pass over the bytes; it assumes well-formed JSON (the decoder that runs next judges that) and
/// simply stops, finding nothing, on bytes it cannot follow.
public enum DuplicateKeyScan {
    private struct Frame {
        var isObject: Bool
        var keys: Set<String> = []
        var expectingKey = true
        var currentKey = ""
        var index = 0
    }

    /// The first repeated key of `data`, in document order, or nil.
    public static func first(in data: Data) -> DuplicateKey? {
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var stack: [Frame] = []
            var i = 0
            let n = bytes.count
            while i < n {
                let b = bytes[i]
                switch b {
                case UInt8(ascii: "{"):
                    stack.append(Frame(isObject: true))
                    i += 1
                case UInt8(ascii: "["):
                    stack.append(Frame(isObject: false))
                    i += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if !stack.isEmpty { stack.removeLast() }
                    i += 1
                case UInt8(ascii: ","):
                    if !stack.isEmpty {
                        if stack[stack.count - 1].isObject { stack[stack.count - 1].expectingKey = true } else { stack[stack.count - 1].index += 1 }
                    }
                    i += 1
                case UInt8(ascii: ":"):
                    if !stack.isEmpty { stack[stack.count - 1].expectingKey = false }
                    i += 1
                case UInt8(ascii: "\""):
                    let start = i + 1
                    var escaped = false
                    var j = start
                    while j < n, bytes[j] != UInt8(ascii: "\"") {
                        if bytes[j] == UInt8(ascii: "\\") {
                            escaped = true
                            j += 1
                        }
                        j += 1
                    }
                    guard j < n else { return nil }
                    if let top = stack.last, top.isObject, top.expectingKey {
                        let slice = UnsafeBufferPointer(rebasing: bytes[start..<j])
                        let key = escaped ? unescape(slice) : String(decoding: slice, as: UTF8.self)
                        if !stack[stack.count - 1].keys.insert(key).inserted {
                            return DuplicateKey(path: path(stack.dropLast()), key: key)
                        }
                        stack[stack.count - 1].currentKey = key
                    }
                    i = j + 1
                default:
                    i += 1  // whitespace, numbers, literals
                }
            }
            return nil
        }
    }

    /// The path of the object holding the current position: `places[3]`, `places[3].address`.
    private static func path(_ frames: ArraySlice<Frame>) -> String {
        var text = ""
        for frame in frames {
            if frame.isObject {
                text += (text.isEmpty ? "" : ".") + frame.currentKey
            } else {
                text += "[\(frame.index)]"
            }
        }
        return text.isEmpty ? "(document)" : text
    }

    /// A key with escapes, as the decoder reads it: `"\u0061"` is the key `a`.
    private static func unescape(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let quoted = Data([UInt8(ascii: "\"")] + Array(bytes) + [UInt8(ascii: "\"")])
        return (try? JSONSerialization.jsonObject(with: quoted, options: .fragmentsAllowed) as? String)
            ?? String(decoding: bytes, as: UTF8.self)
    }
}
