import Directory
import Foundation
import SproTestSupport
import Testing
@testable import RegionNode

/// The team's pages fed hostile text in every field they show (the Région, the signed-in actor, the
/// records' names, ids, structures, dates and criteria, the confirmation echoed from the query, error
/// texts): each comes out as inert, escaped text. The session cookie here is an admin token.
@Suite struct TeamPageEscapingTests {
    static let x = XSSPayloads.alerting

    @Test func theQualityPageShowsEveryNameIdAndLabelAsInertText() {
        let record = RecordQuality(kind: .place, id: Self.x.value("record-id"), name: Self.x.value("record-name"),
                                   structureId: Self.x.value("record-structure"), updatedAt: Self.x.value("last-confirmed"),
                                   checks: [QualityCheck(id: "c1", label: Self.x.value("check-label"), passed: false)], now: Date())
        // A confirmation date that only looks like one: its parts were once put in the page unescaped.
        let dated = RecordQuality(kind: .structure, id: "53-S1", name: "Structure", structureId: "53-S1",
                                  updatedAt: "2026-01-<script>alert(1)</script>", checks: [], now: Date())
        let editor = Principal(name: Self.x.value("actor-name"), role: .editor, structureId: Self.x.value("actor-structure"))
        let html = QualityPage(regionName: Self.x.value("region-name"), actor: editor, records: [record, dated],
                               filter: .init(), page: 1, confirmed: Self.x.value("confirmed"), csrfToken: Self.x.value("csrf")).html
        let fields = ["region-name", "actor-name", "actor-structure", "confirmed", "csrf", "record-id", "record-name", "record-structure",
                      "last-confirmed", "check-label"]
        let problems = Self.x.problems(in: html, shown: fields.map(Self.x.value))
        #expect(problems.isEmpty, "\(problems)")
        #expect(html.contains("<td>&lt;s/01/2026 <small>"))
        // The hostile id stays inside its attributes: a row per record, the id in its hidden field.
        #expect(html.components(separatedBy: "<tr id=\"").count - 1 == 2)
        #expect(html.contains("<input type=\"hidden\" name=\"id\" value=\"record-id &lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img"))
    }

    @Test func theSignInAndMessagePagesShowTheirTextAsInertText() {
        let signIn = SignInPage(regionName: Self.x.value("region-name"), error: Self.x.value("error")).html
        let signInProblems = Self.x.problems(in: signIn, shown: ["region-name", "error"].map(Self.x.value))
        #expect(signInProblems.isEmpty, "\(signInProblems)")
        #expect(signIn.contains("<input id=\"jeton\" name=\"jeton\" type=\"password\""))
        let message = MessagePage(title: Self.x.value("title"), message: Self.x.value("message")).html
        let messageProblems = Self.x.problems(in: message, shown: ["title", "message"].map(Self.x.value))
        #expect(messageProblems.isEmpty, "\(messageProblems)")
        #expect(message.hasPrefix("<!doctype html>") && message.hasSuffix("</main></body></html>"))
    }
}

/// The quality page with hostile records, actor and a hostile `confirme` link, signed in for real and
/// loaded in a headless Chromium: no payload runs or becomes an element, and each reads as typed.
@Suite(.serialized) struct TeamPageEscapingBrowserTests {
    static let x = XSSPayloads.marking

    @Test func hostileRecordsActorAndConfirmationLinkStayTextInTheBrowser() async throws {
        let node = try TestNode()
        var dataset = Fixtures.dataset(placeCount: 1)
        dataset.structures[0].name = Self.x.value("structure-name")
        dataset.places[0].name = Self.x.value("place-name")
        try await node.store.importDataset(dataset)
        let admin = try await node.store.issueToken(name: Self.x.value("actor-name"), role: .admin)
        let confirmed = try #require(Self.x.value("confirmed").addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        let found = try await Loopback.serveNode(node.store) { base in
            try await BrowserSession.run(width: 1200, height: 900) { page in
                try await page.navigate("\(base)/equipe/qualite")
                try await page.click("#jeton")
                try await page.type(admin)
                try await page.press(.enter)
                try await TeamPagesBrowserTests.waitForPage(page, where: "document.querySelector('table.records')")
                // A link someone could send the team: the page echoes `confirme`.
                try await page.navigate("\(base)/equipe/qualite?confirme=\(confirmed)")
                return try await page.evaluate(XSSPayloads.browserFindings, as: BrowserFindings.self)
            }
        }
        let shown = ["structure-name", "place-name", "actor-name", "confirmed"].map(Self.x.value)
        #expect(found.problems(shown: shown).isEmpty, "\(found.problems(shown: shown))")
    }
}
