import Directory
import Foundation
import NationalDirectory
import Signing

/// What `GeocodingLocator.locate` reads of a place: its address (lines, postcode, city, INSEE code given
/// by the Région) and its coordinates. Two places with the same input are put at the same location by
/// the same geocoder.
public struct GeocodingInput: Sendable, Hashable {
    public var address: Address
    public var coordinates: GeoPoint?

    public init(_ place: Place) {
        address = place.address
        coordinates = place.coordinates
    }

    /// SHA-256 (hex) of the input and of `dataVersion`, what the locator answers from besides the place.
    public func fingerprint(dataVersion: String) -> String {
        // Fields apart by the unit separator, lines by the record separator: no text can shift into a
        // neighbouring field and keep the same fingerprint.
        let fields = [
            dataVersion,
            address.lines.joined(separator: "\u{1E}"),
            address.postcode.rawValue,
            address.city,
            address.communeCode?.rawValue ?? "",
            coordinates.map { "\($0.lat) \($0.lon)" } ?? "",
        ]
        return sha256Hex(Data(fields.joined(separator: "\u{1F}").utf8))
    }
}

extension PlaceLocator {
    /// By default, the place's `GeocodingInput` alone.
    public func inputFingerprint(_ place: Place) -> String {
        GeocodingInput(place).fingerprint(dataVersion: "")
    }

    /// By default, none.
    public var dataVersion: String { "" }
}

/// Locates an export's places, reusing a stored location when the place's input fingerprint is the one it
/// was located from and its score was at least `reuseScore`; geocodes the others (new places, changed
/// addresses or coordinates, low scores, places stored before fingerprints were kept). Counts both.
struct IncrementalGeocoding {
    let locator: any PlaceLocator
    /// The region's stored places, by id, with their locations.
    let known: [String: StoredPlace]
    /// Nil: geocode every place.
    let reuseScore: Double?
    private(set) var counts = GeocodingCounts()
    /// The fingerprint of each place located, by id, to be stored with the snapshot.
    private(set) var fingerprints: [String: String] = [:]

    init(locator: any PlaceLocator, known: [String: StoredPlace], reuseScore: Double?) {
        self.locator = locator
        self.known = known
        self.reuseScore = reuseScore
    }

    mutating func locate(_ place: Place) -> PlaceLocation {
        let fingerprint = locator.inputFingerprint(place)
        fingerprints[place.id] = fingerprint
        if let reuseScore, let previous = known[place.id]?.known, previous.fingerprint == fingerprint,
           previous.location.score >= reuseScore {
            counts.reused += 1
            return previous.location
        }
        counts.geocoded += 1
        return locator.locate(place)
    }
}
