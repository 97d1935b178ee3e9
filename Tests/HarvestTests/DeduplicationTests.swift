import Directory
import Foundation
import Geocoding
import NationalDirectory
import RegionNode
import Signing
import SproTestSupport
import Testing
@testable import Harvest

/// Records listed by two Régions, harvested over real HTTP from real nodes into a real national file:
/// Normandie (28) and Pays de la Loire (52) share the bassin d'emploi of Alençon (0051).
@Suite(.serialized) struct DeduplicationTests {
    static let geocoder = Geocoder(pack: TestReference.pack)
    static let normandie = RegionCode(unchecked: "28"), paysDeLaLoire = RegionCode(unchecked: "52")

    /// The Maison de l'emploi of the bassin and its PLIE: one SIRET each, whichever Région lists them.
    static let maisonSIRET = Fixtures.structure("MDE-ALENCON").siret, plieSIRET = Fixtures.structure("PLIE-ALENCON").siret

    static func shared(_ id: String, network: Network, siret: SIRET?) -> Structure {
        // A Maison de l'emploi or a PLIE is referenced under the Région's charter (not a CEP operator by law).
        var s = Fixtures.structure(id, network: network, basis: .regionalCharter)
        s.siret = siret
        return s
    }

    /// A place of the bassin in Alençon (Normandie), at "12 rue de Siam" unless told otherwise.
    static func alencon(_ id: String, structures: [String], line: String = "12 rue de Siam") -> Place {
        var p = Fixtures.place(id, structures: structures, postcode: "61000", city: "Alençon", commune: "61001")
        p.address.lines = [line]
        return p
    }

    /// Normandie lists the shared lieu in Alençon; so does Pays de la Loire (the bassin is also its own).
    static func normandieData(sharedPlace: Bool = true) -> RegionDataset {
        let structures = [shared("28-ME-1", network: .maisonEmploi, siret: maisonSIRET), shared("28-PLIE-1", network: .plie, siret: plieSIRET),
                          Fixtures.structure("28-ML-1")]
        var places = [alencon("28-ML-1-01", structures: ["28-ML-1"], line: "3 place du Plénitre")]
        if sharedPlace { places.append(alencon("28-ME-1-01", structures: ["28-ME-1", "28-PLIE-1"])) }
        for i in places.indices { places[i].lastConfirmed = "2026-01-12" }
        return RegionDataset(region: normandie, structures: structures, places: places, indicators: [])
    }

    static func paysDeLaLoireData(sharedPlace: Bool = true) -> RegionDataset {
        let structures = [shared("52-ME-7", network: .maisonEmploi, siret: maisonSIRET), shared("52-PLIE-3", network: .plie, siret: plieSIRET),
                          Fixtures.structure("52-ML-1")]
        var places = [Fixtures.place("52-ML-1-01", structures: ["52-ML-1"], postcode: "72000", city: "Le Mans", commune: "72181")]
        // Written another way: "r." for "rue", capitals; the same address once normalised.
        if sharedPlace { places.append(alencon("52-ME-7-02", structures: ["52-ME-7", "52-PLIE-3"], line: "12 R. DE SIAM")) }
        return RegionDataset(region: paysDeLaLoire, structures: structures, places: places, indicators: [])
    }

    func node(_ code: RegionCode, _ data: RegionDataset) async throws -> TestNode {
        let node = try TestNode(region: code)
        try await node.store.importDataset(data)
        return node
    }

    func harvester(_ regions: [Region], store: NationalStore) -> Harvester {
        Harvester(regions: regions, store: store, reference: TestReference.pack,
                  locator: GeocodingLocator(geocoder: Self.geocoder, reference: TestReference.pack),
                  fetcher: ExportFetcher(limits: FetchLimits(idleTimeout: 20, totalTimeout: 60, attempts: 1)))
    }

    /// Harvests both nodes in one run, at `now`.
    func harvestBoth(_ a: TestNode, _ b: TestNode, into store: NationalStore, at now: Date = Date()) async throws -> HarvestReport {
        try await Loopback.serveNode(a.store) { urlA in
            try await Loopback.serveNode(b.store) { urlB in
                try await harvester([a.registryEntry(url: urlA), b.registryEntry(url: urlB)], store: store).run(now: { now })
            }
        }
    }

    func nationalStore() throws -> NationalStore {
        try NationalStore(path: temporaryDirectory("national").appendingPathComponent("national.sqlite").path)
    }

