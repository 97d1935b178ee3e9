import Foundation
import Hummingbird

/// A list page's cursor: the id of the page's last record, base64url, so that a client passes it back as
/// it is and the next page starts after that id whatever changed in between.
public enum PageCursor {
    public static func encode(_ id: String) -> String {
        Data(id.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The id a cursor names, or nil for one this API did not write.
    public static func decode(_ cursor: String) -> String? {
        var b64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard b64.count <= 400 else { return nil }
        while b64.count % 4 != 0 { b64 += "=" }
        guard let data = Data(base64Encoded: b64), let id = String(data: data, encoding: .utf8), !id.isEmpty else { return nil }
        return id
    }
}

extension PageCursor {
    /// The request's own path and query with `cursor` set to `cursor` (for `Link: rel="next"`), every
    /// value percent-encoded again.
    public static func nextURL(_ request: Request, cursor: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+;#")
        func encoded(_ s: Substring) -> String { s.addingPercentEncoding(withAllowedCharacters: allowed) ?? String(s) }
        var parts = request.uri.queryParameters.filter { $0.key != "cursor" }.map { "\(encoded($0.key))=\(encoded($0.value))" }
        parts.append("cursor=\(cursor)")
        return request.uri.path + "?" + parts.joined(separator: "&")
    }
}
