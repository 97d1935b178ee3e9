import ArgumentParser
import AsyncHTTPClient
import Directory
import Foundation
import Hummingbird
import Logging
import NIOCore
import RegionNode
import SampleData
import ServiceLifecycle
import Signing

/// A Région's back office at 15,000 places: an import of 10,000 CSV rows into a node holding 5,000, the
/// team's list pages and the admin API's lists over loopback HTTP (p50/p99 of sequential requests, signed
/// in), and the signed export built from scratch.
struct BackOfficeBench: TableBench {
    static let configuration = CommandConfiguration(commandName: "backoffice",
                                                    abstract: "The team's pages and lists, the export and an import of 10,000 rows at 15,000 places.")
    @Option(help: "Reference pack directory.") var reference: String?

    static func measure(_ ctx: BenchContext, into table: inout Table) async throws {
        let code = RegionCode(unchecked: "53")
        let dataset = SampleGenerator(reference: ctx.pack, townHalls: ctx.townHalls, scale: 1).generate(region: code)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spro-backoffice-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = SigningKey(region: code, keyId: "bench")
        let store = try NodeStore(region: Region(code: code, name: "Bretagne", departements: [], nodeURL: "", port: 0),
                                  databasePath: dir.appendingPathComponent("node.sqlite").path, key: key)
        try await store.importDataset(RegionDataset(region: code, structures: dataset.structures, places: [], indicators: []))
        let validator = RecordValidator(knownCommunes: Set(ctx.pack.communes.keys.map(\.rawValue)))
        let first = dir.appendingPathComponent("lieux-1.csv"), second = dir.appendingPathComponent("lieux-2.csv")
        _ = try ImportBench.writeCSV(rows: 5_000, like: dataset, to: first)
        _ = try ImportBench.writeCSV(rows: 10_000, like: dataset, to: second, from: 5_000)
        _ = try await store.importPlaces(PlaceCSV.rows(.file(first)), validator: validator, allOrNothing: false, by: .system)
        let (report, importTime) = try await seconds {
            try await store.importPlaces(PlaceCSV.rows(.file(second)), validator: validator, allOrNothing: false, by: .system)
        }
        let places = try await store.counts().places
        table.add("node import of 10,000 CSV rows into 5,000 places", "\(report.stored) stored in \(fmt(importTime, 2)) s (\(places) places after)",
                  target: "all stored", ok: report.stored == 10_000)

        let (export, exportTime) = try await seconds { try await store.currentExport() }
        table.add("signed export at \(places) places (built from scratch)", "\(fmt(exportTime, 2)) s, \(fmt(Double(export.body.count) / 1_048_576, 1)) MiB",
                  target: "< 2 s", ok: exportTime < 2)

        let token = try await store.issueToken(name: "bench", role: .admin)
        var logger = Logger(label: "spro.bench")
        logger.logLevel = .error
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = NodeServer.buildApplication(NodeServerOptions(port: 0, logLevel: .error), store: store) { continuation.yield($0) }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let server = Task { try await group.run() }
        defer { server.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        let base = "http://127.0.0.1:\(port)"
        // Redirects not followed: the sign-in's 303 carries the session cookie.
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                                configuration: .init(redirectConfiguration: .disallow))

        // Sign in once, as a person would; the session cookie goes with every page.
        var signIn = HTTPClientRequest(url: base + "/equipe/connexion")
        signIn.method = .POST
        signIn.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        signIn.body = .bytes(ByteBuffer(string: "jeton=\(token)"))
        let signedIn = try await client.execute(signIn, timeout: .seconds(10))
        guard let cookie = signedIn.headers.first(name: "set-cookie")?.split(separator: ";").first.map(String.init) else {
            let page = String(buffer: try await signedIn.body.collect(upTo: 1 << 20))
            throw ValidationError("sign-in gave no session cookie (\(signedIn.status)): \(page.suffix(700))")
        }

        let pages: [(String, String)] = [
            ("team page: places, first page of 100", "/equipe/lieux"),
            ("team page: places searched by name", "/equipe/lieux?q=permanence%2012"),
            ("team page: places filtered (departement, not mutualised), page 2", "/equipe/lieux?departement=29&mutualise=false&curseur="),
            ("team page: structures", "/equipe/structures"),
            ("team page: dashboard", "/equipe/"),
            ("team page: indicators", "/equipe/indicateurs"),
            ("admin API: places, 1,000 per page", "/api/v1/places?limit=1000"),
            ("admin API: places filtered by structure", "/api/v1/places?structure=\(dataset.structures[0].id)"),
        ]
        for (name, path) in pages {
            var uri = path
            if path.hasSuffix("curseur=") {
                // The second page: the cursor the first one gave.
                let firstPage = try await get(client, base + "/api/v1/places?departement=29&mutualise=false", token: token, cookie: nil)
                let next = (try JSONSerialization.jsonObject(with: firstPage.body) as? [String: Any])?["next"] as? String ?? ""
                uri = path + next
            }
            var times: [Double] = []
            var bytes = 0
            for i in 0..<220 {
                let (answer, t) = try await seconds { try await get(client, base + uri, token: uri.hasPrefix("/api/") ? token : nil, cookie: cookie) }
                guard answer.status == 200 else { throw ValidationError("\(uri): \(answer.status)") }
                if i >= 20 { times.append(t) }   // the first requests warm the caches
                bytes = answer.body.count
            }
            times.sort()
            let p50 = times[times.count / 2] * 1000, p99 = times[Int(Double(times.count) * 0.99)] * 1000
            table.add("\(name) at \(places) places", "p50 \(fmt(p50, 1)) ms, p99 \(fmt(p99, 1)) ms (\(bytes / 1024) KiB)",
                      target: "p99 < 50 ms", ok: p99 < 50)
        }
        try await client.shutdown()
        await group.triggerGracefulShutdown()
        _ = try? await server.value
    }

    static func get(_ client: HTTPClient, _ url: String, token: String?, cookie: String?) async throws -> (status: UInt, body: Data) {
        var request = HTTPClientRequest(url: url)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let cookie { request.headers.add(name: "Cookie", value: cookie) }
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 64 << 20)
        return (response.status.code, Data(buffer: body))
    }
}