    @Test func aStructureListedByTwoRegionsIsOneNationalStructureWithBothSources() async throws {
        let store = try nationalStore()
        let report = try await harvestBoth(try await node(Self.normandie, Self.normandieData()),
                                           try await node(Self.paysDeLaLoire, Self.paysDeLaLoireData()), into: store)
        #expect(report.regions.map(\.status) == [.accepted, .accepted], "\(report.regions.map { $0.refusal ?? "" })")
        #expect(try await store.totals().structures == 6)
        let national = try await store.nationalStructures()
        #expect(national.count == 4)  // the two shared ones, and each Région's own Mission locale
        let maison = try #require(national.first { $0.key == .siret(Self.maisonSIRET!.rawValue) })
        #expect(maison.sources.map(\.region) == [Self.normandie, Self.paysDeLaLoire])
        #expect(maison.sources.map(\.id) == ["28-ME-1", "52-ME-7"])
        #expect(maison.sources.allSatisfy { $0.exportVersion == 1 })
        let own = national.filter { $0.sources.count == 1 }.map(\.structure.id).sorted()
        #expect(own == ["28-ML-1", "52-ML-1"])
    }

    @Test func aSharedPlaceIsStoredTwiceAndServedOnceWithBothSources() async throws {
        let store = try nationalStore()
        let report = try await harvestBoth(try await node(Self.normandie, Self.normandieData()),
                                           try await node(Self.paysDeLaLoire, Self.paysDeLaLoireData()), into: store)
        // Pays de la Loire speaks for the bassin of Alençon too, which straddles both Régions.
        #expect(report.regions.first { $0.region == Self.paysDeLaLoire }?.status == .accepted)
        #expect(try await store.totals().places == 4)
        let places = try await store.directoryPlaces()
        #expect(places.count == 3)
        let lieu = try #require(places.first { $0.sources.count > 1 })
        #expect(lieu.sources.map(\.region) == [Self.normandie, Self.paysDeLaLoire])
        #expect(Set(lieu.sources.map(\.id)) == ["28-ME-1-01", "52-ME-7-02"])
        #expect(lieu.place.isLieuMutualise && lieu.structures.count == 2)
        let search = PlaceSearch(places: places)
        let hits = search.nearest(to: GeoPoint(lat: 48.43, lon: 0.09), limit: 10, radiusMetres: 5_000)
        #expect(hits.filter { $0.place.place.isLieuMutualise }.count == 1)
    }

    @Test func provenanceFirstHarvestedStaysLastChangedMovesOnlyWithContent() async throws {
        let store = try nationalStore()
        let a = try await node(Self.normandie, Self.normandieData())
        let b = try await node(Self.paysDeLaLoire, Self.paysDeLaLoireData())
        // Now, then a quarter of an hour on: not before the exports' `generatedAt` (the nodes date them with
        // the real clock), which a harvester refuses past its clock skew.
        let t0 = Date(), t1 = Date().addingTimeInterval(900)
        _ = try await harvestBoth(a, b, into: store, at: t0)
        // Normandie renames its Mission locale's place, and reconfirms the shared lieu without changing it.
        var changed = Self.normandieData()
        changed.places[0].name = "Mission locale d'Alençon"
        changed.places[1].lastConfirmed = "2026-03-02"
        try await a.store.importDataset(changed)
        let report = try await harvestBoth(a, b, into: store, at: t1)
        #expect(report.regions.first { $0.region == Self.normandie }?.versionInService == 2)

        let sources = try await store.directoryPlaces().flatMap(\.sources)
        let renamed = try #require(sources.first { $0.id == "28-ML-1-01" })
        #expect(renamed.firstHarvested == ISOInstant.string(t0) && renamed.lastChanged == ISOInstant.string(t1))
        #expect(renamed.exportVersion == 2)
        let state = try #require(try await store.acceptedState(Self.normandie))
        #expect(renamed.generatedAt == state.generatedAt)
        // Carried by the same new export, reconfirmed, but its content is unchanged.
        let same = try #require(sources.first { $0.id == "28-ME-1-01" })
        #expect(same.firstHarvested == ISOInstant.string(t0) && same.lastChanged == ISOInstant.string(t0) && same.exportVersion == 2)
        // The other Région was unchanged (304): its records keep their version and dates.
        let other = try #require(sources.first { $0.id == "52-ML-1-01" })
        #expect(other.exportVersion == 1 && other.lastChanged == ISOInstant.string(t0))
    }

    @Test func whenOneRegionWithdrawsTheSharedPlaceItStaysWithOneSource() async throws {
        let store = try nationalStore()
        let a = try await node(Self.normandie, Self.normandieData())
        let b = try await node(Self.paysDeLaLoire, Self.paysDeLaLoireData())
        _ = try await harvestBoth(a, b, into: store)
        #expect(try await store.directoryPlaces().contains { $0.sources.count == 2 })
        try await b.store.importDataset(Self.paysDeLaLoireData(sharedPlace: false))
        let report = try await harvestBoth(a, b, into: store)
        #expect(report.regions.first { $0.region == Self.paysDeLaLoire }?.removed == 1)
        let places = try await store.directoryPlaces()
        #expect(places.count == 3)
        let lieu = try #require(places.first { $0.place.isLieuMutualise })
        #expect(lieu.sources.map(\.region) == [Self.normandie] && lieu.region == Self.normandie)
    }
}
