import Directory
import Foundation
import Harvest
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NationalDirectory
import ServerFoundation
import SproTestSupport
import Testing
@testable import NationalServer

/// What the national directory sends back to each Région: its refusals and the records it flagged, on a
/// French page and as JSON, over places stored and located by the real geocoder.
@Suite struct RegionAnomaliesTests {
    static let normandie = MergedPlacesTests.normandie, paysDeLaLoire = MergedPlacesTests.paysDeLaLoire

    /// Normandie: a precise place, one whose coordinates lie in Paris, one with another commune's postcode,
    /// one not confirmed for a year, one no geocoder can place; Pays de la Loire lists the precise one too.
    static func content(now: Date) async throws -> NationalContent {
        let store = try MergedPlacesTests.nationalStore()
        var precise = MergedPlacesTests.alencon("28-OK", structures: ["28-MDE"], at: GeoPoint(lat: 48.4300, lon: 0.0910))
        precise.lastConfirmed = "2026-11-01"
        let inParis = MergedPlacesTests.alencon("28-PARIS", structures: ["28-MDE"], at: GeoPoint(lat: 48.8566, lon: 2.3522))
        // 14000 is Caen's postcode; the commune code says Alençon.
        var wrongPostcode = MergedPlacesTests.alencon("28-CP", structures: ["28-MDE"])
        wrongPostcode.address.postcode = Postcode(unchecked: "14000")
        var old = MergedPlacesTests.alencon("28-OLD", structures: ["28-MDE"], at: GeoPoint(lat: 48.4310, lon: 0.0920))
        old.lastConfirmed = "2025-10-01"
        let nowhere = Fixtures.place("28-NOWHERE", structures: ["28-MDE"], postcode: "99999", city: "Nulle-Part", commune: nil)
        try await MergedPlacesTests.store(store, normandie, structures: [MergedPlacesTests.structure("28-MDE", sameAs: "MDE")],
                                          places: [precise, inParis, wrongPostcode, old, nowhere])
        try await MergedPlacesTests.store(store, paysDeLaLoire, structures: [MergedPlacesTests.structure("52-MDE", sameAs: "MDE")],
                                          places: [MergedPlacesTests.alencon("52-OK", structures: ["52-MDE"], at: GeoPoint(lat: 48.4300, lon: 0.0910))])
        // The last harvest refused Pays de la Loire's new export and dropped one Normandie record.
        var normandieOutcome = ProbesTests.outcome("28", .accepted)
        normandieOutcome.anomalies = [Anomaly(kind: "place", id: "28-BAD", field: "openingHours", rule: "syntaxe opening_hours invalide")]
        let report = HarvestReport(startedAt: "2026-12-01T08:00:00Z", finishedAt: "2026-12-01T08:01:00Z", durationSeconds: 60,
                                   regions: [normandieOutcome, ProbesTests.outcome("52", .refused)])
        try await store.recordRun(startedAt: Date(), finishedAt: Date(), reportJSON: String(decoding: try SproJSON.encoder().encode(report), as: UTF8.self))
        return try await NationalContent.load(from: store, resolveQuery: { _ in .failure(QueryProblem("-")) }, reference: TestReference.pack, now: now)
    }

    static let now = ISODay.parse("2026-12-03")!

