import Directory
import Foundation
import NationalDirectory
import SafeHTML

/// Pieces the public pages share: links to places, phone numbers and web addresses, distances and
/// dates in French, the Régions' channels.
enum PublicFragments {
    /// The place's page: `/lieux/53/quimper-cio` (each segment percent-encoded).
    static func placeURL(_ served: DirectoryPlace) -> String {
        "/lieux/" + PublicSearch.escaped(served.region.rawValue) + "/" + PublicSearch.escaped(served.place.id)
    }

    /// "à 850 m", "à 12,4 km"; a position that is only the commune's centre gives no honest distance:
    /// "à Quimper (position approximative)".
    static func distance(_ metres: Double, of served: DirectoryPlace) -> String {
        if served.location.isApproximate { return "à \(served.place.address.city) (position approximative)" }
        return "à " + kilometres(metres)
    }

    /// "850 m", "1,2 km", "52 km".
    static func kilometres(_ metres: Double) -> String {
        if metres < 1000 { return "\(Int(metres.rounded())) m" }
        if metres < 10_000 {
            let tenths = Int((metres / 100).rounded())
            return "\(tenths / 10),\(tenths % 10) km"
        }
        return "\(Int((metres / 1000).rounded())) km"
    }

    /// A phone number as a link that dials it.
    static func phone(_ number: String) -> HTML {
        let dial = number.filter { $0.isNumber || $0 == "+" }
        return dial.isEmpty ? HTML(text: number) : "<a href=\"tel:\(dial)\">\(number)</a>"
    }

    /// An e-mail address as a link that writes to it.
    static func email(_ address: String) -> HTML {
        address.contains("@") && !address.contains(":") ? "<a href=\"mailto:\(address)\">\(address)</a>" : HTML(text: address)
    }

    /// A web address as a link, only when it is http(s): a Région's text never becomes a `javascript:` link.
    static func website(_ address: String) -> HTML {
        let lower = address.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://") ? "<a href=\"\(address)\">\(address)</a>" : HTML(text: address)
    }

    /// "12 mars 2026" from "2026-03-12" or an ISO 8601 instant; the text as given when it is neither.
    static func date(_ iso: String) -> String {
        let parts = iso.prefix(10).split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m), (1...31).contains(d) else {
            return iso
        }
        let months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
        return (d == 1 ? "1er" : "\(d)") + " \(months[m - 1]) \(y)"
    }

    /// The Région's shared channels (phone lines, chats…): where to turn when no place is near, or beside
    /// the places found. `first` when nothing was found nearby: the heading says so.
    static func channels(_ items: [HTML], regionName: String, first: Bool, headingLevel: Int = 2) -> HTML {
        guard !items.isEmpty else { return HTML() }
        let title = first ? "À distance, en \(regionName) : un conseiller vous répond" : "Joindre un conseiller à distance en \(regionName)"
        let h = "h\(headingLevel)"
        return "<section class=\"canaux\" id=\"canaux\" aria-labelledby=\"canaux-titre\"><\(HTML(trusted: h)) id=\"canaux-titre\">\(title)</\(HTML(trusted: h))>"
            + "<ul>\(items.html { $0 })</ul></section>"
    }

    /// One channel in that list: name, kind, how to reach it, its week in French, who staffs it
    /// (`NationalContent.channelItems` keeps them written).
    static func channelItem(_ c: DirectoryChannel) -> HTML {
        let ch = c.channel
        let address: HTML = switch ch.kind {
        case .telephone: phone(ch.address)
        case .courriel: email(ch.address)
        case .tchat, .visio: website(ch.address)
        }
        let hours = ch.openingHours.flatMap { try? OpeningHours($0) }.map { h -> HTML in "<br><span class=\"meta\">\(h.frenchWeek())</span>" }
        let who = c.contributors.map(\.name)
        let staffed: HTML? = who.isEmpty ? nil : "<br><span class=\"meta\">Avec : \(who.joined(separator: ", "))</span>"
        return "<li><strong>\(ch.name)</strong> (\(ch.kind.label.lowercased())) : \(address)\(hours)\(staffed)</li>"
    }

    /// Tags for a place: every reception mode, service and public, and accessibility. None is cut: a
    /// "CEP niveau 3" hidden behind "…" is a service nobody finds.
    static func tags(_ p: Place) -> HTML {
        let labels = p.receptionModes.map(\.label) + p.services.map(\.label) + p.publics.map(\.label) + (p.accessible ? ["Accessible PMR"] : [])
        return "<ul class=\"tags\" aria-label=\"Services et publics\">\(labels.html { "<li>\($0)</li>" })</ul>"
    }
}
