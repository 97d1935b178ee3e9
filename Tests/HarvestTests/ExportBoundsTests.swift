import Directory
import Foundation
import NationalDirectory
import Signing
import SproTestSupport
import Testing
@testable import Harvest

/// A correctly signed export must still be unambiguous and within bounds: one value per key, a version
/// that does not lock the Région out, a validity that ends, a generation date that is not ahead of us.
extension HarvestRefusalTests {
    func export(_ node: TestNode, version: Int, generatedAt: Date = Date(), expiresAt: Date? = nil) -> ExportDocument {
        ExportDocument(region: Fixtures.bretagne, version: version, generatedAt: generatedAt,
                       expiresAt: expiresAt ?? generatedAt.addingTimeInterval(7 * 86_400), keyId: node.key.keyId,
                       charters: [Fixtures.charter()],
                       structures: [Fixtures.structure("53-ML-1"), Fixtures.structure("53-FT-1", network: .franceTravail)],
                       places: [Fixtures.place("53-P0", structures: ["53-ML-1"])], indicators: [], tombstones: [])
    }

    @Test func aDuplicateJSONKeyIsRefusedNamingTheKeyAndTheObject() async throws {
        let (node, store, before) = try await acceptedBaseline()
        let clean = String(decoding: try SproJSON.encoder().encode(export(node, version: 2)), as: UTF8.self)
        // The second "name" would win with JSONDecoder; other parsers keep the first.
        let twice = clean.replacingOccurrences(of: #""name":"Accueil 53-P0""#, with: #""name":"Accueil 53-P0","name":"Ailleurs""#)
        #expect(twice != clean)
        let body = Data(twice.utf8)
        let o = try await expectRefusal("duplicate_key", body: body, signature: node.key.sign(body).encoded(), node: node, store: store,
                                        before: before)
        #expect(o.refusal == "clé JSON en double : « name » apparaît deux fois dans le même objet (places[0]) ; export refusé")
    }

    @Test func aVersionJumpPastTheMaximumStepIsRefusedAndDoesNotLockTheRegionOut() async throws {
        let (node, store, before) = try await acceptedBaseline()
        for version in [Int.max, 1 + ExportValidator.maxVersionStep + 1] {
            let body = try SproJSON.encoder().encode(export(node, version: version))
            let o = try await expectRefusal("version_jump", body: body, signature: node.key.sign(body).encoded(), node: node,
                                            store: store, before: before)
            #expect(o.offeredVersion == version && o.versionInService == 1)
            #expect(o.refusal?.contains("publie la version \(version) alors que la dernière acceptée est 1") == true, "\(o.refusal ?? "")")
        }
        // The largest step allowed is taken, and the next ordinary version after it too.
        for version in [1 + ExportValidator.maxVersionStep, 2 + ExportValidator.maxVersionStep] {
            let body = try SproJSON.encoder().encode(export(node, version: version))
            let o = try await Loopback.serveBytes(body: body, signature: node.key.sign(body).encoded()) { url in
                try await harvester(node.registryEntry(url: url), store: store).harvest(node.registryEntry(url: url))
            }
            #expect(o.status == .accepted && o.versionInService == version, "\(o.refusal ?? "")")
        }
    }

    @Test func aValidityOverThirtyOneDaysIsRefused() async throws {
        let (node, store, before) = try await acceptedBaseline()
        let now = Date()
        for expires in [now.addingTimeInterval(31 * 86_400 + 60), ISOInstant.parse("9999-12-31T23:59:59Z")!] {
            let body = try SproJSON.encoder().encode(export(node, version: 2, generatedAt: now, expiresAt: expires))
            let o = try await expectRefusal("validity_too_long", body: body, signature: node.key.sign(body).encoded(), node: node,
                                            store: store, before: before)
            #expect(o.refusal?.contains("à plus de 31 jours de generatedAt") == true, "\(o.refusal ?? "")")
        }
        // Exactly 31 days is allowed.
        let body = try SproJSON.encoder().encode(export(node, version: 2, generatedAt: now, expiresAt: now.addingTimeInterval(31 * 86_400)))
        let o = try await Loopback.serveBytes(body: body, signature: node.key.sign(body).encoded()) { url in
            try await harvester(node.registryEntry(url: url), store: store).harvest(node.registryEntry(url: url))
        }
        #expect(o.status == .accepted, "\(o.refusal ?? "")")
    }

    @Test func aGenerationDateAheadOfTheClockSkewIsRefused() async throws {
        let (node, store, before) = try await acceptedBaseline()
        let now = Date()
        for ahead: TimeInterval in [ExportValidator.clockSkew + 60, 10 * 365 * 86_400] {
            let body = try SproJSON.encoder().encode(export(node, version: 2, generatedAt: now.addingTimeInterval(ahead)))
            let o = try await expectRefusal("generated_in_future", body: body, signature: node.key.sign(body).encoded(), node: node,
                                            store: store, before: before, now: now)
            #expect(o.refusal?.contains("de plus de 300 s") == true, "\(o.refusal ?? "")")
        }
        // A node whose clock runs a minute ahead is within the skew.
        let body = try SproJSON.encoder().encode(export(node, version: 2, generatedAt: now.addingTimeInterval(60)))
        let o = try await Loopback.serveBytes(body: body, signature: node.key.sign(body).encoded()) { url in
            try await harvester(node.registryEntry(url: url), store: store).harvest(node.registryEntry(url: url), now: { now })
        }
        #expect(o.status == .accepted, "\(o.refusal ?? "")")
    }
}

@Suite struct DuplicateKeyScanTests {
    func scan(_ json: String) -> DuplicateKey? { DuplicateKeyScan.first(in: Data(json.utf8)) }

    @Test func findsTheFirstRepeatedKeyWithItsPath() {
        #expect(scan(#"{"a":1,"a":2}"#) == DuplicateKey(path: "(document)", key: "a"))
        #expect(scan(#"{"places":[{"id":"x"},{"id":"y","address":{"city":"B","city":"C"}}]}"#)
                == DuplicateKey(path: "places[1].address", key: "city"))
        // An escaped key is the same key as its plain spelling.
        #expect(scan(#"{"name":"a","\u006eame":"b"}"#) == DuplicateKey(path: "(document)", key: "name"))
    }

    @Test func sameKeysInSeparateObjectsAndKeysInsideStringsAreFine() {
        #expect(scan(#"{"a":{"id":1},"b":{"id":2},"c":[{"id":3},{"id":4}]}"#) == nil)
        #expect(scan(#"{"text":"{\"a\":1,\"a\":2}","other":"\\","a":[1,"a",{"a":1}]}"#) == nil)
    }
}
