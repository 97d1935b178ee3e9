import ArgumentParser
import Coverage
import Directory
import Federation
import Foundation
import Geocoding
import Harvest
import Hummingbird
import NationalDirectory
import NationalServer
import Reference
import RegionNode
import SampleData
import Signing

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole federation on this machine: sample data, 18 region nodes, harvest, coverage, national directory.")

    @OptionGroup var reference: ReferenceOptions
    @OptionGroup var work: WorkOptions
    @Flag(help: "Exit after the coverage report instead of serving the national directory.") var once = false
    @Option(help: "Seed of the sample data generator.") var seed: UInt64 = 2014
    @Option(help: "Scale of the sample data (10 gives about 80,000 places, for load tests).") var scale: Double = 1
    @Option(help: "Port of the national directory.") var port = 8080
    @Flag(help: "Let the system choose the nodes' ports instead of the registry's.") var ephemeralPorts = false
    @OptionGroup var ban: BANOptions

    func run() async throws {
        guard scale > 0 else { throw ValidationError("--scale must be positive (1 is about 8,000 places)") }
        var options = Demo.Options(workspace: Workspace(root: URL(fileURLWithPath: work.directory)),
                                   referenceDirectory: try ReferencePack.locate(explicit: reference.directory),
                                   repository: try RepositoryData.locate())
        options.seed = seed
        options.scale = scale
        options.once = once
        options.nationalPort = port
        options.ephemeralPorts = ephemeralPorts
        options.streetLocator = try ban.locator()
        try await Demo(options: options).run()
    }
}

struct SampleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample", abstract: "Write deterministic sample data for every region (one JSON dataset per region).")

    @OptionGroup var reference: ReferenceOptions
    @Option(help: "Output directory.") var out: String
    @Option(help: "Seed.") var seed: UInt64 = 2014
    @Option(help: "Scale factor (10 gives about 80,000 places).") var scale: Double = 1
    @Option(help: "Day the records' confirmation dates are drawn back from (YYYY-MM-DD, default today).") var asOf: String?

    func run() async throws {
        let dir = try ReferencePack.locate(explicit: reference.directory)
        let pack = try ReferencePack.load(from: dir)
        guard let day = asOf.map(ISODay.parse) ?? Date() else { throw ValidationError("--as-of must be a date YYYY-MM-DD") }
        let dates = ConfirmationDates(seed: seed)
        let datasets = SampleGenerator(reference: pack, townHalls: try TownHall.load(from: dir), seed: seed, scale: scale).generate()
            .map { dates.apply(to: $0, asOf: day) }
        let outURL = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: outURL, withIntermediateDirectories: true)
        for d in datasets {
            try SproJSON.encoder().encode(d).write(to: outURL.appendingPathComponent("\(d.region).json"), options: .atomic)
        }
        printLine("Wrote \(datasets.count) regions, \(datasets.reduce(0) { $0 + $1.places.count }) places to \(outURL.path)")
    }
}

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage a region's signing keys in its trust registry entry.",
        subcommands: [Generate.self, Rotate.self, Revoke.self])

    struct Target: ParsableArguments {
        @Option(help: "Region INSEE code.") var region: String
        @Option(help: "Trust registry directory holding <code>/region.json.") var registry = "Regions"
        var file: URL { URL(fileURLWithPath: registry).appendingPathComponent("\(region)/region.json") }
    }

    static func newKey(for region: Region, now: Date) -> SigningKey {
        SigningKey(region: region.code, keyId: "\(region.code)-\(ISODay.string(now))-\(UUID().uuidString.prefix(8).lowercased())")
    }

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a signing key (private file, mode 0600) and add its public half as a current key.")
        @OptionGroup var target: Target
        @Option(help: "Private key file to write (keep it out of the repository).") var out: String
        @Option(help: "Days the key is valid.") var validDays = 365

        func run() async throws {
            let now = Date()
            let region = try loadRegion(target.region, registry: URL(fileURLWithPath: target.registry))
            let key = KeysCommand.newKey(for: region, now: now)
            let updated = try KeyRotation.add(key, to: region, from: now, until: now.addingTimeInterval(Double(validDays) * 86_400))
            try key.write(to: URL(fileURLWithPath: out))
            try updated.write(to: target.file)
            printLine("Key \(key.keyId) written to \(out) (mode 0600); public key added to \(target.file.path)")
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Announce the next key: accepted from --valid-from, while the current keys stay valid until their validUntil.")
        @OptionGroup var target: Target
        @Option(help: "Private key file to write for the next key.") var out: String
        @Option(help: "When the next key takes effect (ISO 8601; default now).") var validFrom: String?
        @Option(help: "Days the next key is valid.") var validDays = 365

        func run() async throws {
            let now = Date()
            guard let from = validFrom.map({ ISOInstant.parse($0) }) ?? now else {
                throw ValidationError("--valid-from must be an ISO 8601 instant, e.g. 2026-12-01T00:00:00Z")
            }
            let region = try loadRegion(target.region, registry: URL(fileURLWithPath: target.registry))
            let key = KeysCommand.newKey(for: region, now: now)
            let updated = try KeyRotation.announce(key, to: region, from: from, until: from.addingTimeInterval(Double(validDays) * 86_400))
            try key.write(to: URL(fileURLWithPath: out))
            try updated.write(to: target.file)
            printLine("Next key \(key.keyId) announced from \(ISOInstant.string(from)); private key in \(out) (mode 0600)")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key: exports it signed are refused from --at (default now).")
        @OptionGroup var target: Target
        @Option(help: "Key id to revoke.") var keyId: String
        @Option(help: "Revocation instant (ISO 8601; default now).") var at: String?

        func run() async throws {
            guard let when = at.map({ ISOInstant.parse($0) }) ?? Date() else {
                throw ValidationError("--at must be an ISO 8601 instant")
            }
            let region = try loadRegion(target.region, registry: URL(fileURLWithPath: target.registry))
            try KeyRotation.revoke(keyId, in: region, at: when).write(to: target.file)
            printLine("Key \(keyId) of region \(region.code) revoked from \(ISOInstant.string(when))")
        }
    }
}

