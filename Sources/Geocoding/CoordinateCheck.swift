import Directory

/// Checks the Région's own coordinates before trusting them.
///
/// Accepted when they lie in France (`GeoPoint.isInFrance`, coarse boxes) and within the resolved
/// commune's plausible distance of its centre (10-150 km, scaled to the commune's size, see
/// `Geocoder.plausibleDistance(for:)`): then the position is the given one and the precision `.given`.
/// Otherwise `coordinatesFlag` says why (in French: the Régions read it on their anomaly page), suggesting a swap of latitude and longitude or a flipped
/// longitude sign when that repairs them, and the commune's centre is used.
/// When the address itself is unresolved, coordinates in France are kept as `.given` with a low score.
enum CoordinateCheck {
    static func apply(_ given: GeoPoint, to result: inout GeocodeResult, commune: GeocoderIndex.CommuneInfo?,
                      notes: inout [String]) {
        let swapped = GeoPoint(lat: given.lon, lon: given.lat)
        let flipped = GeoPoint(lat: given.lat, lon: -given.lon)
        func repair(_ ok: (GeoPoint) -> Bool) -> String {
            if ok(swapped) { return " ; latitude et longitude semblent inversées" }
            if ok(flipped) { return " ; le signe de la longitude semble faux" }
            return ""
        }
        if given.lat == 0 && given.lon == 0 {
            result.coordinatesFlag = "coordonnées 0,0 (absentes ?) ignorées"
            return
        }
        guard given.isInFrance else {
            let fix = repair { p in
                guard p.isInFrance else { return false }
                return commune.map { p.distance(to: $0.centre) <= $0.plausibleDistance } ?? true
            }
            result.coordinatesFlag = "coordonnées \(given) hors de France\(fix) ; "
                + (commune == nil ? "ignorées" : "centre de la commune utilisé")
            return
        }
        guard let commune else {
            result.position = given
            result.precision = .given
            result.score = 0.3
            notes.append("adresse introuvable ; coordonnées fournies gardées, sans contrôle par rapport à une commune")
            return
        }
        let d = given.distance(to: commune.centre)
        if d <= commune.plausibleDistance {
            result.position = given
            result.precision = .given
            return
        }
        let fix = repair { $0.isInFrance && $0.distance(to: commune.centre) <= commune.plausibleDistance }
        result.coordinatesFlag = "coordonnées \(given) à \(km(d)) km du centre de \(commune.name) "
            + "(plus de \(km(commune.plausibleDistance)) km)\(fix) ; centre de la commune utilisé"
    }

    /// "12,3" below 100 km, "154" above: a French decimal, as the anomaly pages show it.
    static func km(_ metres: Double) -> String {
        let k = metres / 1000
        guard k < 100 else { return String(Int(k.rounded())) }
        let tenths = Int((k * 10).rounded())
        return "\(tenths / 10),\(tenths % 10)"
    }
}
