import Directory
import NationalDirectory
import PerformanceKit

/// The national directory's public record of a place and of a structure, as the read API lists them
/// (`/api/v1/places`, `/api/v1/structures`): what the place or structure is, where the harvest put it, and
/// where it comes from (every Région listing it, its id there, when it was first harvested and last changed,
/// the Région's last confirmation). Keys sorted, nil fields left out, as `SproJSON.encoder()` writes them.
public enum RecordJSON {
    /// `53/53-ML-0004-01`: a record's national id, its Région's code and its id there. A node's ids are
    /// unique within its Région only, so the Région is part of the id.
    public static func nationalId(_ region: RegionCode, _ id: String) -> String { region.rawValue + "/" + id }

    /// A place's record; `structureIds` gives each structure present its national id (see `structure`).
    public static func place(_ served: DirectoryPlace, structureIds: (Structure) -> String) -> [UInt8] {
        let parts = PlaceParts(served, structureIds: served.structures.map(structureIds))
        return parts.head + sources(of: served) + parts.tail
    }

    /// `,"sources":[…]`: the part of a place's record a new export version of its Région changes.
    public static func sources(of served: DirectoryPlace) -> [UInt8] {
        JSONBytes.laterMembers { w in
            w.key("sources"); w.beginArray()
            for s in served.sources { s.write(to: &w) }
            w.endArray()
        }
    }

    /// A place's record around its `sources` (`head + sources(of:) + tail`): written once while the place is
    /// unchanged, whatever its Région's export version.
    public struct PlaceParts: Sendable {
        /// `{"accessible":…` up to `"services":[…]`.
        public let head: [UInt8]
        /// `,"structures":[…]…}`.
        public let tail: [UInt8]

        /// `structureIds`: the national ids of `served.structures`, in their order.
        public init(_ served: DirectoryPlace, structureIds: [String]) {
            (head, tail) = RecordJSON.placeParts(served, structureIds: structureIds)
        }
    }

    private static func placeParts(_ served: DirectoryPlace, structureIds: [String]) -> (head: [UInt8], tail: [UInt8]) {
        let p = served.place, location = served.location
        var w = JSONBytes(capacity: 2_048)
        w.beginObject()
        w.key("accessible"); w.bool(p.accessible)
        w.key("address"); w.beginObject()
        w.key("city"); w.string(p.address.city)
        w.key("lines"); w.strings(p.address.lines)
        w.key("postcode"); w.string(p.address.postcode.rawValue)
        w.endObject()
        if let commune = location.commune {
            w.key("commune"); w.string(commune.rawValue)
            w.key("departement"); w.string(commune.departement.rawValue)
        }
        w.key("firstHarvested"); w.string(served.firstHarvested)
        if let free = p.freeOfCharge { w.key("freeOfCharge"); w.bool(free) }
        w.key("id"); w.string(nationalId(served.region, p.id))
        w.key("kind"); w.codeLabel(p.kind)
        w.key("languages"); w.strings(p.languages)
        w.key("lastChanged"); w.string(served.lastChanged)
        if let confirmed = p.lastConfirmed { w.key("lastConfirmed"); w.string(confirmed) }
        if let position = location.position {
            w.key("lat"); w.double(position.lat)
        }
        w.key("lieuMutualise"); w.bool(p.isLieuMutualise)
        if let position = location.position {
            w.key("lon"); w.double(position.lon)
        }
        w.key("name"); w.string(p.name)
        if let hours = p.openingHours { w.key("openingHours"); w.string(hours) }
        if let phone = p.phone { w.key("phone"); w.string(phone) }
        w.key("precision"); w.string(location.precision)
        w.key("publics"); w.codeLabels(p.publics)
        w.key("receptionModes"); w.codeLabels(p.receptionModes)
        if let refers = p.refersOtherPublics { w.key("refersOtherPublics"); w.bool(refers) }
        w.key("region"); w.string(served.region.rawValue)
        w.key("services"); w.codeLabels(p.services)
        let head = w.takeBytes()
        // A stand-in for `sources`, so the writer places the next comma; cut out with it.
        w.key("sources"); w.beginArray(); w.endArray()
        _ = w.takeBytes()
        w.key("structures"); w.beginArray()
        for (s, id) in zip(served.structures, structureIds) {
            w.beginObject()
            w.key("id"); w.string(id)
            w.key("isHost"); w.bool(p.structures.contains { $0.structureId == s.id && $0.isHost })
            w.key("name"); w.string(s.name)
            w.key("network"); w.codeLabel(s.network)
            w.endObject()
        }
        w.endArray()
        if let zone = location.zone { w.key("zoneEmploi"); w.string(zone.rawValue) }
        w.endObject()
        return (head, w.bytes)
    }

