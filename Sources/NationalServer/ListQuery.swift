import Directory
import Foundation
import ServerFoundation

/// The parsed parameters of a read API list (`/api/v1/places`, `/api/v1/structures`): filters (a
/// parameter given twice matches either value; different parameters must all match), a search by name,
/// `updated_since`, and the page (`cursor`, `limit`). Every value is checked; an unknown parameter is refused.
struct ListQuery {
    /// Per parameter, the values any of which a record must have.
    var filters: [[ListFilter]] = []
    var name: String?
    /// ISO 8601 instant: records last changed at or after it.
    var updatedSince: String?
    /// The national id the page starts after.
    var after: String?
    var limit = 100

    static let maximumLimit = 1_000
    static let known: Set<String> = ["region", "departement", "commune", "zone_emploi", "network", "service", "public",
                                     "q", "updated_since", "cursor", "limit"]

    init(_ query: [(String, String)]) throws(NationalAPIError) {
        var byName: [String: [ListFilter]] = [:]
        var order: [String] = []
        for (name, value) in query {
            guard Self.known.contains(name) else { throw .unknownParameter(name) }
            let filter: ListFilter
            switch name {
            case "q":
                self.name = value.trimmingCharacters(in: .whitespacesAndNewlines)
                continue
            case "updated_since":
                guard let instant = Self.instant(value) else {
                    throw .badParameter(name, message: "updated_since attend une date AAAA-MM-JJ ou un instant ISO 8601 (2026-12-01T08:00:00Z), pas « \(value) » (date expected)")
                }
                updatedSince = instant
                continue
            case "cursor":
                guard let id = PageCursor.decode(value) else {
                    throw .badParameter(name, message: "curseur illisible « \(value) » : reprenez celui de la réponse précédente (next) (bad cursor)")
                }
                after = id
                continue
            case "limit":
                guard let n = Int(value), (1...Self.maximumLimit).contains(n) else {
                    throw .badParameter(name, message: "limit doit être un entier entre 1 et \(Self.maximumLimit) (must be 1-\(Self.maximumLimit))")
                }
                limit = n
                continue
            case "region": filter = .region(try Self.code(value, name) { v throws(CodeError) in try RegionCode(v) })
            case "departement": filter = .departement(try Self.code(value, name) { v throws(CodeError) in try DepartementCode(v) })
            case "commune": filter = .commune(try Self.code(value, name) { v throws(CodeError) in try CommuneCode(v) })
            case "zone_emploi": filter = .zone(try Self.code(value, name) { v throws(CodeError) in try ZoneEmploiCode(v) })
            case "network": filter = .network(try Self.vocabulary(value, name))
            case "service": filter = .service(try Self.vocabulary(value, name))
            default: filter = .audience(try Self.vocabulary(value, name))
            }
            if byName[name] == nil { order.append(name) }
            byName[name, default: []].append(filter)
        }
        filters = order.map { byName[$0]! }
    }

    /// "2026-12-01" (midnight UTC) or an ISO 8601 instant, as the records' dates are written.
    static func instant(_ value: String) -> String? {
        if let day = ISODay.parse(value), value.count == 10 { return ISOInstant.string(day) }
        return ISOInstant.parse(value).map(ISOInstant.string)
    }

    private static func code<C>(_ value: String, _ name: String, _ make: (String) throws(CodeError) -> C) throws(NationalAPIError) -> C {
        do {
            return try make(value)
        } catch {
            throw .badParameter(name, message: "\(error.description) (bad code)")
        }
    }

    private static func vocabulary<V: Vocabulary>(_ value: String, _ name: String) throws(NationalAPIError) -> V {
        guard let v = V(rawValue: value) else {
            let known = V.allCases.map(\.rawValue).joined(separator: ", ")
            throw .badParameter(name, message: "valeur inconnue « \(value) » pour \(name) ; valeurs possibles : \(known) (unknown value)")
        }
        return v
    }
}
