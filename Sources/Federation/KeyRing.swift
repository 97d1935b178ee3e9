import Directory
import Foundation
import Signing

/// Creates or reuses each region's signing key in a workspace and writes the trust registry
/// the harvester will use: the repository's region files plus the public keys.
public enum KeyRing {
    /// Returns each region with its public key entry added, and its private key.
    public static func prepare(regions: [Region], workspace: Workspace, now: Date,
                               validity: TimeInterval = 365 * 86_400) throws -> [(region: Region, key: SigningKey)] {
        var out: [(Region, SigningKey)] = []
        for var region in regions {
            let keyURL = workspace.keyFile(region.code)
            let existing = try? Region.load(from: workspace.registryFile(region.code))
            let key: SigningKey
            if FileManager.default.fileExists(atPath: keyURL.path), let k = try? SigningKey.read(from: keyURL),
               let entry = existing?.keys.first(where: { $0.keyId == k.keyId }), entry.publicKey == k.publicKeyBase64 {
                key = k
                region.keys = existing?.keys ?? [entry]
            } else {
                key = SigningKey(region: region.code, keyId: "\(region.code)-\(ISODay.string(now))-\(UUID().uuidString.prefix(8).lowercased())")
                try key.write(to: keyURL)
                region.keys = [key.publicEntry(validFrom: now.addingTimeInterval(-60), validUntil: now.addingTimeInterval(validity))]
            }
            try region.write(to: workspace.registryFile(region.code))
            out.append((region, key))
        }
        return out
    }

    /// Creates or reuses the national directory's signing key in a workspace, and writes its public half
    /// to the registry's `national.json`.
    public static func national(workspace: Workspace, now: Date, validity: TimeInterval = 365 * 86_400) throws -> SigningKey {
        let existing = try? NationalPublisher.load(from: workspace.registry)
        if let key = try? SigningKey.read(from: workspace.nationalKeyFile), key.region == nil,
           existing?.keys.contains(where: { $0.keyId == key.keyId && $0.publicKey == key.publicKeyBase64 }) == true {
            return key
        }
        let key = SigningKey(nationalKeyId: "national-\(ISODay.string(now))-\(UUID().uuidString.prefix(8).lowercased())")
        try key.write(to: workspace.nationalKeyFile)
        try NationalPublisher(keys: [key.publicEntry(validFrom: now.addingTimeInterval(-60), validUntil: now.addingTimeInterval(validity))])
            .write(in: workspace.registry)
        return key
    }
}
