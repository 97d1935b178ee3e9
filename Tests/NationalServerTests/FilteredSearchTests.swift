import Directory
import Foundation
import NationalDirectory
import SproTestSupport
import Testing

/// Filtered nearest searches (issue 12, bounded query cost) find exactly the places a brute-force scan of
/// the records finds, nearest first, for every filter alone and in combinations, rare or not.
@Suite struct FilteredSearchTests {
    /// What each filter means, read straight from the record and its hours.
    static func passes(_ p: DirectoryPlace, _ f: SearchFilter, hours: OpeningHours?, moment: LocalMoment?) -> Bool {
        if let moment, hours?.isOpen(at: moment) != .open { return false }
        if let service = f.service, !p.place.services.contains(service) { return false }
        if let wanted = f.publicServed, !(p.place.publics.contains(wanted) || p.place.publics.contains(.tousPublics)) { return false }
        if let network = f.network, !p.structures.contains(where: { $0.network == network }) { return false }
        if let level = f.cepLevel, !p.place.services.contains(where: { $0.cepLevel == level }) { return false }
        if let sansRendezVous = f.sansRendezVous, p.place.receptionModes.contains(.sansRendezVous) != sansRendezVous { return false }
        if let accessible = f.accessible, p.place.accessible != accessible { return false }
        return true
    }

    @Test func everyFilterFindsWhatABruteForceScanFinds() throws {
        var rng = SystemRandomNumberGenerator()
        let networks = Network.allCases, services = Service.allCases, publics = Public.allCases
        let places = (0..<600).map { i -> DirectoryPlace in
            var record = Fixtures.place("P\(i)", structures: ["S\(i)"],
                                        services: Array(services.shuffled(using: &rng).prefix(Int.random(in: 0...3, using: &rng))),
                                        publics: Array(publics.shuffled(using: &rng).prefix(Int.random(in: 0...2, using: &rng))))
            record.accessible = Bool.random(using: &rng)
            record.receptionModes = Bool.random(using: &rng) ? [.sansRendezVous] : []
            record.openingHours = ["Mo-Fr 09:00-12:00", "Sa 10:00-12:00", "24/7", "off", nil].randomElement(using: &rng)!
            let position = GeoPoint(lat: Double.random(in: 42...51, using: &rng), lon: Double.random(in: -5...8, using: &rng))
            return DirectoryPlace(region: Fixtures.bretagne, place: record,
                                  location: PlaceLocation(commune: CommuneCode(unchecked: "29019"), zone: nil, position: position,
                                                          precision: "housenumber", score: 1, reason: nil, coordinatesFlag: nil),
                                  structures: [Fixtures.structure("S\(i)", network: networks.randomElement(using: &rng)!)], sourceVersion: 1)
        }
        let search = PlaceSearch(places: places)
        let monday10 = SearchMoment.wallClock(year: 2026, month: 3, day: 9, minute: 600)
        var filters: [SearchFilter] = services.map { SearchFilter(service: $0) } + publics.map { SearchFilter(publicServed: $0) }
            + networks.map { SearchFilter(network: $0) } + (1...3).map { SearchFilter(cepLevel: $0) }
            + [SearchFilter(sansRendezVous: true), SearchFilter(sansRendezVous: false), SearchFilter(accessible: true),
               SearchFilter(openAt: monday10), SearchFilter(openAt: .wallClock(year: 2026, month: 3, day: 8, minute: 180)),
               // "Open now": states kept per place, then read from what was kept (the same filter comes twice).
               SearchFilter(openAt: .instant(Date())), SearchFilter(accessible: true, openAt: .instant(Date())),
               SearchFilter(openAt: .instant(Date()))]
        for _ in 0..<60 {
            filters.append(SearchFilter(service: services.randomElement(using: &rng), publicServed: publics.randomElement(using: &rng),
                                        network: Bool.random(using: &rng) ? networks.randomElement(using: &rng) : nil,
                                        accessible: Bool.random(using: &rng) ? true : nil,
                                        openAt: Bool.random(using: &rng) ? monday10 : nil))
        }
        for filter in filters {
            for origin in [GeoPoint(lat: 48.39, lon: -4.49), GeoPoint(lat: 89, lon: 0), GeoPoint(lat: -21.1, lon: 55.5)] {
                let moments = filter.openAt?.moments
                let expected = places.indices.filter { i in
                    Self.passes(places[i], filter, hours: search.hours(at: i), moment: moments?[search.territory(at: i).rawValue])
                }.sorted { origin.distance(to: places[$0].location.position!) < origin.distance(to: places[$1].location.position!) }
                let got = search.nearest(to: origin, limit: 10, filter: filter).map(\.index)
                #expect(got == Array(expected.prefix(10)), "\(filter) from \(origin)")
            }
        }
    }
}
