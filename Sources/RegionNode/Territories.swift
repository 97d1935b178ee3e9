import Directory
import Reference

/// Where each Région's node may place its points d'accueil: its own communes, and those of the bassins
/// d'emploi (zones d'emploi) it shares with a neighbour, the rule the national harvest applies. Checked
/// at entry, so that one place outside the Région is refused at once with its reason, instead of making
/// the harvest refuse the Région's whole export.
public struct Territories: Sendable {
    private struct Entry: Sendable {
        let name: String
        let region: RegionCode
        let zone: ZoneEmploiCode
    }

    private let communes: [CommuneCode: Entry]
    private let zoneRegions: [ZoneEmploiCode: Set<RegionCode>]
    private let postcodes: [Postcode: [PostcodeEntry]]
    private let regionNames: [RegionCode: String]
    /// Per Région, the box around the centres of the communes its places may lie in (its own and those of
    /// the bassins d'emploi it shares), widened by `boxMargin` degrees.
    private let boxes: [RegionCode: BoundingBox]

    /// About 25 km: no commune reaches that far from its centre.
    static let boxMargin = 0.25

    public init(_ pack: ReferencePack) {
        communes = pack.communes.mapValues { Entry(name: $0.name, region: $0.region, zone: $0.zone) }
        let zoneRegions = pack.zones.mapValues { Set($0.regions) }
        self.zoneRegions = zoneRegions
        postcodes = pack.postcodes
        regionNames = pack.regions.mapValues(\.name)
        var boxes: [RegionCode: BoundingBox] = [:]
        for commune in pack.communes.values {
            let c = commune.centre
            for region in zoneRegions[commune.zone, default: []].union([commune.region]) {
                var box = boxes[region] ?? BoundingBox(minLat: c.lat, maxLat: c.lat, minLon: c.lon, maxLon: c.lon)
                box.minLat = min(box.minLat, c.lat); box.maxLat = max(box.maxLat, c.lat)
                box.minLon = min(box.minLon, c.lon); box.maxLon = max(box.maxLon, c.lon)
                boxes[region] = box
            }
        }
        let m = Self.boxMargin
        self.boxes = boxes.mapValues { BoundingBox(minLat: $0.minLat - m, maxLat: $0.maxLat + m, minLon: $0.minLon - m, maxLon: $0.maxLon + m) }
    }

    /// Why coordinates a Région gives for one of its places cannot be right, or nil: (0, 0), the usual
    /// placeholder of a spreadsheet, or a point outside the box around the Région's communes and shared
    /// bassins d'emploi (saying so when swapping latitude and longitude would put it inside). A coarse
    /// test: the harvest's geocoder then compares the point with the place's commune. Nil as well when the
    /// reference data does not know the Région.
    func coordinatesProblem(_ point: GeoPoint, of region: RegionCode) -> String? {
        if point.lat == 0 && point.lon == 0 {
            return "coordonnées 0,0 : laissez latitude et longitude vides si elles sont inconnues"
        }
        guard let box = boxes[region], !box.contains(point) else { return nil }
        let here = regionNames[region].map { "\($0) (\(region))" } ?? "région \(region)"
        let swapped = GeoPoint(lat: point.lon, lon: point.lat)
        return "le point \(point.lat), \(point.lon) (latitude, longitude) est hors du territoire de \(here)"
            + (box.contains(swapped) ? " : latitude et longitude semblent inversées" : "")
    }

    /// Whether `commune` lies in `region` or in a bassin d'emploi `region` shares.
    private func contains(_ commune: CommuneCode, in region: RegionCode) -> Bool {
        guard let entry = communes[commune] else { return true }  // unknown: another rule's business
        return entry.region == region || zoneRegions[entry.zone]?.contains(region) == true
    }

    /// The field and reason when `place` lies outside `region`'s territory, judged by its commune code,
    /// else by its postcode (outside when none of the postcode's communes is inside); nil when inside or
    /// when the reference data does not know where it is.
    func outside(_ place: Place, of region: RegionCode) -> (field: String, rule: String)? {
        let here = regionNames[region].map { "\($0) (\(region))" } ?? "région \(region)"
        if let code = place.address.communeCode {
            guard !contains(code, in: region), let entry = communes[code] else { return nil }
            return ("address.communeCode", "\(entry.name) (\(code)) est en \(regionNames[entry.region] ?? "région \(entry.region)"), "
                    + "hors du territoire de \(here) et de ses bassins d'emploi partagés")
        }
        guard let candidates = postcodes[place.address.postcode]?.map(\.commune), !candidates.isEmpty,
              !candidates.contains(where: { contains($0, in: region) }), let first = communes[candidates[0]] else { return nil }
        return ("address.postcode", "le code postal \(place.address.postcode) est celui de \(first.name), "
                + "en \(regionNames[first.region] ?? "région \(first.region)"), hors du territoire de \(here)")
    }

    /// The field and reason when `place`'s postcode does not exist in La Poste's base, or is not one of
    /// its commune's (`PostcodeRule`, as the harvest's anomalies judge it); nil when it fits, or when the
    /// reference data has no postcodes.
    func postcodeProblem(_ place: Place) -> (field: String, rule: String)? {
        guard !postcodes.isEmpty else { return nil }
        let postcode = place.address.postcode
        guard let entries = postcodes[postcode], !entries.isEmpty else {
            return ("address.postcode", "le code postal \(postcode.rawValue) n'existe pas dans la base officielle des codes postaux")
        }
        guard let code = place.address.communeCode, !PostcodeRule.serves(entries, code) else { return nil }
        let named = { (c: CommuneCode) in communes[c].map { "\($0.name) (\(c.rawValue))" } ?? c.rawValue }
        let owners = Array(Set(entries.map { communes[$0.parentCommune] != nil ? $0.parentCommune : $0.commune })).sorted { $0.rawValue < $1.rawValue }
        return ("address.postcode", "le code postal \(postcode.rawValue) est celui de \(owners.prefix(3).map(named).joined(separator: ", "))"
                + (owners.count > 3 ? "…" : "") + ", pas de la commune \(named(code)) (address.communeCode)")
    }
}
