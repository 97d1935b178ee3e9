import Directory
import Foundation

/// Reads an import file that is a JSON array of records as the export writes them (structures, places
/// or indicator values). Each item is decoded on its own, so one bad item is reported, by position,
/// record and field, without hiding the others.
public enum ImportJSON {
    /// A file that is not a JSON array at all.
    public struct NotAnArray: Error, CustomStringConvertible {
        public let file: String
        public var description: String { "\(file) : un tableau JSON d'enregistrements est attendu" }
    }

    public static func read<Record: Decodable & Sendable>(_ data: Data, as type: Record.Type, file: String) throws -> ImportRows<Record> {
        guard let items = try? JSONSerialization.jsonObject(with: data) as? [Any] else { throw NotAnArray(file: file) }
        let decoder = SproJSON.decoder()
        var rows: [(line: Int, record: Record)] = []
        var errors: [ImportRowError] = []
        for (i, item) in items.enumerated() {
            // Name the record from its id as written, even when the rest does not decode.
            let object = item as? [String: Any]
            let written = (object?["id"] ?? object?["subjectId"]).map { "\($0)" } ?? "(sans identifiant)"
            do {
                let itemData = try JSONSerialization.data(withJSONObject: item, options: [.fragmentsAllowed])
                let record = try decoder.decode(Record.self, from: itemData)
                rows.append((i + 1, record))
            } catch let error as DecodingError {
                errors.append(ImportRowError(line: i + 1, record: "\(recordName(Record.self)) \(written)", field: error.fieldPath,
                                             rule: error.plainDescription, isItem: true))
            }
        }
        return ImportRows(rows: rows, errors: errors, isJSON: true)
    }

    /// What a record of this type is called in errors.
    static func recordName(_ type: Any.Type) -> String {
        switch type {
        case is Place.Type: "lieu"
        case is Structure.Type: "structure"
        case is IndicatorValue.Type: "indicateur"
        case is Channel.Type: "canal"
        default: "\(type)".lowercased()
        }
    }
}
