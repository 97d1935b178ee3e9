import AddressText
import Directory
import Reference

/// Offline geocoder over the reference pack: an address becomes a commune (the arrondissement for
/// Paris, Lyon and Marseille) and a position, with a precision, a score and the reason for any fallback.
///
/// Build it once (it precomputes normalised names by postcode, by département and nationally, about
/// a second with the pack) and share it: it is an immutable value, safe across tasks.
///
/// The ladder, first success wins:
/// 1. postcode + city: the city against every name of the communes La Poste says the postcode serves
///    (INSEE name, La Poste name, `ligne_5` old names and localities, routing label);
/// 2. département + exact name (CEDEX postcodes are absent from La Poste's file; wrong postcodes);
/// 3. fuzzy name among the postcode's communes, then among the département's (typos, partial names);
/// 4. exact name anywhere in France, when only one commune bears it;
/// 5. the postcode alone, when it serves a single commune;
/// 6. unresolved, with the reason.
/// Then the Région's INSEE code, if any, is checked against the outcome, a `StreetLocator` (BAN) may
/// refine the position (a street it cannot find is said in the reason), and the Région's coordinates,
/// if any, are checked (see `CoordinateCheck`).
public struct Geocoder: Sendable {
    let index: GeocoderIndex
    let streetLocator: (any StreetLocator)?

    /// Minimum similarity for a fuzzy name match among a postcode's communes (a handful of names).
    /// Similarity is the edit ratio (1 - OSA distance / longer length, minus 0.05 when the first letter
    /// differs) or a token containment score ("CLION" inside "CLION SUR SEUGNE").
    public static let fuzzyThresholdInPostcode = 0.8
    /// Minimum similarity among a whole département's names. Same edit threshold (0.85 lost "OUGES" ->
    /// Ouge), but containment must cover more of the name there, and the score is lower (x 0.75).
    public static let fuzzyThresholdInDepartement = 0.8

    /// Builds the indexes. `streetLocator` (a `BANIndex`) adds street-level precision.
    public init(pack: ReferencePack, streetLocator: (any StreetLocator)? = nil) {
        index = GeocoderIndex(pack: pack)
        self.streetLocator = streetLocator
    }

    /// Geocodes an address; `given` are the Région's own coordinates, checked before being used.
    public func geocode(_ address: Address, given: GeoPoint? = nil) -> GeocodeResult {
        resolve(postcode: address.postcode, notes: [], city: address.city, lines: address.lines,
                hint: address.communeCode, given: given)
    }

    /// Geocodes loosely typed fields, as read from a spreadsheet: the postcode may be malformed
    /// (a 4-digit "1400" is read as 01400, the leading zero a spreadsheet dropped), empty (then a
    /// postcode written in the city field is used), or unusable (then the city name is searched alone).
    public func geocode(postcode: String, city: String, lines: [String] = [], communeHint: CommuneCode? = nil,
                        given: GeoPoint? = nil) -> GeocodeResult {
        var (code, note) = Self.parsePostcode(postcode)
        if code == nil, postcode.allSatisfy(\.isWhitespace),
           let found = TextFolding.tokens(city).first(where: { $0.utf8.count == 5 && $0.isDigits }) {
            code = Postcode(unchecked: String(found))
            note = "postcode taken from the city field"
        }
        return resolve(postcode: code, notes: note.map { [$0] } ?? [], city: city, lines: lines,
                       hint: communeHint, given: given)
    }

    /// Names what the geocoder answers from beyond the reference pack: "commune" alone, or the street
    /// locator's data (see `StreetLocator.dataVersion`). Locations found with another value may differ.
    public var dataVersion: String {
        streetLocator.map { "street: " + $0.dataVersion } ?? "commune"
    }

    /// The distance (metres) from a commune's centre within which given coordinates are accepted.
    public func plausibleDistance(for commune: CommuneCode) -> Double? {
        index.byCode[commune].map { index.communes[$0].plausibleDistance }
    }

