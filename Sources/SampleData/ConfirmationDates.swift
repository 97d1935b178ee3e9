import Directory
import Foundation

/// When each sample record was last confirmed by its Région, as of a given day: most within the last
/// five months, about 4% due for an update (181 to 239 days) and about 3% overdue (240 days or more),
/// so freshness, the node's quality view and the coverage report's stale-data gap have something to find.
///
/// A record's age depends only on the seed and its id, not on the order of records.
public struct ConfirmationDates: Sendable {
    public let seed: UInt64

    public init(seed: UInt64 = 2014) {
        self.seed = seed
    }

    /// Age in days of the record `id` at the day of confirmation.
    func age(of id: String) -> Int {
        var rng = SeededRandom(seed: seed, streams: "confirmed", id)
        let draw = rng.unit()
        switch draw {
        case ..<0.03: return rng.int(245...420)
        case ..<0.07: return rng.int(181...239)
        default: return rng.int(0...150)
        }
    }

    /// `dataset` with every structure, place and channel dated `asOf` minus its age.
    public func apply(to dataset: RegionDataset, asOf: Date) -> RegionDataset {
        var d = dataset
        func day(_ id: String) -> String { ISODay.string(asOf.addingTimeInterval(-Double(age(of: id)) * 86_400)) }
        for i in d.structures.indices { d.structures[i].lastConfirmed = day(d.structures[i].id) }
        for i in d.places.indices { d.places[i].lastConfirmed = day(d.places[i].id) }
        for i in d.channels.indices { d.channels[i].lastConfirmed = day(d.channels[i].id) }
        return d
    }
}
