import Directory
import Foundation
import Geocoding
import Reference

/// Connects the search API's `q=` to the offline geocoder's query resolver.
public enum QueryResolution {
    /// A resolver for `NationalContent`: postcode, commune name or address to a position and a label.
    public static func resolver(reference: ReferencePack, geocoder: Geocoder) -> QueryResolving {
        let resolver = QueryResolver(geocoder: geocoder)
        return { query in
            do throws(QueryError) {
                let r = try resolver.resolve(query)
                let region = r.commune.flatMap { reference.communes[$0]?.region }
                return .success(SearchOrigin(position: r.position, label: r.label, region: region, exact: r.reason == nil,
                                             homonyms: homonyms(r, reference: reference)))
            } catch {
                return .failure(QueryProblem(french(error)))
            }
        }
    }

    /// The communes an exact, bare commune name could mean: the one chosen and its alternatives bearing the
    /// same name (not those where it is only a locality's or a former commune's). Empty when only one does.
    static func homonyms(_ r: ResolvedQuery, reference: ReferencePack) -> [SearchOrigin.Homonym] {
        guard r.reason == nil, r.precision == .commune, !r.alternatives.isEmpty,
              let code = r.commune, let chosen = reference.communes[code] else { return [] }
        func folded(_ s: String) -> String { s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) }
        let name = folded(chosen.name)
        let same = [chosen] + r.alternatives.compactMap { reference.communes[$0.commune] }.filter { folded($0.name) == name }
        guard same.count > 1 else { return [] }
        return same.map { c in
            let departement = reference.departements[c.departement]?.name ?? c.departement.rawValue
            // Its only postcode names it alone; a commune with several is named with its département.
            let query = c.postcodes.count == 1 ? "\(c.name) \(c.postcodes[0].rawValue)" : "\(c.name) \(c.departement.rawValue)"
            return SearchOrigin.Homonym(label: "\(c.name) (\(departement))", query: query)
        }
    }

    /// Why the query gave no position, in French for the public (the geocoder's own reasons are for developers).
    static func french(_ error: QueryError) -> String {
        switch error {
        case .empty:
            "Indiquez une adresse, un code postal, une commune ou le nom d'un lieu."
        case .tooLong(let n):
            "La recherche fait \(n) caractères ; elle doit en faire \(QueryResolver.maximumLength) au plus."
        case .unknownPostcode(let p):
            "« \(p) » n'est ni un code postal connu (les codes CEDEX ne sont pas reconnus) ni un code de commune INSEE."
        case .noMatch(let q):
            "Aucune commune ne correspond à « \(q) ». Essayez le nom d'une commune ou un code postal."
        case .unresolvedAddress(let q, _):
            "Adresse introuvable : « \(q) ». Vérifiez le code postal et le nom de la commune."
        }
    }
}
