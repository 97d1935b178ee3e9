import Directory
import Geocoding
import NationalDirectory
import Reference

/// Puts places on the map with the offline geocoder, and files them under their zone d'emploi.
public struct GeocodingLocator: PlaceLocator {
    public let geocoder: Geocoder
    public let reference: ReferencePack
    /// The geocoder's `dataVersion`, read once: part of every input fingerprint, so that adding or updating
    /// a BAN extract has places geocoded again.
    public let dataVersion: String

    public init(geocoder: Geocoder, reference: ReferencePack) {
        self.geocoder = geocoder
        self.reference = reference
        dataVersion = geocoder.dataVersion
    }

    public func inputFingerprint(_ place: Place) -> String {
        GeocodingInput(place).fingerprint(dataVersion: dataVersion)
    }

    public func locate(_ place: Place) -> PlaceLocation {
        let r = geocoder.geocode(place.address, given: place.coordinates)
        return PlaceLocation(commune: r.commune, zone: r.commune.flatMap { reference.communes[$0]?.zone },
                             position: r.position, precision: r.precision.rawValue, score: r.score,
                             reason: r.reason, coordinatesFlag: r.coordinatesFlag)
    }
}
