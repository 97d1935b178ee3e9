import Directory

/// The result of one charter criterion for one structure, automatic or recorded by a reviewer.
public struct CriterionResult: Hashable, Codable, Sendable {
    public enum Source: String, Codable, Sendable {
        /// Evaluated from the structure's declared data.
        case automatic
        /// Recorded by a reviewer from evidence.
        case reviewer
    }

    public var criterionId: String
    public var passed: Bool
    public var source: Source
    /// Why it passed or failed, in French for the Région's team.
    public var detail: String
    /// For an attested criterion: what the reviewer relied on.
    public var evidence: Evidence?

    public init(criterionId: String, passed: Bool, source: Source, detail: String, evidence: Evidence? = nil) {
        self.criterionId = criterionId
        self.passed = passed
        self.source = source
        self.detail = detail
        self.evidence = evidence
    }
}

/// What a reviewer relied on to attest a criterion: a written account and, optionally, a document stored
/// on the node (named by its SHA-256; documents stay on the node and never travel in the export).
public struct Evidence: Hashable, Codable, Sendable {
    public var text: String
    public var document: DocumentRef?

    public init(text: String, document: DocumentRef? = nil) {
        self.text = text
        self.document = document
    }
}

/// A document stored on a node: its SHA-256 (hex), file name, media type and size in bytes.
public struct DocumentRef: Hashable, Codable, Sendable {
    public var sha256: String
    public var name: String
    public var mediaType: String
    public var size: Int

    public init(sha256: String, name: String, mediaType: String, size: Int) {
        self.sha256 = sha256
        self.name = name
        self.mediaType = mediaType
        self.size = size
    }
}

/// One transition of a structure's referencing, kept forever: date, actor, motive and criteria results.
public struct ReferencingEvent: Hashable, Codable, Sendable {
    public var structureId: String
    /// ISO 8601 instant of the transition.
    public var at: String
    /// The day the new state takes effect (YYYY-MM-DD).
    public var effectiveOn: String
    /// Who made it: a token's name, or "system" for automatic expiry.
    public var actor: String
    public var from: ReferencingState?
    public var to: ReferencingState
    public var motive: String
    /// Charter version the referencing is granted (or reviewed) under; nil for a basis by law.
    public var charterVersion: Int?
    /// End of validity set by this transition, for a referencing under a charter.
    public var validUntil: String?
    public var criteria: [CriterionResult]
    /// Signatories of the referencing convention (Région, recteur, préfet, tête de réseau).
    public var signatories: [String]
    /// The convention record (on the node) the referencing rests on, by id.
    public var conventionId: String?

    public init(structureId: String, at: String, effectiveOn: String, actor: String, from: ReferencingState?,
                to: ReferencingState, motive: String, charterVersion: Int?, validUntil: String?, criteria: [CriterionResult],
                signatories: [String] = []) {
        self.structureId = structureId
        self.at = at
        self.effectiveOn = effectiveOn
        self.actor = actor
        self.from = from
        self.to = to
        self.motive = motive
        self.charterVersion = charterVersion
        self.validUntil = validUntil
        self.criteria = criteria
        self.signatories = signatories
    }
}

/// A transition the rules refuse, with what to do instead.
public enum ReferencingError: Error, Equatable, CustomStringConvertible, Sendable {
    case forbiddenTransition(structure: String, from: ReferencingState, to: ReferencingState)
    case unknownCharterVersion(Int)
    case missingAttestation(structure: String, criterion: String)
    case criteriaNotMet(structure: String, criteria: [String])
    case byLawNeedsNoReview(structure: String, basis: BasisOfMembership)
    case motiveRequired(to: ReferencingState)

    public var description: String {
        switch self {
        case .forbiddenTransition(let s, let from, let to):
            let allowed = ReferencingRules.allowedNext(from: from).map(\.rawValue).sorted()
            return "structure \(s) : referencing.state : passage de \(from.rawValue) à \(to.rawValue) impossible"
                + (allowed.isEmpty ? " (\(from.rawValue) est un état final)" : " (possibles : \(allowed.joined(separator: ", ")))")
        case .unknownCharterVersion(let v):
            return "charterVersion : aucun cahier des charges v\(v) adopté sur ce nœud"
        case .missingAttestation(let s, let c):
            return "structure \(s) : attested.\(c) : l'instructeur doit se prononcer sur ce critère attesté"
        case .criteriaNotMet(let s, let c):
            return "structure \(s) : critères non remplis : \(c.joined(separator: ", ")) ; refusez ou attendez les corrections"
        case .byLawNeedsNoReview(let s, let basis):
            return "structure \(s) : basis : \(basis.rawValue) participe de droit, sans instruction au regard du cahier des charges"
        case .motiveRequired(let to):
            return "motive : un motif est requis pour passer à \(to.rawValue)"
        }
    }
}
