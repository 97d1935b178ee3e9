import Directory
import Foundation
import NationalDirectory

/// A position the search starts from, resolved from `lat`/`lon` or from `q`.
public struct SearchOrigin: Sendable {
    public var position: GeoPoint
    public var label: String?
    /// The Région the query named (its commune's), whose shared channels the page shows beside the
    /// results; nil for a position given as `lat`/`lon`.
    public var region: RegionCode?
    /// Whether `q` named a commune, postcode or address outright, rather than being read from part of
    /// the text or approximately: the public page then looks it up among place names as well.
    public var exact: Bool
    /// The communes bearing the very name the query gave, when it gave a bare name that several communes
    /// bear ("Saint-Denis"): the public page asks which one rather than choosing silently. Empty otherwise.
    public var homonyms: [Homonym]

    public init(position: GeoPoint, label: String?, region: RegionCode? = nil, exact: Bool = true, homonyms: [Homonym] = []) {
        self.position = position
        self.label = label
        self.region = region
        self.exact = exact
        self.homonyms = homonyms
    }

    /// One of several communes with the same name.
    public struct Homonym: Sendable, Equatable {
        /// "Saint-Denis (La Réunion)".
        public var label: String
        /// A query naming this commune alone: "Saint-Denis 97400".
        public var query: String

        public init(label: String, query: String) {
            self.label = label
            self.query = query
        }
    }
}

/// Resolves a free query (postcode, commune, address) to a position, or says why it cannot.
public typealias QueryResolving = @Sendable (String) -> Result<SearchOrigin, QueryProblem>

/// Why a query could not be resolved: a 400 naming `q`.
public struct QueryProblem: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// The parsed parameters of `/api/v1/places/nearest`.
struct NearestParameters {
    var lat: Double?
    var lon: Double?
    var q: String?
    var limit = 10
    var radiusKm: Double?
    var filter = SearchFilter()
    /// The instant the request is answered at: what `open_now` and `stale` refer to.
    let now: Date

    static let known: Set<String> = ["lat", "lon", "q", "limit", "radius_km", "service", "public", "network",
                                     "cep_level", "sans_rdv", "accessible", "open_now", "open_at"]

    /// Parses the query; `now` is the instant `open_now` refers to.
    init(_ query: [(String, String)], now: Date = Date()) throws(NationalAPIError) {
        self.now = now
        for (name, value) in query {
            guard Self.known.contains(name) else { throw .unknownParameter(name) }
            switch name {
            case "lat": lat = try Self.number(value, name)
            case "lon": lon = try Self.number(value, name)
            case "q": q = value.trimmingCharacters(in: .whitespacesAndNewlines)
            case "limit":
                guard let n = Int(value), (1...100).contains(n) else {
                    throw .badParameter(name, message: "limit doit être un entier entre 1 et 100 (must be 1-100)")
                }
                limit = n
            case "radius_km":
                let r = try Self.number(value, name)
                guard r > 0, r <= 1000 else {
                    throw .badParameter(name, message: "radius_km doit être entre 0 et 1000 (must be in (0, 1000])")
                }
                radiusKm = r
            case "service": filter.service = try Self.vocabulary(value, name)
            case "public": filter.publicServed = try Self.vocabulary(value, name)
            case "network": filter.network = try Self.vocabulary(value, name)
            case "cep_level":
                guard let n = Int(value), (1...3).contains(n) else {
                    throw .badParameter(name, message: "cep_level doit valoir 1, 2 ou 3 (must be 1, 2 or 3)")
                }
                filter.cepLevel = n
            case "sans_rdv": filter.sansRendezVous = try Self.bool(value, name)
            case "accessible": filter.accessible = try Self.bool(value, name)
            case "open_now":
                if try Self.bool(value, name) { filter.openAt = .instant(now) }
            case "open_at":
                guard let at = ISOInstant.parse(value).map(SearchMoment.instant) ?? Self.localTime(value) else {
                    throw .badParameter(name, message: "open_at doit être une date ISO 8601, ex. 2026-07-14T10:00:00+02:00 (must be ISO 8601)")
                }
                filter.openAt = at
            default:
                throw .badParameter(name, message: "« \(name) » n'est pas encore pris en charge (not supported yet)")
            }
        }
        if let lat, !(-90...90).contains(lat) {
            throw .badParameter("lat", message: "lat doit être entre -90 et 90 (got \(lat))")
        }
        if let lon, !(-180...180).contains(lon) {
            throw .badParameter("lon", message: "lon doit être entre -180 et 180 (got \(lon))")
        }
        if (lat == nil) != (lon == nil) {
            throw .badParameter(lat == nil ? "lat" : "lon", message: "lat et lon vont ensemble (lat and lon go together)")
        }
        if lat == nil && (q ?? "").isEmpty {
            throw .badParameter("q", message: "indiquez lat et lon, ou q (adresse, code postal ou commune)")
        }
    }

    /// "2026-07-14T10:00" (or with ":00" seconds) without offset: that wall-clock time in each place's territory.
    static func localTime(_ value: String) -> SearchMoment? {
        let parts = value.split(separator: "T", omittingEmptySubsequences: false)
        guard parts.count == 2, let date = ISODay.parse(String(parts[0])) else { return nil }
        let time = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(time.count), time.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
              let h = Int(time[0]), let m = Int(time[1]), h < 24, m < 60,
              time.count == 2 || Int(time[2]).map({ $0 < 60 }) == true else { return nil }
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        return .wallClock(year: c.year!, month: c.month!, day: c.day!, minute: h * 60 + m)
    }

    static func number(_ value: String, _ name: String) throws(NationalAPIError) -> Double {
        guard let d = Double(value), d.isFinite else {
            throw .badParameter(name, message: "\(name) doit être un nombre (got « \(value) »)")
        }
        return d
    }

    static func bool(_ value: String, _ name: String) throws(NationalAPIError) -> Bool {
        switch value.lowercased() {
        case "1", "true", "oui", "yes": return true
        case "0", "false", "non", "no": return false
        default: throw .badParameter(name, message: "\(name) vaut true ou false (got « \(value) »)")
        }
    }

    static func vocabulary<V: Vocabulary>(_ value: String, _ name: String) throws(NationalAPIError) -> V {
        guard let v = V(rawValue: value) else {
            throw .badParameter(name, message: "valeur inconnue « \(value) » pour \(name) ; valeurs possibles : "
                                 + V.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return v
    }
}