    @Test func eachRegionGetsItsRefusalsAndFlaggedRecordsWithTheReason() async throws {
        let anomalies = try await Self.content(now: Self.now).anomalies
        let normandie = anomalies.of(Self.normandie)
        func kinds(_ id: String) -> Set<RegionAnomaly.Kind> { Set(normandie.filter { $0.id == id }.map(\.kind)) }
        #expect(kinds("28-BAD") == [.recordRefused])
        #expect(kinds("28-PARIS") == [.coordinatesSetAside])
        // Without a street-level index it is also located at the commune only.
        #expect(kinds("28-CP") == [.postcodeMismatch, .communeLevel])
        #expect(kinds("28-OLD") == [.stale])
        #expect(kinds("28-NOWHERE") == [.unresolved])
        // Listed by both Régions: each is told, naming the other's record.
        #expect(kinds("28-OK") == [.mergedWithOtherRegion])
        #expect(normandie.first { $0.id == "28-OK" }?.message.contains("52-OK (Région 52)") == true)
        let paris = try #require(normandie.first { $0.id == "28-PARIS" })
        #expect(paris.message.contains("48.8566, 2.3522") && paris.field == "coordinates")
        #expect(normandie.first { $0.id == "28-CP" }?.message.contains("14000") == true)

        let loire = anomalies.of(Self.paysDeLaLoire)
        #expect(loire.first?.kind == .exportRefused)
        #expect(loire.first?.message.contains("signature invalide") == true)
        #expect(loire.contains { $0.kind == .mergedWithOtherRegion && $0.id == "52-OK" })
        #expect(anomalies.of(Fixtures.bretagne).isEmpty)
    }

    /// The harvest report file carries the same flags for each Région, beside (not repeating) its refusals.
    @Test func theHarvestReportListsEachRegionsFlaggedRecords() async throws {
        let content = try await Self.content(now: Self.now)
        var report = try #require(content.harvestReport)
        #expect(report.regions.allSatisfy { $0.flagged == nil })
        report.flag(places: content.search.places, states: content.acceptedStates, reference: TestReference.pack, now: Self.now)
        let normandie = try #require(report.regions.first { $0.region == Self.normandie }?.flagged)
        #expect(Set(normandie.map(\.kind)) == [.coordinatesSetAside, .postcodeMismatch, .communeLevel, .stale, .unresolved, .mergedWithOtherRegion])
        #expect(normandie == content.anomalies.of(Self.normandie).filter { $0.kind != .recordRefused })
        #expect(report.regions.first { $0.region == Self.paysDeLaLoire }?.flagged?.map(\.kind) == [.mergedWithOtherRegion])
        // Written and read back as the file is.
        let decoded = try SproJSON.decoder().decode(HarvestReport.self, from: try SproJSON.encoder().encode(report))
        #expect(decoded.regions.first { $0.region == Self.normandie }?.flagged == normandie)
    }

    @Test func aRecordConfirmedRecentlyIsNotStale() async throws {
        // A year later than `now`'s reference, 28-OK's confirmation (2026-11-01) is old too.
        let later = try await Self.content(now: ISODay.parse("2027-08-01")!).anomalies.of(Self.normandie)
        #expect(later.contains { $0.id == "28-OK" && $0.kind == .stale })
        let soon = try await Self.content(now: Self.now).anomalies.of(Self.normandie)
        #expect(!soon.contains { $0.id == "28-OK" && $0.kind == .stale })
    }

    @Test func theRegionPageAndItsJSONShowThemInFrench() async throws {
        let app = NationalAppTests.app(try await Self.content(now: Date()))
        try await app.test(.router) { client in
            try await client.execute(uri: "/moissonnage/28", method: .get) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("<html lang=\"fr\""))
                #expect(html.contains("Coordonnées écartées (1)"))
                #expect(html.contains("Code postal ne correspondant pas à la commune (1)"))
                #expect(html.contains("Enregistrements rejetés (1)"))
                #expect(html.contains("28-BAD"))
            }
            try await client.execute(uri: "/api/v1/harvest/28/anomalies", method: .get) { response in
                #expect(response.status == .ok)
                let report = try JSONDecoder().decode(RegionAnomalyReport.self, from: Data(buffer: response.body))
                #expect(report.region.rawValue == "28" && report.status == .accepted)
                #expect(report.anomalies.contains { $0.kind == .coordinatesSetAside && $0.id == "28-PARIS" })
            }
            // The summary links each Région to its page with the count.
            try await client.execute(uri: "/moissonnage", method: .get) { response in
                #expect(String(buffer: response.body).contains("href=\"/moissonnage/52\""))
            }
            try await client.execute(uri: "/moissonnage/99", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("Région inconnue"))
            }
            try await client.execute(uri: "/api/v1/harvest/xx/anomalies", method: .get) { #expect($0.status == .notFound) }
        }
    }
}
