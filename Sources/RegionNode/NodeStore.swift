import Directory
import Foundation
import Reference
import Referencing
import Signing

/// A region node: its charters, structures, places and indicators in one SQLite file, and the signed
/// exports it has published. The actor owns the connection and serialises every use of it; the work is
/// done by the services below it, over one `NodeRepository`:
/// - `ReferencingWorkflow`: applications, review, decisions, expiry;
/// - `EditQueue`: editors' proposals and the Région's validation, closures;
/// - `Importer`: datasets, charters and bulk files;
/// - `IndicatorReports`, `QualityReview`, `TokenRegistry`;
/// - `Publisher`: the signed export, told here whenever a write may have changed what is public.
/// Permissions are decided by `AccessPolicy` alone; errors are domain errors (`RecordError`,
/// `ReferencingError`, `AccessDenied`, `NodeError`), mapped to HTTP by the API at its edge.
public actor NodeStore {
    public let region: Region
    /// How long an export stays valid after it is generated.
    public let exportLifetime: TimeInterval
    private let repository: NodeRepository
    private let publisher: Publisher

    /// Opens (creating and migrating if needed) the node's database.
    public init(region: Region, databasePath: String, key: SigningKey, exportLifetime: TimeInterval = 7 * 86_400) throws {
        guard key.region == region.code else {
            throw NodeError.keyForAnotherRegion(key: key.keyId, keyRegion: key.region, node: region.code)
        }
        self.region = region
        self.exportLifetime = exportLifetime
        repository = try NodeRepository(path: databasePath)
        publisher = Publisher(repository: repository, region: region.code, key: key, exportLifetime: exportLifetime)
    }

    private var workflow: ReferencingWorkflow { ReferencingWorkflow(repository: repository) }
    private var editQueue: EditQueue { EditQueue(repository: repository) }
    private var importer: Importer { Importer(repository: repository, region: region.code) }
    private var indicatorReports: IndicatorReports { IndicatorReports(repository: repository, region: region.code) }
    private var qualityReview: QualityReview { QualityReview(repository: repository) }
    private var tokens: TokenRegistry { TokenRegistry(repository: repository) }
    private var documents: ReviewDocuments { ReviewDocuments(repository: repository) }

    /// Runs a write, then tells the publisher the records may have changed. It is told even when the write
    /// throws or changed nothing public (an editor's queued proposal): the next export then compares the
    /// records with the last publication, and unchanged content keeps its version.
    private func changing<T>(_ write: () throws -> T) rethrows -> T {
        defer { publisher.invalidate() }
        return try write()
    }

    // MARK: - Publishing

    /// The current signed export.
    public func currentExport(now: Date = Date()) throws -> PublishedExport { try publisher.currentExport(now: now) }

    // MARK: - Reading

    public func structure(_ id: String) throws -> Structure? { try repository.structure(id) }
    public func place(_ id: String) throws -> Place? { try repository.place(id) }
    public func channel(_ id: String) throws -> Channel? { try repository.channel(id) }
    public func charters() throws -> [Charter] { try repository.charters() }

    /// Counts of stored records.
    public func counts() throws -> (structures: Int, places: Int, indicators: Int) { try repository.read { try repository.counts() } }

    /// Every record of the node, read on one snapshot.
    func loadAll() throws -> NodeRecords { try repository.read { try repository.loadAll() } }

    /// Every transition of a structure's referencing, oldest first.
    public func history(_ structureId: String) throws -> [ReferencingEvent] { try repository.events(structureId) }

    /// The referencing in force on `day` (YYYY-MM-DD): the last transition effective on or before it.
    public func referencing(_ structureId: String, asOf day: String) throws -> ReferencingEvent? {
        try workflow.referencing(structureId, asOf: day)
    }

    /// The audit log, newest last, optionally for one target ("structure/53-ML-1").
    public func auditLog(target: String? = nil) throws -> [AuditEntry] { try repository.auditLog(target: target) }

    // MARK: - Imports

    /// Adopts charters (each version is immutable: a changed version is refused).
    public func adoptCharters(_ charters: [Charter], by actor: Principal = .system, at now: Date = Date()) throws {
        try changing { try importer.adoptCharters(charters, by: actor, at: now) }
    }

    /// Imports a whole dataset as the node's current records, in one transaction: records absent from
    /// the dataset are removed (and become tombstones at the next publication). Every record is checked
    /// first by the entry rules (`validator` within the node's Région, one SIRET per structure, known
    /// structures and têtes de réseau); one refused record refuses the dataset (`NodeError.datasetRefused`).
    public func importDataset(_ dataset: RegionDataset, validator: RecordValidator = RecordValidator(), at now: Date = Date()) throws {
        try changing { try importer.importDataset(dataset, validator: validator.within(region.code), at: now) }
    }

    /// Imports places. A place must name structures the node knows; a re-import of the same place changes nothing.
    public func importPlaces(_ input: ImportRows<Place>, validator: RecordValidator, allOrNothing: Bool,
                             by actor: Principal, at now: Date = Date()) throws -> ImportReport {
        try changing { try importer.importPlaces(input, validator: validator.within(region.code), allOrNothing: allOrNothing, by: actor, at: now) }
    }

    /// Imports structures: a new one enters the referencing workflow, a known one has its details updated.
    public func importStructures(_ input: ImportRows<Structure>, validator: RecordValidator, allOrNothing: Bool,
                                 by actor: Principal, at now: Date = Date()) throws -> ImportReport {
        try changing { try importer.importStructures(input, validator: validator.within(region.code), allOrNothing: allOrNothing, by: actor, at: now) }
    }

    /// What importing the CSV file `source` of `kind` would change, without storing anything.
    public func previewImport(_ kind: ImportPreview.Kind, _ source: CSVSource, validator: RecordValidator, allOrNothing: Bool,
                              by actor: Principal, at now: Date = Date()) throws -> ImportPreview {
        try AccessPolicy.require(actor, .importRecords(kind.label))
        return try repository.preview(kind) { try runImport(kind, source, validator: validator, allOrNothing: allOrNothing, by: actor, at: now) }
    }

    /// Imports the CSV file `source` of `kind` (what `previewImport` showed).
    public func importFile(_ kind: ImportPreview.Kind, _ source: CSVSource, validator: RecordValidator, allOrNothing: Bool,
                           by actor: Principal, at now: Date = Date()) throws -> ImportReport {
        try AccessPolicy.require(actor, .importRecords(kind.label))
        return try changing { try runImport(kind, source, validator: validator, allOrNothing: allOrNothing, by: actor, at: now) }
    }

    private func runImport(_ kind: ImportPreview.Kind, _ source: CSVSource, validator: RecordValidator, allOrNothing: Bool,
                           by actor: Principal, at now: Date) throws -> ImportReport {
        switch kind {
        case .places: try importer.importPlaces(PlaceCSV.rows(source), validator: validator.within(region.code), allOrNothing: allOrNothing, by: actor, at: now)
        case .structures: try importer.importStructures(StructureCSV.rows(source), validator: validator.within(region.code), allOrNothing: allOrNothing, by: actor, at: now)
        case .referenced: try importer.importReferenced(ReferencedStructureCSV.rows(source), validator: validator.within(region.code), allOrNothing: allOrNothing, by: actor, at: now)
        }
    }

    /// Imports indicator values, each checked like a reported one.
    public func importIndicators(_ input: ImportRows<IndicatorValue>, validator: RecordValidator, allOrNothing: Bool,
                                 by actor: Principal, at now: Date = Date()) throws -> ImportReport {
        try changing { try importer.importIndicators(input, validator: validator.within(region.code), allOrNothing: allOrNothing, by: actor, at: now) }
    }

    // MARK: - Referencing

    /// A structure applies with its places (one taking part by law is referenced on that basis at once).
    @discardableResult
    public func apply(_ structure: Structure, places: [Place], validator: RecordValidator, by actor: Principal,
                      motive: String = "candidature", at now: Date = Date()) throws -> ReferencingEvent {
        try changing { try workflow.apply(structure, places: places, validator: validator.within(region.code), by: actor, motive: motive, at: now) }
    }

    /// Moves a structure's referencing; nothing changes when it is refused.
    @discardableResult
    public func transition(_ structureId: String, _ request: TransitionRequest, by actor: Principal, ifMatch: VersionMatch? = nil,
                           at now: Date = Date()) throws -> ReferencingEvent {
        try changing {
            try repository.write {
                try requireVersion(ifMatch, .structure, structureId)
                return try workflow.transition(structureId, request, by: actor, at: now)
            }
        }
    }

    /// Throws `StaleVersion` unless the record is at a version `ifMatch` names (nil: no condition).
    private func requireVersion(_ ifMatch: VersionMatch?, _ kind: RecordKind, _ id: String) throws {
        guard let ifMatch else { return }
        let current = try repository.version(kind, id)
        guard ifMatch.matches(current) else { throw StaleVersion(record: "\(kind.noun) \(id)", current: current, proposal: nil, base: nil) }
    }

    /// Moves every referencing whose validity ended before `now` to `expired`, and returns those transitions.
    @discardableResult
    public func expireDue(asOf now: Date = Date()) throws -> [ReferencingEvent] {
        try changing { try workflow.expireDue(asOf: now) }
    }

    /// Expiry as of `day`: applied for today or a past day, a report only for a future day or a dry run.
    public func expire(asOf day: String, dryRun: Bool, by actor: Principal, at now: Date = Date()) throws -> ExpiryReport {
        try AccessPolicy.require(actor, .expireReferencings)
        return try changing { try workflow.expire(asOf: day, dryRun: dryRun, at: now) }
    }

    /// A structure's editor (or the Région's team) withdraws its application while it is applied or under review.
    @discardableResult
    public func withdraw(_ structureId: String, motive: String, by actor: Principal, ifMatch: VersionMatch? = nil,
                         at now: Date = Date()) throws -> ReferencingEvent {
        try changing {
            try repository.write {
                try requireVersion(ifMatch, .structure, structureId)
                return try workflow.withdraw(structureId, motive: motive, by: actor, at: now)
            }
        }
    }

    // MARK: - Edits

    /// Stores a place: an admin's edit is published at once, an editor's waits for validation.
    public func submitPlace(_ place: Place, validator: RecordValidator, by actor: Principal, ifMatch: VersionMatch? = nil,
                     at now: Date = Date()) throws -> EditOutcome {
        try changing { try editQueue.submitPlace(place, validator: validator.within(region.code), by: actor, ifMatch: ifMatch, at: now) }
    }

    /// Stores a channel: an admin's edit is published at once, an editor's waits for validation.
    public func submitChannel(_ channel: Channel, validator: RecordValidator, by actor: Principal, ifMatch: VersionMatch? = nil,
                     at now: Date = Date()) throws -> EditOutcome {
        try changing { try editQueue.submitChannel(channel, validator: validator.within(region.code), by: actor, ifMatch: ifMatch, at: now) }
    }

    /// Stores a structure's public details; its referencing never changes this way.
    public func submitStructure(_ structure: Structure, validator: RecordValidator, by actor: Principal, ifMatch: VersionMatch? = nil,
                     at now: Date = Date()) throws -> EditOutcome {
        try changing { try editQueue.submitStructure(structure, validator: validator.within(region.code), by: actor, ifMatch: ifMatch, at: now) }
    }

    /// Closes a channel (the Région's decision).
    public func closeChannel(_ id: String, motive: String, by actor: Principal, ifMatch: VersionMatch? = nil, at now: Date = Date()) throws {
        try changing { try editQueue.closeChannel(id, motive: motive, by: actor, ifMatch: ifMatch, at: now) }
    }

    /// Closes a place: at once for the Région, after validation for an editor.
    public func closePlace(_ id: String, motive: String, by actor: Principal, ifMatch: VersionMatch? = nil,
                           at now: Date = Date()) throws -> EditOutcome {
        try changing { try editQueue.closePlace(id, motive: motive, by: actor, ifMatch: ifMatch, at: now) }
    }

    /// Edits, oldest first, each with what it changes; an editor sees only their structure's.
    public func edits(status: PendingEdit.Status? = .pending, for actor: Principal) throws -> [PendingEdit] {
        try repository.read { try editQueue.edits(status: status, for: actor).page }
    }

    /// A page of edits after the edit id `after`, with how many match in all.
    func edits(status: PendingEdit.Status?, structureId: String?, kind: PendingEdit.Kind?, after: Int, limit: Int,
               for actor: Principal) throws -> (page: [PendingEdit], total: Int) {
        try repository.read { try editQueue.edits(status: status, structureId: structureId, kind: kind, after: after, limit: limit, for: actor) }
    }

    /// The Région validates (publishes) or rejects, with its reason, an editor's edit.
    public func decideEdit(_ id: Int, approve: Bool, reason: String? = nil, by actor: Principal, at now: Date = Date()) throws {
        try changing { try editQueue.decideEdit(id, approve: approve, reason: reason, by: actor, at: now) }
    }

    // MARK: - Review

    /// Stores a document (evidence for an attested criterion); the same bytes give the same reference.
    public func storeDocument(_ bytes: Data, name: String, mediaType: String, by actor: Principal, at now: Date = Date()) throws -> DocumentRef {
        try documents.store(bytes, name: name, mediaType: mediaType, by: actor, at: now)
    }

    /// A stored document with its bytes (the team only).
    public func document(_ sha256: String, by actor: Principal) throws -> (ref: DocumentRef, bytes: Data)? {
        try documents.read(sha256, by: actor)
    }

    /// A document sent with a review, before it is stored.
    public struct Attachment: Sendable {
        public let criterion: String
        public let name: String
        public let mediaType: String
        public let bytes: Data

        public init(criterion: String, name: String, mediaType: String, bytes: Data) {
            self.criterion = criterion
            self.name = name
            self.mediaType = mediaType
            self.bytes = bytes
        }
    }

    /// The team's decision on an application, in one transaction: the attached documents stored and named
    /// in the evidence of their criterion, an application still `applied` put under review first, then the
    /// decision. Refused, nothing of it is kept.
    @discardableResult
    public func review(_ structureId: String, _ decision: TransitionRequest, attachments: [Attachment], by actor: Principal,
                       at now: Date = Date()) throws -> [ReferencingEvent] {
        try changing {
            try repository.write {
                var decision = decision
                for a in attachments {
                    let ref = try documents.store(a.bytes, name: a.name, mediaType: a.mediaType, by: actor, at: now)
                    var evidence = decision.evidence ?? [:]
                    evidence[a.criterion, default: EvidenceRequest(text: "")].document = ref.sha256
                    decision.evidence = evidence
                }
                var events: [ReferencingEvent] = []
                if try repository.structure(structureId)?.referencing.state == .applied && decision.to != .underReview
                    && [.referenced, .rejected].contains(decision.to) {
                    events.append(try workflow.transition(structureId, TransitionRequest(to: .underReview, motive: "instruction du dossier"),
                                                          by: actor, at: now))
                }
                events.append(try workflow.transition(structureId, decision, by: actor, at: now))
                return events
            }
        }
    }

    /// The charter in force and how a structure fares today against its checkable criteria (the review page).
    func reviewPreview(_ structureId: String, at now: Date = Date()) throws -> (charter: Charter, results: [CriterionResult])? {
        try repository.read {
            let all = try repository.loadAll()
            guard let s = all.structures.first(where: { $0.id == structureId }),
                  let charter = all.charters.max(by: { $0.version < $1.version }) else { return nil }
            return (charter, CharterEvaluation.evaluate(charter, structure: s, places: all.places, indicators: all.indicators, on: ISODay.string(now)))
        }
    }

    // MARK: - Conventions

    /// Records a signed convention (the team only); one already recorded does not change.
    public func addConvention(_ c: Convention, by actor: Principal, at now: Date = Date()) throws {
        try Conventions(repository: repository).add(c, by: actor, at: now)
    }

    public func conventions() throws -> [Convention] { try repository.conventions() }
    public func convention(_ id: String) throws -> Convention? { try repository.convention(id) }

    // MARK: - Lists and versions

    /// A page of structures, places or channels matching `query`; an editor's lists hold their structure's records only.
    func list<T: ListedRecord & Sendable>(_ kind: RecordKind, _ query: NodeListQuery, for actor: Principal, as type: T.Type) throws
        -> (page: [Versioned<T>], total: Int, next: String?) {
        try repository.read { try repository.list(kind, query, visibleTo: AccessPolicy.listedOwner(actor), as: type) }
    }

    /// One record with its version.
    func versioned<T: ListedRecord & Sendable>(_ kind: RecordKind, _ id: String, as type: T.Type) throws -> Versioned<T>? {
        try repository.versioned(kind, id, as: type)
    }

    /// A page of indicator values (filters nil for any) after the key `after`, with how many match in all;
    /// an editor sees their structure's and its places'.
    func indicators(subject: IndicatorValue.Subject?, subjectId: String?, code: String?, period: String?, after: [String]?,
                    limit: Int, for actor: Principal) throws -> (page: [IndicatorValue], total: Int) {
        try repository.read {
            try repository.indicators(subject: subject, subjectId: subjectId, code: code, period: period,
                                      owner: AccessPolicy.listedOwner(actor), after: after, limit: limit)
        }
    }

    /// A record's current version (its ETag), or nil.
    func version(_ kind: RecordKind, _ id: String) throws -> Int? { try repository.version(kind, id) }

    // MARK: - Indicators and quality

    /// Stores reported indicator values in one transaction (all or none); returns how many were stored.
    @discardableResult
    public func reportIndicators(_ values: [IndicatorValue], validator: RecordValidator = RecordValidator(),
                                 by actor: Principal, at now: Date = Date()) throws -> Int {
        try changing { try indicatorReports.report(values, validator: validator.within(region.code), by: actor, at: now) }
    }

    /// Freshness and quality of every record the caller may see, the most urgent first.
    public func quality(for actor: Principal, now: Date = Date()) throws -> [RecordQuality] {
        try repository.read { try qualityReview.quality(for: actor, now: now) }
    }

    /// Records that a record is still accurate as it stands: its confirmation date (published) becomes `now`.
    public func confirm(_ kind: RecordKind, _ id: String, by actor: Principal, at now: Date = Date()) throws {
        try changing { try qualityReview.confirm(kind, id, by: actor, at: now) }
    }

    // MARK: - Tokens

    /// Creates a token for `name` and returns it; only its SHA-256 is stored.
    public func issueToken(name: String, role: Principal.Role, structureId: String? = nil, by actor: Principal = .system,
                           at now: Date = Date()) throws -> String {
        try tokens.issue(name: name, role: role, structureId: structureId, by: actor, at: now)
    }

    /// Revokes the token named `name`: API calls and team sessions made with it are refused from now on.
    public func revokeToken(name: String, by actor: Principal = .system, at now: Date = Date()) throws {
        try tokens.revoke(name: name, by: actor, at: now)
    }

    /// The caller a token stands for, or nil if it is unknown.
    public func principal(forToken token: String) throws -> Principal? { try tokens.principal(forToken: token) }

    /// The caller a stored token hash stands for (a team session keeps the hash, never the token).
    public func principal(forTokenHash hash: String) throws -> Principal? { try tokens.principal(forTokenHash: hash) }
}

