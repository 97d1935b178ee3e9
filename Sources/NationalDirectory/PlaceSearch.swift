import Directory
import Foundation

/// Filters the public may apply to a nearest-place search. Nil means "any".
public struct SearchFilter: Sendable, Equatable {
    public var service: Service?
    public var publicServed: Public?
    public var network: Network?
    public var cepLevel: Int?
    public var sansRendezVous: Bool?
    public var accessible: Bool?
    /// Only places open at this moment, each read on its territory's clock with its public holidays.
    public var openAt: SearchMoment?

    public init(service: Service? = nil, publicServed: Public? = nil, network: Network? = nil, cepLevel: Int? = nil,
                sansRendezVous: Bool? = nil, accessible: Bool? = nil, openAt: SearchMoment? = nil) {
        self.service = service
        self.publicServed = publicServed
        self.network = network
        self.cepLevel = cepLevel
        self.sansRendezVous = sansRendezVous
        self.accessible = accessible
        self.openAt = openAt
    }
}

/// One search hit: the place and its great-circle distance from the origin.
public struct SearchHit: Sendable {
    /// The place's index in `PlaceSearch.places`, for what a server keeps beside each place.
    public let index: Int
    public let place: DirectoryPlace
    public let distanceMetres: Double
    /// The place's parsed opening hours (nil when absent or unreadable).
    public let hours: OpeningHours?
    /// Where the place's hours are read: its time zone and public holidays.
    public let territory: Territory

    public init(index: Int, place: DirectoryPlace, distanceMetres: Double, hours: OpeningHours?, territory: Territory) {
        self.index = index
        self.place = place
        self.distanceMetres = distanceMetres
        self.hours = hours
        self.territory = territory
    }
}

/// Nearest-place search over the national directory, held in memory with a grid index.
/// Results are ordered by distance only: no network is favoured (service public neutrality).
public struct PlaceSearch: Sendable {
    /// Every place given, located or not, in the order given.
    public let places: [DirectoryPlace]
    private let hours: [OpeningHours?]
    private let territories: [Territory]
    private let grid: SpatialGrid<Int>
    private let readings: HoursReadings
    private let traits: [PlaceTraits]
    private let positions: [GeoPoint?]
    private let candidates: CandidateLists
    private let openFlags = OpenFlagsCache()

    /// Indexes the places that have a position (unresolved ones cannot be found by distance),
    /// parsing each distinct opening hours text once.
    public init(places: [DirectoryPlace]) {
        self.places = places
        // Each distinct text parsed once: places share a few hundred weekly patterns (8,000 places, ~600 texts).
        var parsed: [String: OpeningHours?] = [:]
        hours = places.map { place in
            place.place.openingHours.flatMap { text in
                if let known = parsed[text] { return known }
                let hours = try? OpeningHours(text)
                parsed[text] = hours
                return hours
            }
        }
        territories = places.map(Self.territory)
        readings = HoursReadings(count: places.count)
        traits = places.map(PlaceTraits.init)
        let positions = places.map(\.location.position)
        self.positions = positions
        candidates = CandidateLists(traits: traits, located: positions.map { $0 != nil })
        grid = SpatialGrid(places.indices.compactMap { i in positions[i].map { ($0, i) } }, cellDegrees: 0.1)
    }

    /// Number of places that can be found.
    public var indexedCount: Int { grid.count }

    /// The opening hours of `places[index]`, parsed once (nil when absent or unreadable).
    public func hours(at index: Int) -> OpeningHours? { hours[index] }

    /// What the hours of `places[index]` say at `moment` (read on the place's territory), nil without hours.
    /// Readings are kept per place while they hold, so this is cheap for the many answers of one minute.
    public func reading(at index: Int, moment: LocalMoment) -> HoursReading? {
        hours[index].map { readings.reading(index, of: $0, at: moment) }
    }

    /// Whether `places[index]` passes `filter`: its record's fields, and with `moment` (the filter's
    /// `openAt` on the place's clock), its hours then.
    public func passes(_ index: Int, _ filter: SearchFilter, moment: LocalMoment?) -> Bool {
        passes(index, TraitFilter(filter), moment: moment, openFlags: nil)
    }

    /// The record's fields first; a place's hours are read only if it passes them, from this minute's open
    /// flags when given, else from its kept state when that holds at `moment`.
    private func passes(_ i: Int, _ record: TraitFilter, moment: LocalMoment?, openFlags: [Bool]?) -> Bool {
        guard record.passes(traits[i]) else { return false }
        if let openFlags { return openFlags[i] }
        guard let moment else { return true }
        guard let h = hours[i] else { return false }
        return readings.state(i, of: h, at: moment, keep: false) == .open
    }

