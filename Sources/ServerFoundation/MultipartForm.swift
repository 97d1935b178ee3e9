import Foundation

/// A `multipart/form-data` body (RFC 7578), as an HTML form with a file input sends it: each part's
/// field name, file name and media type, and its bytes. Strict: a body that does not follow the format
/// is refused rather than guessed at.
public struct MultipartForm: Sendable {
    public struct Part: Sendable {
        public let name: String
        public let filename: String?
        public let mediaType: String?
        public let data: Data

        /// The part as text (UTF-8), for ordinary fields.
        public var text: String { String(decoding: data, as: UTF8.self) }
    }

    public struct Malformed: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    public let parts: [Part]

    /// The text of the first field named `name`.
    public func field(_ name: String) -> String? { parts.first { $0.name == name && $0.filename == nil }?.text }

    /// The first file sent for `name` (a file input left empty sends a part with an empty file name: nil).
    public func file(_ name: String) -> Part? { parts.first { $0.name == name && !($0.filename ?? "").isEmpty && !$0.data.isEmpty } }

    /// Parses `body` sent with `contentType` (`multipart/form-data; boundary=...`), at most `maxParts` parts.
    public init(body: Data, contentType: String, maxParts: Int = 200) throws {
        let params = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard params.first?.lowercased() == "multipart/form-data",
              var boundary = params.dropFirst().first(where: { $0.lowercased().hasPrefix("boundary=") })?.dropFirst("boundary=".count) else {
            throw Malformed(description: "le formulaire doit être envoyé en multipart/form-data avec sa frontière (boundary)")
        }
        if boundary.hasPrefix("\""), boundary.hasSuffix("\""), boundary.count >= 2 { boundary = boundary.dropFirst().dropLast() }
        guard (1...70).contains(boundary.count) else { throw Malformed(description: "frontière (boundary) invalide") }
        let delimiter = Data("--\(boundary)".utf8)
        let crlf = Data("\r\n".utf8)
        guard let first = body.range(of: delimiter) else { throw Malformed(description: "aucune partie dans le formulaire") }
        var parts: [Part] = []
        var cursor = first.upperBound
        while true {
            // After a delimiter: "--" closes the body, CRLF opens a part.
            if body[cursor...].starts(with: Data("--".utf8)) { break }
            guard body[cursor...].starts(with: crlf) else { throw Malformed(description: "partie mal délimitée") }
            cursor += 2
            guard let headerEnd = body.range(of: Data("\r\n\r\n".utf8), in: cursor..<body.endIndex) else {
                throw Malformed(description: "en-têtes de partie incomplets")
            }
            let headers = String(decoding: body[cursor..<headerEnd.lowerBound], as: UTF8.self)
            guard let next = body.range(of: crlf + delimiter, in: headerEnd.upperBound..<body.endIndex) else {
                throw Malformed(description: "partie non terminée")
            }
            parts.append(try Self.part(headers: headers, data: Data(body[headerEnd.upperBound..<next.lowerBound])))
            guard parts.count <= maxParts else { throw Malformed(description: "trop de champs (plus de \(maxParts))") }
            cursor = next.upperBound
        }
        self.parts = parts
    }

    private static func part(headers: String, data: Data) throws -> Part {
        var name: String?
        var filename: String?
        var mediaType: String?
        for line in headers.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "content-disposition":
                for item in value.split(separator: ";").dropFirst() {
                    let pair = item.trimmingCharacters(in: .whitespaces)
                    guard let eq = pair.firstIndex(of: "=") else { continue }
                    var v = String(pair[pair.index(after: eq)...])
                    if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 { v = String(v.dropFirst().dropLast()) }
                    // Browsers escape quotes in names as %22 (WHATWG); nothing else is decoded.
                    v = v.replacingOccurrences(of: "%22", with: "\"")
                    switch pair[..<eq].lowercased() {
                    case "name": name = v
                    case "filename": filename = v
                    default: break
                    }
                }
            case "content-type": mediaType = value
            default: break
            }
        }
        guard let name else { throw Malformed(description: "partie sans nom de champ (Content-Disposition)") }
        return Part(name: name, filename: filename, mediaType: mediaType, data: data)
    }
}