/// Loads one region's registry entry, or fails naming the known codes.
func loadRegion(_ code: String, registry: URL) throws -> Region {
    try Region.find(code, in: registry)
}

struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "node", abstract: "Run a region node.", subcommands: [Serve.self, Token.self, Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import structures, places and indicator values from CSV or JSON files into a node: bad rows are reported by line and field.",
            discussion: """
            Files ending in .json hold a JSON array of records as the export writes them; others are CSV with a header row:
              structures: id,name,network,basis[,siret,website,phone,email,designation_decided_on,designation_crefop_consulted_on,sells_training]
              places: id,name,structure_ids,address,postcode,city[,commune_code,opening_hours,reception_modes,publics,services,accessible,free_of_charge,phone]
              indicators: subject,subject_id,code,period,value,unit
            Files are imported in that order, each in one transaction. A re-import changes nothing.
            """)
        @Option(help: "Region INSEE code, e.g. 53.") var region: String
        @OptionGroup var work: WorkOptions
        @OptionGroup var reference: ReferenceOptions
        @Option(help: "Structures (CSV or JSON).") var structures: String?
        @Option(help: "Places (CSV or JSON).") var places: String?
        @Option(help: "Indicator values (CSV or JSON).") var indicators: String?
        @Flag(help: "Store nothing from a file if any of its rows is bad.") var allOrNothing = false
        @Option(help: "Node SQLite file (default: <work>/nodes/<code>.sqlite).") var db: String?

        func validate() throws {
            if structures == nil && places == nil && indicators == nil {
                throw ValidationError("give at least one of --structures, --places, --indicators")
            }
        }

        func run() async throws {
            let ws = Workspace(root: URL(fileURLWithPath: work.directory))
            let repo = try RepositoryData.locate()
            let registryURL = FileManager.default.fileExists(atPath: ws.registry.path) ? ws.registry : repo.regions
            let entry = try loadRegion(region, registry: registryURL)
            let store = try NodeStore(region: entry, databasePath: db ?? ws.nodeDatabase(entry.code).path,
                                      key: try SigningKey.read(from: ws.keyFile(entry.code)))
            let pack = try ReferencePack.load(from: try ReferencePack.locate(explicit: reference.directory))
            let validator = RecordValidator(knownCommunes: Set(pack.communes.keys.map(\.rawValue)), indicators: try repo.indicatorCatalogue())
            func principal(_ path: String) -> Principal { Principal(name: "import \(URL(fileURLWithPath: path).lastPathComponent)", role: .admin) }
            func rows<R: Decodable & Sendable>(_ path: String, _ type: R.Type, csv: (CSVTable) throws -> ImportRows<R>) throws -> ImportRows<R> {
                let url = URL(fileURLWithPath: path)
                return url.pathExtension.lowercased() == "json"
                    ? try ImportJSON.read(try Data(contentsOf: url), as: type, file: path)
                    : try csv(try CSVTable(contentsOf: url))
            }
            var failed = false
            func show(_ path: String, _ what: String, _ report: ImportReport) {
                for error in report.errors { printLine("\(path): \(error)") }
                printLine(report.refusedWhole
                    ? "\(path): nothing imported: \(report.errors.count) bad rows and --all-or-nothing"
                    : "\(path): imported \(report.stored) \(what) (\(report.unchanged) unchanged, \(report.errors.count) rejected)")
                failed = failed || report.refusedWhole
            }
            if let path = structures {
                show(path, "structures", try await store.importStructures(
                    try rows(path, Structure.self, csv: StructureCSV.read), validator: validator, allOrNothing: allOrNothing, by: principal(path)))
            }
            if let path = places {
                show(path, "places", try await store.importPlaces(
                    try rows(path, Place.self, csv: PlaceCSV.read), validator: validator, allOrNothing: allOrNothing, by: principal(path)))
            }
            if let path = indicators {
                show(path, "indicator values", try await store.importIndicators(
                    try rows(path, IndicatorValue.self, csv: IndicatorCSV.read), validator: validator, allOrNothing: allOrNothing, by: principal(path)))
            }
            if failed { throw ExitCode.failure }
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue an admin API token (printed once; only its hash is stored in the node's database).")
        @Option(help: "Region INSEE code, e.g. 53.") var region: String
        @OptionGroup var work: WorkOptions
        @Option(help: "Token name, recorded as the actor in the audit log.") var name: String
        @Option(help: "admin (the Région's team) or editor (one structure's editor).") var role: String = "admin"
        @Option(help: "For an editor: the structure id they edit.") var structure: String?
        @Option(help: "Node SQLite file (default: <work>/nodes/<code>.sqlite).") var db: String?

        func run() async throws {
            let ws = Workspace(root: URL(fileURLWithPath: work.directory))
            let repo = try RepositoryData.locate()
            let registryURL = FileManager.default.fileExists(atPath: ws.registry.path) ? ws.registry : repo.regions
            let entry = try loadRegion(region, registry: registryURL)
            guard let role = Principal.Role(rawValue: role) else { throw ValidationError("--role must be admin or editor") }
            try FileManager.default.createDirectory(at: ws.root.appendingPathComponent("nodes"), withIntermediateDirectories: true)
            let store = try NodeStore(region: entry, databasePath: db ?? ws.nodeDatabase(entry.code).path,
                                      key: try SigningKey.read(from: ws.keyFile(entry.code)))
            printLine(try await store.issueToken(name: name, role: role, structureId: structure))
        }
    }

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
                                            indicators: try RepositoryData.locate().indicatorCatalogue())
            let arguments = NodeServerOptions(host: serve.host, port: port ?? entry.port, logLevel: serve.logLevel,
                                              secureCookies: secureCookies)
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
    @Option(help: "Lift the mass-deletion guard for these regions, for this run only (comma-separated codes).")
    var allowMassDeletion: String?
    @Flag(help: ArgumentHelp(
        "Geocode every place of the exports accepted, instead of reusing the stored location of a place whose address and coordinates are unchanged.",
        discussion: "For a new reference pack; a new or changed BAN extract is noticed without it."))
    var geocodeAll = false
    @OptionGroup var ban: BANOptions

    func run() async throws {
        let ws = Workspace(root: URL(fileURLWithPath: work.directory))
        let pack = try ReferencePack.load(from: try ReferencePack.locate(explicit: reference.directory))
        let registryURL = registry.map { URL(fileURLWithPath: $0) } ?? ws.registry
        let store = try NationalStore(path: national ?? ws.nationalDatabase.path)
        let locator = GeocodingLocator(geocoder: Geocoder(pack: pack, streetLocator: try ban.locator()), reference: pack)
        var lifted = Set<RegionCode>()
        for code in (allowMassDeletion ?? "").split(separator: ",") {
            lifted.insert(try Region.find(String(code), in: registryURL).code)
        }
        while true {
            // The registry is read again each round, so key rotations and revocations take effect.
            var harvester = Harvester(regions: try Region.loadAll(from: registryURL), store: store, reference: pack, locator: locator)
            harvester.allowMassDeletion = lifted
            if geocodeAll { harvester.reuseScore = nil }
            harvester.progress = { o in
                printLine("\(o.region) \(o.name): \(o.status.rawValue)" + (o.versionInService.map { " v\($0)" } ?? "")
                      + ", \(o.places) places"
                      + (o.geocoding.map { " (\($0.geocoded) geocoded, \($0.reused) locations reused)" } ?? "")
                      + (o.refusal.map { " — \($0)" } ?? ""))
            }
            let report = try await harvester.run()
            try SproJSON.encoder(pretty: true).encode(report).write(to: ws.harvestReport, options: .atomic)
            printLine("\(report.verifiedCount) of \(report.regions.count) regions verified; report: \(ws.harvestReport.path)")
            guard let every else { return }
            lifted = []  // an operator's override holds for one harvest only
            printLine("Next harvest in \(Int(every.seconds)) s")
            try await Task.sleep(nanoseconds: UInt64(every.seconds * 1e9))
        }
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

        func run() async throws {
            let ws = Workspace(root: URL(fileURLWithPath: work.directory))
            let repo = try RepositoryData.locate()
            let options = NationalServerOptions(
                host: serve.host, port: port, logLevel: serve.logLevel,
                nationalDatabase: URL(fileURLWithPath: national ?? ws.nationalDatabase.path),
                referenceDirectory: try ReferencePack.locate(explicit: reference.directory),
                charters: try Region.loadAll(from: repo.regions).flatMap { try repo.charters(for: $0.code) },
                ban: ban.ban.map { URL(fileURLWithPath: $0) }, banIndex: ban.banIndex.map { URL(fileURLWithPath: $0) })
            let app = try await NationalApp.buildApplication(options) { [host = serve.host] port in
                printLine("National directory: http://\(host):\(port)/ (couverture: /couverture, metrics: /metrics)")
            }
            try await app.runService()
        }
    }
}

