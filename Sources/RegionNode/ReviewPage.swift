import Directory
import Foundation
import Referencing
import SafeHTML

/// `/equipe/structures/<id>/instruction`: the review of an application against the charter in force,
/// criterion by criterion: the automatic checks with their result today, each attested criterion with the
/// reviewer's finding, written evidence and an attached document, then the decision with its motive.
struct ReviewPage {
    let regionName: String
    let actor: Principal
    let csrfToken: String
    let structure: Structure
    let charter: Charter?
    let automatic: [CriterionResult]
    /// A refusal of the last submission, and what was typed (kept so nothing is typed twice).
    var error: String? = nil
    var typed: [String: String] = [:]

    static let reviewable: Set<ReferencingState> = [.applied, .underReview, .suspended]

    var document: HTML {
        let s = structure
        let intro: HTML = "<p>\(s.network.label) · \(s.basis.label) · état : \(BackOfficeFormat.state(s.referencing.state)) depuis le "
            + "\(BackOfficeFormat.date(s.referencing.since)). <a href=\"/equipe/structures/\(s.id)\">Fiche et historique de la structure</a></p>"
        let alert: HTML? = error.map { "<p class=\"error\" role=\"alert\">Décision non enregistrée : \($0)</p>" }
        let body: HTML
        if !Self.reviewable.contains(s.referencing.state) {
            body = "<p>Cette structure n'a pas de candidature à instruire (état : \(s.referencing.state.label)).</p>"
        } else if s.basis.isByLaw {
            body = "<p>Cette structure participe au SPRO au titre de la loi : elle n'est pas instruite au regard du cahier des charges.</p>"
        } else if let charter {
            body = review(charter)
        } else {
            body = "<p>Aucun cahier des charges n'est adopté : adoptez-en un avant d'instruire.</p>"
        }
        return TeamPageLayout.chrome(title: "Instruction — \(s.name)", regionName: regionName, actor: actor, csrfToken: csrfToken, current: .applications)
            + "\(intro)\(alert)\(body)</main></body></html>"
    }

    private func review(_ charter: Charter) -> HTML {
        let labels = Dictionary(charter.criteria.map { ($0.id, $0.label) }, uniquingKeysWith: { a, _ in a })
        let checks = automatic.html { r -> HTML in
            "<tr><th scope=\"row\">\(labels[r.criterionId] ?? r.criterionId)</th>"
                + "<td class=\"\(r.passed ? "a_jour" : "mise_a_jour_requise")\">\(r.passed ? "✓ rempli" : "✗ non rempli")</td><td>\(r.detail)</td></tr>"
        }
        let attested = charter.criteria.filter { $0.kind == .attested }.html { c -> HTML in
            let finding = typed["atteste-\(c.id)"]
            func radio(_ value: String, _ label: String) -> HTML {
                "<label><input type=\"radio\" name=\"atteste-\(c.id)\" value=\"\(value)\" required"
                    + (finding == value ? HTML(trusted: " checked") : HTML()) + "> \(label)</label> "
            }
            return "<fieldset><legend>\(c.label)</legend>\(radio("oui", "Rempli"))\(radio("non", "Non rempli"))<br>"
                + "<label for=\"justificatif-\(c.id)\">Justificatif : ce qui établit le critère</label><br>"
                + "<textarea id=\"justificatif-\(c.id)\" name=\"justificatif-\(c.id)\" rows=\"3\">\(typed["justificatif-\(c.id)"] ?? "")</textarea><br>"
                + "<label for=\"document-\(c.id)\">Document joint (PDF, image, texte, OpenDocument ou Word ; 4 Mio au plus)</label><br>"
                + "<input type=\"file\" id=\"document-\(c.id)\" name=\"document-\(c.id)\" accept=\".pdf,.png,.jpg,.jpeg,.txt,.odt,.docx\"></fieldset>"
        }
        var decisions: [(ReferencingState, String)] = [(.referenced, "Référencer"), (.rejected, "Refuser")]
        if structure.referencing.state == .applied { decisions.insert((.underReview, "Mettre en instruction seulement"), at: 0) }
        if structure.referencing.state == .suspended { decisions = [(.referenced, "Rétablir le référencement"), (.withdrawn, "Retirer le référencement")] }
        let choices = decisions.html { state, label -> HTML in
            "<label><input type=\"radio\" name=\"decision\" value=\"\(state.rawValue)\" required"
                + (typed["decision"] == state.rawValue ? HTML(trusted: " checked") : HTML()) + "> \(label)</label> "
        }
        return "<h2>Cahier des charges v\(charter.version) — \(charter.title)</h2>"
            + "<h3>Critères vérifiés automatiquement (au \(BackOfficeFormat.date(ISODay.string(Date()))))</h3>"
            + "<table><thead><tr><th scope=\"col\">Critère</th><th scope=\"col\">Résultat</th><th scope=\"col\">Détail</th></tr></thead><tbody>\(checks)</tbody></table>"
            + "<form method=\"post\" action=\"/equipe/structures/\(structure.id)/decision\" enctype=\"multipart/form-data\">"
            + "<input type=\"hidden\" name=\"csrf\" value=\"\(csrfToken)\"><input type=\"hidden\" name=\"charte\" value=\"\(charter.version)\">"
            + "<h3>Critères attestés par l'instructeur</h3>\(attested)"
            + "<fieldset><legend>Décision</legend>\(choices)<br><label for=\"motif\">Motif (lu dans l'historique ; requis pour un refus)</label><br>"
            + "<textarea id=\"motif\" name=\"motif\" rows=\"3\">\(typed["motif"] ?? "")</textarea></fieldset>"
            + "<p><button type=\"submit\">Enregistrer la décision</button></p></form>"
    }
}
