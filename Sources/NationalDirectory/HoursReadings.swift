import Directory
import Synchronization

/// The last `HoursReading` of each place, kept until it stops holding (the place's next change, or local
/// midnight). Searching the next change of a place's hours for every hit of every answer took about half
/// of a nearest request's CPU under wrk; a reading is now computed once per place and span.
final class HoursReadings: Sendable {
    private final class Slot: Sendable {
        let reading = Mutex<HoursReading?>(nil)
        /// The state alone, kept by "open now" filters (which need no text).
        let span = Mutex<OpenSpan?>(nil)
    }

    private let slots: [Slot]

    init(count: Int) {
        slots = (0..<count).map { _ in Slot() }
    }

    /// The state of place `index` at `moment`: kept if a kept span or reading holds; else, with `keep`,
    /// its span computed and kept (a search at the present minute), otherwise its hours evaluated alone
    /// (another moment, which would only replace what later searches of the present need).
    func state(_ index: Int, of hours: OpeningHours, at moment: LocalMoment, keep: Bool) -> OpeningState {
        let slot = slots[index]
        if let span = slot.span.withLock({ $0 }), span.holds(at: moment) { return span.state }
        if let reading = slot.reading.withLock({ $0 }), reading.holds(at: moment) { return reading.state }
        guard keep else { return hours.isOpen(at: moment) }
        let span = hours.openSpan(at: moment)
        slot.span.withLock { $0 = span }
        return span.state
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

/// Which places are open during one minute, computed once for every "open now" search of that minute:
/// a filter that nothing passes at night reads one flag per place instead of each place's kept state.
final class OpenNowFlags: Sendable {
    private let current = Mutex<(minute: Int, open: [Bool])?>(nil)

    /// The flags of `minute` (minutes since 1970), computed by `compute` when this minute has none yet.
    func flags(minute: Int, compute: () -> [Bool]) -> [Bool] {
        if let kept = current.withLock({ $0 }), kept.minute == minute { return kept.open }
        let open = compute()
        current.withLock { $0 = (minute, open) }
        return open
    }
}
