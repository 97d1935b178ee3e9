import Directory
import Foundation
import NationalDirectory
import OpenData
import PerformanceKit

/// The nearest answer (`/api/v1/places/nearest`) is written straight to bytes: the bytes
/// `SproJSON.encoder()` gives for the same answer (keys sorted, nil fields left out, numbers and escapes
/// as Foundation writes them; a test holds the two equal against a `Codable` mirror of the answer), at
/// a fraction of the cost. Under wrk, Foundation's `JSONEncoder` (a tree of boxed values, every object's
/// keys sorted on each call) took most of a nearest request's CPU.
///
/// Adding a field to a place means writing it here at its place in the sorted order, and adding it to
/// the tests' mirror (`NearestMirror`).
enum NearestAnswer {
    /// The whole answer: `{"count":…,"origin":{"homonyms"?,"label"?,"lat","lon"},"radiusKm":…,"results":[…]}`, each hit copied from its
    /// place's `PlaceFragments` with the four members that depend on the request written in between.
    static func jsonBytes(origin: SearchOrigin, radiusKm: Double?, hits: [SearchHit], search: PlaceSearch, fragments: [PlaceFragments],
                          expiry: [RegionCode: Date], now: Date, moments: [LocalMoment]) -> [UInt8] {
        var w = JSONBytes(capacity: 256 + 2_200 * hits.count)
        w.beginObject()
        w.key("count"); w.int(hits.count)
        w.key("origin"); w.beginObject()
        // A bare name several communes bear: the answer is around the most populous, and says which others
        // the query could mean, each with a `q` naming it alone ("Saint-Denis 93").
        if !origin.homonyms.isEmpty {
            w.key("homonyms"); w.beginArray()
            for h in origin.homonyms {
                w.beginObject()
                w.key("label"); w.string(h.label)
                w.key("q"); w.string(h.query)
                w.endObject()
            }
            w.endArray()
        }
        if let label = origin.label { w.key("label"); w.string(label) }
        w.key("lat"); w.double(origin.position.lat)
        w.key("lon"); w.double(origin.position.lon)
        w.endObject()
        if let radiusKm { w.key("radiusKm"); w.double(radiusKm) }
        w.key("results"); w.beginArray()
        for hit in hits {
            let f = fragments[hit.index]
            let reading = search.reading(at: hit.index, moment: moments[hit.territory.rawValue])
            let state = reading?.state
            w.rawValue(f.head)
            // A position that is only the commune's centre gives no honest distance: none is written.
            if !f.approximate { w.rawInt(Int(hit.distanceMetres.rounded())) }
            w.raw(f.middle)
            // `unknown` hours leave `openNow` out: nobody can say.
            if let state, state != .unknown {
                w.raw(state == .open ? #","openNow":true"# as StaticString : #","openNow":false"#)
            }
            w.raw(f.rest)
            w.raw(f.versions)
            let stale = expiry[hit.place.region].map { now >= $0 } ?? false
            w.raw(stale ? "true" as StaticString : "false")
            if let reading {
                w.raw(#","status":"#)
                w.escaped(reading.status)
            }
            w.raw(f.tail)
            if let reading {
                w.raw(#","today":"#)
                w.escaped(reading.today)
            }
            w.raw("}" as StaticString)
        }
        w.endArray()
        w.endObject()
        return w.bytes
    }
}

/// A place's answer JSON with everything that does not depend on the request written once, when the
/// server loads: a nearest answer copies the four runs of bytes around `distanceMetres` (left out, with
/// `approximate` true, for a place located only at its commune's centre), `openNow`,
/// `stale` (with `status` after it) and `today`. Writing whole places took most of a request's CPU under wrk (labels, addresses
/// and structures escaped again for every answer); this costs about 2 KB of memory per place.
struct PlaceFragments: Sendable {
    /// `{"accessible":…,"address":{…},"approximate":false,"distanceMetres":`, or up to `"approximate":true`
    /// for a place located only at its commune's centre, which gets no distance.
    let head: [UInt8]
    /// Whether the place's position is only its commune's centre (`PlaceLocation.isApproximate`).
    let approximate: Bool
    /// `,"id":…,"name":"…"`
    let middle: [UInt8]
    /// `,"openingHours":…,"services":[…]`
    let rest: [UInt8]
    /// `,"sourceVersion":…,"sources":[…],"stale":`: what a new export version of the Région changes, rewritten
    /// alone (`with(versionsOf:)`) when the place itself did not change.
    private(set) var versions: [UInt8]
    /// `,"structures":[…]`
    let tail: [UInt8]

    /// The place's members in sorted order, cut around the four the request decides.
    /// `week`: the place's opening hours in French (`OpeningHours.frenchWeek()`), nil without readable hours.
    init(_ served: DirectoryPlace, week: String?) {
        let p = served.place, location = served.location
        var w = JSONBytes(capacity: 2_048)
        w.beginObject()
        w.key("accessible"); w.bool(p.accessible)
        w.key("address"); w.beginObject()
        w.key("city"); w.string(p.address.city)
        if let commune = location.commune { w.key("commune"); w.string(commune.rawValue) }
        w.key("lines"); w.strings(p.address.lines)
        w.key("postcode"); w.string(p.address.postcode.rawValue)
        w.key("singleLine"); w.string(p.address.singleLine)
        w.endObject()
        approximate = location.isApproximate
        w.key("approximate"); w.bool(approximate)
        if approximate {
            head = w.takeBytes()
        } else {
            w.key("distanceMetres")
            head = w.takeBytes()
            // A stand-in for the distance, so the writer places the next comma; cut out with it.
            w.int(0)
            _ = w.takeBytes()
        }

        // The week in French for people; `openingHours` keeps the OSM text as data.
        if let week { w.key("hoursText"); w.string(week) }
        w.key("id"); w.string(served.region.rawValue + "/" + p.id)
        w.key("kind"); w.codeLabel(p.kind)
        w.key("languages"); w.strings(p.languages)
        w.key("lat"); w.double(location.position?.lat ?? 0)
        w.key("lieuMutualise"); w.bool(p.isLieuMutualise)
        w.key("lon"); w.double(location.position?.lon ?? 0)
        w.key("name"); w.string(p.name)
        middle = w.takeBytes()

        if let openingHours = p.openingHours { w.key("openingHours"); w.string(openingHours) }
        if let phone = p.phone { w.key("phone"); w.string(phone) }
        w.key("precision"); w.string(location.precision)
        w.key("publics"); w.codeLabels(p.publics)
        w.key("receptionModes"); w.codeLabels(p.receptionModes)
        w.key("region"); w.string(served.region.rawValue)
        w.key("services"); w.codeLabels(p.services)
        rest = w.takeBytes()
        Self.writeVersions(served, to: &w)
        versions = w.takeBytes()
        w.bool(false)  // stand-in for `stale`, cut out
        _ = w.takeBytes()

        w.key("structures"); w.beginArray()
        for s in served.structures {
            // A place links a handful of structures: a scan, rather than a dictionary built per place.
            let isHost = p.structures.contains { $0.structureId == s.id && $0.isHost }
            w.beginObject()
            w.key("basis"); w.codeLabel(s.basis)
            if let email = s.email { w.key("email"); w.string(email) }
            w.key("id"); w.string(s.id)
            w.key("isHost"); w.bool(isHost)
            w.key("name"); w.string(s.name)
            w.key("network"); w.codeLabel(s.network)
            if let phone = s.phone { w.key("phone"); w.string(phone) }
            w.key("referencing"); w.codeLabel(s.referencing.state)
            if let website = s.website { w.key("website"); w.string(website) }
            w.endObject()
        }
        w.endArray()
        tail = w.takeBytes()
    }

    /// These fragments for `served`, the same place with its Région's export version (and its sources') changed.
    func with(versionsOf served: DirectoryPlace) -> PlaceFragments {
        var out = self
        out.versions = JSONBytes.laterMembers { Self.writeVersions(served, to: &$0) }
        return out
    }

    /// `"sourceVersion":…,"sources":[…],"stale":` (its value, the request's, left to the answer).
    private static func writeVersions(_ served: DirectoryPlace, to w: inout JSONBytes) {
        w.key("sourceVersion"); w.int(served.sourceVersion)
        w.key("sources"); w.beginArray()
        for s in served.sources { s.write(to: &w) }
        w.endArray()
        w.key("stale")
    }
}
