import AddressText
import Directory
import Foundation

/// Turns a free public search query (the search API's `q=`) into a position.
///
/// Accepted forms:
/// - a postcode, "29200": the commune it serves; when it serves several, the most populous one,
///   the others listed as alternatives (precision `.postcode`);
/// - an INSEE code, "29019" (tried when the 5 digits are not a postcode);
/// - a commune name, "Brest", "quimper", "St-Brieuc", "Paris 11e", optionally followed by a
///   département code ("Saint-Denis 974"); an ambiguous name gives the most populous commune and
///   the others as alternatives; typos are matched approximately;
/// - an address with a postcode, "12 rue de Siam 29200 Brest": postcode + city give the commune; when the
///   geocoder has a street locator (a BAN extract), the words before the postcode (those left of the city
///   when it comes first: "12 rue de Siam Brest 29200") are looked up as a street line in that commune,
///   for a position at `housenumber` or `street` precision. Without one, or when the street is not found
///   (said in `reason`), the position is the commune's centre.
public struct QueryResolver: Sendable {
    let geocoder: Geocoder
    var index: GeocoderIndex { geocoder.index }

    /// The longest query accepted, in characters.
    public static let maximumLength = 200
    /// How many alternatives a result lists at most.
    public static let maximumAlternatives = 5

    public init(geocoder: Geocoder) {
        self.geocoder = geocoder
    }

