import Directory
import Foundation
import Signing
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

    /// Opens `url`, signs in with `token` on the sign-in page it shows, and waits until `condition` holds.
    static func signIn(_ page: BrowserSession, at url: String, token: String, until condition: String) async throws {
        try await page.navigate(url)
        try await page.click("#jeton")
        try await page.type(token)
        try await page.press(.enter)
        try await TeamPagesBrowserTests.waitForPage(page, where: condition)
    }

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
        let csv = FileManager.default.temporaryDirectory.appendingPathComponent("lieux-\(UUID().uuidString.prefix(6)).csv")
        try Data("id,name,structure_ids,address,postcode,city,commune_code,reception_modes,publics,services,accessible,free_of_charge\n53-P3,Accueil Quimper gare,53-FT-1,12 rue de Siam,29000,Quimper,29232,sans_rendez_vous,jeunes_16_25,cep_niveau_1,oui,oui\n".utf8).write(to: csv)
        defer { try? FileManager.default.removeItem(at: csv) }
        let pages = ["/equipe/", "/equipe/candidatures", "/equipe/structures", "/equipe/structures?etat=referenced&q=structure",
                     "/equipe/lieux", "/equipe/lieux?mutualise=true", "/equipe/canaux", "/equipe/indicateurs",
                     "/equipe/cahiers-des-charges", "/equipe/structures/53-IJ-1", "/equipe/modifications", "/equipe/import", "/equipe/qualite"]
        let (seen, audits, afterReject, editorView, editorAudit) = try await Loopback.serveNode(node.store) { base in
            try await BrowserSession.run(width: 1200, height: 900) { page in
                try await Self.signIn(page, at: "\(base)/equipe/", token: admin, until: "document.querySelector('.cards')")
                var seen: [Seen] = []
                var audits: [Axe.Results] = []
                for path in pages {
                    try await page.navigate(base + path)
                    seen.append(try await page.evaluate(Self.read, as: Seen.self))
                    audits.append(try await page.axe())
                    try await Self.screenshot(page, "equipe" + path.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "?", with: "-"))
                }
                // An import previewed in the browser: its page is checked too.
                try await page.navigate("\(base)/equipe/import")
                try await Self.attach(page, "#f-fichier", file: csv)
                try await page.click("form[enctype] button[type=submit]")
                try await TeamPagesBrowserTests.waitForPage(page, where: "document.querySelector('[role=status]') && location.pathname.endsWith('apercu')")
                seen.append(try await page.evaluate(Self.read, as: Seen.self))
                audits.append(try await page.axe())
                try await Self.screenshot(page, "equipe_import-apercu")
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
        #expect(seen.count == pages.count + 1)
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
        let preview = try #require(seen.last)
        #expect(preview.text.contains("1 fiche modifiée"), "\(preview.text.prefix(600))")
        for (path, audit) in zip(pages + ["/equipe/import/apercu"], audits) {
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

    /// On a phone (390 px wide), every page of the back office fits the screen: the page never scrolls
    /// sideways (wide tables scroll inside their own frame), and the headings and lists are there.
    @Test func everyPageFitsAPhoneScreenWithoutScrollingSideways() async throws {
        let (node, admin, _) = try await TeamPagesTests.node()
        try await node.store.adoptCharters([Fixtures.charter()])
        let pages = ["/equipe/", "/equipe/candidatures", "/equipe/structures", "/equipe/lieux", "/equipe/canaux", "/equipe/indicateurs",
                     "/equipe/cahiers-des-charges", "/equipe/structures/53-IJ-1", "/equipe/structures/53-IJ-1/instruction", "/equipe/modifications",
                     "/equipe/import", "/equipe/qualite"]
        let (seen, label) = try await Loopback.serveNode(node.store) { base in
            try await BrowserSession.run(width: 390, height: 844) { page in
                try await Self.signIn(page, at: "\(base)/equipe/", token: admin, until: "document.querySelector('.cards')")
                var seen: [Seen] = []
                for path in pages {
                    try await page.navigate(base + path)
                    seen.append(try await page.evaluate(Self.read, as: Seen.self))
                    try await Self.screenshot(page, "telephone" + path.replacingOccurrences(of: "/", with: "_"))
                }
                try await page.navigate(base + "/equipe/lieux")
                let label = try await page.evaluate(
                    "getComputedStyle(document.querySelector('td[data-label=\"Lieu mutualisé\"]'), '::before').content", as: String.self)
                return (seen, label)
            }
        }
        #expect(seen.count == pages.count)
        // Tables read as cards, each value after its column's name.
        #expect(label == "\"Lieu mutualisé : \"", "\(label)")
        for (path, s) in zip(pages, seen) {
            #expect(s.pageWidth <= 390, "\(path) is \(s.pageWidth) px wide on a 390 px screen")
            #expect(!s.heading.isEmpty && !s.text.contains("Session expirée"), "\(path): \(s.heading)")
        }
    }

    /// Attaches `file` to the file input `selector` (what a person does through the file chooser).
    static func attach(_ page: BrowserSession, _ selector: String, file: URL) async throws {
        let root = try await page.send("DOM.getDocument", ["depth": 0])
        guard let rootId = (root["root"] as? [String: Any])?["nodeId"] as? Int else { throw BrowserError.script("no document node") }
        let found = try await page.send("DOM.querySelector", ["nodeId": rootId, "selector": selector])
        guard let nodeId = found["nodeId"] as? Int, nodeId != 0 else { throw BrowserError.script("no \(selector)") }
        _ = try await page.send("DOM.setFileInputFiles", ["nodeId": nodeId, "files": [file.path]])
    }

    @Test func theTeamReviewsAnApplicationCriterionByCriterionWithADocumentAndReferencesIt() async throws {
        let (node, admin, _) = try await TeamPagesTests.node()
        try await node.store.adoptCharters([Fixtures.charter()])
        var place = try #require(try await node.store.place("53-IJ-P"))
        place.freeOfCharge = true
        _ = try await node.store.submitPlace(place, validator: RecordValidator(), by: .system)
        let pdf = FileManager.default.temporaryDirectory.appendingPathComponent("charte-accueil-\(UUID().uuidString.prefix(6)).pdf")
        try ReviewEvidenceTests.pdf.write(to: pdf)
        defer { try? FileManager.default.removeItem(at: pdf) }
        let (reviewPage, reviewAudit, decided, decidedAudit, dashboard) = try await Loopback.serveNode(node.store) { base in
            try await BrowserSession.run(width: 1200, height: 900) { page in
                try await Self.signIn(page, at: "\(base)/equipe/candidatures", token: admin, until: "document.querySelector('table.records')")
                try await page.click("a[href='/equipe/structures/53-IJ-1/instruction']")
                try await TeamPagesBrowserTests.waitForPage(page, where: "document.querySelector('#motif')")
                let reviewPage = try await page.evaluate(Self.read, as: Seen.self)
                let reviewAudit = try await page.axe()
                try await page.click("input[name='atteste-confiance'][value='oui']")
                try await page.click("#justificatif-confiance")
                try await page.type("Charte d'accueil signée par la directrice, entretien du 12 janvier")
                try await Self.attach(page, "#document-confiance", file: pdf)
                try await page.click("input[name='decision'][value='referenced']")
                try await page.click("#motif")
                try await page.type("Conforme au cahier des charges")
                try await Self.screenshot(page, "equipe_instruction")
                try await page.click("form[enctype] button[type=submit]")
                try await TeamPagesBrowserTests.waitForPage(page, where: "document.querySelector('[role=status].ok')")
                let decided = try await page.evaluate(Self.read, as: Seen.self)
                let decidedAudit = try await page.axe()
                try await Self.screenshot(page, "equipe_structure-referencee")
                try await page.navigate("\(base)/equipe/")
                let dashboard = try await page.evaluate(Self.read, as: Seen.self)
                return (reviewPage, reviewAudit, decided, decidedAudit, dashboard)
            }
        }
        #expect(reviewPage.heading == "Instruction — Structure 53-IJ-1")
        #expect(reviewPage.text.contains("Service gratuit\t✓ rempli"), "\(reviewPage.text.prefix(800))")
        #expect(reviewAudit.passes > 0 && reviewAudit.violations.isEmpty, "\(reviewAudit)")
        #expect(decided.text.contains("Décision enregistrée : Référencé"), "\(decided.text.prefix(600))")
        #expect(decided.text.contains("Justificatif : « Charte d'accueil signée par la directrice, entretien du 12 janvier »"))
        #expect(decided.text.contains(pdf.lastPathComponent))
        #expect(decidedAudit.violations.isEmpty, "\(decidedAudit)")
        #expect(dashboard.text.contains("Candidatures à instruire\n\n0"), "\(dashboard.text.prefix(400))")
        // Recorded with its evidence, and published in the signed export as referenced.
        let events = try await node.store.history("53-IJ-1")
        #expect(events.suffix(2).map(\.to) == [.underReview, .referenced])
        #expect(events.last?.criteria.first { $0.criterionId == "confiance" }?.evidence?.document?.sha256 == sha256Hex(ReviewEvidenceTests.pdf))
        let export = try SproJSON.decoder().decode(ExportDocument.self, from: try await node.store.currentExport().body)
        #expect(export.structures.first { $0.id == "53-IJ-1" }?.referencing.state == .referenced)
    }
}
