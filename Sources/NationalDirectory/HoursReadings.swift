import Directory
import Synchronization

/// The last `HoursReading` of each place, kept until it stops holding (the place's next change, or local
/// midnight). Searching the next change of a place's hours for every hit of every answer took about half
/// of a nearest request's CPU under wrk; a reading is now computed once per place and span.
final class HoursReadings: Sendable {
    private final class Slot: Sendable {
        let reading = Mutex<HoursReading?>(nil)
    }

    private let slots: [Slot]

    init(count: Int) {
        slots = (0..<count).map { _ in Slot() }
    }

    /// The kept reading of place `index` if it holds at `moment`.
    func kept(_ index: Int, at moment: LocalMoment) -> HoursReading? {
        slots[index].reading.withLock { $0 }.flatMap { $0.holds(at: moment) ? $0 : nil }
    }

    /// The reading of place `index` at `moment`: the kept one if it holds, else `hours` read again (and kept).
    func reading(_ index: Int, of hours: OpeningHours, at moment: LocalMoment) -> HoursReading {
        let slot = slots[index]
        if let kept = slot.reading.withLock({ $0 }), kept.holds(at: moment) { return kept }
        let fresh = hours.reading(at: moment)
        slot.reading.withLock { $0 = fresh }
        return fresh
    }
}
