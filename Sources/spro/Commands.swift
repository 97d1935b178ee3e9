import ArgumentParser
import Coverage
import Directory
import Federation
import Foundation
import Geocoding
import Harvest
import Hummingbird
import Logging
import NationalDirectory
import NationalServer
import PerformanceKit
import Reference
import RegionNode
import SampleData
import ServerFoundation
import ServiceLifecycle
import Signing

struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "node", abstract: "Run a region node.", subcommands: [Serve.self, Token.self, Import.self])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve a region's signed export (GET /export.json, /export.json.sig) from its own SQLite file.")
        @Option(help: "Region INSEE code, e.g. 53.") var region: String
        @OptionGroup var work: WorkOptions
        @Option(help: "Trust registry directory (default: <work>/registry if present, else Regions).") var registry: String?
        @OptionGroup var reference: ReferenceOptions
        @Option(help: "Dataset JSON to import into an empty node (default: <work>/sample/<code>.json if present).") var data: String?
        @Flag(help: "Replace the node's records with the dataset even if it already holds some.") var replaceData = false
        @Option(help: "Private key file (default: <work>/keys/<code>.key).") var key: String?
        @Option(help: "Node SQLite file (default: <work>/nodes/<code>.sqlite).") var db: String?
        @Option(help: "Port (default: the registry's).") var port: Int?
        @OptionGroup var serve: ServeOptions
        @Flag(help: "Team session cookies are sent only over HTTPS (set when a TLS proxy serves the node).") var secureCookies = false
        @Option(help: "The national service (e.g. https://annuaire.example.fr) whose harvest anomalies the team's dashboard shows.") var national: String?

        func run() async throws {
            let ws = Workspace(root: URL(fileURLWithPath: work.directory))
            let repo = try RepositoryData.locate()
            let registryURL = registry.map { URL(fileURLWithPath: $0) }
                ?? (FileManager.default.fileExists(atPath: ws.registry.path) ? ws.registry : repo.regions)
            let entry = try loadRegion(region, registry: registryURL)
            let signingKey = try SigningKey.read(from: key.map { URL(fileURLWithPath: $0) } ?? ws.keyFile(entry.code))
            try FileManager.default.createDirectory(at: ws.root.appendingPathComponent("nodes"), withIntermediateDirectories: true)
            let store = try NodeStore(region: entry, databasePath: db ?? ws.nodeDatabase(entry.code).path, key: signingKey)
            try await store.adoptCharters(try repo.charters(for: entry.code))
            let dataURL = data.map { URL(fileURLWithPath: $0) } ?? ws.sampleFile(entry.code)
            // A node that already holds records keeps them: the Région's work since the import is never overwritten.
            let empty = try await store.counts().structures == 0
            if FileManager.default.fileExists(atPath: dataURL.path) && (empty || replaceData) {
                let dataset = try SproJSON.decoder().decode(RegionDataset.self, from: Data(contentsOf: dataURL))
                try await store.importDataset(dataset)
                printLine("Imported \(dataset.structures.count) structures and \(dataset.places.count) places from \(dataURL.path)")
            }
            let pack = try ReferencePack.load(from: try ReferencePack.locate(explicit: reference.directory))
            let validator = RecordValidator(knownCommunes: Set(pack.communes.keys.map(\.rawValue)),
                                            indicators: try RepositoryData.locate().indicatorCatalogue(),
                                            territories: Territories(pack))
            let arguments = NodeServerOptions(host: serve.host, port: port ?? entry.port, logLevel: serve.logLevel,
                                              secureCookies: secureCookies, limits: serve.limits(.node), nationalURL: national)
            let app = NodeServer.buildApplication(arguments, store: store, validator: validator) { port in
                printLine("Node \(entry.code) \(entry.name) serving http://\(serve.host):\(port)/export.json, the admin API under /api/v1/ "
                          + "and the team's pages under /equipe/")
            }
            try await app.runService()
        }
    }
}

