import Directory
import Foundation
import Referencing
import Storage

/// What a reviewer sends to move a referencing.
public struct TransitionRequest: Sendable, Codable {
    public var to: ReferencingState
    public var motive: String
    /// Charter version to grant under (default: the newest adopted); only for `referenced` after review.
    public var charterVersion: Int?
    /// The reviewer's results for attested criteria, by criterion id.
    public var attested: [String: Bool]?
    /// Day the new state takes effect (YYYY-MM-DD; default: today).
    public var effectiveOn: String?
    public var signatories: [String]?
    /// What the reviewer relied on for each attested criterion, by criterion id: a text (required for an
    /// attested criterion that passes) and optionally a document already stored on the node (its SHA-256).
    public var evidence: [String: EvidenceRequest]?
    /// The convention (recorded on the node) the referencing rests on.
    public var conventionId: String?

    public init(to: ReferencingState, motive: String, charterVersion: Int? = nil, attested: [String: Bool]? = nil,
                evidence: [String: EvidenceRequest]? = nil, effectiveOn: String? = nil, signatories: [String]? = nil,
                conventionId: String? = nil) {
        self.conventionId = conventionId
        self.to = to
        self.motive = motive
        self.charterVersion = charterVersion
        self.attested = attested
        self.effectiveOn = effectiveOn
        self.signatories = signatories
        self.evidence = evidence
    }
}

/// A reviewer's evidence for one attested criterion, as sent: a text and the SHA-256 of a stored document.
public struct EvidenceRequest: Sendable, Codable, Equatable {
    public var text: String
    public var document: String?

    public init(text: String, document: String? = nil) {
        self.text = text
        self.document = document
    }

    /// The longest account a reviewer may write for one criterion.
    static let maximumLength = 4_000
}

/// The referencing workflow of the law of 5 March 2014 as the node runs it: applications, the Région's
/// review against its cahier des charges, decisions and their history, and expiry. Every decision is one
/// transaction with its history event and audit entry.
struct ReferencingWorkflow {
    let repository: NodeRepository

    /// The referencing in force on `day` (YYYY-MM-DD): the last transition effective on or before it.
    func referencing(_ structureId: String, asOf day: String) throws -> ReferencingEvent? {
        // The latest effective date wins; among transitions effective the same day, the last recorded.
        try repository.events(structureId).enumerated().filter { $0.element.effectiveOn <= day }
            .max { ($0.element.effectiveOn, $0.offset) < ($1.element.effectiveOn, $1.offset) }?.element
    }

    /// A structure applies with its places. One that takes part by law (national CEP operator, chambre
    /// consulaire...) is recorded as referenced on that basis at once, with no charter review.
    @discardableResult
    func apply(_ structure: Structure, places: [Place], validator: RecordValidator, by actor: Principal,
                      motive: String = "candidature", at now: Date = Date()) throws -> ReferencingEvent {
        try AccessPolicy.require(actor, .registerStructure)
        try validator.validate(structure)
        for p in places {
            try validator.validate(p)
            guard p.structures.contains(where: { $0.structureId == structure.id }) else {
                throw RecordError.invalid(record: "lieu \(p.id)", field: "structures", rule: "ne nomme pas la structure \(structure.id)")
            }
        }
        try Self.requireImpartiality(structure)
        let today = ISODay.string(now)
        return try repository.write {
            try UniqueSIRET.check(structure, in: repository)
            try NetworkHeads.check(structure, in: repository)
            let existing = try repository.structure(structure.id)
            if let existing, ![.expired, .rejected, .withdrawn].contains(existing.referencing.state) {
                throw RecordError.conflict("structure \(structure.id) : déjà connue à l'état \(existing.referencing.state.rawValue) ; une nouvelle candidature ne suit qu'un refus, un retrait ou une expiration")
            }
            var s = structure
            let event: ReferencingEvent
            if structure.basis.isByLaw {
                s.referencing = PublicReferencing(state: .referenced, charterVersion: nil, since: today, validUntil: nil)
                event = ReferencingEvent(structureId: s.id, at: ISOInstant.string(now), effectiveOn: today, actor: actor.name,
                                         from: existing?.referencing.state, to: .referenced,
                                         motive: "participation de droit : \(structure.basis.label)"
                                             + (structure.designation.map { " (désignation du \($0.decidedOn), CREFOP consulté le \($0.crefopConsultedOn))" } ?? ""),
                                         charterVersion: nil, validUntil: nil, criteria: Self.impartiality(structure))
            } else {
                s.referencing = PublicReferencing(state: .applied, charterVersion: nil, since: today, validUntil: nil)
                event = ReferencingEvent(structureId: s.id, at: ISOInstant.string(now), effectiveOn: today, actor: actor.name,
                                         from: existing?.referencing.state, to: .applied, motive: motive, charterVersion: nil,
                                         validUntil: nil, criteria: [])
            }
            try repository.writeStructure(s, at: now)
            for p in places { try repository.writePlace(p, at: now) }
            try repository.appendEvent(event)
            try repository.audit(actor, "structure.apply", "structure/\(s.id)", before: NodeRepository.json(existing), after: NodeRepository.json(s), at: now)
            return event
        }
    }

