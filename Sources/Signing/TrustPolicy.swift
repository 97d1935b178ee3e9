import Crypto
import Directory
import Foundation

/// Decides whether a signature over some bytes is trusted for a region at a given moment:
/// the key must be in the region's registry (current or announced next key), inside its validity
/// window, not revoked, and the Ed25519 signature must match. The cryptography is one call; the rest is policy.
public struct TrustPolicy: Sendable {
    public let region: Region

    public init(region: Region) {
        self.region = region
    }

    /// Returns the key entry that verified `data`, or throws the reason for refusal.
    @discardableResult
    public func verify(_ data: Data, signature: SignatureFile, at now: Date) throws(SignatureRefusal) -> PublicKeyEntry {
        guard signature.algorithm == "Ed25519" else { throw .unsupportedAlgorithm(signature.algorithm) }
        let candidates = region.keys + (region.nextKey.map { [$0] } ?? [])
        guard let entry = candidates.first(where: { $0.keyId == signature.keyId }) else {
            throw .unknownKey(region: region.code, keyId: signature.keyId)
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
