import Directory

/// Checking the Région's own INSEE code against what the address resolved to.
extension Geocoder {
    /// The Région's code is a strong hint: kept when it agrees with the address, or disagrees but stays
    /// consistent with the postcode (served by it, or in its département: the city line may name a
    /// locality); ignored, with a note, when it points elsewhere entirely. Used alone when the address
    /// doesn't resolve.
    func applyHint(_ hint: CommuneCode?, to match: CommuneMatch?, postcode: Postcode?,
                   notes: inout [String]) -> CommuneMatch? {
        guard let hint else { return match }
        guard let h = index.byCode[hint] else {
            notes.append("the given INSEE code \(hint) is not in the reference pack; ignored")
            return match
        }
        let hintName = "\(index.name(h)) (\(hint))"
        guard var m = match else {
            return CommuneMatch(commune: h, precision: .commune, score: 0.6,
                                notes: ["used the given INSEE code \(hintName)"])
        }
        if m.commune == h {
            if m.precision == .postcode {
                m.precision = .commune
                m.score = 0.9
                m.notes.append("confirmed by the given INSEE code")
            }
            return m
        }
        let resolvedName = "\(index.name(m.commune)) (\(index.communes[m.commune].code))"
        if topLevel(m.commune) == topLevel(h) {
            // Paris, Lyon, Marseille: the city and one of its arrondissements, or two arrondissements.
            if index.communes[h].parent != nil {
                if index.communes[m.commune].parent != nil {
                    m.notes.append("the given INSEE code \(hintName) names another arrondissement than the address (\(resolvedName)); kept the given code")
                } else {
                    m.notes.removeAll { $0.hasPrefix("arrondissement of") }
                }
                m.commune = h
            }
            return m
        }
        let entries = postcode.flatMap { index.byPostcode[$0] } ?? []
        let served = entries.contains { topLevel($0.commune) == topLevel(h) }
        let sameDepartement = index.departements(for: postcode, entries: entries).contains(index.communes[h].departement)
        if served || sameDepartement {
            let why = served ? "served by postcode \(postcode.map(\.rawValue) ?? "")" : "in the postcode's département"
            m.notes.append("the given INSEE code \(hintName) disagrees with the address, which gives \(resolvedName); kept the given code (\(why))")
            m.commune = h
            m.precision = .commune
            m.score = min(m.score, 0.8)
        } else {
            m.notes.append("the given INSEE code \(hintName) is inconsistent with the postcode and city (\(resolvedName)); ignored")
            m.score = min(m.score, 0.8)
        }
        return m
    }
}
