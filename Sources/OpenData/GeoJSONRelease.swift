import Directory
import Foundation
import NationalDirectory
import PerformanceKit

/// The release's places as GeoJSON (RFC 7946): one Feature per place, a Point in WGS84 [longitude,
/// latitude], or a null geometry for a place the harvest could not locate (listed all the same, with its
/// precision `unresolved`), and its record's main fields, provenance and geocoding precision as properties.
public enum GeoJSONRelease {
    public static let fileName = "lieux.geojson"

    public static func files(_ set: OpenDataSet) -> [ReleaseFile] {
        let ids = NationalIds(set)
        var w = JSONBytes(capacity: 1_200 * set.places.count + 256)
        w.beginObject()
        w.key("features"); w.beginArray()
        for p in set.places { feature(p, ids: ids, to: &w) }
        w.endArray()
        w.key("type"); w.string("FeatureCollection")
        w.endObject()
        return [ReleaseFile(name: fileName, mediaType: "application/geo+json", bytes: Data(w.bytes))]
    }

    static func feature(_ served: DirectoryPlace, ids: NationalIds, to w: inout JSONBytes) {
        let p = served.place, location = served.location
        w.beginObject()
        w.key("geometry")
        if let position = location.position {
            w.beginObject()
            w.key("coordinates"); w.beginArray()
            w.double(TabularRelease.rounded(position.lon)); w.double(TabularRelease.rounded(position.lat))
            w.endArray()
            w.key("type"); w.string("Point")
            w.endObject()
        } else {
            w.raw("null" as StaticString)
        }
        w.key("id"); w.string(ids.place(served))
        w.key("properties"); w.beginObject()
        w.key("accessible"); w.bool(p.accessible)
        w.key("address"); w.string(p.address.lines.joined(separator: ", "))
        w.key("city"); w.string(p.address.city)
        if let commune = location.commune {
            w.key("commune"); w.string(commune.rawValue)
            w.key("departement"); w.string(commune.departement.rawValue)
        }
        w.key("first_harvested"); w.string(served.firstHarvested)
        w.key("kind"); w.string(p.kind.rawValue)
        w.key("last_changed"); w.string(served.lastChanged)
        if let confirmed = p.lastConfirmed { w.key("last_confirmed"); w.string(confirmed) }
        w.key("lieu_mutualise"); w.bool(p.isLieuMutualise)
        w.key("name"); w.string(p.name)
        w.key("networks"); w.strings(served.networks.map(\.rawValue).sorted())
        if let hours = p.openingHours { w.key("opening_hours"); w.string(hours) }
        if let phone = p.phone { w.key("phone"); w.string(phone) }
        w.key("postcode"); w.string(p.address.postcode.rawValue)
        w.key("precision"); w.string(location.precision)
        w.key("publics"); w.strings(p.publics.map(\.rawValue))
        w.key("reception_modes"); w.strings(p.receptionModes.map(\.rawValue))
        w.key("region"); w.string(served.region.rawValue)
        w.key("regions"); w.strings(served.sources.map(\.region.rawValue))
        w.key("services"); w.strings(p.services.map(\.rawValue))
        w.key("source_id"); w.string(p.id)
        w.key("structure_ids"); w.strings(served.structures.map { ids.structure($0, in: served.region) })
        if let zone = location.zone { w.key("zone_emploi"); w.string(zone.rawValue) }
        w.endObject()
        w.key("type"); w.string("Feature")
        w.endObject()
    }
}
