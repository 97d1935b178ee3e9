import Foundation

/// The fields two JSON records differ in, for the review of an edit: each leaf is named by its path
/// ("address.lines[1]", "services") and shown as compact JSON. Arrays of scalars (services, publics) are
/// one field; arrays of objects are compared item by item.
enum FieldDiff {
    static func changes(from before: String?, to after: String) -> [FieldChange] {
        let old = before.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) }
        let new = try? JSONSerialization.jsonObject(with: Data(after.utf8))
        var oldLeaves: [String: String] = [:]
        var newLeaves: [String: String] = [:]
        if let old { flatten(old, path: "", into: &oldLeaves) }
        if let new { flatten(new, path: "", into: &newLeaves) }
        return Set(oldLeaves.keys).union(newLeaves.keys).sorted().compactMap { field in
            let b = oldLeaves[field], a = newLeaves[field]
            return b == a ? nil : FieldChange(field: field, before: b, after: a)
        }
    }

    private static func flatten(_ value: Any, path: String, into leaves: inout [String: String]) {
        switch value {
        case let object as [String: Any]:
            for (key, v) in object where !(path.isEmpty && key == "lastConfirmed") { flatten(v, path: path.isEmpty ? key : "\(path).\(key)", into: &leaves) }
        case let array as [Any] where array.contains(where: { $0 is [String: Any] }):
            for (i, v) in array.enumerated() { flatten(v, path: "\(path)[\(i)]", into: &leaves) }
        default:
            leaves[path] = compact(value)
        }
    }

    private static func compact(_ value: Any) -> String {
        guard JSONSerialization.isValidJSONObject([value]),
              let data = try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return String(describing: value)
        }
        // Encoded inside an array (fragments need it), then unwrapped.
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }
}
