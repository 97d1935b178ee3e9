import Directory
import Foundation
import NationalDirectory

/// The nearest-places answer written straight to bytes: the same bytes `SproJSON.encoder()` gives for
/// `NearestResponse` (keys sorted, nil fields left out, numbers and escapes as Foundation writes them; a
/// test holds the two equal), at a fraction of the cost. Under wrk, Foundation's `JSONEncoder` (a tree
/// of boxed values, every object's keys sorted on each call) took most of a nearest request's CPU.
///
/// Adding a field to one of the DTOs means adding it here, at its place in the sorted order.
extension NearestResponse {
    func jsonBytes() -> [UInt8] {
        var w = JSONBytes(capacity: 256 + 2_048 * results.count)
        w.beginObject()
        w.key("count"); w.int(count)
        w.key("origin"); w.beginObject()
        if let label = origin.label { w.key("label"); w.string(label) }
        w.key("lat"); w.double(origin.lat)
        w.key("lon"); w.double(origin.lon)
        w.endObject()
        if let radiusKm { w.key("radiusKm"); w.double(radiusKm) }
        w.key("results"); w.beginArray()
        for place in results { place.write(to: &w) }
        w.endArray()
        w.endObject()
        return w.bytes
    }
}

extension PlaceDTO {
    func write(to w: inout JSONBytes) {
        w.beginObject()
        writeHead(to: &w)
        w.int(distanceMetres)
        writeMiddle(to: &w)
        if let openNow { w.key("openNow"); w.bool(openNow) }
        writeRest(to: &w)
        w.bool(stale)
        writeTail(to: &w)
        if let today { w.key("today"); w.string(today) }
        w.endObject()
    }

    // The members in sorted order, cut around the four that depend on the request (distanceMetres,
    // openNow, stale, today): `PlaceFragments` writes the others once per place.

    /// From `accessible` to the key `distanceMetres`.
    func writeHead(to w: inout JSONBytes) {
        w.key("accessible"); w.bool(accessible)
        w.key("address"); w.beginObject()
        w.key("city"); w.string(address.city)
        if let commune = address.commune { w.key("commune"); w.string(commune) }
        w.key("lines"); w.strings(address.lines)
        w.key("postcode"); w.string(address.postcode)
        w.key("singleLine"); w.string(address.singleLine)
        w.endObject()
        w.key("distanceMetres")
    }

    /// From `id` to `name`.
    func writeMiddle(to w: inout JSONBytes) {
        w.key("id"); w.string(id)
        w.key("kind"); kind.write(to: &w)
        w.key("languages"); w.strings(languages)
        w.key("lat"); w.double(lat)
        w.key("lieuMutualise"); w.bool(lieuMutualise)
        w.key("lon"); w.double(lon)
        w.key("name"); w.string(name)
    }

    /// From `openingHours` to the key `stale`.
    func writeRest(to w: inout JSONBytes) {
        if let openingHours { w.key("openingHours"); w.string(openingHours) }
        if let phone { w.key("phone"); w.string(phone) }
        w.key("precision"); w.string(precision)
        w.key("publics"); CodeLabel.write(publics, to: &w)
        w.key("receptionModes"); CodeLabel.write(receptionModes, to: &w)
        w.key("region"); w.string(region)
        w.key("services"); CodeLabel.write(services, to: &w)
        w.key("sourceVersion"); w.int(sourceVersion)
        w.key("sources"); w.beginArray()
        for s in sources { s.write(to: &w) }
        w.endArray()
        w.key("stale")
    }

    /// `structures`.
    func writeTail(to w: inout JSONBytes) {
        w.key("structures"); w.beginArray()
        for s in structures { s.write(to: &w) }
        w.endArray()
    }
}

/// A place's answer JSON with everything that does not depend on the request written once, when the
/// server loads: a nearest answer copies the four runs of bytes around the distance, `openNow`, `stale`
/// and `today`. Writing whole `PlaceDTO`s took most of a request's CPU under wrk (labels, addresses and
/// structures escaped again for every answer); this costs about 2 KB of memory per place.
struct PlaceFragments: Sendable {
    /// `{"accessible":…,"address":{…},"distanceMetres":`
    let head: [UInt8]
    /// `,"id":…,"name":"…"`
    let middle: [UInt8]
    /// `,"openingHours":…,"sources":[…],"stale":`
    let rest: [UInt8]
    /// `,"structures":[…]`
    let tail: [UInt8]

