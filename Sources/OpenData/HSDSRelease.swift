import Directory
import Foundation
import NationalDirectory

/// The release in HSDS 3.0 (Open Referral), as JSON: one array per HSDS table, the objects flat and linked
/// by ids as in HSDS's tabular data package (its `datapackage.json` resources, `.json` for `.csv`):
/// `hsds/organizations.json`, `organization_identifiers.json`, `services.json`, `locations.json`,
/// `addresses.json`, `service_at_location.json`, `phones.json`, `schedules.json`, `languages.json`,
/// `accessibility.json`. Each object validates against its own schema (`schema/<object>.json`).
///
/// Our structures are organizations (their SIRET an identifier). A service is one structure's offer of one
/// of our services ("Informer sur les formations" by a Mission locale), linked by `service_at_location`
/// to every place where the structure is present and the place offers it; a place that lists no service
/// gives its structures an "Accueil et information" service. Places are physical locations, each once,
/// with their position, address, phone, languages, accessibility and weekly schedules (`WeeklySchedule`);
/// channels are virtual locations. Ids are UUIDs derived from the Région and the record's id (from the
/// SIRET for a structure that has one), so they stay the same from one release to the next.
public enum HSDSRelease {
    /// The files of the release.
    public static func files(_ set: OpenDataSet) throws -> [ReleaseFile] {
        var tables = HSDSTables()
        tables.add(set)
        func file<T: ReleaseJSONWritable>(_ name: String, _ rows: [T]) -> ReleaseFile {
            ReleaseFile(name: "hsds/\(name).json", mediaType: "application/json", bytes: rows.releaseJSON())
        }
        return [
            file("organizations", tables.organizations), file("organization_identifiers", tables.organizationIdentifiers),
            file("services", tables.services.values.sorted { $0.id < $1.id }), file("locations", tables.locations),
            file("addresses", tables.addresses), file("service_at_location", tables.serviceAtLocations),
            file("phones", tables.phones), file("schedules", tables.schedules),
            file("languages", tables.languages), file("accessibility", tables.accessibility),
        ]
    }
}

/// The HSDS tables, filled from a set.
struct HSDSTables {
    var organizations: [HSDS.Organization] = []
    var organizationIdentifiers: [HSDS.OrganizationIdentifier] = []
    var services: [String: HSDS.Service] = [:]
    var locations: [HSDS.Location] = []
    var addresses: [HSDS.Address] = []
    var serviceAtLocations: [HSDS.ServiceAtLocation] = []
    var phones: [HSDS.Phone] = []
    var schedules: [HSDS.Schedule] = []
    var languages: [HSDS.Language] = []
    var accessibility: [HSDS.Accessibility] = []

    static func organizationId(_ key: StructureKey) -> String { StableUUID("organization", ReleaseKey.structure(key)).description }

