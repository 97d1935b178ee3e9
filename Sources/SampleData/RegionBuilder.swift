import Directory
import Foundation
import Reference

/// Builds one région's dataset. Each network draws from its own random stream (seed, région, network),
/// so a région's data depends only on the seed, the scale and the reference pack.
final class RegionBuilder {
    let context: GeneratorContext
    let geo: RegionGeography
    let quotas: RegionQuotas
    let region: RegionCode
    let ordinal: Int
    var reference: ReferencePack { context.reference }
    var scale: Double { context.scale }

    var structures: [Structure] = []
    /// Unit index of each structure's head office.
    var homes: [Int] = []
    /// Places numbered so far per structure (for place ids).
    var placeNumbers: [Int] = []
    var places: [Place] = []
    /// Unit index of each place.
    var placeUnits: [Int] = []
    /// Whether a place's address is a town hall's.
    var placeAtTownHall: [Bool] = []
    /// Host structure (index into `structures`) of each place.
    var placeHosts: [Int] = []
    var counters: [Network: Int] = [:]
    var usedSIRENs: Set<String> = []
    var nicCounters: [String: Int] = [:]
    /// Structure indices per network, in creation order.
    var byNetwork: [Network: [Int]] = [:]
    /// The Mission locale covering each unit (index into `structures`), -1 before they exist.
    var missionLocaleOfUnit: [Int]

    init(context: GeneratorContext, geography: RegionGeography) {
        self.context = context
        self.geo = geography
        self.region = geography.code
        self.quotas = context.quotas[geography.code] ?? RegionQuotas()
        self.ordinal = context.ordinal(of: geography.code)
        self.missionLocaleOfUnit = Array(repeating: -1, count: geography.units.count)
    }

    func build() -> RegionDataset {
        guard !geo.units.isEmpty else { return RegionDataset(region: region, structures: [], places: [], indicators: []) }
        franceTravail()
        missionsLocales()
        cio()
        informationJeunesse()
        capEmploi()
        apec()
        transitionsPro()
        cidff()
        chambres()
        scuio()
        afpa()
        e2c()
        epide()
        prcVAE()
        cibc()
        mife()
        plie()
        maisonsEmploi()
        citesDesMetiers()
        franceServices()
        otherLocal()
        addTraps()
        let indicators = makeIndicators()
        let channels = sharedChannels()
        borderPlaces()
        return RegionDataset(region: region, structures: structures.sorted { $0.id < $1.id },
                             places: places.sorted { $0.id < $1.id }, indicators: indicators, channels: channels)
    }

    /// The random stream of one part of the build.
    func stream(_ name: String) -> SeededRandom { SeededRandom(seed: context.seed, streams: region.rawValue, name) }

    // MARK: - Structures

    struct Contact {
        var website: String?
        var email: String?
        var phone: String?
    }

    @discardableResult
    func addStructure(_ network: Network, name: String, unit: Int, basis: BasisOfMembership? = nil, siret: SIRET,
                      contact: Contact, _ rng: inout SeededRandom) -> Int {
        let profile = NetworkProfile.of(network)
        let n = (counters[network] ?? 0) + 1
        counters[network] = n
        let b = basis ?? profile.basis
        let referencing = referencing(b, &rng)
        // A regional CEP operator holds its designation, decided the day it took part, the CREFOP consulted a
        // month before (the node's entry rules require it); derived without drawing, so that the rest of the
        // sample stays as it was.
        let designation = b == .regionalCEPOperator
            ? ISODay.parse(referencing.since).map { decided in
                CEPDesignation(decidedOn: referencing.since, crefopConsultedOn: ISODay.string(ISODay.adding(months: -1, to: decided)),
                               sellsTraining: false)
            }
            : nil
        let s = Structure(
            id: "\(region.rawValue)-\(profile.code)-\(French.padded(n, 4))", siret: siret, name: name, network: network,
            basis: b, website: contact.website, phone: contact.phone, email: contact.email,
            referencing: referencing, designation: designation)
        structures.append(s)
        homes.append(unit)
        placeNumbers.append(0)
        byNetwork[network, default: []].append(structures.count - 1)
        return structures.count - 1
    }

    /// By-law bases are referenced with no charter; charter-based ones mostly referenced under version 1,
    /// some applied, under review or suspended.
    func referencing(_ basis: BasisOfMembership, _ rng: inout SeededRandom) -> PublicReferencing {
        switch basis {
        case .regionalCharter:
            let r = rng.unit()
            if r < 0.86 {
                let (since, until) = Dates.validity(from: Dates.random(2024, 1, 2026, 9, &rng), months: 36)
                return PublicReferencing(state: .referenced, charterVersion: 1, since: since, validUntil: until)
            } else if r < 0.92 {
                let since = Dates.random(2026, 3, 2026, 10, &rng).string
                return PublicReferencing(state: .applied, charterVersion: 1, since: since, validUntil: nil)
            } else if r < 0.97 {
                let since = Dates.random(2026, 1, 2026, 10, &rng).string
                return PublicReferencing(state: .underReview, charterVersion: 1, since: since, validUntil: nil)
            } else {
                let (_, until) = Dates.validity(from: Dates.random(2023, 11, 2025, 6, &rng), months: 36)
                return PublicReferencing(state: .suspended, charterVersion: 1, since: Dates.random(2026, 2, 2026, 10, &rng).string,
                                         validUntil: until)
            }
        case .regionalCEPOperator:
            let since = Dates.random(2019, 1, 2024, 12, &rng).string
            return PublicReferencing(state: .referenced, charterVersion: nil, since: since, validUntil: nil)
        default:
            return PublicReferencing(state: .referenced, charterVersion: nil, since: "2015-01-01", validUntil: nil)
        }
    }

