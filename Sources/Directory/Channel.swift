/// A remote entry point: a phone number, chat, video or e-mail service. When several structures staff it
/// (a regional "numéro unique", a shared chat), it appears once, with its contributors, rather than as
/// one phone number per structure.
public struct Channel: Hashable, Codable, Sendable, Identifiable {
    public enum Kind: String, Vocabulary {
        case telephone, tchat, visio, courriel

        public var label: String {
            switch self {
            case .telephone: "Téléphone"
            case .tchat: "Tchat"
            case .visio: "Visioconférence"
            case .courriel: "Courriel"
            }
        }
    }

    /// Stable identifier, unique within its region ("53-CANAL-1").
    public var id: String
    public var name: String
    public var kind: Kind
    /// The phone number, the chat or video service's URL, or the e-mail address.
    public var address: String
    /// The structures staffing it, by id; the first one runs it.
    public var contributors: [String]
    /// OSM `opening_hours` syntax, as for places.
    public var openingHours: String?
    public var publics: [Public]
    public var services: [Service]
    /// The day the Région last confirmed this record ("YYYY-MM-DD"); set by the node when it publishes.
    public var lastConfirmed: String?

    public init(id: String, name: String, kind: Kind, address: String, contributors: [String], openingHours: String? = nil,
                publics: [Public] = [], services: [Service] = [], lastConfirmed: String? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.address = address
        self.contributors = contributors
        self.openingHours = openingHours
        self.publics = publics
        self.services = services
        self.lastConfirmed = lastConfirmed
    }

    /// Shared by several structures.
    public var isShared: Bool { contributors.count > 1 }
}
