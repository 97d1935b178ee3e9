import Directory
import Foundation
import HTTPTypes
import Harvest
import Hummingbird
import HummingbirdTesting
import NationalDirectory
import PerformanceKit
import ServerFoundation
import SproTestSupport
import Synchronization
import Testing
@testable import NationalServer

/// `/healthz`, `/metrics`, and the server loading its content from the files it is given, as
/// `spro national serve` starts it. Serialized: the gauges are the process's, recorded by the server
/// scraped, so two scrapes at once could read each other's values.
@Suite(.serialized) struct ProbesTests {
    static func outcome(_ region: String, _ status: RegionOutcome.Status) -> RegionOutcome {
        RegionOutcome(region: RegionCode(unchecked: region), name: "Région \(region)", status: status, versionInService: 3, offeredVersion: 3,
                      refusal: status == .refused ? "signature invalide" : nil, refusalCode: nil, added: 0, updated: 0, removed: 0,
                      places: 4, unresolvedPlaces: [], anomalies: [], durationSeconds: 0.1, stale: false)
    }

    /// The lines of a Prometheus text answer whose name is `name` and which carry every label given.
    static func samples(_ text: String, _ name: String, _ labels: [String] = []) -> [String] {
        text.split(separator: "\n").map(String.init).filter { line in
            (line.hasPrefix(name + " ") || line.hasPrefix(name + "{")) && labels.allSatisfy { line.contains($0) }
        }
    }

    static func value(_ line: String?) -> Double? {
        line?.split(separator: " ").last.flatMap { Double($0) }
    }

    @Test func healthzAnswersAndMetricsCountRequestsAndShowWhatIsServed() async throws {
        var content = try await NationalAppTests.content()
        content.harvestReport = HarvestReport(startedAt: "2026-07-07T08:00:00Z", finishedAt: "2026-07-07T08:01:00Z", durationSeconds: 60,
                                              regions: [Self.outcome("53", .accepted), Self.outcome("84", .refused)])
        try await NationalAppTests.app(content).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok && String(buffer: response.body) == "ok")
            }
            for _ in 0..<2 {
                try await client.execute(uri: "/api/v1/channels?region=53", method: .get) { #expect($0.status == .ok) }
            }
            try await client.execute(uri: "/api/v1/channels?region=999", method: .get) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = String(buffer: response.body)
                // Counted by route and status (the route's pattern, not the URI with its query).
                let route = #"http_route="/api/v1/channels""#
                let ok = Self.samples(text, "hb_requests", [route, #"http_response_status_code="200""#])
                let refused = Self.samples(text, "hb_requests", [route, #"http_response_status_code="400""#])
                #expect(ok.count == 1 && (Self.value(ok.first) ?? 0) >= 2, "\(ok)")
                #expect(refused.count == 1 && (Self.value(refused.first) ?? 0) >= 1, "\(refused)")
                #expect(!Self.samples(text, "http_server_request_duration_bucket", [route]).isEmpty)
                // What this server serves.
                #expect(Self.value(Self.samples(text, "spro_national_places").first) == 4)
                #expect(Self.value(Self.samples(text, "spro_national_places_located").first) == 4)
                #expect(Self.value(Self.samples(text, "spro_national_structures").first) == 3)
                #expect(Self.value(Self.samples(text, "spro_national_channels").first) == 1)
                #expect(Self.value(Self.samples(text, "spro_national_regions").first) == 1)
                // Each Région's last harvest: one series per status, 1 for the one it has.
                func status(_ region: String, _ status: String) -> Double? {
                    Self.value(Self.samples(text, "spro_harvest_region_status", [#"region="\#(region)""#, #"status="\#(status)""#]).first)
                }
                #expect(status("53", "accepted") == 1 && status("53", "refused") == 0 && status("53", "unchanged") == 0)
                #expect(status("84", "refused") == 1 && status("84", "accepted") == 0)
                #expect(Self.value(Self.samples(text, "spro_harvest_finished_timestamp_seconds").first)
                        == ISOInstant.parse("2026-07-07T08:01:00Z")?.timeIntervalSince1970)
            }
        }
    }

    /// `spro national serve`'s path: the national file, the reference pack and the charters named, the
    /// content loaded and coverage computed by `buildApplication` itself.
    @Test func theServerLoadsWhatItServesFromTheFilesItIsGiven() async throws {
        let options = NationalServerOptions(nationalDatabase: try await NationalAppTests.storeFile(), referenceDirectory: TestReference.directory)
        let app = try await NationalApp.buildApplication(options)
        try await app.test(.router) { client in
            try await client.waitUntilReady()
            try await client.execute(uri: "/api/v1/stats", method: .get) { response in
                #expect(response.status == .ok)
                let totals = try JSONDecoder().decode(DirectoryTotals.self, from: Data(buffer: response.body))
                #expect(totals.places == 4)
            }
            // q= resolved with the pack's communes.
            try await client.execute(uri: "/api/v1/places/nearest?q=Quimper&limit=2", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("\"id\":\"53/quimper-"))
            }
            // Coverage computed at start from the places served.
            try await client.execute(uri: "/api/v1/coverage", method: .get) { response in
                #expect(response.status == .ok)
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect((body?["zones"] as? [Any])?.count == 306)
                #expect(body?["nationalPlaces"] as? Int == 4)
            }
            try await client.execute(uri: "/couverture", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/carte.svg?bbox=-4.25,47.9,-3.95,48.1", method: .get) { response in
                #expect(response.status == .ok && String(buffer: response.body).contains("data-code=\"29\""))
            }
        }
    }

    #if os(Linux)
    /// Requests answered while the background thread works mark it to rest between its bursts of CPU, and the
    /// rests are counted in `/metrics` (`spro_background_rests_total`).
    @Test func requestsPaceTheBackgroundThreadAndItsRestsAreCounted() async throws {
        let content = try await NationalAppTests.content()
        try await NationalAppTests.app(content).test(.router) { client in
            let before = BackgroundPacing.pauses
            let done = Atomic<Bool>(false)
            async let rests: Int = withTaskExecutorPreference(BackgroundExecutor.shared) {
                defer { done.store(true, ordering: .relaxed) }
                let (start, cpu) = (BackgroundPacing.pauses, currentThreadCPUSeconds())
                var x = 0.0, i = 0
                while currentThreadCPUSeconds() - cpu < 0.08 {
                    for _ in 0..<1_000 { x += Double(i).squareRoot(); i += 1 }
                }
                return x > 0 ? BackgroundPacing.pauses - start : -1
            }
            var answered = 0
            while !done.load(ordering: .relaxed) {
                try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
                answered += 1
            }
            let rested = await rests
            // About one per millisecond of CPU while requests arrive; fewer when other suites keep the test's loop
            // waiting for a core; none without the middleware's mark.
            #expect(rested >= 3, "\(rested) rests while \(answered) requests were answered")
            try await client.execute(uri: "/metrics", method: .get) { response in
                let total = Self.value(Self.samples(String(buffer: response.body), "spro_background_rests_total").first) ?? 0
                #expect(total >= Double(before + rested), "\(total) counted, \(before + rested) at least")
            }
        }
    }
    #endif
}