    mutating func add(_ set: OpenDataSet) {
        let national = Dictionary(set.structures.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        for n in set.structures.sorted(by: { $0.key < $1.key }) { addOrganization(n, set) }
        for p in ReleaseKey.sorted(set.places, by: ReleaseKey.place) { addPlace(p, national: national, set: set) }
        for c in ReleaseKey.sorted(set.channels, by: ReleaseKey.channel) { addChannel(c, national: national, set: set) }
    }

    mutating func addOrganization(_ n: NationalStructure, _ set: OpenDataSet) {
        let s = n.structure
        let id = Self.organizationId(n.key)
        let regions = n.sources.isEmpty ? [n.region] : n.sources.map(\.region)
        organizations.append(HSDS.Organization(
            id: id, name: s.name,
            description: "\(s.network.label). \(s.basis.label). " + set.provenance(regions),
            email: s.email, website: s.website))
        if let siret = s.siret {
            organizationIdentifiers.append(HSDS.OrganizationIdentifier(
                id: StableUUID("organization_identifier", ReleaseKey.structure(n.key)).description,
                organizationId: id, identifierType: "SIRET", identifier: siret.rawValue))
        }
        if let phone = s.phone {
            phones.append(HSDS.Phone(id: StableUUID("phone", "organization:" + ReleaseKey.structure(n.key)).description,
                                     organizationId: id, number: phone, type: "voice"))
        }
    }

    /// The service of a structure for one of our services (nil: the place lists none), created once.
    mutating func service(_ s: Structure, key: StructureKey, _ service: Directory.Service?, national: NationalStructure?,
                          set: OpenDataSet) -> String {
        let name = "\(ReleaseKey.structure(key)):\(service?.rawValue ?? "accueil")"
        let id = StableUUID("service", name).description
        if services[id] == nil {
            let label = service?.label ?? "Accueil et information"
            services[id] = HSDS.Service(
                id: id, organizationId: Self.organizationId(key), name: label, description: "\(label) : \(s.name).",
                url: s.website, email: s.email, status: Self.status(s.referencing.state),
                lastModified: ChangeDate(sources: national?.sources ?? [], lastConfirmed: s.lastConfirmed, set: set).instant)
        }
        return id
    }

    static func status(_ state: ReferencingState) -> String {
        switch state {
        case .referenced, .applied, .underReview: "active"
        case .suspended: "temporarily closed"
        case .rejected, .withdrawn, .expired: "inactive"
        }
    }

    mutating func addPlace(_ p: DirectoryPlace, national: [StructureKey: NationalStructure], set: OpenDataSet) {
        let place = p.place
        let key = ReleaseKey.place(p)
        let id = StableUUID("location", key).description
        let host = place.structures.first(where: \.isHost).flatMap { h in p.structures.first { $0.id == h.structureId } }
            ?? p.structures.first
        let sharedWith = p.structures.count > 1 ? " Lieu mutualisé : " + p.structures.map(\.name).joined(separator: ", ") + "." : ""
        locations.append(HSDS.Location(
            id: id, locationType: "physical",
            organizationId: host.map { Self.organizationId(StructureKey($0, region: p.region)) },
            name: place.name, description: place.kind.label + "." + sharedWith,
            latitude: p.location.position.map { TabularRelease.rounded($0.lat) }, longitude: p.location.position.map { TabularRelease.rounded($0.lon) },
            externalIdentifier: key, externalIdentifierType: "spro"))
        let a = place.address
        addresses.append(HSDS.Address(
            id: StableUUID("address", key).description, locationId: id,
            address1: a.lines.last ?? "", address2: a.lines.count > 1 ? a.lines.dropLast().joined(separator: ", ") : nil,
            city: a.city, region: (a.communeCode ?? p.location.commune).map { "Département \($0.departement.rawValue)" },
            stateProvince: set.regionName(p.region), postalCode: a.postcode.rawValue, country: "FR", addressType: "physical"))
        if let phone = place.phone {
            phones.append(HSDS.Phone(id: StableUUID("phone", "location:" + key).description, locationId: id, number: phone, type: "voice"))
        }
        for code in place.languages.sorted() {
            languages.append(HSDS.Language(id: StableUUID("language", key + ":" + code).description, locationId: id, code: code))
        }
        if place.accessible {
            accessibility.append(HSDS.Accessibility(id: StableUUID("accessibility", key).description, locationId: id,
                                                    description: "Accessible aux personnes en fauteuil roulant"))
        }
        if let text = place.openingHours, let hours = try? OpeningHours(text) {
            let territory = Territory(code: (a.communeCode ?? p.location.commune)?.rawValue ?? a.postcode.rawValue)
            addSchedules(hours, locationKey: key, locationId: id, territory: territory, set: set)
        }
        // What the place says of its reception, told on each link from a service to it.
        let reception = (place.receptionModes.map(\.label) + [place.freeOfCharge.map { $0 ? "Gratuit" : "Payant" }].compactMap { $0 }
                         + (place.publics.isEmpty ? [] : ["Publics : " + place.publics.map(\.label).joined(separator: ", ")]))
            .joined(separator: ". ")
        let offered: [Directory.Service?] = place.services.isEmpty ? [nil] : place.services.sorted().map { $0 }
        for s in p.structures {
            let structureKey = StructureKey(s, region: p.region)
            for code in offered {
                let serviceId = service(s, key: structureKey, code, national: national[structureKey], set: set)
                serviceAtLocations.append(HSDS.ServiceAtLocation(
                    id: StableUUID("service_at_location", "\(serviceId):\(key)").description, serviceId: serviceId, locationId: id,
                    description: reception.isEmpty ? nil : reception + "."))
            }
        }
    }

    mutating func addSchedules(_ hours: OpeningHours, locationKey: String, locationId: String, territory: Territory, set: OpenDataSet) {
        let week = WeeklySchedule(hours, from: set.generatedAt, in: territory)
        for (index, opening) in week.openings.enumerated() {
            schedules.append(HSDS.Schedule(
                id: StableUUID("schedule", "\(locationKey):\(index)").description, locationId: locationId,
                byday: opening.days.joined(separator: ","), opensAt: opening.opens, closesAt: opening.closes,
                description: hours.frenchWeek(), notes: "opening_hours : \(hours.text)"))
        }
    }

    /// A channel as a virtual location: its URL (chat, video), its phone number, its hours; linked to the
    /// services of its contributors it lists.
    mutating func addChannel(_ d: DirectoryChannel, national: [StructureKey: NationalStructure], set: OpenDataSet) {
        let c = d.channel
        let key = ReleaseKey.channel(d)
        let id = StableUUID("location", "channel:" + key).description
        let isLink = (c.kind == .tchat || c.kind == .visio) && c.address.hasPrefix("http")
        locations.append(HSDS.Location(
            id: id, locationType: "virtual", url: isLink ? c.address : nil,
            organizationId: d.contributors.first.map { Self.organizationId(StructureKey($0, region: d.region)) },
            name: c.name, description: c.kind.label + (c.kind == .courriel ? " : \(c.address)" : "") + ".",
            externalIdentifier: key, externalIdentifierType: "spro"))
        if c.kind == .telephone {
            phones.append(HSDS.Phone(id: StableUUID("phone", "channel:" + key).description, locationId: id, number: c.address, type: "voice"))
        }
        if let text = c.openingHours, let hours = try? OpeningHours(text) {
            addSchedules(hours, locationKey: "channel:" + key, locationId: id, territory: Territory(region: d.region), set: set)
        }
        for s in d.contributors {
            let structureKey = StructureKey(s, region: d.region)
            for code in c.services.sorted() {
                let serviceId = service(s, key: structureKey, code, national: national[structureKey], set: set)
                serviceAtLocations.append(HSDS.ServiceAtLocation(
                    id: StableUUID("service_at_location", "\(serviceId):channel:\(key)").description, serviceId: serviceId,
                    locationId: id, description: nil))
            }
        }
    }
}
