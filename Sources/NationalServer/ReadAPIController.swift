import Directory
import Foundation
import HTTPTypes
import NationalDirectory
import Hummingbird
import PerformanceKit
import ServerFoundation

/// The read API over the national directory: `/api/v1/places` and `/api/v1/structures`, filtered
/// (Région, département, commune, zone d'emploi, network, service, public, `updated_since`), searched by
/// name (`q`), paged by cursor, and one record at `/api/v1/places/{region}/{id}` (any Région's id of a
/// place several list). Every answer has an ETag; `If-None-Match` with it gets 304 without a body.
struct ReadAPIController {
    let listings: DirectoryListings

    func addRoutes(to router: Router<NationalRequestContext>) {
        router.get("/api/v1/places") { request, _ in try Self.list(listings.places, request) }
        router.get("/api/v1/places/:region/:id") { request, context in
            try Self.one(listings.places, request, context, missing: "aucun lieu")
        }
        router.get("/api/v1/structures") { request, _ in try Self.list(listings.structures, request) }
        router.get("/api/v1/structures/:region/:id") { request, context in
            try Self.one(listings.structures, request, context, missing: "aucune structure")
        }
    }

    static func list(_ listing: RecordListing, _ request: Request) throws -> Response {
        let query = try ListQuery(request.uri.queryParameters.map { (String($0.key), String($0.value)) })
        let selection = select(listing, query)
        var w = JSONBytes(capacity: 128 + selection.page.reduce(0) { $0 + listing.records[$1].count + 1 })
        w.beginObject()
        w.key("count"); w.int(selection.page.count)
        if let next = selection.next { w.key("next"); w.string(next) }
        w.key("results"); w.beginArray()
        for i in selection.page { w.rawValue(listing.records[i]) }
        w.endArray()
        w.key("total"); w.int(selection.total)
        w.endObject()
        var tag = FNV1a.hash(UInt64(selection.total), into: FNV1a.offset)
        for i in selection.page { tag = FNV1a.hash(listing.hashes[i], into: tag) }
        tag = FNV1a.hash(Array((selection.next ?? "").utf8), into: tag)
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let next = selection.next {
            headers[HTTPField.Name("Link")!] = "<\(PageCursor.nextURL(request, cursor: next))>; rel=\"next\""
        }
        return answer(w.bytes, etag: tag, headers: headers, request: request)
    }

    static func one(_ listing: RecordListing, _ request: Request, _ context: NationalRequestContext, missing: String) throws -> Response {
        let region = try context.parameters.require("region"), id = try context.parameters.require("id")
        let nationalId = region + "/" + id
        guard let position = listing.positions[nationalId] else {
            throw NationalAPIError.noRecord(kind: missing, id: nationalId)
        }
        return answer(listing.records[position], etag: listing.hashes[position],
                      headers: [.contentType: "application/json; charset=utf-8"], request: request)
    }

    /// The records of the page, how many match in all, and the cursor of the next page if any.
    static func select(_ listing: RecordListing, _ query: ListQuery) -> (page: [Int], total: Int, next: String?) {
        var candidates: [Int32]?
        // Each parameter's values together (either one), then every parameter (all of them), smallest first.
        let groups = query.filters.map { values in
            values.count == 1 ? listing.postings[values[0]] ?? [] : PlaceNameIndex.union(values.map { listing.postings[$0] ?? [] })
        }.sorted { $0.count < $1.count }
        for group in groups { candidates = candidates.map { PlaceNameIndex.intersection($0, group) } ?? group }
        if let name = query.name {
            let found = listing.names.matches(name).map(Int32.init)
            candidates = candidates.map { PlaceNameIndex.intersection($0, found) } ?? found
        }
        let start = query.after.map(listing.position(after:)) ?? 0
        var page: [Int] = []
        var total = 0
        var last: Int?
        func consider(_ i: Int) {
            if let since = query.updatedSince, listing.lastChanged[i] < since { return }
            total += 1
            if i >= start {
                if page.count < query.limit { page.append(i) } else if last == nil { last = page.last }
            }
        }
        if let candidates {
            for i in candidates { consider(Int(i)) }
        } else {
            for i in listing.ids.indices { consider(i) }
        }
        return (page, total, last.map { PageCursor.encode(listing.ids[$0]) })
    }

    /// 200 with the bytes and a strong ETag, or 304 when `If-None-Match` names that ETag (or `*`).
    static func answer(_ bytes: [UInt8], etag: UInt64, headers: HTTPFields, request: Request) -> Response {
        let tag = "\"" + String(etag, radix: 16) + "\""
        var headers = headers
        headers[.eTag] = tag
        if let asked = request.headers[.ifNoneMatch] {
            let tags = asked.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if tags.contains(where: { $0 == "*" || $0 == tag || $0 == "W/" + tag }) {
                headers[.contentType] = nil
                return Response(status: .notModified, headers: headers)
            }
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