    /// Resolves `query`, or explains why nothing matched.
    public func resolve(_ query: String) throws(QueryError) -> ResolvedQuery {
        let trimmed = query.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .empty }
        guard trimmed.count <= Self.maximumLength else { throw .tooLong(trimmed.count) }
        let tokens = TextFolding.tokens(trimmed)
        guard !tokens.isEmpty else { throw .noMatch(query: trimmed) }
        if tokens.count == 1, tokens[0].isDigits || (try? CommuneCode(String(tokens[0]))) != nil {
            return try code(String(tokens[0]), query: trimmed)
        }
        if let p = tokens.firstIndex(where: { $0.utf8.count == 5 && $0.isDigits }) {
            return try address(tokens, postcodeAt: p, query: trimmed)
        }
        return try name(tokens, query: trimmed)
    }

    // MARK: - Postcode or INSEE code

    func code(_ token: String, query: String) throws(QueryError) -> ResolvedQuery {
        if let postcode = try? Postcode(token), let entries = index.byPostcode[postcode], !entries.isEmpty {
            let served = Set(entries.map(\.commune)).sorted { geocoder.isPreferred($0, over: $1) }
            return result(served[0], postcode: postcode,
                          precision: served.count == 1 ? .commune : .postcode,
                          score: served.count == 1 ? 1 : 0.8,
                          alternatives: Array(served.dropFirst()))
        }
        if let code = try? CommuneCode(token), let i = index.byCode[code] {
            return result(i, postcode: nil, precision: .commune, score: 1, alternatives: [])
        }
        guard token.utf8.count == 5 else { throw .noMatch(query: query) }
        throw .unknownPostcode(token)
    }

    // MARK: - Address with a postcode

    func address(_ tokens: [Substring], postcodeAt p: Int, query: String) throws(QueryError) -> ResolvedQuery {
        let postcode = String(tokens[p])
        let after = tokens[(p + 1)...].joined(separator: " ")
        let before = Array(tokens[..<p])
        // The city follows the postcode ("29200 Brest"), or ends the text before it ("Brest 29200").
        var cities: [String] = after.isEmpty ? [] : [after]
        for n in stride(from: min(before.count, 6), through: 1, by: -1) {
            cities.append(before.suffix(n).joined(separator: " "))
        }
        var best: GeocodeResult?
        // The words naming the street: those before the postcode, less the city's when it comes first.
        var street = ArraySlice(before)
        for (n, city) in cities.enumerated() {
            let r = geocoder.geocode(postcode: postcode, city: city)
            let words = after.isEmpty || n > 0 ? before.dropLast(city.split(separator: " ").count) : ArraySlice(before)
            if r.isResolved, r.precision != .postcode, r.score >= 0.75 {
                best = r
                street = words
                break
            }
            if r.isResolved, best.map({ r.score > $0.score }) ?? true {
                best = r
                street = words
            }
        }
        let final = best ?? geocoder.geocode(postcode: postcode, city: "")
        guard let commune = final.commune, let i = index.byCode[commune] else {
            throw .unresolvedAddress(query: query, reason: final.reason ?? "no commune found")
        }
        if best == nil { street = ArraySlice(before) }
        var found = result(i, postcode: try? Postcode(postcode), precision: final.precision, score: final.score,
                           alternatives: [], reason: final.reason)
        if let locator = geocoder.streetLocator, !street.isEmpty {
            found = streetLevel(found, line: street.joined(separator: " "), in: commune, locator: locator)
        }
        return found
    }

    /// `commune`'s answer moved to the street `line` names, when the locator finds it; otherwise the same
    /// answer with the reason the street was not used.
    func streetLevel(_ answer: ResolvedQuery, line: String, in commune: CommuneCode, locator: any StreetLocator) -> ResolvedQuery {
        func joined(_ notes: String?...) -> String? {
            let kept = notes.compactMap { $0 }
            return kept.isEmpty ? nil : kept.joined(separator: "; ")
        }
        switch geocoder.bestStreet([line], in: commune, locator: locator) {
        case .found(let m):
            let parsed = AddressNormalizer.streetLine(line)
            var name = m.label ?? parsed.street
            if m.precision == .housenumber, let n = parsed.houseNumber {
                name = "\(n.number)" + (n.suffix.map { " " + $0.lowercased() } ?? "") + " " + name
            }
            return ResolvedQuery(position: m.position, label: name + ", " + answer.label, commune: answer.commune,
                                 precision: m.precision, score: (min(answer.score, m.score) * 100).rounded() / 100,
                                 alternatives: answer.alternatives, reason: joined(answer.reason, m.note))
        case .missed(let why):
            return ResolvedQuery(position: answer.position, label: answer.label, commune: answer.commune, precision: answer.precision,
                                 score: answer.score, alternatives: answer.alternatives, reason: joined(answer.reason, why))
        case .noStreet:
            return answer
        }
    }

    // MARK: - Commune name

    func name(_ tokens: [Substring], query: String) throws(QueryError) -> ResolvedQuery {
        // The whole text as a name first ("Paris 11"), then as a name + département ("Saint-Denis 974").
        if let r = exact(tokens[...], departement: nil, partial: false) { return r }
        var words = tokens
        var departement: String?
        if words.count >= 2, let last = words.last, Self.isDepartementCode(last) {
            departement = String(last)
            words.removeLast()
            if let r = exact(words[...], departement: departement, partial: false) { return r }
        }
        // Then shorter tails and heads of the text ("mairie de Brest", "Brest France").
        if words.count > 1 {
            for n in stride(from: words.count - 1, through: 1, by: -1) {
                if let r = exact(words.suffix(n), departement: departement, partial: true) { return r }
            }
            for n in stride(from: words.count - 1, through: 1, by: -1) {
                if let r = exact(words.prefix(n), departement: departement, partial: true) { return r }
            }
        }
        func allowed(_ i: Int) -> Bool { departement.map { index.communes[i].departement == $0 } ?? true }

        // Approximate name over the whole country.
        let probe = NameKey(AddressNormalizer.cityKey(words.joined(separator: " ")))
        guard probe.bytes.count >= 3 else { throw .noMatch(query: query) }
        let threshold = Geocoder.fuzzyThresholdInDepartement
        var similarity: [Int: Double] = [:]
        for i in index.nationalCandidates(for: probe, minimum: threshold) {
            let e = index.nationalNames[i]
            guard allowed(e.commune) else { continue }
            let s = NameSimilarity.similarity(probe, e.key, atLeast: threshold, containment: .strict) * e.source.score
            if s >= threshold * e.source.score, s > similarity[e.commune] ?? 0 { similarity[e.commune] = s }
        }
        guard !similarity.isEmpty else { throw .noMatch(query: query) }
        let ranked = similarity.keys.sorted { a, b in
            let sa = similarity[a]!, sb = similarity[b]!
            return abs(sa - sb) > 1e-9 ? sa > sb : geocoder.isPreferred(a, over: b)
        }
        let best = ranked[0]
        return result(best, postcode: nil, precision: .commune, score: 0.8 * similarity[best]!,
                      alternatives: Array(ranked.dropFirst()),
                      reason: "no commune named \"\(probe.text)\"; closest name \(index.name(best))")
    }

    /// Communes whose name is exactly `span`: strongest name source first, then most populous.
    func exact(_ span: ArraySlice<Substring>, departement: String?, partial: Bool) -> ResolvedQuery? {
        let key = AddressNormalizer.cityKey(span.joined(separator: " "))
        guard key.utf8.count >= (partial ? 4 : 2), let entries = index.exactNational[key] else { return nil }
        var bestSource: [Int: GeocoderIndex.NameSource] = [:]
        for e in entries where departement.map({ index.communes[e.commune].departement == $0 }) ?? true {
            bestSource[e.commune] = min(bestSource[e.commune] ?? e.source, e.source)
        }
        guard !bestSource.isEmpty else { return nil }
        let ranked = bestSource.keys.sorted { a, b in
            let sa = bestSource[a]!.score, sb = bestSource[b]!.score
            return sa != sb ? sa > sb : geocoder.isPreferred(a, over: b)
        }
        let score = bestSource[ranked[0]]!.score * (partial ? 0.8 : 1)
        var reason: String?
        if partial {
            reason = "matched \"\(key)\" within the query"
        } else if bestSource[ranked[0]] == .oldName {
            reason = "\"\(key)\" is a locality or former commune of \(index.name(ranked[0]))"
        }
        return result(ranked[0], postcode: nil, precision: .commune, score: score,
                      alternatives: Array(ranked.dropFirst()), reason: reason)
    }

    /// "29", "2A", "974": a département code typed after a name.
    static func isDepartementCode(_ t: Substring) -> Bool {
        (try? DepartementCode(String(t))) != nil
    }

    // MARK: - Building the answer

    func result(_ i: Int, postcode: Postcode?, precision: GeocodePrecision, score: Double,
                alternatives: [Int], reason: String? = nil) -> ResolvedQuery {
        let c = index.communes[i]
        return ResolvedQuery(
            position: c.centre, label: label(i, postcode: postcode), commune: c.code, precision: precision,
            score: (score * 100).rounded() / 100,
            alternatives: alternatives.prefix(Self.maximumAlternatives).map { a in
                QueryAlternative(commune: index.communes[a].code, label: label(a, postcode: postcode),
                                 position: index.communes[a].centre, population: index.communes[a].population)
            },
            reason: reason)
    }

    /// "Brest (29200)": with the postcode of the query when the commune has it, else the commune's only
    /// postcode, else its département ("Paris (75)").
    func label(_ i: Int, postcode: Postcode?) -> String {
        let c = index.communes[i]
        if let postcode, c.postcodes.contains(postcode) || index.byPostcode[postcode]?.contains(where: { $0.commune == i }) == true {
            return "\(c.name) (\(postcode))"
        }
        if c.postcodes.count == 1 { return "\(c.name) (\(c.postcodes[0]))" }
        return "\(c.name) (\(c.departement))"
    }
}

