import Directory
import Foundation

/// An export decoded record by record: a bad record becomes an anomaly instead of sinking the document.
struct LenientExport: Decodable {
    let format: String
    let region: RegionCode
    let version: Int
    let generatedAt: String
    let expiresAt: String
    let keyId: String
    let charters: [Lenient<Charter>]
    let structures: [Lenient<Structure>]
    let places: [Lenient<Place>]
    let indicators: [Lenient<IndicatorValue>]
    let tombstones: [Lenient<Tombstone>]
    /// Absent from exports written before channels existed.
    let channels: [Lenient<Channel>]?
}

/// Decodes a `T`, or keeps the failure with the record's id when it has one.
enum Lenient<T: Decodable>: Decodable {
    case ok(T)
    case bad(id: String?, field: String, rule: String)

    private struct IdOnly: Decodable {
        let id: String?
        let version: Int?
        let subjectId: String?
    }

    init(from decoder: any Decoder) throws {
        do {
            self = .ok(try T(from: decoder))
        } catch let error as DecodingError {
            let ids = try? IdOnly(from: decoder)
            let id = ids?.id ?? ids?.subjectId ?? ids?.version.map { "v\($0)" }
            // Report the field relative to the record, not the document (`places[3].`) or the array of
            // records decoded together (`[3].`).
            let full = error.fieldPath
            let field = full.range(of: #"^[a-z]*\[\d+\]\.?"#, options: .regularExpression).map { String(full[$0.upperBound...]) } ?? full
            self = .bad(id: id, field: field.isEmpty ? "(record)" : field, rule: error.plainDescription)
        }
    }
}

extension Lenient: Sendable where T: Sendable {}
