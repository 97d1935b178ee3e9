import Directory
import Foundation

/// Changes to a region's keys in its trust registry entry. Pure functions over `Region`; the CLI
/// writes the result back to `region.json`. The private halves never pass through here.
public enum KeyRotation {
    /// Adds `key` as a current key valid over [from, until).
    public static func add(_ key: SigningKey, to region: Region, from: Date, until: Date) throws(KeyRotationError) -> Region {
        guard key.region == region.code else { throw .wrongRegion(key: key.keyId, region: region.code) }
        guard !region.knows(key.keyId) else { throw .duplicateKeyId(key.keyId) }
        var r = region
        r.keys.append(key.publicEntry(validFrom: from, validUntil: until))
        return r
    }

    /// Announces `next` before a rotation: accepted from `from`. The current keys stay accepted until
    /// their own `validUntil`, so exports signed on either side of the switch are accepted.
    /// A previously announced next key that took effect is kept among the current keys.
    public static func announce(_ next: SigningKey, to region: Region, from: Date, until: Date) throws(KeyRotationError) -> Region {
        guard next.region == region.code else { throw .wrongRegion(key: next.keyId, region: region.code) }
        guard !region.knows(next.keyId) else { throw .duplicateKeyId(next.keyId) }
        var r = region
        if let previous = r.nextKey { r.keys.append(previous) }
        r.nextKey = next.publicEntry(validFrom: from, validUntil: until)
        return r
    }

    /// Revokes `keyId` from `at` on: exports it signed are refused from then, whatever their date.
    public static func revoke(_ keyId: String, in region: Region, at: Date) throws(KeyRotationError) -> Region {
        var r = region
        let stamp = ISOInstant.string(at)
        if let i = r.keys.firstIndex(where: { $0.keyId == keyId }) {
            r.keys[i].revokedAt = stamp
        } else if r.nextKey?.keyId == keyId {
            r.nextKey?.revokedAt = stamp
        } else {
            throw .unknownKey(keyId, region: region.code)
        }
        return r
    }
}

extension Region {
    /// Whether a key with this id is in the entry, current or announced.
    public func knows(_ keyId: String) -> Bool {
        keys.contains { $0.keyId == keyId } || nextKey?.keyId == keyId
    }
}

/// A key change that cannot be made.
public enum KeyRotationError: Error, Equatable, CustomStringConvertible {
    case wrongRegion(key: String, region: RegionCode)
    case duplicateKeyId(String)
    case unknownKey(String, region: RegionCode)

    public var description: String {
        switch self {
        case .wrongRegion(let key, let region): "key \(key) was made for another region than \(region)"
        case .duplicateKeyId(let id): "a key with id \(id) is already in the registry"
        case .unknownKey(let id, let region): "region \(region) has no key \(id)"
        }
    }
}