/// A search query resolved to a position.
public struct ResolvedQuery: Sendable, Hashable, Codable {
    /// Where distances are measured from: the commune's centre, or the street's point or the address
    /// with a BAN extract.
    public let position: GeoPoint
    /// What to show: "Brest (29200)", "12 Rue de Siam, Brest (29200)".
    public let label: String
    public let commune: CommuneCode?
    public let precision: GeocodePrecision
    /// Confidence, 0...1 (1 for an exact name or a postcode serving one commune).
    public let score: Double
    /// Other communes the query could mean, most likely first.
    public let alternatives: [QueryAlternative]
    /// How the query was read, when it was not a plain match.
    public let reason: String?
}

/// Another commune a query could mean.
public struct QueryAlternative: Sendable, Hashable, Codable {
    public let commune: CommuneCode
    public let label: String
    public let position: GeoPoint
    public let population: Int
}

/// Why a search query gave no position.
public enum QueryError: Error, Sendable, Hashable, CustomStringConvertible {
    case empty
    case tooLong(Int)
    /// Five digits that are neither a La Poste postcode nor an INSEE code (CEDEX codes are not listed).
    case unknownPostcode(String)
    /// No commune name matches, even approximately.
    case noMatch(query: String)
    /// An address whose postcode and city don't resolve.
    case unresolvedAddress(query: String, reason: String)

    public var description: String {
        switch self {
        case .empty: "the query is empty"
        case .tooLong(let n): "the query is \(n) characters long (at most \(QueryResolver.maximumLength))"
        case .unknownPostcode(let p): "\(p) is neither a known postcode (CEDEX codes are not listed) nor an INSEE commune code"
        case .noMatch(let q): "no commune matches \"\(q)\"; try a commune name or a postcode"
        case .unresolvedAddress(let q, let reason): "cannot locate \"\(q)\": \(reason)"
        }
    }
}