    /// A structure's record, with the national ids of the places it is present at.
    public static func structure(_ national: NationalStructure, placeIds: [String]) -> [UInt8] {
        let s = national.structure
        var w = JSONBytes(capacity: 1_024)
        w.beginObject()
        w.key("basis"); w.codeLabel(s.basis)
        if let email = s.email { w.key("email"); w.string(email) }
        w.key("firstHarvested"); w.string(national.firstHarvested)
        w.key("id"); w.string(nationalId(national.region, s.id))
        w.key("lastChanged"); w.string(national.lastChanged)
        if let confirmed = s.lastConfirmed { w.key("lastConfirmed"); w.string(confirmed) }
        w.key("name"); w.string(s.name)
        w.key("network"); w.codeLabel(s.network)
        // Its tête de réseau, a structure of the same Région's export, by national id.
        if let head = s.networkHeadId { w.key("networkHeadId"); w.string(nationalId(national.region, head)) }
        if let phone = s.phone { w.key("phone"); w.string(phone) }
        w.key("places"); w.strings(placeIds)
        w.key("referencing"); w.beginObject()
        if let version = s.referencing.charterVersion { w.key("charterVersion"); w.int(version) }
        if let convention = s.referencing.convention {
            w.key("convention"); w.beginObject()
            w.key("id"); w.string(convention.id)
            w.key("signedOn"); w.string(convention.signedOn.rawValue)
            w.endObject()
        }
        w.key("since"); w.string(s.referencing.since)
        w.key("state"); w.codeLabel(s.referencing.state)
        if let until = s.referencing.validUntil { w.key("validUntil"); w.string(until) }
        w.endObject()
        w.key("region"); w.string(national.region.rawValue)
        if let siret = s.siret { w.key("siret"); w.string(siret.rawValue) }
        w.key("sources"); w.beginArray()
        for source in national.sources { source.write(to: &w) }
        w.endArray()
        if let website = s.website { w.key("website"); w.string(website) }
        w.endObject()
        return w.bytes
    }
}

extension DirectoryPlace {
    /// When the national directory first accepted this place from any Région (ISO 8601; "" for places
    /// built by hand, without sources).
    public var firstHarvested: String { sources.map(\.firstHarvested).min() ?? "" }
    /// When an accepted export last changed this place, in any Région listing it.
    public var lastChanged: String { sources.map(\.lastChanged).max() ?? "" }
}

extension NationalStructure {
    public var firstHarvested: String { sources.map(\.firstHarvested).min() ?? "" }
    public var lastChanged: String { sources.map(\.lastChanged).max() ?? "" }
}

extension RecordSource {
    /// `{"exportVersion","firstHarvested","generatedAt","id","lastChanged","region"}`.
    public func write(to w: inout JSONBytes) {
        w.beginObject()
        w.key("exportVersion"); w.int(exportVersion)
        w.key("firstHarvested"); w.string(firstHarvested)
        w.key("generatedAt"); w.string(generatedAt)
        w.key("id"); w.string(id)
        w.key("lastChanged"); w.string(lastChanged)
        w.key("region"); w.string(region.rawValue)
        w.endObject()
    }
}

extension JSONBytes {
    /// A vocabulary value as the API shows it: `{"code":…,"label":…}`.
    public mutating func codeLabel<V: Vocabulary>(_ value: V) {
        beginObject()
        key("code"); string(value.rawValue)
        key("label"); string(value.label)
        endObject()
    }

    public mutating func codeLabels<V: Vocabulary>(_ values: [V]) {
        beginArray()
        for v in values { codeLabel(v) }
        endArray()
    }
}
