import Directory
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
        w.key("accessible"); w.bool(accessible)
        w.key("address"); w.beginObject()
        w.key("city"); w.string(address.city)
        if let commune = address.commune { w.key("commune"); w.string(commune) }
        w.key("lines"); w.strings(address.lines)
        w.key("postcode"); w.string(address.postcode)
        w.key("singleLine"); w.string(address.singleLine)
        w.endObject()
        w.key("distanceMetres"); w.int(distanceMetres)
        w.key("id"); w.string(id)
        w.key("kind"); kind.write(to: &w)
        w.key("languages"); w.strings(languages)
        w.key("lat"); w.double(lat)
        w.key("lieuMutualise"); w.bool(lieuMutualise)
        w.key("lon"); w.double(lon)
        w.key("name"); w.string(name)
        if let openNow { w.key("openNow"); w.bool(openNow) }
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
        w.key("stale"); w.bool(stale)
        w.key("structures"); w.beginArray()
        for s in structures { s.write(to: &w) }
        w.endArray()
        if let today { w.key("today"); w.string(today) }
        w.endObject()
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
