import Foundation

/// A Région as the federation knows it: `Regions/<code>/region.json`, also the trust registry entry
/// the harvester checks signatures against.
public struct Region: Codable, Sendable, Hashable {
    public var code: RegionCode
    public var name: String
    public var departements: [DepartementCode]
    /// Base URL of the region's node, e.g. "http://127.0.0.1:8153".
    public var nodeURL: String
    /// Port the node listens on when the whole federation runs on one machine.
    public var port: Int
    /// Public keys the region signs with, each with its validity window.
    public var keys: [PublicKeyEntry]
    /// The next key, announced before a rotation; accepted from its `validFrom`.
    public var nextKey: PublicKeyEntry?

    public init(code: RegionCode, name: String, departements: [DepartementCode], nodeURL: String, port: Int,
                keys: [PublicKeyEntry] = [], nextKey: PublicKeyEntry? = nil) {
        self.code = code
        self.name = name
        self.departements = departements
        self.nodeURL = nodeURL
        self.port = port
        self.keys = keys
        self.nextKey = nextKey
    }
}

/// A region's public signing key and when it may be used.
public struct PublicKeyEntry: Codable, Sendable, Hashable {
    public var keyId: String
    /// Always "Ed25519".
    public var algorithm: String
    /// Raw 32-byte public key, base64.
    public var publicKey: String
    /// ISO 8601 instants.
    public var validFrom: String
    public var validUntil: String
    /// Set when the key was revoked: refused from that instant on.
    public var revokedAt: String?

    public init(keyId: String, algorithm: String = "Ed25519", publicKey: String, validFrom: String,
                validUntil: String, revokedAt: String? = nil) {
        self.keyId = keyId
        self.algorithm = algorithm
        self.publicKey = publicKey
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.revokedAt = revokedAt
    }
}

/// A problem in a `region.json`, naming the file and field.
public struct RegionFileError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let field: String
    public let rule: String
    public var description: String { "\(file): \(field): \(rule)" }
}

extension Region {
    /// Reads one `region.json`.
    public static func load(from url: URL) throws -> Region {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw RegionFileError(file: url.path, field: "(file)", rule: "cannot be read")
        }
        do {
            return try SproJSON.decoder().decode(Region.self, from: data)
        } catch let e as DecodingError {
            throw RegionFileError(file: url.path, field: e.fieldPath, rule: e.plainDescription)
        }
    }

    /// Reads every `<dir>/<code>/region.json`, sorted by code. The folder name must match the code.
    public static func loadAll(from directory: URL) throws -> [Region] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory.path) else {
            throw RegionFileError(file: directory.path, field: "(directory)", rule: "regions directory not found")
        }
        var out: [Region] = []
        for name in names.sorted() {
            let file = directory.appendingPathComponent(name).appendingPathComponent("region.json")
            guard fm.fileExists(atPath: file.path) else { continue }
            let region = try load(from: file)
            guard region.code.rawValue == name else {
                throw RegionFileError(file: file.path, field: "code", rule: "\(region.code) does not match its folder \(name)")
            }
            out.append(region)
        }
        return out
    }

    /// Writes the file with stable, readable formatting.
    public func write(to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try SproJSON.encoder(pretty: true).encode(self).write(to: url, options: .atomic)
    }
}

/// One region's records as its team holds them: the input a node imports.
public struct RegionDataset: Codable, Sendable, Equatable {
    public var region: RegionCode
    public var structures: [Structure]
    public var places: [Place]
    public var indicators: [IndicatorValue]
    public var channels: [Channel]

    public init(region: RegionCode, structures: [Structure], places: [Place], indicators: [IndicatorValue], channels: [Channel] = []) {
        self.region = region
        self.structures = structures
        self.places = places
        self.indicators = indicators
        self.channels = channels
    }

    private enum CodingKeys: String, CodingKey { case region, structures, places, indicators, channels }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        region = try c.decode(RegionCode.self, forKey: .region)
        structures = try c.decode([Structure].self, forKey: .structures)
        places = try c.decode([Place].self, forKey: .places)
        indicators = try c.decode([IndicatorValue].self, forKey: .indicators)
        channels = try c.decodeIfPresent([Channel].self, forKey: .channels) ?? []
    }
}

/// The national directory as a signer: it signs the open-data releases it publishes, as each Région signs
/// its export. Its trust registry entry is `<registry>/national.json`, beside the Régions' folders.
public struct NationalPublisher: Codable, Sendable, Hashable {
    public var name: String
    /// Public keys the national directory signs releases with, each with its validity window.
    public var keys: [PublicKeyEntry]
    /// The next key, announced before a rotation; accepted from its `validFrom`.
    public var nextKey: PublicKeyEntry?

    public init(name: String = "Annuaire national du SPRO", keys: [PublicKeyEntry] = [], nextKey: PublicKeyEntry? = nil) {
        self.name = name
        self.keys = keys
        self.nextKey = nextKey
    }

    /// `<registry>/national.json`.
    public static func file(in registry: URL) -> URL { registry.appendingPathComponent("national.json") }

    /// Reads `<registry>/national.json`.
    public static func load(from registry: URL) throws -> NationalPublisher {
        let url = file(in: registry)
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw RegionFileError(file: url.path, field: "(file)", rule: "cannot be read")
        }
        do {
            return try SproJSON.decoder().decode(NationalPublisher.self, from: data)
        } catch let e as DecodingError {
            throw RegionFileError(file: url.path, field: e.fieldPath, rule: e.plainDescription)
        }
    }

    /// Writes `<registry>/national.json` with stable, readable formatting.
    public func write(in registry: URL) throws {
        try FileManager.default.createDirectory(at: registry, withIntermediateDirectories: true)
        try SproJSON.encoder(pretty: true).encode(self).write(to: Self.file(in: registry), options: .atomic)
    }
}
