import Foundation
import Hummingbird
import OpenData

/// `/donnees` (the releases' page) and `/donnees/{release}/{file}` (a release's files, streamed from disk;
/// `derniere` names the newest). Reads the releases folder at each request, so a release published by
/// this process or copied in by another (a replica's rsync) is served at once.
struct OpenDataController {
    let directory: URL?

    func addRoutes(to router: Router<NationalRequestContext>) {
        router.get("/donnees") { _, _ in
            HTMLPage(OpenDataPage.render(directory.map(OpenDataRelease.published) ?? []))
        }
        router.get("/donnees/:release/**") { request, context in try await file(request, context) }
    }

    static let latest = "derniere"

    func file(_ request: Request, _ context: NationalRequestContext) async throws -> Response {
        let release = try context.parameters.require("release")
        let path = context.parameters.getCatchAll().joined(separator: "/")
        guard let directory else { throw PublicPageError.noPage(path: request.uri.path) }
        let folders = try OpenDataRelease.releaseFolders(in: directory)
        let folder = release == Self.latest ? folders.first : folders.first { $0 == release }
        // Only a release's own files: no way out of its folder.
        guard let folder, !path.isEmpty, !path.split(separator: "/").contains(where: { $0 == ".." || $0.hasPrefix(".") }) else {
            throw PublicPageError.noPage(path: request.uri.path)
        }
        let url = directory.appendingPathComponent(folder).appendingPathComponent(path)
        guard FileManager.default.fileExists(atPath: url.path) else { throw PublicPageError.noPage(path: request.uri.path) }
        let body = try await FileIO().loadFile(path: url.path, context: context)
        var headers: HTTPFields = [.contentType: Self.mediaType(path)]
        headers[.contentDisposition] = "inline; filename=\"\(url.lastPathComponent)\""
        return Response(status: .ok, headers: headers, body: body)
    }

    static func mediaType(_ path: String) -> String {
        if path.hasSuffix(".csv") { return "text/csv; charset=utf-8" }
        if path.hasSuffix(".geojson") { return "application/geo+json" }
        if path.hasSuffix(".json") || path.hasSuffix(".sig") { return "application/json" }
        return "application/octet-stream"
    }
}
