import Directory
import Foundation
import Storage

/// The kinds of records a Région's team keeps up to date.
public enum RecordKind: String, Sendable, Codable, CaseIterable {
    case structure, place, channel

    /// The node's table holding this kind.
    var table: String { rawValue + "s" }

    /// The kind's noun, in French ("lieu").
    var noun: String {
        switch self {
        case .structure: "structure"
        case .place: "lieu"
        case .channel: "canal"
        }
    }

    /// The kind with its article, in French ("le lieu").
    var french: String {
        switch self {
        case .structure: "la structure"
        case .place: "le lieu"
        case .channel: "le canal"
        }
    }
}

/// How recently a record was confirmed by the Région or its structure.
public enum Freshness: String, Sendable, Codable, Comparable {
    /// Confirmed within 180 days.
    case fresh = "a_jour"
    /// 180 days or more: an update is due.
    case updateNeeded = "mise_a_jour_a_prevoir"
    /// 240 days or more: an update is required.
    case updateRequired = "mise_a_jour_requise"

    static let updateNeededAfterDays = 180
    static let updateRequiredAfterDays = 240

    public init(daysSinceConfirmed days: Int) {
        self = days >= Self.updateRequiredAfterDays ? .updateRequired : days >= Self.updateNeededAfterDays ? .updateNeeded : .fresh
    }

    var severity: Int { self == .fresh ? 0 : self == .updateNeeded ? 1 : 2 }
    public static func < (a: Freshness, b: Freshness) -> Bool { a.severity < b.severity }
}

/// One data-quality criterion of a record, with its French label for the Région's team.
public struct QualityCheck: Sendable, Codable, Equatable {
    public let id: String
    public let label: String
    public let passed: Bool
}

/// A record's freshness and data-quality score, as shown to the Région's team.
public struct RecordQuality: Sendable, Codable, Equatable {
    public let kind: RecordKind
    public let id: String
    public let name: String
    /// The structure the record belongs to (its host structure for a place, the one running a channel).
    public let structureId: String
    public let lastConfirmed: String
    public let daysSinceConfirmed: Int
    public let freshness: Freshness
    /// Share of the checks passed, 0...1.
    public let score: Double
    public let checks: [QualityCheck]

    static func checks(_ p: Place) -> [QualityCheck] {
        [QualityCheck(id: "adresse", label: "Adresse postale complète", passed: !p.address.lines.isEmpty && !p.address.city.isEmpty),
         QualityCheck(id: "code_commune", label: "Code commune INSEE renseigné", passed: p.address.communeCode != nil),
         QualityCheck(id: "coordonnees", label: "Coordonnées géographiques", passed: p.coordinates != nil),
         QualityCheck(id: "horaires", label: "Horaires d'ouverture", passed: p.openingHours.map { (try? OpeningHours($0)) != nil } ?? false),
         QualityCheck(id: "telephone", label: "Téléphone", passed: p.phone != nil),
         QualityCheck(id: "modes_accueil", label: "Modes d'accueil", passed: !p.receptionModes.isEmpty),
         QualityCheck(id: "publics", label: "Publics accueillis", passed: !p.publics.isEmpty),
         QualityCheck(id: "services", label: "Services proposés", passed: !p.services.isEmpty),
         QualityCheck(id: "gratuite", label: "Gratuité déclarée", passed: p.freeOfCharge != nil)]
    }

    static func checks(_ c: Channel) -> [QualityCheck] {
        [QualityCheck(id: "canal_adresse", label: "Numéro ou adresse du canal", passed: !c.address.trimmingCharacters(in: .whitespaces).isEmpty),
         QualityCheck(id: "canal_horaires", label: "Horaires du canal", passed: c.openingHours.map { (try? OpeningHours($0)) != nil } ?? false),
         QualityCheck(id: "canal_publics", label: "Publics du canal", passed: !c.publics.isEmpty),
         QualityCheck(id: "canal_services", label: "Services du canal", passed: !c.services.isEmpty)]
    }

