/// Turns Foundation's decoding errors into "field: rule" text that names the record's field.
extension DecodingError {
    /// Dotted path of the field at fault, e.g. "places[12].address.postcode".
    public var fieldPath: String {
        let path: [any CodingKey]
        switch self {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): path = c.codingPath
        case .keyNotFound(let key, let c): path = c.codingPath + [key]
        @unknown default: path = []
        }
        var out = ""
        for key in path {
            if let i = key.intValue { out += "[\(i)]" } else { out += out.isEmpty ? key.stringValue : "." + key.stringValue }
        }
        return out.isEmpty ? "(document)" : out
    }

    /// What went wrong, without Foundation's internal wording.
    public var plainDescription: String {
        switch self {
        case .typeMismatch(let type, _): "valeur de type \(type) attendue"
        case .valueNotFound(let type, _): "valeur de type \(type) manquante"
        case .keyNotFound: "champ obligatoire absent"
        case .dataCorrupted(let c): Self.french(c.debugDescription)
        @unknown default: "invalide"
        }
    }

    /// Foundation's one English message for a raw value no case has ("Cannot initialize Network from
    /// invalid String value foo"), in French; other messages (the codes' own rules) are already French.
    static func french(_ text: String) -> String {
        guard text.hasPrefix("Cannot initialize "), let from = text.range(of: " from invalid "),
              let value = text.range(of: " value ", range: from.upperBound..<text.endIndex) else { return text }
        let type = text[text.index(text.startIndex, offsetBy: "Cannot initialize ".count)..<from.lowerBound]
        return "valeur « \(text[value.upperBound...]) » inconnue (\(type))"
    }
}
