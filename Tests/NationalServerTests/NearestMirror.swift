import Directory
import Foundation
import NationalDirectory
@testable import NationalServer

/// The nearest answer as `Codable` types, the form `JSONEncoder` writes: what the server's hand-written
/// bytes (`NearestAnswer`, `PlaceFragments`) are held equal to. Test-only; a field added to the answer is
/// added here too.
struct NearestResponse: Encodable {
    struct Origin: Encodable {
        struct Homonym: Encodable { let label: String; let q: String }
        let lat: Double
        let lon: Double
        let label: String?
        /// Nil when the query named one commune only.
        let homonyms: [Homonym]?
    }
    let origin: Origin
    let count: Int
    let radiusKm: Double?
    let results: [PlaceDTO]
}

struct CodeLabel: Encodable {
    let code: String
    let label: String
    init<V: Vocabulary>(_ v: V) {
        code = v.rawValue
        label = v.label
    }
}

struct StructureDTO: Encodable {
    let id: String
    let name: String
    let network: CodeLabel
    let basis: CodeLabel
    let referencing: CodeLabel
    let isHost: Bool
    let website: String?
    let phone: String?
    let email: String?
}

struct PlaceDTO: Encodable {
    let id: String
    let region: String
    let name: String
    let kind: CodeLabel
    /// Nil when the position is only the commune's centre (`approximate`): no honest distance then.
    let distanceMetres: Int?
    let approximate: Bool
    let lat: Double
    let lon: Double
    let precision: String
    let address: AddressDTO
    let openingHours: String?
    /// The week in French for people ("Du lundi au vendredi de 9 h à 12 h 30 ; fermé les jours fériés").
    let hoursText: String?
    /// Today's hours in French ("Ouvert aujourd'hui de 9 h à 12 h 30"), the state now ("Ouvert jusqu'à 12 h 30")
    /// and whether the place is open at the reference moment (now, or `open_at`), each on the place's own clock;
    /// nil when the place gives no readable hours (and `openNow` nil for `unknown`).
    let today: String?
    let status: String?
    let openNow: Bool?
    let receptionModes: [CodeLabel]
    let publics: [CodeLabel]
    let services: [CodeLabel]
    let accessible: Bool
    let languages: [String]
    let phone: String?
    let lieuMutualise: Bool
    let structures: [StructureDTO]
    /// Provenance: the Région's export version, and whether that export has expired (served, marked stale).
    let sourceVersion: Int
    let stale: Bool
    /// Every Région listing the place, with its export version and dates (two when Régions list the same place).
    let sources: [RecordSource]

    struct AddressDTO: Encodable {
        let lines: [String]
        let postcode: String
        let city: String
        let commune: String?
        let singleLine: String
    }

    /// The hit as the server shows it at `moments` (the reference moment on each territory's clock).
    init(hit: SearchHit, expiresAt: Date?, now: Date, moments: [LocalMoment]) {
        let moment = moments[hit.territory.rawValue]
        let p = hit.place.place
        let loc = hit.place.location
        id = hit.place.region.rawValue + "/" + p.id
        region = hit.place.region.rawValue
        name = p.name
        kind = CodeLabel(p.kind)
        approximate = loc.isApproximate
        distanceMetres = approximate ? nil : Int(hit.distanceMetres.rounded())
        lat = loc.position?.lat ?? 0
        lon = loc.position?.lon ?? 0
        precision = loc.precision
        address = AddressDTO(lines: p.address.lines, postcode: p.address.postcode.rawValue, city: p.address.city,
                             commune: loc.commune?.rawValue, singleLine: p.address.singleLine)
        openingHours = p.openingHours
        hoursText = hit.hours?.frenchWeek()
        today = hit.hours?.frenchDescription(on: moment)
        status = hit.hours?.frenchStatus(at: moment)
        openNow = hit.hours.flatMap { h in
            switch h.isOpen(at: moment) {
            case .open: true
            case .closed: false
            case .unknown: nil
            }
        }
        receptionModes = p.receptionModes.map(CodeLabel.init)
        publics = p.publics.map(CodeLabel.init)
        services = p.services.map(CodeLabel.init)
        accessible = p.accessible
        languages = p.languages
        phone = p.phone
        lieuMutualise = p.isLieuMutualise
        sourceVersion = hit.place.sourceVersion
        sources = hit.place.sources
        stale = expiresAt.map { now >= $0 } ?? false
        structures = hit.place.structures.map { s in
            // A place links a handful of structures: a scan, rather than a dictionary built per place.
            StructureDTO(id: s.id, name: s.name, network: CodeLabel(s.network), basis: CodeLabel(s.basis),
                         referencing: CodeLabel(s.referencing.state),
                         isHost: p.structures.contains { $0.structureId == s.id && $0.isHost },
                         website: s.website, phone: s.phone, email: s.email)
        }
    }
}

extension NearestResponse {
    /// What `JSONEncoder` writes for the answer the server gives from `origin` with `hits`.
    static func encoded(origin: SearchOrigin, radiusKm: Double?, hits: [SearchHit], expiry: [RegionCode: Date],
                        now: Date, moments: [LocalMoment]) throws -> String {
        let answer = NearestResponse(
            origin: .init(lat: origin.position.lat, lon: origin.position.lon, label: origin.label,
                          homonyms: origin.homonyms.isEmpty ? nil : origin.homonyms.map { .init(label: $0.label, q: $0.query) }),
            count: hits.count, radiusKm: radiusKm,
            results: hits.map { PlaceDTO(hit: $0, expiresAt: expiry[$0.place.region], now: now, moments: moments) })
        return String(decoding: try SproJSON.encoder().encode(answer), as: UTF8.self)
    }
}