struct HarvestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harvest", abstract: "Fetch, verify and merge every region's signed export into the national file.")
    @OptionGroup var reference: ReferenceOptions
    @OptionGroup var work: WorkOptions
    @Option(help: "Trust registry directory (default: <work>/registry).") var registry: String?
    @Option(help: "National SQLite file (default: <work>/national.sqlite).") var national: String?
    @Option(help: "Keep running, harvesting every interval (e.g. 15m, 1h, 90s).") var every: Interval?
    @Option(help: ArgumentHelp("Lift the mass-deletion guards (per export and over 30 days) for these regions, for this run only (comma-separated codes); needs --reason.",
                               valueName: "codes"))
    var allowMassDeletion: String?
    @Option(help: ArgumentHelp("Why the guard is lifted: printed and kept in each region's outcome in the harvest report.", valueName: "text"))
    var reason: String?
    @Flag(help: ArgumentHelp(
        "Geocode every place of the exports accepted, instead of reusing the stored location of a place whose address and coordinates are unchanged.",
        discussion: "For a new reference pack; a new or changed BAN extract is noticed without it."))
    var geocodeAll = false
    @OptionGroup var ban: BANOptions

    func validate() throws {
        if allowMassDeletion != nil, (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--allow-mass-deletion needs --reason \"<why>\": the reason is kept in the harvest report.")
        }
    }

    func run() async throws {
        let ws = Workspace(root: URL(fileURLWithPath: work.directory))
        let pack = try ReferencePack.load(from: try ReferencePack.locate(explicit: reference.directory))
        let registryURL = registry.map { URL(fileURLWithPath: $0) } ?? ws.registry
        let store = try NationalStore(path: national ?? ws.nationalDatabase.path)
        let locator = GeocodingLocator(geocoder: Geocoder(pack: pack, streetLocator: try ban.locator()), reference: pack)
        var lifted: [RegionCode: String] = [:]
        for code in (allowMassDeletion ?? "").split(separator: ",") {
            lifted[try Region.find(String(code), in: registryURL).code] = reason
            printLine("Garde contre les suppressions massives levée pour la région \(code) par l'opérateur national : \(reason ?? "")")
        }
        let rounds = HarvestRounds(registry: registryURL, store: store, pack: pack, locator: locator, reportFile: ws.harvestReport,
                                   geocodeAll: geocodeAll, lifted: lifted)
        guard let every else {
            _ = try await rounds.run()
            return
        }
        // Every interval until SIGTERM or SIGINT; a round that fails on the national side is tried again next time.
        let logger = Logger.server("spro.harvest", level: .notice)
        let schedule = ScheduledHarvest(every: .milliseconds(Int64(every.seconds * 1000)), logger: logger, round: rounds.run)
        try await ServiceGroup(configuration: .init(services: [schedule], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
    }
}

struct NationalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "national", abstract: "The national directory.",
                                                    subcommands: [Serve.self])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Serve the search API and the public page.")
        @OptionGroup var reference: ReferenceOptions
        @OptionGroup var work: WorkOptions
        @Option(help: "National SQLite file (default: <work>/national.sqlite).") var national: String?
        @Option(help: "Port.") var port = 8080
        @OptionGroup var serve: ServeOptions
        @OptionGroup(title: "Street-level search (q=12 rue de Siam 29200 Brest)") var ban: BANOptions
        @Option(help: ArgumentHelp("Also harvest every Région in this process, every interval (e.g. 15m); without it, run `spro harvest` beside the server: either way each harvest is served as soon as it is recorded.",
                                   valueName: "interval"))
        var harvestEvery: Interval?
        @Option(help: "Trust registry directory for --harvest-every (default: <work>/registry).") var registry: String?
        @Option(help: "Folder of the open-data releases served at /donnees (default: <work>/donnees).") var releases: String?
        @Option(help: ArgumentHelp("The national signing key (`spro keys national`): with it, a signed open-data release is built after every harvest that changed the directory; without it the releases in --releases are served as they are (default: <work>/keys/national.key when it exists).",
                                   valueName: "file"))
        var nationalKey: String?
        @Flag(inversion: .prefixedNo, help: ArgumentHelp(
            "While requests arrive, the background thread (rebuilds after a harvest, the in-process harvest) rests 3 ms after each millisecond of CPU (spro_background_rests_total).",
            discussion: "--no-background-pacing lets it run straight on: rebuilds finish sooner, requests answered meanwhile wait longer."))
        var backgroundPacing = true

        func run() async throws {
            let ws = Workspace(root: URL(fileURLWithPath: work.directory))
            let keyFile = nationalKey.map { URL(fileURLWithPath: $0) } ?? ws.nationalKeyFile
            let key: SigningKey?
            do {
                key = nationalKey != nil || FileManager.default.fileExists(atPath: keyFile.path) ? try SigningKey.read(from: keyFile) : nil
            } catch {
                throw CommandFailure("clé nationale illisible \(keyFile.path) : \(error)")
            }
            if let key, key.region != nil {
                throw CommandFailure("la clé \(key.keyId) (\(keyFile.path)) est celle d'une Région, pas celle de l'annuaire national")
            }
            let options = NationalServerOptions(
                host: serve.host, port: port, logLevel: serve.logLevel,
                nationalDatabase: URL(fileURLWithPath: national ?? ws.nationalDatabase.path),
                referenceDirectory: try ReferencePack.locate(explicit: reference.directory),
                ban: ban.ban.map { URL(fileURLWithPath: $0) }, banIndex: ban.banIndex.map { URL(fileURLWithPath: $0) },
                limits: serve.limits(.national),
                openData: OpenDataOptions(directory: releases.map { URL(fileURLWithPath: $0) } ?? ws.openData, key: key),
                // The scorecards' indicator labels and national core set, when the repository is at hand.
                indicatorCatalogue: try (try? RepositoryData.locate())?.indicatorCatalogue())
            BackgroundPacing.setEnabled(backgroundPacing)
            var services: [any ServiceLifecycle.Service] = []
            if let harvestEvery {
                // The harvester writes through its own connection; the server notices each recorded run.
                let pack = try ReferencePack.load(from: options.referenceDirectory)
                let rounds = HarvestRounds(
                    registry: registry.map { URL(fileURLWithPath: $0) } ?? ws.registry,
                    store: try NationalStore(path: options.nationalDatabase.path), pack: pack,
                    locator: GeocodingLocator(geocoder: Geocoder(pack: pack, streetLocator: try ban.locator()), reference: pack),
                    reportFile: ws.harvestReport, geocodeAll: false, lifted: [:])
                services.append(ScheduledHarvest(every: .milliseconds(Int64(harvestEvery.seconds * 1000)),
                                                 logger: .server("spro.harvest", level: serve.logLevel), round: rounds.run))
            }
            let app = try await NationalApp.buildApplication(options, services: services) { [host = serve.host] port in
                printLine("National directory: http://\(host):\(port)/ (couverture: /couverture, metrics: /metrics)")
            }
            try await app.runService()
        }
    }
}