    func phone(_ unit: Int, _ rng: inout SeededRandom) -> String {
        French.phone(region: region, departement: geo.units[unit].departement, rng: &rng)
    }

    // MARK: - Places

    struct PlaceSpec {
        /// Structures present, host first.
        var structures: [Int]
        var kind: PlaceKind
        var unit: Int
        var name: String
        var hours: String?
        /// Set for a place held in the commune's town hall: its address and position are used.
        var townHall: TownHall? = nil
        /// First address line, e.g. "Maison de l'emploi".
        var building: String? = nil
        var phone: String? = nil
        /// Whether a business-park address suits it (chambres, training centres).
        var business = false
    }

    @discardableResult
    func addPlace(_ spec: PlaceSpec, _ rng: inout SeededRandom) -> Int {
        let host = spec.structures[0]
        placeNumbers[host] += 1
        let unit = geo.units[spec.unit]
        var address = spec.townHall.map { townHallAddress($0, unit) }
            ?? streetAddress(unit, building: spec.building, business: spec.business, &rng)
        if rng.chance(0.2) { address.communeCode = nil }
        let coordinates = rng.chance(0.4) ? position(unit, townHall: spec.townHall, &rng) : nil

        let networks = spec.structures.map { structures[$0].network }
        var publics = Set<Public>(), services = Set<Service>(), modes = Set<ReceptionMode>()
        for n in networks {
            let p = NetworkProfile.of(n)
            publics.formUnion(p.publics)
            services.formUnion(p.services)
            for x in p.extraPublics where rng.chance(0.3) { publics.insert(x) }
            for x in p.extraServices where rng.chance(0.3) { services.insert(x) }
            if spec.kind == .permanence {
                modes.insert(.surRendezVous)
                if rng.chance(0.5) { modes.insert(.sansRendezVous) }
            } else {
                modes.formUnion(p.modes)
                for x in p.extraModes where rng.chance(0.3) { modes.insert(x) }
            }
        }
        let accessibleShare = spec.townHall != nil ? 0.7 : NetworkProfile.of(networks[0]).accessibleShare
        let place = Place(
            id: structures[host].id + "-" + French.padded(placeNumbers[host], 2), name: spec.name, kind: spec.kind,
            structures: spec.structures.enumerated().map { PlaceStructure(structureId: structures[$0.element].id, isHost: $0.offset == 0) },
            address: address, coordinates: coordinates, openingHours: spec.hours,
            receptionModes: modes.sorted(), publics: publics.sorted(), services: services.sorted(),
            accessible: rng.chance(accessibleShare), languages: languages(networks[0], &rng), phone: spec.phone)
        places.append(place)
        placeUnits.append(spec.unit)
        placeAtTownHall.append(spec.townHall != nil)
        placeHosts.append(host)
        return places.count - 1
    }

    /// Other languages spoken at reception, with regional colour (Breton in Bretagne, Corsican in Corse...).
    func languages(_ network: Network, _ rng: inout SeededRandom) -> [String] {
        var out: [String] = []
        let international = network == .citeDesMetiers || network == .informationJeunesse || network == .apec
        if rng.chance(international ? 0.2 : 0.05) { out.append("en") }
        let code = region.rawValue
        let rates: [(String, Double)] = [
            ("ar", code == "11" || code == "93" ? 0.05 : 0.015),
            ("es", code == "76" || code == "03" ? 0.04 : 0.01),
            ("br", code == "53" ? 0.05 : 0),
            ("de", code == "44" ? 0.04 : 0),
            ("co", code == "94" ? 0.1 : 0),
            ("pt", code == "03" ? 0.1 : code == "11" ? 0.01 : 0),
        ]
        for (lang, p) in rates where p > 0 && rng.chance(p) { out.append(lang) }
        return out.sorted()
    }

    /// A position near the place: the town hall's, or the commune centre moved by 150 m to 2 km.
    func position(_ unit: Unit, townHall: TownHall?, _ rng: inout SeededRandom) -> GeoPoint {
        if let th = townHall, th.position.distance(to: unit.commune.centre) < 8_000 { return th.position }
        let maxKm = unit.isArrondissement ? 0.9 : unit.population < 2_000 ? 0.8 : unit.population < 20_000 ? 1.5 : 2.0
        let km = 0.15 + (maxKm - 0.15) * rng.unit() * (0.4 + 0.6 * rng.unit())
        let angle = rng.unit() * 2 * Double.pi
        let c = unit.commune.centre
        return GeoPoint(lat: c.lat + km / 111.32 * cos(angle),
                        lon: c.lon + km / (111.32 * cos(c.lat * Double.pi / 180)) * sin(angle))
    }

    /// Hours of a main site or an antenne of `network`, missing for a few places.
    func hours(_ network: Network, antenne: Bool = false, _ rng: inout SeededRandom) -> String? {
        if rng.chance(0.04) { return nil }
        let p = NetworkProfile.of(network)
        return rng.pick(antenne ? p.antenneHours : p.siteHours)
    }

    /// Hours of a permanence: the town hall's (when it publishes them) or a half-day or two.
    func permanenceHours(_ townHall: TownHall?, _ rng: inout SeededRandom) -> String {
        if let h = townHall?.osmOpeningHours, rng.chance(0.4) { return h }
        return PermanenceHours.pick(&rng)
    }

    func townHall(_ unit: Int) -> TownHall? { context.townHalls[geo.units[unit].code] }

    /// "Mission locale du Pays de Brest – antenne de Landerneau".
    func outpost(_ name: String, _ what: String, _ unit: Int) -> String {
        name + " – " + what + " " + French.de(geo.units[unit].shortName)
    }
}
