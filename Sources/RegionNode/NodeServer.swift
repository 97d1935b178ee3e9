import Directory
import Foundation
import Hummingbird
import HTTPTypes
import Logging

/// Builds the node's HTTP application: `GET /export.json` (with ETag / If-None-Match),
/// `GET /export.json.sig`, `GET /health`, the admin API under `/api/v1/`, and the team's pages under `/equipe/`.
public enum NodeServer {
    /// The router, shared by `buildApplication` and tests.
    public static func buildRouter(store: NodeStore, validator: RecordValidator = RecordValidator()) -> Router<BasicRequestContext> {
        let router = Router()
        AdminAPI.register(on: router, store: store, validator: validator)
        TeamPages.register(on: router, store: store)
        router.get("/health") { _, _ in "ok" }
        router.get("/export.json") { request, _ -> Response in
            let export = try await store.currentExport()
            var headers: HTTPFields = [.contentType: "application/json", .eTag: export.etag, .cacheControl: "no-cache"]
            headers[HTTPField.Name("X-Spro-Export-Version")!] = String(export.version)
            if let inm = request.headers[.ifNoneMatch], inm.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == export.etag }) {
                return Response(status: .notModified, headers: headers)
            }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: export.body)))
        }
        router.get("/export.json.sig") { _, _ -> Response in
            let export = try await store.currentExport()
            return Response(status: .ok, headers: [.contentType: "application/json", .eTag: export.etag],
                            body: .init(byteBuffer: ByteBuffer(bytes: export.signature)))
        }
        return router
    }

    /// The node application listening on `host:port` (port 0 picks a free one; `onListening` receives it).
    public static func buildApplication(store: NodeStore, validator: RecordValidator = RecordValidator(),
                                        host: String = "127.0.0.1", port: Int,
                                        onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        var logger = Logger(label: "spro.node")
        logger.logLevel = .warning
        return Application(
            router: buildRouter(store: store, validator: validator),
            configuration: .init(address: .hostname(host, port: port), serverName: "spro-node"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}
