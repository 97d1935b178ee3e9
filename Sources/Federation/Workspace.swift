import Directory
import Foundation

/// The files of a federation run on one machine, under one work directory:
/// `sample/`, `keys/` (0600), `registry/`, `nodes/`, `national.sqlite`, `harvest-report.json`, `coverage/`,
/// `donnees/`.
public struct Workspace: Sendable {
    public let root: URL

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    public func sampleFile(_ region: RegionCode) -> URL { root.appendingPathComponent("sample/\(region).json") }
    public func keyFile(_ region: RegionCode) -> URL { root.appendingPathComponent("keys/\(region).key") }
    public var registry: URL { root.appendingPathComponent("registry") }
    public func registryFile(_ region: RegionCode) -> URL { registry.appendingPathComponent("\(region)/region.json") }
    public func nodeDatabase(_ region: RegionCode) -> URL { root.appendingPathComponent("nodes/\(region).sqlite") }
    public var nationalDatabase: URL { root.appendingPathComponent("national.sqlite") }
    public var harvestReport: URL { root.appendingPathComponent("harvest-report.json") }
    public var coverage: URL { root.appendingPathComponent("coverage") }
    /// The open-data releases (`/donnees`).
    public var openData: URL { root.appendingPathComponent("donnees") }
    /// The national directory's signing key, which signs the open-data releases.
    public var nationalKeyFile: URL { root.appendingPathComponent("keys/national.key") }

    /// Creates the folders.
    public func create() throws {
        for sub in ["sample", "keys", "registry", "nodes", "coverage"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
    }
}

/// Where the repository's own data lives: `Regions/` and `Charters/`.
public struct RepositoryData: Sendable {
    public let regions: URL
    public let charters: URL

    public init(regions: URL, charters: URL) {
        self.regions = regions
        self.charters = charters
    }

    /// Finds `Regions/` and `Charters/` from the working directory or above the executable.
    public static func locate() throws -> RepositoryData {
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<8 {
            candidates.append(dir)
            dir = dir.deletingLastPathComponent()
        }
        for base in candidates where FileManager.default.fileExists(atPath: base.appendingPathComponent("Regions").path)
            && FileManager.default.fileExists(atPath: base.appendingPathComponent("Charters").path) {
            return RepositoryData(regions: base.appendingPathComponent("Regions"), charters: base.appendingPathComponent("Charters"))
        }
        throw FederationError.repositoryDataNotFound
    }

    /// Every charter of a region, `Charters/<code>/*.json`, sorted by version.
    /// The indicator definitions, `Charters/indicators.json`: the national CEP core set and the Régions' own.
    public func indicatorCatalogue() throws -> IndicatorCatalogue {
        try IndicatorCatalogue.load(from: charters.appendingPathComponent("indicators.json"))
    }

    public func charters(for region: RegionCode) throws -> [Charter] {
        let dir = charters.appendingPathComponent(region.rawValue)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        var out: [Charter] = []
        for name in names.sorted() where name.hasSuffix(".json") {
            let charter = try Charter.load(from: dir.appendingPathComponent(name))
            guard charter.region == region else {
                throw CharterError(file: dir.appendingPathComponent(name).path, field: "region",
                                   rule: "\(charter.region) does not match its folder \(region)")
            }
            out.append(charter)
        }
        return out.sorted { $0.version < $1.version }
    }
}

extension Region {
    /// The region with INSEE code `code` in the registry at `directory`, or an error listing the known codes.
    public static func find(_ code: String, in directory: URL) throws -> Region {
        let all = try loadAll(from: directory)
        guard let region = all.first(where: { $0.code.rawValue == code }) else {
            throw FederationError.unknownRegion(code, known: all.map(\.code.rawValue))
        }
        return region
    }
}

/// Problems setting up a federation run.
public enum FederationError: Error, CustomStringConvertible {
    case repositoryDataNotFound
    case unknownRegion(String, known: [String])
    case noCharter(RegionCode)

    public var description: String {
        switch self {
        case .repositoryDataNotFound:
            "Regions/ and Charters/ not found: run from the repository root"
        case .unknownRegion(let code, let known):
            "unknown region code \"\(code)\"; known regions: \(known.joined(separator: ", "))"
        case .noCharter(let region):
            "region \(region) has no charter under Charters/\(region)/"
        }
    }
}
