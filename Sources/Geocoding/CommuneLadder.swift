import AddressText
import Directory

/// The resolution ladder from postcode + city to a commune (see `Geocoder`).
extension Geocoder {
    enum LadderOutcome {
        case found(CommuneMatch)
        case unresolved(String)
    }

    typealias NameEntry = GeocoderIndex.NameEntry

    func ladder(postcode: Postcode?, city: CityName, cityText: String) -> LadderOutcome {
        let entries = postcode.flatMap { index.byPostcode[$0] } ?? []
        let key = city.key
        let shown = key.isEmpty ? cityText : key
        var deps: [String]?  // computed on first need
        func departements() -> [String] {
            if let deps { return deps }
            let d = index.departements(for: postcode, entries: entries)
            deps = d
            return d
        }
        let postcodeText = postcode.map { "postcode \($0)" } ?? "no valid postcode"

        if !key.isEmpty {
            // 1. Postcode + exact name.
            if let (best, score, others) = pick(entries.filter { $0.key.text == key }, score: { $0.source.score }) {
                var notes: [String] = []
                if best.source == .oldName {
                    notes.append("\"\(shown)\" is a locality or former commune of \(index.name(best.commune)) (La Poste ligne 5)")
                }
                notes += ambiguity(others)
                return .found(refine(CommuneMatch(commune: best.commune, precision: .commune, score: score, notes: notes),
                                     city: city, entries: entries))
            }
            // 2. Département + exact name.
            let deps = departements()
            let inDeps = deps.flatMap { index.exactInDepartement[$0]?[key] ?? [] }
            if let (best, score, others) = pick(inDeps, score: { $0.source <= .parentName ? 0.9 : 0.85 }) {
                let dep = index.communes[best.commune].departement
                var notes = [entries.isEmpty
                    ? "\(postcodeText) is not in La Poste's file (a CEDEX code?); found \"\(shown)\" by name in département \(dep)"
                    : "\(postcodeText) does not serve \"\(shown)\"; found it by name in département \(dep)"]
                if best.source == .oldName {
                    notes.append("\"\(shown)\" is a locality or former commune of \(index.name(best.commune))")
                }
                notes += ambiguity(others)
                return .found(refine(CommuneMatch(commune: best.commune, precision: .commune, score: score, notes: notes),
                                     city: city, entries: entries))
            }
            // 3. Fuzzy name: among the postcode's communes, then the département's.
            let probe = NameKey(key)
            if let m = fuzzy(probe, in: entries, threshold: Self.fuzzyThresholdInPostcode, weight: 0.85,
                              containment: .loose) {
                let note = "\"\(shown)\" read as \(index.name(m.entry.commune)) (similar name \"\(m.entry.key.text)\", \(format(m.similarity)))"
                return .found(refine(CommuneMatch(commune: m.entry.commune, precision: .commune, score: m.score,
                                                  notes: [note] + ambiguity(m.others)), city: city, entries: entries))
            }
            let depEntries = deps.flatMap { index.byDepartement[$0] ?? [] }
            if let m = fuzzy(probe, in: depEntries, threshold: Self.fuzzyThresholdInDepartement, weight: 0.75,
                              containment: .strict) {
                let dep = index.communes[m.entry.commune].departement
                let why = entries.isEmpty ? "\(postcodeText) is not in La Poste's file (a CEDEX code?)"
                    : "\(postcodeText) serves no commune named \"\(shown)\""
                let note = "\(why); \"\(shown)\" read as \(index.name(m.entry.commune)) in département \(dep) (similar name \"\(m.entry.key.text)\", \(format(m.similarity)))"
                return .found(refine(CommuneMatch(commune: m.entry.commune, precision: .commune, score: m.score,
                                                  notes: [note] + ambiguity(m.others)), city: city, entries: entries))
            }
            // 4. Exact name elsewhere: the only commune of that name, or the only one whose département
            //    shares the postcode's first two digits (overseas CEDEX codes like 97717 for La Réunion).
            var national = Set((index.exactNational[key] ?? []).map { topLevel($0.commune) })
            if national.count > 1, let postcode {
                let prefix = postcode.rawValue.prefix(2)
                national = national.filter { index.communes[$0].departement.hasPrefix(prefix == "20" ? "2" : prefix) }
            }
            if national.count == 1, let only = national.first {
                let lead = postcode == nil ? "no valid postcode" : "\(postcodeText) does not match \"\(shown)\""
                let note = "\(lead); the only commune named \"\(shown)\" is \(index.name(only)) (\(index.communes[only].departement))"
                return .found(refine(CommuneMatch(commune: only, precision: .commune, score: 0.6, notes: [note]),
                                     city: city, entries: entries))
            }
        }
        // 5. The postcode alone.
        let served = Set(entries.map(\.commune))
        if served.count == 1, let only = served.first {
            let note = key.isEmpty
                ? "no city given; \(postcodeText) serves only \(index.name(only))"
                : "\"\(shown)\" matches no commune of \(postcodeText), which serves only \(index.name(only))"
            return .found(CommuneMatch(commune: only, precision: .postcode, score: 0.5, notes: [note]))
        }
        // 6. Unresolved.
        let depText = departements().isEmpty ? "its département" : "département " + departements().joined(separator: "/")
        if let postcode, entries.isEmpty {
            return .unresolved(key.isEmpty
                ? "postcode \(postcode) unknown (not in La Poste's file) and no city given"
                : "postcode \(postcode) unknown and no commune named \"\(shown)\" in \(depText)")
        }
        if postcode == nil {
            return .unresolved(key.isEmpty ? "neither a valid postcode nor a city"
                : "no valid postcode, and \"\(shown)\" is not the name of a single commune")
        }
        return .unresolved(key.isEmpty
            ? "no city given and \(postcodeText) serves \(served.count) communes"
            : "\(postcodeText) serves \(served.count) communes, none named like \"\(shown)\", and none in \(depText)")
    }

