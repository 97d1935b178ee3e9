import Crypto
import Directory
import Foundation

/// Decides whether a signature over some bytes is trusted for a signer (a Région, or the national
/// directory for its open-data releases) at a given moment: the key must be in the signer's registry
/// entry (current or announced next key), inside its validity window, not revoked, and the Ed25519
/// signature must match. The cryptography is one call; the rest is policy.
public struct TrustPolicy: Sendable {
    /// Whose keys these are, to name them in a refusal.
    public enum Signer: Sendable, Equatable {
        case region(RegionCode), national
    }

    public let signer: Signer
    let keys: [PublicKeyEntry]

    public init(region: Region) {
        signer = .region(region.code)
        keys = region.keys + (region.nextKey.map { [$0] } ?? [])
    }

    public init(national: NationalPublisher) {
        signer = .national
        keys = national.keys + (national.nextKey.map { [$0] } ?? [])
    }

    /// Returns the key entry that verified `data`, or throws the reason for refusal.
    @discardableResult
    public func verify(_ data: Data, signature: SignatureFile, at now: Date) throws(SignatureRefusal) -> PublicKeyEntry {
        guard signature.algorithm == "Ed25519" else { throw .unsupportedAlgorithm(signature.algorithm) }
        guard let entry = keys.first(where: { $0.keyId == signature.keyId }) else {
            switch signer {
            case .region(let code): throw .unknownKey(region: code, keyId: signature.keyId)
            case .national: throw .unknownNationalKey(keyId: signature.keyId)
            }
        }
        if let revoked = entry.revokedAt, let at = ISOInstant.parse(revoked), now >= at {
            throw .keyRevoked(keyId: entry.keyId, revokedAt: revoked)
        }
        guard let from = ISOInstant.parse(entry.validFrom), let until = ISOInstant.parse(entry.validUntil) else {
            throw .malformedSignature("key \"\(entry.keyId)\" has an unreadable validity window in the registry")
        }
        guard now >= from else { throw .keyNotYetValid(keyId: entry.keyId, validFrom: entry.validFrom) }
        guard now < until else { throw .keyExpired(keyId: entry.keyId, validUntil: entry.validUntil) }
        guard let raw = Data(base64Encoded: entry.publicKey),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
            throw .malformedSignature("key \"\(entry.keyId)\" in the registry is not a 32-byte Ed25519 public key")
        }
        guard let sig = Data(base64Encoded: signature.signature), sig.count == 64 else {
            throw .malformedSignature("signature is not 64 bytes of base64")
        }
        guard key.isValidSignature(sig, for: data) else { throw .invalidSignature(keyId: entry.keyId) }
        return entry
    }
}

/// SHA-256 of bytes, hex; used for content hashes of exports.
public func sha256Hex(_ data: Data) -> String {
    // Written digit by digit: `String(format:)` per byte was most of the cost of hashing small inputs
    // (a harvest fingerprints every place's geocoding input).
    let digits: StaticString = "0123456789abcdef"
    var hex = [UInt8]()
    hex.reserveCapacity(2 * SHA256.byteCount)
    for byte in SHA256.hash(data: data) {
        hex.append(digits.utf8Start[Int(byte >> 4)])
        hex.append(digits.utf8Start[Int(byte & 0x0F)])
    }
    return String(decoding: hex, as: UTF8.self)
}