struct CoverageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage", abstract: "Write coverage per zone d'emploi (coverage.json, coverage.csv).")
    @OptionGroup var reference: ReferenceOptions
    @OptionGroup var work: WorkOptions
    @Option(help: "National SQLite file (default: <work>/national.sqlite).") var national: String?
    @Option(help: "Output directory.") var out: String
    @Option(help: "Distance threshold in km.") var thresholdKm: Double = 20
    @Option(help: "Map indicator: part, distance, accessibilite, lieux, gravite (optionally :family, e.g. part:service:cep_niveau_1).")
    var map: String = "part"
    @Option(help: "Previous coverage.json to compare with (writes comparison.json, comparison.csv).") var compare: String?

    func run() async throws {
        let ws = Workspace(root: URL(fileURLWithPath: work.directory))
        let pack = try ReferencePack.load(from: try ReferencePack.locate(explicit: reference.directory))
        let store = try NationalStore(path: national ?? ws.nationalDatabase.path)
        guard let indicator = MapIndicator(argument: map) else { throw ValidationError("unknown --map \(map)") }
        // Read before writing, so --compare may name the report about to be replaced.
        let previous = try compare.map { try SproJSON.decoder().decode(CoverageReport.self, from: Data(contentsOf: URL(fileURLWithPath: $0))) }
        let repo = try RepositoryData.locate()
        let charters = try pack.regions.keys.sorted().flatMap { try repo.charters(for: $0) }
        let report = CoverageCalculator(reference: pack, thresholdKm: thresholdKm).compute(
            places: try await store.directoryPlaces(),
            regionsRequiringLieuMutualise: CoverageCalculator.regionsRequiringLieuMutualise(charters: charters))
        let dir = URL(fileURLWithPath: out)
        try CoverageWriter.write(report, to: dir, outlines: try Outlines.load(.zonesEmploi, from: pack.directory), mapIndicator: indicator)
        if let previous { try CoverageWriter.write(CoverageComparison(before: previous, after: report), to: dir) }
        printLine("Coverage of \(report.zoneCount) zones written to \(out) (coverage.html, coverage.json, CSV files)")
    }
}

