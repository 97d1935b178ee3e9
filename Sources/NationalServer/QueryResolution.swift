import Directory
import Geocoding
import Reference

/// Connects the search API's `q=` to the offline geocoder's query resolver.
public enum QueryResolution {
    /// A resolver for `NationalContent`: postcode, commune name or address to a position and a label.
    public static func resolver(reference: ReferencePack, geocoder: Geocoder) -> QueryResolving {
        let resolver = QueryResolver(geocoder: geocoder)
        return { query in
            do {
                let r = try resolver.resolve(query)
                return .success(SearchOrigin(position: r.position, label: r.label))
            } catch {
                return .failure(QueryProblem("Lieu introuvable (not found): \(String(describing: error))"))
            }
        }
    }
}