    /// Where the hours of `places[index]` are read.
    public func territory(at index: Int) -> Territory { territories[index] }

    /// The `limit` nearest places to `origin` passing `filter`, within `radiusMetres` if given.
    ///
    /// Without a filter, the grid is walked outward and no place is looked at until it is among the
    /// nearest (most public queries). With one, the shortest list of places its conditions name (a
    /// service's, a public's, the places open at the minute asked...) is scanned when it holds at most an eighth
    /// of the places, so a filter few places pass costs that list's length, not a walk of the whole grid;
    /// otherwise many places pass and the grid finds them near the origin.
    public func nearest(to origin: GeoPoint, limit: Int, radiusMetres: Double? = nil, filter: SearchFilter = SearchFilter()) -> [SearchHit] {
        let record = TraitFilter(filter)
        // Within one minute every place's state is the same: opening filters read flags computed once for
        // the minute. "Now" keeps each place's state until it changes; another moment evaluates the hours
        // without keeping them (they would only replace what searches of the present need).
        let open = filter.openAt.map { moment in
            openFlags.places(OpenFlagsCache.Minute(moment)) {
                var keep = false
                if case .instant(let date) = moment, abs(date.timeIntervalSinceNow) < 60 { keep = true }
                let moments = moment.moments
                return places.indices.map { i in
                    hours[i].map { readings.state(i, of: $0, at: moments[territories[i].rawValue], keep: keep) == .open } ?? false
                }
            }
        }
        let found: [(index: Int, distance: Double)]
        if filter == SearchFilter() {
            found = grid.nearest(to: origin, k: limit, maxDistance: radiusMetres).map { ($0.entry.item, $0.distance) }
        } else if let list = candidates.shortest(for: filter, open: open?.indices), list.count <= places.count / 8 {
            found = scan(list, from: origin, limit: limit, radiusMetres: radiusMetres) {
                passes($0, record, moment: nil, openFlags: open?.flags)
            }
        } else {
            found = grid.nearest(to: origin, k: limit, maxDistance: radiusMetres,
                                 where: { passes($0, record, moment: nil, openFlags: open?.flags) })
                .map { ($0.entry.item, $0.distance) }
        }
        // Ranked by distance only; at equal distances a precise position comes before one that is only
        // its commune's centre (issue 15, item 6), then the order found.
        let ranked = found.enumerated().sorted {
            ($0.element.distance, places[$0.element.index].location.isApproximate ? 1 : 0, $0.offset)
                < ($1.element.distance, places[$1.element.index].location.isApproximate ? 1 : 0, $1.offset)
        }.map(\.element)
        return ranked.map { SearchHit(index: $0.index, place: places[$0.index], distanceMetres: $0.distance,
                                     hours: hours[$0.index], territory: territories[$0.index]) }
    }

    /// The `limit` nearest of `list` passing `passes`, within `radiusMetres`: one look at each, the
    /// distance computed only for those that pass, in index order at equal distances.
    private func scan(_ list: [Int32], from origin: GeoPoint, limit: Int, radiusMetres: Double?,
                      passes: (Int) -> Bool) -> [(index: Int, distance: Double)] {
        guard limit > 0 else { return [] }
        let bound = radiusMetres ?? .infinity
        var best: [(index: Int, distance: Double)] = []
        best.reserveCapacity(limit + 1)
        for candidate in list {
            let i = Int(candidate)
            guard let position = positions[i], passes(i) else { continue }
            let d = origin.distance(to: position)
            guard d <= bound, best.count < limit || d < best[limit - 1].distance else { continue }
            let at = best.firstIndex { $0.distance > d } ?? best.count
            best.insert((i, d), at: at)
            if best.count > limit { best.removeLast() }
        }
        return best
    }

    /// A place's territory, from its commune (or, unresolved, its postcode).
    public static func territory(of p: DirectoryPlace) -> Territory {
        Territory(code: p.location.commune?.rawValue ?? p.place.address.postcode.rawValue)
    }
}

extension PlaceLocation {
    /// Whether the position is only the centre of the place's commune (found from postcode and city),
    /// so that a distance to it says little: the page shows "à Quimper (position approximative)".
    public var isApproximate: Bool {
        precision == GeocodePrecision.commune.rawValue || precision == GeocodePrecision.postcode.rawValue
    }
}