    /// The impartiality rule (L6111-6): a regional CEP operator may not sell training or services usable in
    /// the beneficiary's project, so one whose designation says it does is neither designated nor referenced.
    static func requireImpartiality(_ structure: Structure) throws {
        if structure.basis == .regionalCEPOperator, structure.designation?.sellsTraining == true {
            throw RecordError.invalid(record: "structure \(structure.id)", field: "designation.sellsTraining",
                                     rule: "un opérateur régional du CEP ne peut pas vendre de formations ni de prestations mobilisables dans le projet du bénéficiaire (règle d'impartialité) : il ne peut être désigné ni référencé")
        }
    }

    /// The impartiality rule, recorded with a regional CEP operator's designation (one that sells training
    /// or services usable in the beneficiary's project is refused before this point).
    static func impartiality(_ s: Structure) -> [CriterionResult] {
        guard let d = s.designation else { return [] }
        return [CriterionResult(criterionId: "impartialite", passed: !d.sellsTraining, source: .automatic,
                                detail: d.sellsTraining ? "l'opérateur vend des formations (règle d'impartialité du CEP)"
                                                        : "ne vend ni formation ni prestation mobilisable dans le projet du bénéficiaire")]
    }

    /// Moves a structure's referencing, evaluating the charter's checkable criteria and requiring the
    /// reviewer's results for attested ones when it is granted. Nothing changes when it is refused.
    /// The event's `at` is always `now`, the real time of the decision; `effectiveOn` may not lie after
    /// `now`'s day (only scheduled expiry, `expire`, records a past validity end as the effective day).
    @discardableResult
    func transition(_ structureId: String, _ request: TransitionRequest, by actor: Principal,
                           at now: Date = Date()) throws -> ReferencingEvent {
        try AccessPolicy.require(actor, .changeReferencing)
        return try record(structureId, request, by: actor, at: now)
    }

    /// A structure's editor withdraws its own application while it is `applied` or `under_review`.
    @discardableResult
    func withdraw(_ structureId: String, motive: String, by actor: Principal, at now: Date = Date()) throws -> ReferencingEvent {
        try AccessPolicy.require(actor, .withdrawApplication(structureId))
        return try repository.write {
            guard let s = try repository.structure(structureId) else { throw RecordError.notFound(kind: "structure", id: structureId) }
            guard ReferencingRules.withdrawableByApplicant.contains(s.referencing.state) else {
                throw RecordError.conflict("structure \(structureId) : une candidature ne se retire qu'à l'état applied ou under_review (état actuel : \(s.referencing.state.rawValue))")
            }
            return try record(structureId, TransitionRequest(to: .withdrawn, motive: motive), by: actor, at: now)
        }
    }

