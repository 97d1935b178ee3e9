import Foundation

/// A postal address of a point d'accueil.
public struct Address: Hashable, Codable, Sendable {
    /// Street lines, e.g. ["Maison de l'emploi", "12 rue de Siam"].
    public var lines: [String]
    public var postcode: Postcode
    /// City as written on mail (may be a CEDEX label or an old commune name).
    public var city: String
    /// INSEE code of the commune when the Région knows it; the geocoder checks it.
    public var communeCode: CommuneCode?

    public init(lines: [String], postcode: Postcode, city: String, communeCode: CommuneCode? = nil) {
        self.lines = lines
        self.postcode = postcode
        self.city = city
        self.communeCode = communeCode
    }

    /// One-line form: "12 rue de Siam, 29200 Brest".
    public var singleLine: String {
        (lines + ["\(postcode) \(city)"]).filter { !$0.isEmpty }.joined(separator: ", ")
    }
}

/// A structure's public referencing state, as published in the export.
public struct PublicReferencing: Hashable, Codable, Sendable {
    public var state: ReferencingState
    /// Charter version it was granted under; nil for a basis by law.
    public var charterVersion: Int?
    /// Date the current state began (YYYY-MM-DD).
    public var since: String
    /// End of validity (YYYY-MM-DD), for a referencing under a charter.
    public var validUntil: String?
    /// The convention the referencing was decided under (Région, recteur, préfet, têtes de réseau): its id
    /// and signature day only; the parties and the signed document stay on the node (its admin API).
    public var convention: ConventionReference?

    public init(state: ReferencingState, charterVersion: Int?, since: String, validUntil: String?,
                convention: ConventionReference? = nil) {
        self.state = state
        self.charterVersion = charterVersion
        self.since = since
        self.validUntil = validUntil
        self.convention = convention
    }
}

/// A convention as the public export names it: which one, and the day it was signed.
public struct ConventionReference: Hashable, Codable, Sendable {
    public var id: String
    public var signedOn: CalendarDay

    public init(id: String, signedOn: CalendarDay) {
        self.id = id
        self.signedOn = signedOn
    }
}

/// The Région's designation of a regional CEP operator, decided after consulting the CREFOP.
public struct CEPDesignation: Hashable, Codable, Sendable {
    /// Date of the Région's decision (YYYY-MM-DD).
    public var decidedOn: String
    /// Date the CREFOP was consulted (YYYY-MM-DD), on or before the decision.
    public var crefopConsultedOn: String
    /// Whether the operator also sells training: the impartiality rule flags it.
    public var sellsTraining: Bool

    public init(decidedOn: String, crefopConsultedOn: String, sellsTraining: Bool) {
        self.decidedOn = decidedOn
        self.crefopConsultedOn = crefopConsultedOn
        self.sellsTraining = sellsTraining
    }
}

/// An organisation taking part in the SPRO (organisme).
public struct Structure: Hashable, Codable, Sendable, Identifiable {
    /// Stable identifier, unique within its region ("53-ML-0004").
    public var id: String
    public var siret: SIRET?
    public var name: String
    public var network: Network
    public var basis: BasisOfMembership
    public var website: String?
    public var phone: String?
    public var email: String?
    public var referencing: PublicReferencing
    /// For a regional CEP operator: its designation record.
    public var designation: CEPDesignation?
    /// The day the Région last confirmed this record ("YYYY-MM-DD"); set by the node when it publishes.
    public var lastConfirmed: String?
    /// The tête de réseau heading this structure's network in the Région (the ARML for the Missions
    /// locales, the CRIJ for the Information Jeunesse points...): the id of another structure of the same node.
    public var networkHeadId: String?

    public init(id: String, siret: SIRET?, name: String, network: Network, basis: BasisOfMembership,
                website: String? = nil, phone: String? = nil, email: String? = nil,
                referencing: PublicReferencing, designation: CEPDesignation? = nil, lastConfirmed: String? = nil,
                networkHeadId: String? = nil) {
        self.id = id
        self.siret = siret
        self.name = name
        self.network = network
        self.basis = basis
        self.website = website
        self.phone = phone
        self.email = email
        self.referencing = referencing
        self.designation = designation
        self.lastConfirmed = lastConfirmed
        self.networkHeadId = networkHeadId
    }
}

/// A structure's presence in a place; a lieu mutualisé has several, one of them the host.
public struct PlaceStructure: Hashable, Codable, Sendable {
    public var structureId: String
    public var isHost: Bool

