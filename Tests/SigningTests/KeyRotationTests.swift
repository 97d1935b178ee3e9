import Directory
import Foundation
import Testing
@testable import Signing

@Suite struct KeyRotationTests {
    let code = RegionCode(unchecked: "53")
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func region() -> Region {
        Region(code: code, name: "Bretagne", departements: [], nodeURL: "http://127.0.0.1:8153", port: 8153)
    }

    @Test func rotationAcceptsBothKeysAcrossTheSwitch() throws {
        let old = SigningKey(region: code, keyId: "old"), next = SigningKey(region: code, keyId: "next")
        var r = try KeyRotation.add(old, to: region(), from: t0 - 86_400, until: t0 + 7_200)
        r = try KeyRotation.announce(next, to: r, from: t0 + 3_600, until: t0 + 86_400 * 365)
        let data = Data("export".utf8)
        let policy = TrustPolicy(region: r)
        // Before the switch only the old key; during the overlap both; after the old key's end only the next.
        #expect(throws: SignatureRefusal.keyNotYetValid(keyId: "next", validFrom: ISOInstant.string(t0 + 3_600))) {
            try policy.verify(data, signature: next.sign(data), at: t0)
        }
        #expect(try policy.verify(data, signature: old.sign(data), at: t0 + 5_000).keyId == "old")
        #expect(try policy.verify(data, signature: next.sign(data), at: t0 + 5_000).keyId == "next")
        #expect(throws: SignatureRefusal.self) { try policy.verify(data, signature: old.sign(data), at: t0 + 7_200) }
        #expect(try policy.verify(data, signature: next.sign(data), at: t0 + 10_000).keyId == "next")
    }

    @Test func announcingAgainKeepsThePreviousNextKeyAsCurrent() throws {
        let a = SigningKey(region: code, keyId: "a"), b = SigningKey(region: code, keyId: "b")
        var r = try KeyRotation.announce(a, to: region(), from: t0, until: t0 + 1000)
        r = try KeyRotation.announce(b, to: r, from: t0 + 500, until: t0 + 2000)
        #expect(r.keys.map(\.keyId) == ["a"] && r.nextKey?.keyId == "b")
    }

    @Test func revocationRefusesFromItsInstantAndUnknownKeysAreNamed() throws {
        let k = SigningKey(region: code, keyId: "k")
        let r = try KeyRotation.revoke("k", in: KeyRotation.add(k, to: region(), from: t0 - 10, until: t0 + 10_000), at: t0 + 100)
        let data = Data("x".utf8)
        #expect(try TrustPolicy(region: r).verify(data, signature: k.sign(data), at: t0 + 50).keyId == "k")
        #expect(throws: SignatureRefusal.keyRevoked(keyId: "k", revokedAt: ISOInstant.string(t0 + 100))) {
            try TrustPolicy(region: r).verify(data, signature: k.sign(data), at: t0 + 100)
        }
        #expect(throws: KeyRotationError.unknownKey("nope", region: code)) { try KeyRotation.revoke("nope", in: r, at: t0) }
    }

    @Test func keysOfAnotherRegionOrDuplicateIdsAreRefused() throws {
        let other = SigningKey(region: RegionCode(unchecked: "11"), keyId: "idf")
        #expect(throws: KeyRotationError.wrongRegion(key: "idf", region: code)) {
            try KeyRotation.add(other, to: region(), from: t0, until: t0 + 1)
        }
        let k = SigningKey(region: code, keyId: "k")
        let r = try KeyRotation.add(k, to: region(), from: t0, until: t0 + 1)
        #expect(throws: KeyRotationError.duplicateKeyId("k")) {
            try KeyRotation.announce(SigningKey(region: code, keyId: "k"), to: r, from: t0, until: t0 + 1)
        }
    }
}

@Suite struct SHA256HexTests {
    @Test func knownDigestsAreWrittenInLowercaseHex() {
        // FIPS 180-2 test vectors.
        #expect(sha256Hex(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(sha256Hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