    /// The centre of a commune or arrondissement, as used for commune-level positions.
    public func centre(of commune: CommuneCode) -> GeoPoint? {
        index.byCode[commune].map { index.communes[$0].centre }
    }

    // MARK: - Pipeline

    func resolve(postcode: Postcode?, notes initialNotes: [String], city: String, lines: [String],
                 hint: CommuneCode?, given: GeoPoint?) -> GeocodeResult {
        let cityName = AddressNormalizer.parseCity(city)
        var notes = initialNotes
        var match: CommuneMatch?
        switch ladder(postcode: postcode, city: cityName, cityText: city) {
        case .found(let m): match = m
        case .unresolved(let why): notes.append(why)
        }
        match = applyHint(hint, to: match, postcode: postcode, notes: &notes)
        if let m = match { notes.append(contentsOf: m.notes) }

        var result: GeocodeResult
        if let m = match {
            let info = index.communes[m.commune]
            result = GeocodeResult(commune: info.code, position: info.centre, precision: m.precision, score: m.score)
            if let locator = streetLocator {
                switch bestStreet(lines, in: info.code, locator: locator) {
                case .found(let street):
                    result.position = street.position
                    result.precision = street.precision
                    result.score = min(m.score, street.score)
                    if let note = street.note { notes.append(note) }
                case .missed(let why):
                    notes.append(why)
                case .noStreet:
                    break
                }
            }
        } else {
            result = GeocodeResult(commune: nil, position: nil, precision: .unresolved, score: 0)
        }
        if let given {
            CoordinateCheck.apply(given, to: &result, commune: match.map { index.communes[$0.commune] },
                                  notes: &notes)
        }
        result.score = (result.score * 100).rounded() / 100
        result.reason = notes.isEmpty ? nil : notes.joined(separator: "; ")
        return result
    }

    /// What the street locator made of an address's lines.
    enum StreetOutcome {
        /// The best match over the lines.
        case found(StreetMatch)
        /// Some line named a street, none was found: why, for the result's reason.
        case missed(String)
        /// No line names a street (empty, or only postal boxes).
        case noStreet
    }

    func bestStreet(_ lines: [String], in commune: CommuneCode, locator: any StreetLocator) -> StreetOutcome {
        var best: StreetMatch?
        var tried: [String] = []
        for line in lines {
            let street = AddressNormalizer.streetLine(line)
            guard !street.street.isEmpty else { continue }
            tried.append(street.street)
            guard let m = locator.locate(street, in: commune) else { continue }
            if best.map({ m.score > $0.score }) ?? true { best = m }
        }
        if let best { return .found(best) }
        guard !tried.isEmpty else { return .noStreet }
        if !locator.covers(commune) {
            return .missed("no BAN addresses loaded for commune \(commune); position is the commune centre")
        }
        let names = tried.map { "\"\($0)\"" }.joined(separator: ", ")
        return .missed("street \(names) not found in the BAN for commune \(commune); position is the commune centre")
    }

    /// Reads a loosely typed postcode; returns it with a note when it had to be repaired or is unusable.
    static func parsePostcode(_ raw: String) -> (Postcode?, String?) {
        let compact = String(raw.unicodeScalars.filter { !$0.properties.isWhitespace })
        if compact.isEmpty { return (nil, "no postcode given") }
        if let p = try? Postcode(compact) { return (p, nil) }
        if compact.utf8.count == 4, compact.isDigits, let p = try? Postcode("0" + compact) {
            return (p, "postcode \"\(raw)\" read as \(p) (leading zero lost)")
        }
        return (nil, "postcode \"\(raw)\" is not 5 digits; ignored")
    }
}

/// A commune found by the ladder, with the notes explaining any fallback.
struct CommuneMatch: Sendable {
    var commune: Int
    var precision: GeocodePrecision
    var score: Double
    var notes: [String]
}