    /// Records a transition whose permission was checked by the caller.
    private func record(_ structureId: String, _ request: TransitionRequest, by actor: Principal, at now: Date) throws -> ReferencingEvent {
        try repository.write {
            guard var s = try repository.structure(structureId) else { throw RecordError.notFound(kind: "structure", id: structureId) }
            let from = s.referencing.state
            let to = request.to
            guard ReferencingRules.allows(from, to) else {
                throw ReferencingError.forbiddenTransition(structure: structureId, from: from, to: to)
            }
            if s.basis.isByLaw && (to == .underReview || (from == .underReview && to == .referenced)) {
                throw ReferencingError.byLawNeedsNoReview(structure: structureId, basis: s.basis)
            }
            let motive = request.motive.trimmingCharacters(in: .whitespacesAndNewlines)
            if [.rejected, .suspended, .withdrawn].contains(to) && motive.isEmpty { throw ReferencingError.motiveRequired(to: to) }
            let day = request.effectiveOn ?? ISODay.string(now)
            guard let effective = ISODay.parse(day) else {
                throw RecordError.invalid(record: "structure \(structureId)", field: "effectiveOn", rule: "doit être une date AAAA-MM-JJ")
            }
            guard day <= ISODay.string(now) else {
                throw RecordError.invalid(record: "structure \(structureId)", field: "effectiveOn",
                                         rule: "\(day) est dans le futur : une décision prend effet au plus tard le jour où elle est enregistrée (\(ISODay.string(now)))")
            }
            guard day >= s.referencing.since else {
                throw RecordError.invalid(record: "structure \(structureId)", field: "effectiveOn",
                                         rule: "\(day) précède le début de l'état actuel (\(s.referencing.since))")
            }
            var charterVersion = s.referencing.charterVersion
            var validUntil = s.referencing.validUntil
            var results: [CriterionResult] = []
            let reinstating = from == .suspended && to == .referenced && !s.basis.isByLaw
            if reinstating, let end = s.referencing.validUntil, end < day {
                throw RecordError.conflict("structure \(structureId) : la validité du référencement a pris fin le \(end) pendant la suspension : une nouvelle candidature est nécessaire")
            }
            if from == .underReview || to == .underReview || reinstating {
                // Review: evaluate against the requested charter (default: the newest adopted; for a
                // suspended referencing, the charter it was granted under).
                let all = try repository.loadAll()
                let version = request.charterVersion ?? (reinstating ? s.referencing.charterVersion : nil) ?? all.charters.map(\.version).max()
                guard let version, let charter = all.charters.first(where: { $0.version == version }) else {
                    throw ReferencingError.unknownCharterVersion(request.charterVersion ?? 0)
                }
                results = CharterEvaluation.evaluate(charter, structure: s, places: all.places, indicators: all.indicators, on: day)
                for c in charter.criteria where c.kind == .attested {
                    if let passed = request.attested?[c.id] {
                        let evidence = try self.evidence(for: c.id, passed: passed, request, structure: structureId)
                        results.append(CriterionResult(criterionId: c.id, passed: passed, source: .reviewer,
                                                       detail: passed ? "attesté par \(actor.name)" : "non attesté par \(actor.name)",
                                                       evidence: evidence))
                    } else if to == .referenced {
                        throw ReferencingError.missingAttestation(structure: structureId, criterion: c.id)
                    }
                }
                if to == .referenced {
                    let failed = results.filter { !$0.passed }.map(\.criterionId)
                    guard failed.isEmpty else {
                        throw ReferencingError.criteriaNotMet(structure: structureId, criteria: results.filter { !$0.passed }.map { "\($0.criterionId) (\($0.detail))" })
                    }
                    if !reinstating {
                        charterVersion = version
                        validUntil = ISODay.string(ISODay.adding(months: charter.referencingValidityMonths, to: effective))
                    }
                }
            }
            if to == .applied { charterVersion = nil; validUntil = nil }
            var signatories = request.signatories ?? []
            var convention: Convention?
            if let id = request.conventionId {
                guard let named = try repository.convention(id) else {
                    throw RecordError.invalid(record: "structure \(structureId)", field: "conventionId", rule: "aucune convention \(id.prefix(80)) sur ce nœud (POST /api/v1/conventions)")
                }
                if signatories.isEmpty { signatories = named.parties.map(\.name) }
                convention = named
            }
            var event = ReferencingEvent(structureId: structureId, at: ISOInstant.string(now), effectiveOn: day, actor: actor.name,
                                         from: from, to: to, motive: motive, charterVersion: s.basis.isByLaw ? nil : charterVersion,
                                         validUntil: validUntil, criteria: results, signatories: signatories)
            event.conventionId = request.conventionId
            let before = NodeRepository.json(s)
            // The export names the convention a referencing was decided under (its id and signature day; the
            // parties and the document stay on the node). It stays through a suspension and a reinstatement
            // that names none; any other state has no convention in force.
            let published = [.referenced, .suspended].contains(to)
                ? convention.map { ConventionReference(id: $0.id, signedOn: CalendarDay(unchecked: $0.signedOn)) } ?? s.referencing.convention
                : nil
            s.referencing = PublicReferencing(state: to, charterVersion: event.charterVersion, since: day, validUntil: validUntil,
                                              convention: published)
            try repository.writeStructure(s, at: now)
            try repository.appendEvent(event)
            try repository.audit(actor, "referencing.\(to.rawValue)", "structure/\(structureId)", before: before, after: NodeRepository.json(s), at: now)
            return event
        }
    }