    public init(structureId: String, isHost: Bool) {
        self.structureId = structureId
        self.isHost = isHost
    }
}

/// A point d'accueil where the public is received.
public struct Place: Hashable, Codable, Sendable, Identifiable {
    public var id: String
    public var name: String
    public var kind: PlaceKind
    public var structures: [PlaceStructure]
    public var address: Address
    /// Coordinates given by the Région, if any; the geocoder checks them.
    public var coordinates: GeoPoint?
    /// Weekly hours in OSM `opening_hours` syntax, e.g. "Mo-Fr 08:30-12:30,13:30-17:00; PH off".
    public var openingHours: String?
    public var receptionModes: [ReceptionMode]
    public var publics: [Public]
    public var services: [Service]
    /// Accessible to wheelchair users (PMR).
    public var accessible: Bool
    /// Languages other than French spoken at reception, as ISO 639 codes (the rule: `LanguageCode`).
    public var languages: [String]
    public var phone: String?
    /// Whether reception is free of charge for the public (nil: not declared).
    public var freeOfCharge: Bool?
    /// Whether a place that does not receive all publics refers the others to a competent service.
    public var refersOtherPublics: Bool?
    /// The day the Région last confirmed this record ("YYYY-MM-DD"); set by the node when it publishes.
    public var lastConfirmed: String?

    public init(id: String, name: String, kind: PlaceKind, structures: [PlaceStructure], address: Address,
                coordinates: GeoPoint? = nil, openingHours: String? = nil, receptionModes: [ReceptionMode] = [],
                publics: [Public] = [], services: [Service] = [], accessible: Bool = false,
                languages: [String] = [], phone: String? = nil, freeOfCharge: Bool? = nil, refersOtherPublics: Bool? = nil,
                lastConfirmed: String? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.structures = structures
        self.address = address
        self.coordinates = coordinates
        self.openingHours = openingHours
        self.receptionModes = receptionModes
        self.publics = publics
        self.services = services
        self.accessible = accessible
        self.languages = languages
        self.phone = phone
        self.freeOfCharge = freeOfCharge
        self.refersOtherPublics = refersOtherPublics
        self.lastConfirmed = lastConfirmed
    }

    /// A lieu mutualisé is shared by several structures.
    public var isLieuMutualise: Bool { structures.count > 1 }
}

/// The period a quality indicator value covers.
public enum IndicatorPeriodicity: String, Vocabulary {
    case month, quarter, year
    public var label: String {
        switch self {
        case .month: "Mensuel"
        case .quarter: "Trimestriel"
        case .year: "Annuel"
        }
    }

    /// The period's name after "par" ("par trimestre").
    public var french: String {
        switch self {
        case .month: "mois"
        case .quarter: "trimestre"
        case .year: "année"
        }
    }

    /// The period with its article ("un trimestre").
    public var frenchArticle: String {
        switch self {
        case .month: "un mois"
        case .quarter: "un trimestre"
        case .year: "une année"
        }
    }
}

/// One value of a quality indicator for a place or a structure over a period.
public struct IndicatorValue: Hashable, Codable, Sendable {
    public enum Subject: String, Codable, Sendable { case place, structure }
    public var subject: Subject
    public var subjectId: String
    /// Indicator code, e.g. "visits", "first_receptions", "satisfaction_rate".
    public var code: String
    /// "2026", "2026-Q3" or "2026-09".
    public var period: String
    public var value: Double
    /// Unit, e.g. "persons", "percent", "days", "hours_per_week".
    public var unit: String

    public init(subject: Subject, subjectId: String, code: String, period: String, value: Double, unit: String) {
        self.subject = subject
        self.subjectId = subjectId
        self.code = code
        self.period = period
        self.value = value
        self.unit = unit
    }
}

/// A record withdrawn since an earlier export; tombstones travel so deletions are never guessed.
public struct Tombstone: Hashable, Codable, Sendable {
    public enum Kind: String, Codable, Sendable { case structure, place, channel }
    public var kind: Kind
    public var id: String
    /// ISO 8601 date of the withdrawal.
    public var withdrawnAt: String
    public var motive: String?

    public init(kind: Kind, id: String, withdrawnAt: String, motive: String? = nil) {
        self.kind = kind
        self.id = id
        self.withdrawnAt = withdrawnAt
        self.motive = motive
    }
}