/// Errors a node reports to its operator.
public enum NodeError: Error, CustomStringConvertible, Equatable {
    case keyForAnotherRegion(key: String, keyRegion: RegionCode?, node: RegionCode)
    case charterForAnotherRegion(version: Int, region: RegionCode)
    case charterVersionIsImmutable(version: Int)
    case datasetForAnotherRegion(RegionCode)
    /// A dataset with records the entry rules refuse (the first listed, and how many in all): nothing was imported.
    case datasetRefused([ImportRowError], rejected: Int)

    /// How many refused records `description` lists before saying how many more there are.
    static let listedInMessage = 20

    public var description: String {
        switch self {
        case .keyForAnotherRegion(let key, let keyRegion, let node):
            "la clé de signature \(key) appartient \(keyRegion.map { "à la région \($0)" } ?? "à l'annuaire national"), pas à la région \(node) de ce nœud"
        case .charterForAnotherRegion(let version, let region):
            "le cahier des charges v\(version) appartient à la région \(region), pas à ce nœud"
        case .charterVersionIsImmutable(let version):
            "le cahier des charges v\(version) est déjà adopté avec un autre contenu : adoptez une nouvelle version"
        case .datasetForAnotherRegion(let region):
            "le jeu de données est celui de la région \(region), pas de ce nœud"
        case .datasetRefused(let errors, let rejected):
            // One line, as the command line reports a refusal: the records at fault separated by « ; ».
            "jeu de données refusé, rien n'est importé : \(rejected) enregistrement\(rejected > 1 ? "s" : "") en erreur : "
                + errors.prefix(Self.listedInMessage).map(\.description).joined(separator: " ; ")
                + (rejected > Self.listedInMessage ? " ; et \(rejected - Self.listedInMessage) autre\(rejected - Self.listedInMessage > 1 ? "s" : "")" : "")
        }
    }
}