    init(_ place: DirectoryPlace, index: Int) {
        // Dynamic members are given placeholder values and cut out.
        let dto = PlaceDTO(hit: SearchHit(index: index, place: place, distanceMetres: 0, hours: nil), expiresAt: nil,
                           now: Date(timeIntervalSince1970: 0), moment: ParisMoment(Date(timeIntervalSince1970: 0)))
        var w = JSONBytes(capacity: 2_048)
        w.beginObject()
        dto.writeHead(to: &w)
        head = w.takeBytes()
        w.int(0)
        _ = w.takeBytes()
        dto.writeMiddle(to: &w)
        middle = w.takeBytes()
        dto.writeRest(to: &w)
        rest = w.takeBytes()
        w.bool(false)
        _ = w.takeBytes()
        dto.writeTail(to: &w)
        tail = w.takeBytes()
    }

    /// Every place of a search, by `SearchHit.index`.
    static func all(_ search: PlaceSearch) -> [PlaceFragments] {
        search.places.enumerated().map { PlaceFragments($1, index: $0) }
    }
}

/// The nearest answer written from each hit's `PlaceFragments`: the same bytes as `NearestResponse` with
/// `PlaceDTO(hit:expiresAt:now:moment:)` results (a test holds them equal).
enum NearestAnswer {
    static func jsonBytes(origin: NearestResponse.Origin, radiusKm: Double?, hits: [SearchHit], fragments: [PlaceFragments],
                          expiry: [RegionCode: Date], now: Date, moment: ParisMoment) -> [UInt8] {
        var w = JSONBytes(capacity: 256 + 2_200 * hits.count)
        w.beginObject()
        w.key("count"); w.int(hits.count)
        w.key("origin"); w.beginObject()
        if let label = origin.label { w.key("label"); w.string(label) }
        w.key("lat"); w.double(origin.lat)
        w.key("lon"); w.double(origin.lon)
        w.endObject()
        if let radiusKm { w.key("radiusKm"); w.double(radiusKm) }
        w.key("results"); w.beginArray()
        for hit in hits {
            let f = fragments[hit.index]
            w.rawValue(f.head)
            w.rawInt(Int(hit.distanceMetres.rounded()))
            w.raw(f.middle)
            if let hours = hit.hours {
                w.raw(hours.isOpen(at: moment) ? #","openNow":true"# as StaticString : #","openNow":false"#)
            }
            w.raw(f.rest)
            let stale = expiry[hit.place.region].map { now >= $0 } ?? false
            w.raw(stale ? "true" as StaticString : "false")
            w.raw(f.tail)
            if let hours = hit.hours {
                w.raw(#","today":"#)
                w.escaped(hours.frenchDescription(on: moment))
            }
            w.raw("}" as StaticString)
        }
        w.endArray()
        w.endObject()
        return w.bytes
    }
}

extension StructureDTO {
    func write(to w: inout JSONBytes) {
        w.beginObject()
        w.key("basis"); basis.write(to: &w)
        if let email { w.key("email"); w.string(email) }
        w.key("id"); w.string(id)
        w.key("isHost"); w.bool(isHost)
        w.key("name"); w.string(name)
        w.key("network"); network.write(to: &w)
        if let phone { w.key("phone"); w.string(phone) }
        w.key("referencing"); referencing.write(to: &w)
        if let website { w.key("website"); w.string(website) }
        w.endObject()
    }
}

extension RecordSource {
    func write(to w: inout JSONBytes) {
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

extension CodeLabel {
    func write(to w: inout JSONBytes) {
        w.beginObject()
        w.key("code"); w.string(code)
        w.key("label"); w.string(label)
        w.endObject()
    }

    static func write(_ list: [CodeLabel], to w: inout JSONBytes) {
        w.beginArray()
        for item in list { item.write(to: &w) }
        w.endArray()
    }
}