    static func checks(_ s: Structure) -> [QualityCheck] {
        [QualityCheck(id: "siret", label: "SIRET", passed: s.siret != nil),
         QualityCheck(id: "site_web", label: "Site web", passed: s.website != nil),
         QualityCheck(id: "contact", label: "Téléphone ou courriel", passed: s.phone != nil || s.email != nil)]
    }

    init(kind: RecordKind, id: String, name: String, structureId: String, updatedAt: String, checks: [QualityCheck], now: Date) {
        self.kind = kind
        self.id = id
        self.name = name
        self.structureId = structureId
        lastConfirmed = updatedAt
        daysSinceConfirmed = max(0, Int(now.timeIntervalSince(ISOInstant.parse(updatedAt) ?? now) / 86_400))
        freshness = Freshness(daysSinceConfirmed: daysSinceConfirmed)
        score = checks.isEmpty ? 1 : Double(checks.filter(\.passed).count) / Double(checks.count)
        self.checks = checks
    }
}

/// What the Région's team reviews to keep its records up to date: freshness and data quality per
/// record, and confirmations that a record still stands.
struct QualityReview {
    let repository: NodeRepository

    /// Freshness and quality of every record the caller may see (an editor: their structure and its
    /// places), the most urgent first: required updates, then due ones, then by lowest score.
    func quality(for actor: Principal, now: Date = Date()) throws -> [RecordQuality] {
        let decoder = SproJSON.decoder()
        var out: [RecordQuality] = []
        for (json, updated) in try repository.rows(.structure) {
            let s = try decoder.decode(Structure.self, from: Data(json.utf8))
            out.append(RecordQuality(kind: .structure, id: s.id, name: s.name, structureId: s.id, updatedAt: updated,
                                     checks: RecordQuality.checks(s), now: now))
        }
        var owners: [String: [String]] = [:]  // "kind/id" -> the structures a place or channel belongs to
        for (json, updated) in try repository.rows(.place) {
            let p = try decoder.decode(Place.self, from: Data(json.utf8))
            owners["place/\(p.id)"] = p.structures.map(\.structureId)
            out.append(RecordQuality(kind: .place, id: p.id, name: p.name,
                                     structureId: (p.structures.first { $0.isHost } ?? p.structures.first)?.structureId ?? "",
                                     updatedAt: updated, checks: RecordQuality.checks(p), now: now))
        }
        for (json, updated) in try repository.rows(.channel) {
            let c = try decoder.decode(Channel.self, from: Data(json.utf8))
            owners["channel/\(c.id)"] = c.contributors
            out.append(RecordQuality(kind: .channel, id: c.id, name: c.name, structureId: c.contributors.first ?? "",
                                     updatedAt: updated, checks: RecordQuality.checks(c), now: now))
        }
        out = out.filter { AccessPolicy.sees(actor, owners: $0.kind == .structure ? [$0.id] : owners["\($0.kind.rawValue)/\($0.id)"] ?? []) }
        return out.sorted { ($1.freshness, $0.score, $0.id) < ($0.freshness, $1.score, $1.id) }
    }

    /// Records that a record is still accurate as it stands: its confirmation date becomes `now`.
    func confirm(_ kind: RecordKind, _ id: String, by actor: Principal, at now: Date = Date()) throws {
        try repository.write {
            let owners: [String]
            switch kind {
            case .structure:
                guard try repository.structure(id) != nil else { throw RecordError.notFound(kind: "structure", id: id) }
                owners = [id]
            case .place:
                guard let p = try repository.place(id) else { throw RecordError.notFound(kind: "lieu", id: id) }
                owners = p.structures.map(\.structureId)
            case .channel:
                guard let c = try repository.channel(id) else { throw RecordError.notFound(kind: "canal", id: id) }
                owners = c.contributors
            }
            try AccessPolicy.require(actor, .confirm(kind: kind.french, id: id, owners: owners))
            try repository.confirm(kind, id, at: now)
            try repository.audit(actor, "\(kind.rawValue).confirm", "\(kind.rawValue)/\(id)", before: nil, after: nil, at: now)
        }
    }
}
