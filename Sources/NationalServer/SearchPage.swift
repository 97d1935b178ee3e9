import Directory
import SafeHTML

/// The public search page at `/`: French, self-contained (no framework, no external resources).
enum SearchPage {
    /// The page with the vocabularies' options filled in from the enums, so the filters never drift from the API.
    static let html: String = page.rendered

    /// One `<option>` per value of a vocabulary: its raw value sent, its French label shown.
    static func options<V: Vocabulary>(_ type: V.Type) -> HTML {
        V.allCases.html { "<option value=\"\($0.rawValue)\">\($0.label)</option>" }
    }
}
