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

/// Which places are open during one minute, computed once for every search of that minute ("open now",
/// or `open_at` a given time): a filter that nothing passes at night reads one flag per place instead of
/// each place's hours, and scans the list of open places when it is the shortest its conditions name.
/// The last few minutes asked are kept.
final class OpenFlagsCache: Sendable {
    /// The minute asked: an instant's (minutes since 1970), or a wall-clock time read on each territory's clock.
    enum Minute: Hashable, Sendable {
        case instant(Int)
        case wallClock(year: Int, month: Int, day: Int, minute: Int)

        init(_ moment: SearchMoment) {
            switch moment {
            case .instant(let date): self = .instant(Int((date.timeIntervalSince1970 / 60).rounded(.down)))
            case .wallClock(let y, let m, let d, let minute): self = .wallClock(year: y, month: m, day: d, minute: minute)
            }
        }
    }

    /// The places open during one minute: a flag per place, and the indices of those open.
    struct OpenPlaces: Sendable {
        let flags: [Bool]
        let indices: [Int32]
    }

    /// Minutes kept: "now", and a few `open_at` times asked again and again.
    static let kept = 8
    private let recent = Mutex<[(minute: Minute, open: OpenPlaces)]>([])
    /// Held while a minute's flags are computed: the searches arriving meanwhile wait for them instead of
    /// each reading every place's hours too (32 clients at the turn of a minute did, at 80,000 places).
    private let computing = Mutex<Void>(())

    /// The places open during `minute`, from `compute`'s flags when it is not kept.
    func places(_ minute: Minute, compute: () -> [Bool]) -> OpenPlaces {
        if let kept = kept(minute) { return kept }
        return computing.withLock { _ in kept(minute) ?? computed(minute, compute()) }
    }

    private func kept(_ minute: Minute) -> OpenPlaces? {
        recent.withLock { list in list.first { $0.minute == minute }?.open }
    }

    private func computed(_ minute: Minute, _ flags: [Bool]) -> OpenPlaces {
        let open = OpenPlaces(flags: flags, indices: flags.indices.filter { flags[$0] }.map(Int32.init))
        recent.withLock { list in
            list.removeAll { $0.minute == minute }
            list.append((minute, open))
            if list.count > Self.kept { list.removeFirst(list.count - Self.kept) }
        }
        return open
    }
}
