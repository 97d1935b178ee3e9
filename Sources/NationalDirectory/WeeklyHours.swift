import Directory
import PerformanceKit

/// The weekly opening hours of places, as coverage counts them: `OpeningHours(text).weeklyHours()`, nil
/// when a place has no hours or the parser refuses them.
///
/// Read once per coverage computation and shared by what needs them (the supply of the E2SFCA, the facts
/// a run keeps): each distinct text is parsed once, the distinct texts on every core (at 80,000 places,
/// about 5,500 texts).
public enum WeeklyHours {
    public static func of(_ places: [DirectoryPlace]) -> [Double?] { of(openingHours: places.map(\.place.openingHours)) }

    /// The weekly hours of the places `search` serves, from the hours it parsed already (each distinct text
    /// counted once): the same figures as `of(search.places)` without parsing every text again.
    public static func of(_ search: PlaceSearch) -> [Double?] {
        var known: [String: Double?] = [:]
        return search.places.indices.map { i in
            guard let text = search.places[i].place.openingHours, let hours = search.hours(at: i) else { return nil }
            if let counted = known[text] { return counted }
            let counted = hours.weeklyHours()
            known[text] = counted
            return counted
        }
    }

    /// The weekly hours of each `opening_hours` text (nil: none, or refused).
    public static func of(openingHours: [String?]) -> [Double?] {
        var slot: [String: Int] = [:]
        var texts: [String] = []
        let index = openingHours.map { text -> Int? in
            guard let text else { return nil }
            if let known = slot[text] { return known }
            slot[text] = texts.count
            texts.append(text)
            return texts.count - 1
        }
        let hours = try! texts.inParallelChunks { chunk in chunk.map { (try? OpeningHours($0))?.weeklyHours() } }.flatMap { $0 }  // cannot throw
        return index.map { $0.flatMap { hours[$0] } }
    }
}
