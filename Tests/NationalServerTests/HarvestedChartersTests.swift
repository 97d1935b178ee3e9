import Coverage
import Directory
import Foundation
import Logging
import NationalDirectory
import SproTestSupport
import Testing
@testable import NationalServer

/// Coverage rules that come from a Région's cahier des charges (one lieu mutualisé per bassin) follow the
/// charter harvested from that Région's export: adopting a new version at the node changes the national
/// report after the next harvest, with no file to edit on the national side.
@Suite struct HarvestedChartersTests {
    static func snapshot(version: Int, requiresLieuMutualise: Bool) -> RegionSnapshot {
        var charter = Fixtures.charter(version)
        charter.requiresLieuMutualisePerBassin = requiresLieuMutualise
        let commune = CommuneCode(unchecked: "29019")
        let place = (place: Fixtures.place("53-P1", structures: ["53-ML-1"], coordinates: GeoPoint(lat: 48.39, lon: -4.48)),
                     location: PlaceLocation(commune: commune, zone: TestReference.pack.communes[commune]?.zone,
                                             position: GeoPoint(lat: 48.39, lon: -4.48), precision: "given", score: 1, reason: nil, coordinatesFlag: nil))
        return RegionSnapshot(region: Fixtures.bretagne, version: version, contentHash: "h\(version)", etag: nil, keyId: "k",
                              generatedAt: ISOInstant.string(Date()), expiresAt: ISOInstant.string(Date().addingTimeInterval(86_400)),
                              charters: [charter], structures: [Fixtures.structure("53-ML-1")], places: [place], indicators: [], tombstones: [])
    }

    @Test func aCharterAdoptedAtTheNodeChangesTheReportAfterTheNextHarvest() async throws {
        let file = temporaryDirectory("charters").appendingPathComponent("n.sqlite")
        let store = try NationalStore(path: file.path)
        let loader = try NationalContentLoader(LiveDirectoryTests.options(file), logger: Logger(label: "test"))
        func missing() async throws -> [CoverageGap] {
            let content = try await loader.load(from: store)
            return (content.coverage?.gaps ?? []).filter { $0.kind == .missingLieuMutualise }
        }
        try await store.replace(with: Self.snapshot(version: 1, requiresLieuMutualise: false), acceptedAt: Date())
        #expect(try await missing().isEmpty)
        // The Région adopts v2, which asks for a lieu mutualisé per bassin; the harvest brings it.
        try await store.replace(with: Self.snapshot(version: 2, requiresLieuMutualise: true), acceptedAt: Date())
        let gaps = try await missing()
        let brest = TestReference.pack.communes[CommuneCode(unchecked: "29019")]?.zone
        #expect(!gaps.isEmpty && gaps.contains { $0.zone == brest }, "\(gaps.map(\.zone))")
    }
}
