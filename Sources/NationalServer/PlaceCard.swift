import Directory
import Foundation
import NationalDirectory
import SafeHTML

/// A place's entry in the search page's list with everything that does not depend on the request written
/// once, when the content is built (as `PlaceFragments` are for the API): a page then writes the number,
/// the distance and the state now between these runs of markup. About 1 KB a place; rendering a card
/// from the record each time (labels escaped, coordinates formatted) was most of a page's cost.
struct PlaceCard: Sendable {
    /// ` data-id="53/quimper-cio" data-lat="…" data-lon="…"`, with ` data-approximate="true"` for a place
    /// located only at its commune's centre.
    let data: HTML
    /// "à Quimper (position approximative)", for a place located only at its commune's centre: no distance then.
    let approximate: HTML?
    /// `<a href="/lieux/…">name</a></h2>`, who receives there, how to get there.
    let body: HTML
    /// `<p class="meta">Horaires : …</p>` (the week in French), empty without readable hours.
    let week: HTML
    /// The phone, every reception mode, service and public, then `</li>`.
    let tail: HTML

    /// `week`: the place's opening hours in French (`OpeningHours.frenchWeek()`), nil without readable hours.
    init(_ served: DirectoryPlace, week: String?) {
        let p = served.place
        var data: HTML = " data-id=\"\(served.region.rawValue)/\(p.id)\""
        if let position = served.location.position {
            data += " data-lat=\"\(Self.coordinate(position.lat))\" data-lon=\"\(Self.coordinate(position.lon))\""
        }
        if served.location.isApproximate {
            data += " data-approximate=\"true\""
            approximate = "<span class=\"distance\">à \(p.address.city) (position approximative)</span> — "
        } else {
            approximate = nil
        }
        self.data = data
        let who = served.structures.map { "\($0.name) (\($0.network.label))" }.joined(separator: " ; ")
        body = "<a href=\"\(PublicFragments.placeURL(served))\">\(p.name)</a></h2>\n"
            + "<p class=\"meta\">\(p.isLieuMutualise ? "Lieu mutualisé : " : "")\(who)</p>\n<p>Comment venir : \(p.address.singleLine)</p>\n"
        self.week = week.map { "<p class=\"meta\">Horaires : \($0)</p>\n" } ?? HTML()
        let phone = (p.phone ?? served.structures.first?.phone).map { n -> HTML in "<p>Téléphone : \(PublicFragments.phone(n))</p>\n" }
        tail = "\(phone)\(PublicFragments.tags(p))\n</li>\n"
    }

    /// Six decimals (about 10 cm), as the map needs.
    static func coordinate(_ degrees: Double) -> String {
        String(format: "%.6f", degrees)
    }
}
