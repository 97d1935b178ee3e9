import Directory
import Foundation
import Signing

/// What a release holds, signed: `release.json` lists every file with its size and SHA-256, the release's
/// version (the harvest run it was built after) and date; `release.json.sig` is the national key's
/// Ed25519 signature over the manifest's exact bytes, as a Région signs its export. Verifying the manifest
/// then each file's digest verifies the whole release (`spro export verify release.json`).
public struct ReleaseManifest: Codable, Sendable, Equatable {
    public var publisher: String
    /// The harvest run the release was built after: grows with every release.
    public var version: Int
    public var generatedAt: String
    public var license: String
    public var counts: Counts
    public var files: [Entry]

    public struct Counts: Codable, Sendable, Equatable {
        public var places: Int
        public var structures: Int
        public var channels: Int
    }

    public struct Entry: Codable, Sendable, Equatable {
        public var name: String
        public var mediaType: String
        public var bytes: Int
        public var sha256: String
    }
}

/// Builds, signs, writes and verifies the national open-data releases.
public enum OpenDataRelease {
    public static let manifestName = "release.json"
    public static let signatureName = "release.json.sig"

    /// Every format of a release, each built from the same set: CSV with its data package, GeoJSON,
    /// data·inclusion, HSDS 3.0.
    public static let formats: [@Sendable (OpenDataSet) throws -> [ReleaseFile]] = [
        TabularRelease.files, { GeoJSONRelease.files($0) }, DataInclusionRelease.files, HSDSRelease.files,
    ]

    /// Every format's files, built side by side (each format on its own task), in memory.
    public static func build(_ set: OpenDataSet) async throws -> [ReleaseFile] {
        try await eachFormat(set) { $0 }.flatMap { $0 }
    }

    /// `body` applied to each format's files as soon as that format is built, side by side; results in
    /// the formats' order. A format's files are dropped once `body` returns: memory holds the set and the
    /// formats being built, not the whole release.
    static func eachFormat<R: Sendable>(_ set: OpenDataSet, _ body: @escaping @Sendable ([ReleaseFile]) throws -> R) async throws -> [R] {
        try await withThrowingTaskGroup(of: (Int, R).self) { group in
            for (i, format) in formats.enumerated() { group.addTask { (i, try body(try format(set))) } }
            var out: [(Int, R)] = []
            for try await result in group { out.append(result) }
            return out.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// The manifest listing `files` and its signature by `key`.
    static func sign(_ files: [ReleaseManifest.Entry], set: OpenDataSet, version: Int, key: SigningKey) throws -> (manifest: Data, signature: Data) {
        let manifest = ReleaseManifest(
            publisher: NationalPublisher().name, version: version, generatedAt: ISOInstant.string(set.generatedAt),
            license: TabularRelease.license.title,
            counts: .init(places: set.places.count, structures: set.structures.count, channels: set.channels.count),
            files: files)
        let bytes = try SproJSON.encoder(pretty: true).encode(manifest)
        return (bytes, key.sign(bytes).encoded())
    }

    /// Builds, signs and writes a release as `directory/<date>/` (written beside, then renamed: a reader
    /// never sees half of one), and keeps the `keep` most recent. Each format's files are written and
    /// hashed as soon as it is built. Returns the release's folder.
    @discardableResult
    public static func publish(_ set: OpenDataSet, version: Int, key: SigningKey, into directory: URL, keep: Int = 10) async throws -> URL {
        let fm = FileManager.default
        let name = folderName(set.generatedAt, version: version)
        let final = directory.appendingPathComponent(name), partial = directory.appendingPathComponent("." + name + ".partial")
        try? fm.removeItem(at: partial)
        let entries = try await eachFormat(set) { files in
            try files.map { file -> ReleaseManifest.Entry in
                let url = partial.appendingPathComponent(file.name)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.bytes.write(to: url)
                return .init(name: file.name, mediaType: file.mediaType, bytes: file.bytes.count, sha256: sha256Hex(file.bytes))
            }
        }.flatMap { $0 }
        let (manifest, signature) = try sign(entries, set: set, version: version, key: key)
        try manifest.write(to: partial.appendingPathComponent(manifestName))
        try signature.write(to: partial.appendingPathComponent(signatureName))
        try? fm.removeItem(at: final)
        try fm.moveItem(at: partial, to: final)
        for old in try releaseFolders(in: directory).dropFirst(keep) {
            try? fm.removeItem(at: directory.appendingPathComponent(old))
        }
        return final
    }

    /// `2026-12-05T120000Z-v42`: sorts by date, names the harvest run.
    static func folderName(_ date: Date, version: Int) -> String {
        ISOInstant.string(date).replacingOccurrences(of: ":", with: "") + "-v\(version)"
    }

    /// The release folders of `directory`, newest first.
    public static func releaseFolders(in directory: URL) throws -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && FileManager.default.fileExists(atPath: directory.appendingPathComponent("\($0)/\(manifestName)").path) }
            .sorted(by: >)
    }

    /// The published releases of `directory`, newest first, each with its folder name; a folder whose
    /// manifest cannot be read is left out.
    public static func published(in directory: URL) -> [(folder: String, manifest: ReleaseManifest)] {
        ((try? releaseFolders(in: directory)) ?? []).compactMap { folder in
            let url = directory.appendingPathComponent(folder).appendingPathComponent(manifestName)
            guard let data = try? Data(contentsOf: url), let manifest = try? SproJSON.decoder().decode(ReleaseManifest.self, from: data) else {
                return nil
            }
            return (folder, manifest)
        }
    }

    /// Checks a release: the manifest's signature against the national trust entry, then every file's size
    /// and SHA-256 beside it. Returns the manifest, or throws what is wrong, in French.
    public static func verify(manifestAt url: URL, trust: NationalPublisher, at now: Date = Date()) throws -> ReleaseManifest {
        let folder = url.deletingLastPathComponent()
        let body = try Data(contentsOf: url)
        let signatureURL = url.appendingPathExtension("sig")
        guard let sigData = try? Data(contentsOf: signatureURL) else {
            throw ReleaseRefusal("signature absente : \(signatureURL.path)")
        }
        do {
            try TrustPolicy(national: trust).verify(body, signature: try SignatureFile.decode(sigData), at: now)
        } catch {
            throw ReleaseRefusal("signature refusée : \(error)")
        }
        guard let manifest = try? SproJSON.decoder().decode(ReleaseManifest.self, from: body) else {
            throw ReleaseRefusal("la signature est valide mais le manifeste n'a pas la forme d'une publication (publisher, version, files)")
        }
        for entry in manifest.files {
            guard !entry.name.contains(".."), let data = try? Data(contentsOf: folder.appendingPathComponent(entry.name)) else {
                throw ReleaseRefusal("fichier \(entry.name) absent ou illisible")
            }
            guard data.count == entry.bytes, sha256Hex(data) == entry.sha256 else {
                throw ReleaseRefusal("fichier \(entry.name) modifié : son empreinte SHA-256 n'est pas celle du manifeste signé")
            }
        }
        return manifest
    }
}

/// Why a release does not verify, in French.
public struct ReleaseRefusal: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
