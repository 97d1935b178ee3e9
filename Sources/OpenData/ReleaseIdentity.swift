import Directory
import Foundation
import NationalDirectory
import Signing

/// The keys a release names its records by, stable from one release to the next: a place or a channel by
/// its national id ("53/53-LIEU-0001", as in the CSV, the GeoJSON and the read API), a structure by its
/// SIRET ("siret:13003013300016") or, without one, by its national id, as the national directory itself
/// tells structures apart (`StructureKey`).
enum ReleaseKey {
    static func place(_ p: DirectoryPlace) -> String { RecordJSON.nationalId(p.region, p.place.id) }

    static func structure(_ key: StructureKey) -> String {
        switch key {
        case .siret(let siret): "siret:\(siret)"
        case .local(let region, let id): "\(region)/\(id)"
        }
    }

    static func channel(_ c: DirectoryChannel) -> String { RecordJSON.nationalId(c.region, c.channel.id) }

    /// `records` ordered by their keys, each key made once (not twice per comparison).
    static func sorted<T>(_ records: [T], by key: (T) -> String) -> [T] {
        records.map { (key($0), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    }
}

/// A UUID derived from a name, so that a record keeps its id in every release (formats that require
/// the `uuid` format, as HSDS does). Version 8 (RFC 9562, "custom"), from the first 128 bits of the
/// SHA-256 of "spro:<kind>:<name>": the name-based version 5 would use SHA-1.
struct StableUUID: Hashable, Sendable, CustomStringConvertible {
    let description: String

    init(_ kind: String, _ name: String) {
        var hex = Array(sha256Hex(Data("spro:\(kind):\(name)".utf8)).utf8.prefix(32))
        hex[12] = UInt8(ascii: "8")
        // The variant bits 10: the first digit of the fourth group is 8, 9, a or b.
        let digit = Int(hex[16] <= UInt8(ascii: "9") ? hex[16] - UInt8(ascii: "0") : hex[16] - UInt8(ascii: "a") + 10)
        hex[16] = Array("89ab".utf8)[digit & 3]
        let s = String(decoding: hex, as: UTF8.self)
        description = [s.prefix(8), s.dropFirst(8).prefix(4), s.dropFirst(12).prefix(4), s.dropFirst(16).prefix(4), s.dropFirst(20)]
            .joined(separator: "-")
    }
}

extension OpenDataSet {
    /// The Région's name, or its code when the set does not name it.
    func regionName(_ code: RegionCode) -> String { regionNames[code] ?? code.rawValue }

    /// "Données de la Région Bretagne (service public régional de l'orientation)." for the Régions a record comes from.
    func provenance(_ regions: [RegionCode]) -> String {
        let names = Array(Set(regions)).sorted().map(regionName)
        return (names.count == 1 ? "Données de la Région \(names[0])" : "Données des Régions \(names.joined(separator: ", "))")
            + " (service public régional de l'orientation)."
    }
}

/// When a record last changed, from its sources: the latest `lastChanged`, else the Région's last
/// confirmation, else the release's own date (records built by hand carry no sources).
struct ChangeDate {
    /// ISO 8601 instant ("2026-03-01T10:00:00Z").
    let instant: String

    init(sources: [RecordSource], lastConfirmed: String?, set: OpenDataSet) {
        instant = sources.map(\.lastChanged).max()
            ?? lastConfirmed.map { $0 + "T00:00:00Z" }
            ?? ISOInstant.string(set.generatedAt)
    }

    /// The day alone ("2026-03-01").
    var day: String { String(instant.prefix(10)) }
}

extension Territory {
    /// Where a Région's channels' hours are read: an overseas Région's own territory, else metropolitan France.
    init(region: RegionCode) {
        let departements = ["01": "971", "02": "972", "03": "973", "04": "974", "06": "976"]
        self.init(code: departements[region.rawValue] ?? "75056")
    }
}
