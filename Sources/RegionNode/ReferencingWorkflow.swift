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

    public init(to: ReferencingState, motive: String, charterVersion: Int? = nil, attested: [String: Bool]? = nil,
                effectiveOn: String? = nil, signatories: [String]? = nil) {
        self.to = to
        self.motive = motive
        self.charterVersion = charterVersion
        self.attested = attested
        self.effectiveOn = effectiveOn
        self.signatories = signatories
    }
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
        let today = ISODay.string(now)
        return try repository.write {
            try UniqueSIRET.check(structure, in: repository)
            let existing = try repository.structure(structure.id)
            if let existing, ![.expired, .rejected].contains(existing.referencing.state) {
                throw RecordError.conflict("structure \(structure.id) : déjà connue à l'état \(existing.referencing.state.rawValue) ; une nouvelle candidature ne suit qu'un refus ou une expiration")
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

    /// The impartiality rule: a regional CEP operator that also sells training is flagged for the Région.
    static func impartiality(_ s: Structure) -> [CriterionResult] {
        guard let d = s.designation else { return [] }
        return [CriterionResult(criterionId: "impartialite", passed: !d.sellsTraining, source: .automatic,
                                detail: d.sellsTraining ? "alerte : l'opérateur vend aussi des formations (règle d'impartialité du CEP)"
                                                        : "ne vend pas de formation")]
    }

    /// Moves a structure's referencing, evaluating the charter's checkable criteria and requiring the
    /// reviewer's results for attested ones when it is granted. Nothing changes when it is refused.
    @discardableResult
    func transition(_ structureId: String, _ request: TransitionRequest, by actor: Principal,
                           at now: Date = Date()) throws -> ReferencingEvent {
        try AccessPolicy.require(actor, .changeReferencing)
        return try repository.write {
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
            guard day >= s.referencing.since else {
                throw RecordError.invalid(record: "structure \(structureId)", field: "effectiveOn",
                                         rule: "\(day) précède le début de l'état actuel (\(s.referencing.since))")
            }
            var charterVersion = s.referencing.charterVersion
            var validUntil = s.referencing.validUntil
            var results: [CriterionResult] = []
            if from == .underReview || to == .underReview {
                // Review: evaluate against the requested charter (default: the newest adopted).
                let all = try repository.loadAll()
                let version = request.charterVersion ?? all.charters.map(\.version).max()
                guard let version, let charter = all.charters.first(where: { $0.version == version }) else {
                    throw ReferencingError.unknownCharterVersion(request.charterVersion ?? 0)
                }
                results = CharterEvaluation.evaluate(charter, structure: s, places: all.places, indicators: all.indicators)
                for c in charter.criteria where c.kind == .attested {
                    if let passed = request.attested?[c.id] {
                        results.append(CriterionResult(criterionId: c.id, passed: passed, source: .reviewer,
                                                       detail: passed ? "attesté par \(actor.name)" : "non attesté par \(actor.name)"))
                    } else if to == .referenced {
                        throw ReferencingError.missingAttestation(structure: structureId, criterion: c.id)
                    }
                }
                if to == .referenced {
                    let failed = results.filter { !$0.passed }.map(\.criterionId)
                    guard failed.isEmpty else { throw ReferencingError.criteriaNotMet(structure: structureId, criteria: failed) }
                    charterVersion = version
                    validUntil = ISODay.string(ISODay.adding(months: charter.referencingValidityMonths, to: effective))
                }
            }
            if to == .applied { charterVersion = nil; validUntil = nil }
            let event = ReferencingEvent(structureId: structureId, at: ISOInstant.string(now), effectiveOn: day, actor: actor.name,
                                         from: from, to: to, motive: motive, charterVersion: s.basis.isByLaw ? nil : charterVersion,
                                         validUntil: validUntil, criteria: results, signatories: request.signatories ?? [])
            let before = NodeRepository.json(s)
            s.referencing = PublicReferencing(state: to, charterVersion: event.charterVersion, since: day, validUntil: validUntil)
            try repository.writeStructure(s, at: now)
            try repository.appendEvent(event)
            try repository.audit(actor, "referencing.\(to.rawValue)", "structure/\(structureId)", before: before, after: NodeRepository.json(s), at: now)
            return event
        }
    }

    /// Moves every referencing whose validity ended before `day` to `expired`, and returns those transitions.
    @discardableResult
    func expireDue(asOf now: Date) throws -> [ReferencingEvent] {
        let today = ISODay.string(now)
        let due = try repository.loadAll().structures.filter {
            $0.referencing.state == .referenced && ($0.referencing.validUntil.map { $0 < today } ?? false)
        }
        return try repository.write {
            try due.map { s in
                try transition(s.id, TransitionRequest(to: .expired, motive: "fin de validité du référencement (\(s.referencing.validUntil ?? ""))",
                                                       effectiveOn: s.referencing.validUntil), by: .system, at: now)
            }
        }
    }
}