    // MARK: - Choosing among candidates

    /// The best-scoring entry; ties between communes go to the most populous. `others` are the tied communes.
    func pick(_ candidates: [NameEntry], score: (NameEntry) -> Double) -> (NameEntry, Double, [Int])? {
        pick(candidates.map { ($0, score($0)) })
    }

    func pick(_ scored: [(NameEntry, Double)]) -> (NameEntry, Double, [Int])? {
        var best: NameEntry?
        var bestScore = -1.0
        var tied: Set<Int> = []
        for (e, s) in scored {
            if s > bestScore + 1e-9 {
                best = e
                bestScore = s
                tied = [e.commune]
            } else if abs(s - bestScore) <= 1e-9 {
                tied.insert(e.commune)
                if let b = best, isPreferred(e.commune, over: b.commune) { best = e }
            }
        }
        guard let best else { return nil }
        tied.remove(best.commune)
        return (best, bestScore, tied.sorted { isPreferred($0, over: $1) })
    }

    struct FuzzyMatch {
        let entry: NameEntry
        let similarity: Double
        let score: Double
        let others: [Int]
    }

    /// The most similar name at or above `threshold`; score = weight x similarity x the source's score.
    func fuzzy(_ probe: NameKey, in candidates: [NameEntry], threshold: Double, weight: Double,
               containment: NameSimilarity.Containment) -> FuzzyMatch? {
        var scored: [(NameEntry, Double)] = []
        var similarity: [Int: Double] = [:]
        for e in candidates {
            let s = NameSimilarity.similarity(probe, e.key, atLeast: threshold, containment: containment)
            guard s >= threshold else { continue }
            scored.append((e, s * e.source.score))
            similarity[e.commune] = max(similarity[e.commune] ?? 0, s)
        }
        guard let (best, combined, others) = pick(scored) else { return nil }
        return FuzzyMatch(entry: best, similarity: similarity[best.commune] ?? combined,
                          score: weight * combined, others: others)
    }

    /// Whether commune `a` wins a tie against `b`: larger population, then smaller code.
    func isPreferred(_ a: Int, over b: Int) -> Bool {
        let pa = index.communes[a].population, pb = index.communes[b].population
        return pa != pb ? pa > pb : index.communes[a].code < index.communes[b].code
    }

    /// For Paris, Lyon and Marseille, the city rather than an arrondissement.
    func topLevel(_ i: Int) -> Int { index.communes[i].parent ?? i }

    func ambiguity(_ others: [Int]) -> [String] {
        guard !others.isEmpty else { return [] }
        let names = others.prefix(3).map { "\(index.name($0)) (\(index.communes[$0].code))" }
        return ["ambiguous name: also " + names.joined(separator: ", ") + (others.count > 3 ? "..." : "") + "; kept the most populous"]
    }

    /// Paris, Lyon and Marseille: from the city to the arrondissement, by the number written after the
    /// name ("PARIS 11E"), the CEDEX number ("LYON CEDEX 03"), or a postcode that serves one arrondissement.
    func refine(_ match: CommuneMatch, city: CityName, entries: [NameEntry]) -> CommuneMatch {
        let info = index.communes[match.commune]
        guard !info.arrondissements.isEmpty else { return match }
        var m = match
        if let n = city.arrondissement ?? city.cedex, let arm = info.arrondissements[n] {
            m.commune = arm
            if city.arrondissement == nil { m.notes.append("arrondissement taken from CEDEX \(n)") }
            return m
        }
        let arms = Set(entries.map(\.commune).filter { index.communes[$0].parent == match.commune })
        if arms.count == 1, let arm = arms.first {
            m.commune = arm
            return m
        }
        m.notes.append("arrondissement of \(info.name) not determined; commune level")
        return m
    }

    func format(_ x: Double) -> String {
        let r = (x * 100).rounded() / 100
        return "\(r)"
    }
}
