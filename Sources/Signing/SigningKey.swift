import Crypto
import Directory
import Foundation

/// A Région's private Ed25519 signing key (or the national directory's, which signs its open-data
/// releases), with the identifier the trust registry knows it by.
/// Stored in a key file readable by its owner only (mode 0600); never in the repository or an export.
public struct SigningKey: Sendable {
    public let keyId: String
    /// The Région signing with it; nil for the national directory's key.
    public let region: RegionCode?
    let privateKey: Curve25519.Signing.PrivateKey

    /// A fresh random key of a Région.
    public init(region: RegionCode, keyId: String) {
        self.region = region
        self.keyId = keyId
        self.privateKey = Curve25519.Signing.PrivateKey()
    }

    /// A fresh random key of the national directory.
    public init(nationalKeyId keyId: String) {
        region = nil
        self.keyId = keyId
        privateKey = Curve25519.Signing.PrivateKey()
    }

    init(region: RegionCode?, keyId: String, rawRepresentation: Data) throws {
        self.region = region
        self.keyId = keyId
        self.privateKey = try Curve25519.Signing.PrivateKey(rawRepresentation: rawRepresentation)
    }

    /// The base64 raw public key, as the trust registry stores it.
    public var publicKeyBase64: String { privateKey.publicKey.rawRepresentation.base64EncodedString() }

    /// The registry entry for this key with its validity window.
    public func publicEntry(validFrom: Date, validUntil: Date) -> PublicKeyEntry {
        PublicKeyEntry(keyId: keyId, publicKey: publicKeyBase64,
                       validFrom: ISOInstant.string(validFrom), validUntil: ISOInstant.string(validUntil))
    }

    /// Signs the exact bytes given.
    public func sign(_ data: Data) -> SignatureFile {
        let signature = (try? privateKey.signature(for: data)) ?? Data()
        return SignatureFile(keyId: keyId, signature: signature.base64EncodedString())
    }

    private struct KeyFile: Codable {
        var keyId: String
        /// Absent for the national directory's key.
        var region: RegionCode?
        var algorithm: String
        var privateKey: String
    }

    /// Writes the key file with mode 0600 (created so, never widened).
    public func write(to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let data = try SproJSON.encoder(pretty: true).encode(
            KeyFile(keyId: keyId, region: region, algorithm: "Ed25519", privateKey: privateKey.rawRepresentation.base64EncodedString()))
        if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
        guard FileManager.default.createFile(atPath: url.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
    }

    /// Reads a key file written by `write(to:)`.
    public static func read(from url: URL) throws -> SigningKey {
        let data = try Data(contentsOf: url)
        let file = try SproJSON.decoder().decode(KeyFile.self, from: data)
        guard file.algorithm == "Ed25519", let raw = Data(base64Encoded: file.privateKey) else {
            throw SignatureRefusal.malformedSignature("key file \(url.path) does not hold an Ed25519 private key")
        }
        return try SigningKey(region: file.region, keyId: file.keyId, rawRepresentation: raw)
    }
}
