import Foundation
import SproTestSupport
import Testing
@testable import RegionNode

/// The team's quality page in a real headless Chromium: the token typed into the sign-in form, the
/// table read, a record confirmed with its button, and the page at a phone's width.
@Suite(.serialized) struct TeamPagesBrowserTests {
    struct Shown: Decodable {
        let heading: String
        let rows: [String]
        let status: String?
        let cookieVisible: Bool
        let pageWidth: Int
    }

    static let readPage = """
        (function () {
          var status = document.querySelector("[role=status]");
          return {
            heading: document.querySelector("h1").textContent,
            rows: Array.prototype.map.call(document.querySelectorAll("table.records tbody tr"), function (tr) {
              return tr.id + " " + tr.querySelector("td:nth-of-type(4)").textContent;
            }),
            status: status && status.textContent,
            cookieVisible: document.cookie.indexOf("spro_equipe") >= 0,
            pageWidth: document.documentElement.scrollWidth
          };
        })()
        """

    /// Waits for the page a form submission leads to, polling (each navigation replaces the document)
    /// until `condition` holds in a fully loaded one.
    static func waitForPage(_ page: BrowserSession, where condition: String) async throws {
        for _ in 0..<100 {
            if (try? await page.evaluate("document.readyState === 'complete' && !!(\(condition))", as: Bool.self)) == true { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BrowserError.script("no page came where \(condition)")
    }

    @Test func signingInWithTheTokenAndConfirmingARecordFromTheTable() async throws {
        let (node, admin, _) = try await TeamPagesTests.node()
        let (before, after, narrow) = try await Loopback.serveNode(node.store) { base in
            try await BrowserSession.run(width: 1200, height: 900) { page in
                try await page.navigate("\(base)/equipe/qualite")
                try await page.click("#jeton")
                try await page.type(admin)
                try await page.press(.enter)
                try await Self.waitForPage(page, where: "document.querySelector('table.records')")
                let before = try await page.evaluate(Self.readPage, as: Shown.self)
                try await page.click("#place-53-P3 button")
                try await Self.waitForPage(page, where: "document.querySelector('[role=status]')")
                let after = try await page.evaluate(Self.readPage, as: Shown.self)
                try await page.setViewport(width: 390, height: 844, mobile: true)
                let narrow = try await page.evaluate(Self.readPage, as: Shown.self)
                return (before, after, narrow)
            }
        }
        #expect(before.rows.first?.contains("Mise à jour requise") == true, "\(before.rows)")
        #expect(before.rows.contains { $0.hasPrefix("place-53-P3 " + "Mise à jour requise") })
        #expect(!before.cookieVisible, "the token's cookie is HttpOnly")
        #expect(after.status == "La fiche 53-P3 est confirmée à jour.")
        #expect(after.rows.contains { $0.hasPrefix("place-53-P3 " + "À jour") }, "\(after.rows)")
        #expect(try await node.store.quality(for: .system).first { $0.id == "53-P3" }?.freshness == .fresh)
        // At a phone's width the table folds into blocks: nothing scrolls sideways.
        #expect(narrow.pageWidth <= 390, "\(narrow.pageWidth) px wide")
    }
}
