import AddressText
import Directory
import Foundation
import ServerFoundation

/// A record the admin lists filter: its folded name (for `q`) and its facets, the `key=value` tokens its
/// filters match (`state=referenced`, `structure=53-ML-1`). Both are stored beside the record's JSON.
protocol ListedRecord: Codable {
    var id: String { get }
    var name: String { get }
    var facets: [String] { get }
    /// The confirmation day, derived from the row (never stored in the JSON).
    var lastConfirmed: String? { get set }
}

extension ListedRecord {
    /// The name as searched: folded to upper-case ASCII words.
    var nameKey: String { NodeListQuery.fold(name) }
    /// The facets as stored: each token between single spaces, so `instr(facets, ' key=value ')` finds it.
    var facetText: String { " " + facets.joined(separator: " ") + " " }
}

extension Structure: ListedRecord {
    var facets: [String] {
        ["state=\(referencing.state.rawValue)", "network=\(network.rawValue)", "basis=\(basis.rawValue)"]
            + (siret.map { ["siret=\($0.rawValue)"] } ?? [])
    }
}

extension Place: ListedRecord {
    var facets: [String] {
        var f = structures.map { "structure=\($0.structureId)" } + ["kind=\(kind.rawValue)"]
        if let commune = address.communeCode { f += ["commune=\(commune.rawValue)", "departement=\(commune.departement.rawValue)"] }
        f.append("mutualise=\(isLieuMutualise)")
        f += services.map { "service=\($0.rawValue)" } + publics.map { "public=\($0.rawValue)" }
        return f
    }
}

extension Channel: ListedRecord {
    var facets: [String] {
        contributors.map { "structure=\($0)" } + ["kind=\(kind.rawValue)"] + services.map { "service=\($0.rawValue)" }
    }
}

/// The parsed parameters of an admin list: filters (a parameter given twice matches either value,
/// different parameters must all match), a search by name (`q`) and the page (`cursor`, `limit`).
/// Every parameter is checked against the list's own; an unknown one is refused, naming it.
struct NodeListQuery: Sendable {
    /// Per parameter, the facet tokens any of which a record must carry.
    var facets: [[String]] = []
    /// The folded search text.
    var text: String?
    /// The id the page starts after.
    var after: String?
    var limit = 100
    /// Per filter parameter, its values as given.
    var values: [String: [String]] = [:]

    static let maximumLimit = 1_000

    /// Parses `query` for a list whose filters are `filters` (parameter name → the values it accepts, or
    /// nil for any value without spaces).
    init(_ query: [(String, String)], filters: [String: Set<String>?]) throws(NodeAPIError) {
        var byName: [String: [String]] = [:]
        var order: [String] = []
        for (name, raw) in query {
            let value = raw.trimmingCharacters(in: .whitespaces)
            switch name {
            case "q":
                let folded = Self.fold(value)
                text = folded.isEmpty ? nil : folded
            case "cursor":
                guard let id = PageCursor.decode(value) else {
                    throw .invalid(record: "requête", field: "cursor", rule: "curseur illisible « \(value) » : reprenez celui de la réponse précédente (next)")
                }
                after = id
            case "limit":
                guard let n = Int(value), (1...Self.maximumLimit).contains(n) else {
                    throw .invalid(record: "requête", field: "limit", rule: "doit être un entier entre 1 et \(Self.maximumLimit)")
                }
                limit = n
            default:
                guard let accepted = filters[name] else {
                    let known = (filters.keys.sorted() + ["q", "cursor", "limit"]).joined(separator: ", ")
                    throw .invalid(record: "requête", field: name, rule: "paramètre inconnu (paramètres possibles : \(known))")
                }
                if let accepted, !accepted.contains(value) {
                    throw .invalid(record: "requête", field: name,
                                   rule: "valeur inconnue « \(value) » (valeurs possibles : \(accepted.sorted().joined(separator: ", ")))")
                }
                guard !value.isEmpty, value.count <= 64, !value.contains(where: \.isWhitespace) else {
                    throw .invalid(record: "requête", field: name, rule: "valeur vide, trop longue ou contenant des espaces")
                }
                if byName[name] == nil { order.append(name) }
                byName[name, default: []].append("\(name)=\(value)")
                values[name, default: []].append(value)
            }
        }
        facets = order.map { byName[$0]! }
    }

    /// `text` folded as names are stored: upper-case ASCII words separated by single spaces.
    static func fold(_ text: String) -> String {
        TextFolding.fold(text).split(separator: " ").joined(separator: " ")
    }

    /// The one value of a filter given at most once (nil: not given); given twice, refused.
    func single(_ name: String) throws(NodeAPIError) -> String? {
        guard let given = values[name] else { return nil }
        guard given.count == 1 else { throw .invalid(record: "requête", field: name, rule: "une seule valeur possible") }
        return given[0]
    }

    /// The values of a vocabulary, as a filter accepts them.
    static func values<V: Vocabulary>(_: V.Type) -> Set<String>? { Set(V.allCases.map(\.rawValue)) }
}

/// A page of an admin list: the records, how many match in all, and the cursor of the next page.
struct NodePage<Item: Encodable & Sendable>: Encodable, Sendable {
    var items: [Item]
    var total: Int
    var next: String?
}

/// A stored record with its version, as a list or a read gives it.
struct Versioned<Record> {
    var record: Record
    var version: Int
}

extension Versioned: Sendable where Record: Sendable {}
