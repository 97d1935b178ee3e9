import Directory
import Foundation
import SproTestSupport
import Testing
@testable import RegionNode

/// The Région team's back office in a real headless Chromium: sign in, the dashboard and every list, a
/// structure's page, the edit queue with its diff; an editor's proposal rejected with a reason that the
/// editor then reads; axe-core finds no violation on any page. With `SPRO_SCREENSHOTS=<dir>`, each page is
/// also saved as a PNG there, for a person to look at.
@Suite(.serialized) struct BackOfficeBrowserTests {
    struct Seen: Decodable {
        let path: String
        let heading: String
        let text: String
        let pageWidth: Int
    }

    static let read = """
        ({ path: location.pathname + location.search, heading: document.querySelector("h1").textContent,
           text: document.querySelector("main").innerText, pageWidth: document.documentElement.scrollWidth })
        """

    static func screenshot(_ page: BrowserSession, _ name: String) async throws {
        guard let dir = ProcessInfo.processInfo.environment["SPRO_SCREENSHOTS"] else { return }
        try await page.screenshot(to: URL(fileURLWithPath: dir).appendingPathComponent("\(name).png"))
    }

    @Test func theTeamRejectsAProposalWithAReasonAndTheEditorReadsIt() async throws {
        let (node, admin, editor) = try await TeamPagesTests.node()
        try await node.store.adoptCharters([Fixtures.charter()])
        // The editor of 53-ML-1 proposes a new name for one of its places.
        let editorPrincipal = try #require(try await node.store.principal(forToken: editor))
        var proposal = try #require(try await node.store.place("53-P2"))
        proposal.name = "Mission locale du Pays de Brest — antenne Siam"
        guard case .pending(let editId) = try await node.store.submitPlace(proposal, validator: RecordValidator(), by: editorPrincipal) else {
            Issue.record("an editor's change is queued")
            return
        }
        let pages = ["/equipe/", "/equipe/candidatures", "/equipe/structures", "/equipe/structures?etat=referenced&q=structure",
                     "/equipe/lieux", "/equipe/lieux?mutualise=true", "/equipe/canaux", "/equipe/indicateurs",
                     "/equipe/cahiers-des-charges", "/equipe/structures/53-IJ-1", "/equipe/modifications", "/equipe/qualite"]
        let (seen, audits, afterReject, editorView, editorAudit) = try await Loopback.serveNode(node.store) { base in
            try await BrowserSession.run(width: 1200, height: 900) { page in
                try await page.navigate("\(base)/equipe/")
                try await page.click("#jeton")
                try await page.type(admin)
                try await page.press(.enter)
                try await TeamPagesBrowserTests.waitForPage(page, where: "document.querySelector('.cards')")
                var seen: [Seen] = []
                var audits: [Axe.Results] = []
                for path in pages {
                    try await page.navigate(base + path)
                    seen.append(try await page.evaluate(Self.read, as: Seen.self))
                    audits.append(try await page.axe())
                    try await Self.screenshot(page, "equipe" + path.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "?", with: "-"))
                }
                // The team reads the diff and rejects with a reason.
                try await page.navigate("\(base)/equipe/modifications")
                try await page.click("#motif-\(editId)")
                try await page.type("Le nom doit rester celui de la Mission locale ; proposez l'antenne dans l'adresse.")
                try await page.click("#modification-\(editId) form:not(.inline) button")
                try await TeamPagesBrowserTests.waitForPage(page, where: "document.querySelector('[role=status].ok')")
                let afterReject = try await page.evaluate(Self.read, as: Seen.self)
                try await Self.screenshot(page, "equipe_modifications-refusee")
                // The editor signs in and finds the reason.
                try await page.click("header form button")
                try await TeamPagesBrowserTests.waitForPage(page, where: "document.querySelector('#jeton')")
                try await page.click("#jeton")
                try await page.type(editor)
                try await page.press(.enter)
                try await TeamPagesBrowserTests.waitForPage(page, where: "document.querySelector('.cards')")
                try await page.navigate("\(base)/equipe/modifications?statut=refusees")
                let editorView = try await page.evaluate(Self.read, as: Seen.self)
                let editorAudit = try await page.axe()
                try await Self.screenshot(page, "editeur_modifications")
                return (seen, audits, afterReject, editorView, editorAudit)
            }
        }
        #expect(seen.count == pages.count)
        let dashboard = try #require(seen.first)
        #expect(dashboard.heading == "Tableau de bord")
        #expect(dashboard.text.contains("Candidatures à instruire\n\n1") && dashboard.text.contains("Structure 53-IJ-1"), "\(dashboard.text.prefix(600))")
        #expect(dashboard.text.contains("Modifications en attente de validation\n\n1"))
        #expect(dashboard.text.contains("Cahier des charges en vigueur\n\nv1"))
        let lists = Dictionary(uniqueKeysWithValues: zip(pages, seen))
        #expect(lists["/equipe/candidatures"]?.text.contains("1 résultat") == true)
        #expect(lists["/equipe/structures"]?.text.contains("3 résultats") == true)
        #expect(lists["/equipe/structures?etat=referenced&q=structure"]?.text.contains("2 résultats") == true)
        #expect(lists["/equipe/lieux"]?.text.contains("5 résultats") == true)
        #expect(lists["/equipe/lieux?mutualise=true"]?.text.contains("1 résultat") == true)
        #expect(lists["/equipe/structures/53-IJ-1"]?.heading == "Structure 53-IJ-1")
        let queue = try #require(lists["/equipe/modifications"])
        #expect(queue.text.contains("Nom\tAccueil 53-P2") && queue.text.contains("Mission locale du Pays de Brest — antenne Siam"), "\(queue.text.prefix(800))")
        for (path, audit) in zip(pages, audits) {
            #expect(audit.passes > 0 && audit.violations.isEmpty, "\(path): \(audit)")
        }
        #expect(afterReject.text.contains("Modification n° \(editId) refusée"))
        let stored = try await node.store.edits(status: .rejected, for: .system)
        #expect(stored.first?.reason == "Le nom doit rester celui de la Mission locale ; proposez l'antenne dans l'adresse.")
        #expect(try await node.store.place("53-P2")?.name == "Accueil 53-P2")
        #expect(editorView.text.contains("Motif du refus : « Le nom doit rester celui de la Mission locale"), "\(editorView.text.prefix(800))")
        #expect(!editorView.text.contains("Refuser"), "an editor cannot decide")
        #expect(editorAudit.violations.isEmpty, "\(editorAudit)")
    }
}
