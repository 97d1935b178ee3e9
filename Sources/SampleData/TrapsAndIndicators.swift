import Directory
import Foundation
import Reference

extension RegionBuilder {
    /// Deliberate faults for the harvester and geocoder to catch: about 0.3% of places with wrong
    /// coordinates, and now and then an address nobody can resolve.
    func addTraps() {
        var rng = stream("traps")
        guard !places.isEmpty else { return }
        let wrong = rng.count(mean: 0.003 * Double(places.count))
        for _ in 0..<wrong {
            let i = rng.int(0...(places.count - 1))
            let unit = geo.units[placeUnits[i]]
            let c = places[i].coordinates ?? unit.commune.centre
            let far = geo.units.indices.filter { approximateDistance(geo.units[$0].commune.centre, c) > 0.5 * 0.5 }
            switch rng.unit() {
            case ..<0.5:
                places[i].coordinates = GeoPoint(lat: c.lon, lon: c.lat)  // swapped
            case ..<0.7 where abs(c.lon) > 0.5:
                places[i].coordinates = GeoPoint(lat: c.lat, lon: -c.lon)  // sign lost
            case ..<0.8:
                places[i].coordinates = GeoPoint(lat: 0, lon: 0)  // null island
            default:
                if far.isEmpty {
                    places[i].coordinates = GeoPoint(lat: c.lon, lon: c.lat)
                } else {  // another commune's centre, copied by mistake
                    places[i].coordinates = geo.units[rng.pick(far)].commune.centre
                }
            }
            places[i].address.communeCode = unit.code
        }
        // A handful nationally: a hamlet name, a postcode La Poste does not know, no commune code.
        let unresolvable = rng.count(mean: 0.28 * min(scale, 3))
        for _ in 0..<unresolvable {
            let i = rng.int(0...(places.count - 1))
            guard !placeAtTownHall[i], !places[i].address.city.uppercased().contains("CEDEX") else { continue }
            let prefix = String(places[i].address.postcode.rawValue.prefix(places[i].address.postcode.rawValue.hasPrefix("97") ? 3 : 2))
            var candidate = places[i].address.postcode
            for _ in 0..<50 {
                candidate = Postcode(unchecked: prefix + French.padded(rng.int(0...(prefix.count == 3 ? 99 : 999)), 5 - prefix.count))
                if reference.postcodes[candidate] == nil { break }
            }
            guard reference.postcodes[candidate] == nil else { continue }
            places[i].address.postcode = candidate
            places[i].address.city = "Lieu-dit " + rng.pick(Streets.hamlets)
            places[i].address.communeCode = nil
            places[i].coordinates = nil
        }
    }

    /// Aggregate quality indicators for "2025" and "2026-Q3": for about half the places (a fifth of
    /// permanences) and 60% of structures. No personal data.
    func makeIndicators() -> [IndicatorValue] {
        var rng = stream("indicators")
        var out: [IndicatorValue] = []
        func add(_ subject: IndicatorValue.Subject, _ id: String, _ code: String, _ year: Double, _ quarter: Double, _ unit: String) {
            out.append(IndicatorValue(subject: subject, subjectId: id, code: code, period: "2025", value: year, unit: unit))
            out.append(IndicatorValue(subject: subject, subjectId: id, code: code, period: "2026-Q3", value: quarter, unit: unit))
        }
        func tenth(_ x: Double) -> Double { (x * 10).rounded() / 10 }

        for (i, p) in places.enumerated() {
            guard rng.chance(p.kind == .permanence ? 0.2 : 0.5) else { continue }
            let profile = NetworkProfile.of(structures[placeHosts[i]].network)
            let factor = p.kind == .site ? 1 : p.kind == .antenne ? 0.35 : 0.06
            let visits = (Double(rng.int(profile.visits)) * factor * (p.isLieuMutualise ? 1.5 : 1)).rounded()
            let quarterVisits = (visits / 4 * rng.double(0.75, 1.05)).rounded()
            add(.place, p.id, "visits", visits, quarterVisits, "persons")
            let firstShare = rng.double(0.2, 0.45)
            add(.place, p.id, "first_receptions", (visits * firstShare).rounded(), (quarterVisits * firstShare).rounded(), "persons")
            let walkIn = p.receptionModes.contains(.sansRendezVous)
            let share = walkIn ? rng.double(25, 80) : rng.double(0, 8)
            add(.place, p.id, "share_without_appointment", tenth(share), tenth(min(100, share * rng.double(0.85, 1.15))), "percent")
            if let h = p.openingHours.flatMap(WeeklyHours.of), h > 0 {
                add(.place, p.id, "hours_open_per_week", tenth(h), tenth(h), "hours_per_week")
            }
        }
        for s in structures {
            guard rng.chance(0.6) else { continue }
            let satisfaction = rng.double(72, 97)
            add(.structure, s.id, "satisfaction_rate", tenth(satisfaction), tenth(min(100, satisfaction + rng.double(-3, 3))), "percent")
            let delay = Double(rng.int(1...21))
            add(.structure, s.id, "median_delay_days", delay, max(0, delay + Double(rng.int(-3...3))), "days")
            let staff = Double(rng.int(1...8) * (s.network == .franceTravail ? 6 : 1))
            add(.structure, s.id, "trained_staff", staff, staff, "count")
        }
        return out
    }
}
