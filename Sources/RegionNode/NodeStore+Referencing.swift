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

extension NodeStore {
    // MARK: - Reading

    public func structure(_ id: String) throws -> Structure? {
        try db.queryFirst("SELECT json FROM structures WHERE id = ?", id) { try SproJSON.decoder().decode(Structure.self, from: Data($0.string(0).utf8)) }
    }

    public func place(_ id: String) throws -> Place? {
        try db.queryFirst("SELECT json FROM places WHERE id = ?", id) { try SproJSON.decoder().decode(Place.self, from: Data($0.string(0).utf8)) }
    }

    public func channel(_ id: String) throws -> Channel? {
        try db.queryFirst("SELECT json FROM channels WHERE id = ?", id) { try SproJSON.decoder().decode(Channel.self, from: Data($0.string(0).utf8)) }
    }

    public func charters() throws -> [Charter] { try loadAll().charters }

    /// Every transition of a structure's referencing, oldest first.
    public func history(_ structureId: String) throws -> [ReferencingEvent] {
        try db.query("SELECT json FROM referencing_events WHERE structure_id = ? ORDER BY seq", structureId) {
            try SproJSON.decoder().decode(ReferencingEvent.self, from: Data($0.string(0).utf8))
        }
    }

    /// The referencing in force on `day` (YYYY-MM-DD): the last transition effective on or before it.
    public func referencing(_ structureId: String, asOf day: String) throws -> ReferencingEvent? {
        // The latest effective date wins; among transitions effective the same day, the last recorded.
        try history(structureId).enumerated().filter { $0.element.effectiveOn <= day }
            .max { ($0.element.effectiveOn, $0.offset) < ($1.element.effectiveOn, $1.offset) }?.element
    }

    // MARK: - Writing

    /// Stores a structure; `now` is its confirmation date (the record's own `lastConfirmed` is derived, never stored).
    func writeStructure(_ s: Structure, at now: Date) throws {
        var s = s
        s.lastConfirmed = nil
        try db.run("INSERT INTO structures (id, json, updated_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at",
                   s.id, String(decoding: try SproJSON.encoder().encode(s), as: UTF8.self), ISOInstant.string(now))
    }

    /// Stores a place; `now` is its confirmation date (the record's own `lastConfirmed` is derived, never stored).
    func writePlace(_ p: Place, at now: Date) throws {
        var p = p
        p.lastConfirmed = nil
        try db.run("INSERT INTO places (id, json, updated_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at",
                   p.id, String(decoding: try SproJSON.encoder().encode(p), as: UTF8.self), ISOInstant.string(now))
    }

    /// Stores a channel; `now` is its confirmation date.
    func writeChannel(_ c: Channel, at now: Date) throws {
        var c = c
        c.lastConfirmed = nil
        try db.run("INSERT INTO channels (id, json, updated_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at",
                   c.id, String(decoding: try SproJSON.encoder().encode(c), as: UTF8.self), ISOInstant.string(now))
    }

    func appendEvent(_ e: ReferencingEvent) throws {
        try db.run("INSERT INTO referencing_events (structure_id, effective_on, json) VALUES (?, ?, ?)",
                   e.structureId, e.effectiveOn, String(decoding: try SproJSON.encoder().encode(e), as: UTF8.self))
    }

    static func json<T: Encodable>(_ value: T?) -> String? {
        value.flatMap { try? SproJSON.encoder().encode($0) }.map { String(decoding: $0, as: UTF8.self) }
    }

    /// A structure applies with its places. One that takes part by law (national CEP operator, chambre
    /// consulaire...) is recorded as referenced on that basis at once, with no charter review.
    @discardableResult
    public func apply(_ structure: Structure, places: [Place], validator: RecordValidator, by actor: Principal,
                      motive: String = "candidature", at now: Date = Date()) throws -> ReferencingEvent {
        try AccessPolicy.require(actor, .registerStructure)
        try validator.validate(structure)
        for p in places {
            try validator.validate(p)
            guard p.structures.contains(where: { $0.structureId == structure.id }) else {
                throw RecordError.invalid(record: "place \(p.id)", field: "structures", rule: "does not name structure \(structure.id)")
            }
        }
        let today = ISODay.string(now)
        return try db.transaction {
            let existing = try self.structure(structure.id)
            if let existing, ![.expired, .rejected].contains(existing.referencing.state) {
                throw RecordError.conflict("structure \(structure.id): already known in state \(existing.referencing.state.rawValue); a new application follows only rejection or expiry")
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
            try writeStructure(s, at: now)
            for p in places { try writePlace(p, at: now) }
            try appendEvent(event)
            try audit(actor, "structure.apply", "structure/\(s.id)", before: Self.json(existing), after: Self.json(s), at: now)
            cached = nil
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
    public func transition(_ structureId: String, _ request: TransitionRequest, by actor: Principal,
                           at now: Date = Date()) throws -> ReferencingEvent {
        try AccessPolicy.require(actor, .changeReferencing)
        return try db.transaction {
            guard var s = try structure(structureId) else { throw RecordError.notFound(kind: "structure", id: structureId) }
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
                throw RecordError.invalid(record: "structure \(structureId)", field: "effectiveOn", rule: "must be a date YYYY-MM-DD")
            }
            guard day >= s.referencing.since else {
                throw RecordError.invalid(record: "structure \(structureId)", field: "effectiveOn",
                                         rule: "\(day) is before the current state began (\(s.referencing.since))")
            }
            var charterVersion = s.referencing.charterVersion
            var validUntil = s.referencing.validUntil
            var results: [CriterionResult] = []
            if from == .underReview || to == .underReview {
                // Review: evaluate against the requested charter (default: the newest adopted).
                let all = try loadAll()
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
            let before = Self.json(s)
            s.referencing = PublicReferencing(state: to, charterVersion: event.charterVersion, since: day, validUntil: validUntil)
            try writeStructure(s, at: now)
            try appendEvent(event)
            try audit(actor, "referencing.\(to.rawValue)", "structure/\(structureId)", before: before, after: Self.json(s), at: now)
            cached = nil
            return event
        }
    }

    /// Moves every referencing whose validity ended before `day` to `expired`, and returns those transitions.
    @discardableResult
    public func expireDue(asOf now: Date = Date()) throws -> [ReferencingEvent] {
        let today = ISODay.string(now)
        let due = try loadAll().structures.filter {
            $0.referencing.state == .referenced && ($0.referencing.validUntil.map { $0 < today } ?? false)
        }
        return try due.map { s in
            try transition(s.id, TransitionRequest(to: .expired, motive: "fin de validité du référencement (\(s.referencing.validUntil ?? ""))",
                                                   effectiveOn: s.referencing.validUntil), by: .system, at: now)
        }
    }
}
