import Directory
import Foundation
import Testing
@testable import Signing

@Suite struct TrustPolicyTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let region = try! RegionCode("53")

    func registry(_ entries: [PublicKeyEntry], next: PublicKeyEntry? = nil) -> Region {
        Region(code: region, name: "Bretagne", departements: [], nodeURL: "http://127.0.0.1:1", port: 1, keys: entries, nextKey: next)
    }

    @Test func validSignatureIsAcceptedAndOneChangedByteIsRefused() throws {
        let key = SigningKey(region: region, keyId: "53-a")
        let policy = TrustPolicy(region: registry([key.publicEntry(validFrom: now - 10, validUntil: now + 3600)]))
        var data = Data("{\"hello\":\"Bretagne\"}".utf8)
        let sig = key.sign(data)
        #expect(try policy.verify(data, signature: sig, at: now).keyId == "53-a")
        data[3] ^= 0x01
        #expect(throws: SignatureRefusal.invalidSignature(keyId: "53-a")) { try policy.verify(data, signature: sig, at: now) }
    }

    @Test func keyWindowAndRevocationAreEnforced() throws {
        let key = SigningKey(region: region, keyId: "53-a")
        let data = Data("x".utf8)
        let sig = key.sign(data)
        var entry = key.publicEntry(validFrom: now + 60, validUntil: now + 3600)
        #expect(throws: SignatureRefusal.self) { try TrustPolicy(region: registry([entry])).verify(data, signature: sig, at: now) }
        entry = key.publicEntry(validFrom: now - 3600, validUntil: now - 1)
        let expired = #expect(throws: SignatureRefusal.self) { try TrustPolicy(region: registry([entry])).verify(data, signature: sig, at: now) }
        #expect(expired?.code == "key_expired")
        entry = key.publicEntry(validFrom: now - 3600, validUntil: now + 3600)
        entry.revokedAt = ISOInstant.string(now - 5)
        let revoked = #expect(throws: SignatureRefusal.self) { try TrustPolicy(region: registry([entry])).verify(data, signature: sig, at: now) }
        #expect(revoked?.code == "key_revoked")
    }

    @Test func unknownKeyAndAnnouncedNextKey() throws {
        let old = SigningKey(region: region, keyId: "53-old")
        let next = SigningKey(region: region, keyId: "53-next")
        let data = Data("payload".utf8)
        let withoutNext = TrustPolicy(region: registry([old.publicEntry(validFrom: now - 10, validUntil: now + 10)]))
        #expect(throws: SignatureRefusal.unknownKey(region: region, keyId: "53-next")) {
            try withoutNext.verify(data, signature: next.sign(data), at: now)
        }
        let withNext = TrustPolicy(region: registry([old.publicEntry(validFrom: now - 10, validUntil: now + 10)],
                                                    next: next.publicEntry(validFrom: now - 1, validUntil: now + 1000)))
        #expect(try withNext.verify(data, signature: next.sign(data), at: now).keyId == "53-next")
    }

    @Test func keyFileIsOwnerOnlyAndRoundTrips() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("spro-key-\(UUID()).json")
        let key = SigningKey(region: region, keyId: "53-file")
        try key.write(to: url)
        let attrs = try FileManager.default.attributesOfItem(atPath: url.path)
        #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let back = try SigningKey.read(from: url)
        #expect(back.publicKeyBase64 == key.publicKeyBase64 && back.keyId == "53-file")
    }

    @Test func malformedSigFileIsRefusedWithReason() {
        let e = #expect(throws: SignatureRefusal.self) { try SignatureFile.decode(Data("not json".utf8)) }
        #expect(e?.code == "malformed_signature")
    }
}
