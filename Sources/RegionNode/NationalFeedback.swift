import AsyncHTTPClient
import Directory
import Foundation
import NIOCore

/// What the national harvester found in this Région's data (`GET <national>/api/v1/harvest/<code>/anomalies`),
/// shown on the team's dashboard. Fetched at most every `maxAge` and kept: the dashboard never waits more
/// than `timeout` on the national service, and a failure is shown as such, never as "no anomaly".
actor NationalFeedback {
    /// The national answer, as much of it as the dashboard shows.
    struct Report: Decodable, Sendable {
        struct Anomaly: Decodable, Sendable {
            var kind: String
            var record: String?
            var id: String?
            var field: String?
            var message: String
        }
        var harvestedAt: String?
        var status: String?
        var anomalies: [Anomaly]
    }

    enum State: Sendable {
        /// No national service configured (`--national`).
        case notConfigured
        case fetched(Report, at: Date, page: String)
        case unreachable(String, page: String)
    }

    let base: String?
    let region: RegionCode
    let maxAge: TimeInterval
    let timeout: TimeAmount
    private var last: (state: State, at: Date)?

    init(base: String?, region: RegionCode, maxAge: TimeInterval = 300, timeout: TimeAmount = .seconds(2)) {
        self.base = base.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.region = region
        self.maxAge = maxAge
        self.timeout = timeout
    }

    /// The latest report, fetched again when older than `maxAge`.
    func current(now: Date = Date()) async -> State {
        guard let base else { return .notConfigured }
        if let last, now.timeIntervalSince(last.at) < maxAge { return last.state }
        let page = "\(base)/moissonnage/\(region.rawValue)"
        let state: State
        do {
            var request = HTTPClientRequest(url: "\(base)/api/v1/harvest/\(region.rawValue)/anomalies")
            request.headers.add(name: "Accept", value: "application/json")
            let response = try await HTTPClient.shared.execute(request, timeout: timeout)
            guard response.status == .ok else { throw Failure(description: "réponse \(response.status.code)") }
            let body = try await response.body.collect(upTo: 16 << 20)
            state = .fetched(try JSONDecoder().decode(Report.self, from: Data(buffer: body)), at: now, page: page)
        } catch let failure as Failure {
            state = .unreachable(failure.description, page: page)
        } catch is DecodingError {
            state = .unreachable("réponse illisible", page: page)
        } catch {
            state = .unreachable("service injoignable (\(String(describing: error).prefix(120)))", page: page)
        }
        last = (state, now)
        return state
    }

    struct Failure: Error { let description: String }
}
