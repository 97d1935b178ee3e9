import Directory
import Foundation

/// The detached signature `export.json.sig`: which key, which algorithm, and the Ed25519 signature
/// over the exact bytes of `export.json`, base64 (in the manner of minisign/signify).
public struct SignatureFile: Codable, Sendable, Equatable {
    public var keyId: String
    public var algorithm: String
    public var signature: String

    public init(keyId: String, algorithm: String = "Ed25519", signature: String) {
        self.keyId = keyId
        self.algorithm = algorithm
        self.signature = signature
    }

    /// The file's bytes (JSON, sorted keys).
    public func encoded() -> Data {
        (try? SproJSON.encoder().encode(self)) ?? Data()
    }

    /// Parses a `.sig` file, or throws `SignatureRefusal.malformedSignature`.
    public static func decode(_ data: Data) throws(SignatureRefusal) -> SignatureFile {
        guard let sig = try? SproJSON.decoder().decode(SignatureFile.self, from: data) else {
            throw .malformedSignature("the .sig file is not a JSON object with keyId, algorithm and signature")
        }
        return sig
    }
}

/// Why a signature was refused. Each case says what to check.
public enum SignatureRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    case malformedSignature(String)
    case unsupportedAlgorithm(String)
    case unknownKey(region: RegionCode, keyId: String)
    case unknownNationalKey(keyId: String)
    case keyNotYetValid(keyId: String, validFrom: String)
    case keyExpired(keyId: String, validUntil: String)
    case keyRevoked(keyId: String, revokedAt: String)
    case invalidSignature(keyId: String)
    case keyIdMismatch(document: String, signature: String)

    public var description: String {
        switch self {
        case .malformedSignature(let why): "signature mal formée : \(why)"
        case .unsupportedAlgorithm(let a): "algorithme de signature « \(a) » non pris en charge (Ed25519 seulement)"
        case .unknownKey(let region, let keyId): "la clé « \(keyId) » n'est pas dans le registre de confiance de la région \(region)"
        case .unknownNationalKey(let keyId): "la clé « \(keyId) » n'est pas dans le registre de confiance de l'annuaire national (national.json)"
        case .keyNotYetValid(let keyId, let from): "la clé « \(keyId) » n'est valide qu'à partir du \(from)"
        case .keyExpired(let keyId, let until): "la clé « \(keyId) » a expiré le \(until)"
        case .keyRevoked(let keyId, let at): "la clé « \(keyId) » a été révoquée le \(at)"
        case .invalidSignature(let keyId): "la signature ne correspond pas aux octets pour la clé « \(keyId) » (contenu modifié ou mauvaise clé)"
        case .keyIdMismatch(let doc, let sig): "l'export nomme la clé « \(doc) » mais sa signature a été faite avec « \(sig) »"
        }
    }

    /// A short stable code for reports.
    public var code: String {
        switch self {
        case .malformedSignature: "malformed_signature"
        case .unsupportedAlgorithm: "unsupported_algorithm"
        case .unknownKey, .unknownNationalKey: "unknown_key"
        case .keyNotYetValid: "key_not_yet_valid"
        case .keyExpired: "key_expired"
        case .keyRevoked: "key_revoked"
        case .invalidSignature: "bad_signature"
        case .keyIdMismatch: "key_id_mismatch"
        }
    }
}