struct GeocodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "geocode", abstract: "Geocode a CSV (adresse, code_postal, ville) offline; appends code_insee, lat, lon, precision, score, reason.")
    @OptionGroup var reference: ReferenceOptions
    @Option(name: .customLong("in"), help: "Input CSV.") var input: String
    @Option(help: "Output CSV.") var out: String
    @OptionGroup var ban: BANOptions

    func run() async throws {
        let pack = try ReferencePack.load(from: try ReferencePack.locate(explicit: reference.directory))
        let streets = try ban.locator()
        let summary = try GeocodeCSV.run(input: URL(fileURLWithPath: input), output: URL(fileURLWithPath: out),
                                         geocoder: Geocoder(pack: pack, streetLocator: streets))
        printLine(String(describing: summary))
        if let error = streets?.lastError { printLine("BAN lookups failed, those rows stayed at commune level: \(error)") }
    }
}

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Work with signed exports.",
                                                    subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a signed export against the trust registry.")
        @Argument(help: "export.json") var file: String
        @Option(help: "Signature file (default: FILE.sig).") var sig: String?
        @Option(help: "Trust registry directory.") var registry = "Regions"

        func run() async throws {
            let body = try Data(contentsOf: URL(fileURLWithPath: file))
            let sigData = try Data(contentsOf: URL(fileURLWithPath: sig ?? file + ".sig"))
            do {
                // The signature is checked before the JSON is even parsed: tampered bytes are refused as such.
                let signature = try SignatureFile.decode(sigData)
                let regions = try Region.loadAll(from: URL(fileURLWithPath: registry))
                guard let region = regions.first(where: { $0.knows(signature.keyId) }) else {
                    throw ValidationError("refused: key \"\(signature.keyId)\" is in no region of the registry \(registry)")
                }
                let entry = try TrustPolicy(region: region).verify(body, signature: signature, at: Date())
                struct Header: Decodable { let region: RegionCode; let version: Int; let expiresAt: String }
                guard let header = try? SproJSON.decoder().decode(Header.self, from: body) else {
                    throw ValidationError("refused: the signature is valid but the export has no readable region, version and expiresAt")
                }
                guard header.region == region.code else {
                    throw ValidationError("refused: export says region \(header.region) but is signed by region \(region.code)'s key")
                }
                if let expires = ISOInstant.parse(header.expiresAt), expires <= Date() {
                    throw ValidationError("refused: export of region \(header.region) v\(header.version) expired at \(header.expiresAt)")
                }
                printLine("OK: region \(header.region) v\(header.version), signed by \(entry.keyId), expires \(header.expiresAt)")
            } catch let refusal as SignatureRefusal {
                throw ValidationError("refused: \(refusal)")
            }
        }
    }
}
