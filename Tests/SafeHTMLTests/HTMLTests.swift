import SafeHTML
import Testing

@Suite struct HTMLTests {
    @Test func interpolatedTextIsEscapedAndLiteralsAreKept() {
        let name = "<script>alert(1)</script>"
        let attribute = "\"><img src=x onerror=alert(1)>"
        let page: HTML = "<p title=\"\(attribute)\">\(name) & 'co'</p>"
        #expect(page.rendered == "<p title=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\">&lt;script&gt;alert(1)&lt;/script&gt; & 'co'</p>")
    }

    @Test func fragmentsAreInsertedAsMarkupAndNumbersAsText() {
        let items: [HTML] = ["a", "b'"].map { "<li>\($0)</li>" }
        let count = 3
        let list: HTML = "<ul data-n=\"\(count)\">\(items)</ul>"
        #expect(list.rendered == "<ul data-n=\"3\"><li>a</li><li>b&#39;</li></ul>")
        #expect(items.joined(separator: "<hr>").rendered == "<li>a</li><hr><li>b&#39;</li>")
    }

    @Test func optionalFragmentsAndTextConstructor() {
        let none: HTML? = nil
        let some: HTML? = "<b>x</b>"
        let h: HTML = "\(none)|\(some)|\(HTML(text: "a&b"))"
        #expect(h.rendered == "|<b>x</b>|a&amp;b")
        #expect(["x", "<y>"].html { "<i>\($0)</i>" }.rendered == "<i>x</i><i>&lt;y&gt;</i>")
    }

    @Test func aStringInterpolatedIsTextEvenWhenWrittenAsALiteral() {
        // Markup chosen at run time must be typed `HTML`; a plain string, literal or not, is escaped.
        let marked = true
        let asText: HTML = "<p\(marked ? " class=\"x\"" : "")>"
        let asMarkup: HTML = "<p\(marked ? HTML(" class=\"x\"") : HTML())>"
        #expect(asText.rendered == "<p class=&quot;x&quot;>")
        #expect(asMarkup.rendered == "<p class=\"x\">")
    }
}