    /// The evidence recorded for an attested criterion: a text is required when it passes; a document named
    /// must be stored on the node.
    private func evidence(for criterion: String, passed: Bool, _ request: TransitionRequest, structure: String) throws -> Evidence? {
        let field = "evidence.\(criterion)"
        guard let sent = request.evidence?[criterion] else {
            if passed {
                throw RecordError.invalid(record: "structure \(structure)", field: field,
                                         rule: "un critère attesté demande un justificatif : décrivez ce qui l'établit (et joignez le document s'il y en a un)")
            }
            return nil
        }
        let text = sent.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty || !passed else {
            throw RecordError.invalid(record: "structure \(structure)", field: "\(field).text", rule: "le justificatif ne peut pas être vide")
        }
        guard text.count <= EvidenceRequest.maximumLength, !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" && $0 != "\r" }) else {
            throw RecordError.invalid(record: "structure \(structure)", field: "\(field).text",
                                     rule: "au plus \(EvidenceRequest.maximumLength) caractères, sans caractère de contrôle")
        }
        var document: DocumentRef? = nil
        if let sha = sent.document {
            guard let stored = try repository.documentRef(sha) else {
                throw RecordError.invalid(record: "structure \(structure)", field: "\(field).document",
                                         rule: "aucun document \(sha.prefix(80)) sur ce nœud : déposez-le d'abord (POST /api/v1/documents)")
            }
            document = stored
        }
        return Evidence(text: text, document: document)
    }

    /// Moves every referencing whose validity ended before today to `expired`, and returns those transitions.
    @discardableResult
    func expireDue(asOf now: Date) throws -> [ReferencingEvent] {
        try expire(asOf: ISODay.string(now), dryRun: false, at: now).events
    }

    /// The furthest ahead an expiry report may look.
    static let expiryHorizonYears = 5

    /// Expiry as of `day` (YYYY-MM-DD). For today or a past day, the referencings whose validity ended
    /// before `day` move to `expired` (each event `at` now, effective on the validity end). For a future
    /// day, or with `dryRun`, nothing changes: the report lists what is (or will be) due, which expires
    /// when its day comes. A future day beyond every validity in force, or beyond the horizon, is refused.
    func expire(asOf day: String, dryRun: Bool, at now: Date = Date()) throws -> ExpiryReport {
        guard ISODay.parse(day) != nil else {
            throw RecordError.invalid(record: "requête", field: "asOf", rule: "doit être une date AAAA-MM-JJ")
        }
        let today = ISODay.string(now)
        let referenced = try repository.read { try repository.loadAll() }.structures.filter { $0.referencing.state == .referenced }
        if day > today {
            let horizon = ISODay.string(ISODay.adding(months: 12 * Self.expiryHorizonYears, to: now))
            guard day <= horizon else {
                throw RecordError.invalid(record: "requête", field: "asOf",
                                         rule: "\(day) est à plus de \(Self.expiryHorizonYears) ans (au-delà du \(horizon)) : aucune expiration ne se prévoit si loin")
            }
            // The last day that matters is the day after the latest validity in force ends.
            if let latest = referenced.compactMap(\.referencing.validUntil).max(), let end = ISODay.parse(latest),
               day > ISODay.string(end.addingTimeInterval(86_400)) {
                throw RecordError.invalid(record: "requête", field: "asOf",
                                         rule: "\(day) dépasse toutes les validités en cours (la dernière finit le \(latest)) : une expiration ne se demande pas à l'avance, elle a lieu le jour venu")
            }
        }
        let due = referenced.filter { $0.referencing.validUntil.map { $0 < day } ?? false }
            .sorted { ($0.referencing.validUntil ?? "", $0.id) < ($1.referencing.validUntil ?? "", $1.id) }
        let report = due.map { ExpiryReport.Due(structureId: $0.id, name: $0.name, validUntil: $0.referencing.validUntil ?? "") }
        guard day <= today && !dryRun else { return ExpiryReport(asOf: day, applied: false, due: report, events: []) }
        let events = try repository.write {
            try due.map { s in
                // Effective on the validity end, or when the current state began if that is later.
                try record(s.id, TransitionRequest(to: .expired, motive: "fin de validité du référencement (\(s.referencing.validUntil ?? ""))",
                                                   effectiveOn: max(s.referencing.validUntil ?? s.referencing.since, s.referencing.since)),
                           by: .system, at: now)
            }
        }
        return ExpiryReport(asOf: day, applied: true, due: report, events: events)
    }
}

/// What `POST referencings/expire` did or would do.
public struct ExpiryReport: Sendable, Codable, Equatable {
    /// A referencing due to expire by the report's day.
    public struct Due: Sendable, Codable, Equatable {
        public var structureId: String
        public var name: String
        public var validUntil: String
    }
    /// The day asked for (YYYY-MM-DD).
    public var asOf: String
    /// Whether the due referencings were expired now (false for a future day or a dry run).
    public var applied: Bool
    public var due: [Due]
    /// The expiry events recorded, empty unless `applied`.
    public var events: [ReferencingEvent]
}
