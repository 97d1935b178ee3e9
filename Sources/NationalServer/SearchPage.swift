import Directory

/// The public search page at `/`: French, self-contained (no framework, no external resources).
enum SearchPage {
    /// The page with the vocabularies' options filled in from the enums, so the filters never drift from the API.
    static let html: String = {
        func options<V: Vocabulary>(_ type: V.Type) -> String {
            V.allCases.map { "<option value=\"\($0.rawValue)\">\(escape($0.label))</option>" }.joined()
        }
        return template
            .replacingOccurrences(of: "__SERVICES__", with: options(Service.self))
            .replacingOccurrences(of: "__PUBLICS__", with: options(Public.self))
            .replacingOccurrences(of: "__NETWORKS__", with: options(Network.self))
    }()

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
