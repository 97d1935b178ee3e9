import Foundation

/// An instant read once on a Paris wall clock: its calendar day, minute of the day and public holiday.
///
/// Evaluating many places' opening hours at one instant (a search answer) should read the clock once:
/// build the moment per request and pass it to `OpeningHours.isOpen(at:)` and `frenchDescription(on:)`.
public struct ParisMoment: Sendable, Hashable {
    /// The instant itself.
    public let instant: Date
    let day: CivilDate
    /// Minutes since Paris midnight, 0..<1440.
    let minute: Int
    /// The French name of the public holiday the Paris day is, or nil.
    public let holiday: String?

    public init(_ instant: Date) {
        self.instant = instant
        (day, minute) = ParisTime.local(instant)
        holiday = FrenchPublicHolidays.name(of: day)
    }
}
