import Directory
import Foundation
import NationalDirectory

/// What the public search page shows for a search: nothing yet, what is wrong with it, a choice between
/// communes of the same name, or places (the nearest, or those whose name matches), with the Région's
/// shared channels beside them.
enum SearchOutcome {
    /// The bare page: the form alone.
    case blank
    /// The search cannot be run: each problem names its field, the form stays filled.
    case problems([SearchProblem])
    /// A bare commune name several communes bear: which one? (`query` as typed)
    case choice(query: String, homonyms: [SearchOrigin.Homonym])
    case places(FoundPlaces)

    /// How the places were found.
    enum Kind {
        /// The nearest to `origin`, within the radius.
        case nearest
        /// Those whose name matches the query, nearest first when the query also gave a position.
        case byName
    }

    /// Places to list, in order, with what the page says around them.
    struct FoundPlaces {
        var kind: Kind
        /// Where distances are measured from; nil for names matched with no commune to start from.
        var origin: SearchOrigin?
        /// The query read otherwise than typed ("mairie de Brest" as Brest): said above the results.
        var readAs: String?
        var hits: [Hit]
        /// Whether more places match than are shown ("plus de résultats").
        var more: Bool
        /// The Région whose shared channels are shown, and those channels (filtered like the places), by
        /// index in `NationalContent.channels`.
        var region: RegionCode?
        var channels: [Int]
        /// The moments the places' hours are read at (now, or `open_at`), by `Territory.rawValue`.
        var moments: [LocalMoment]
    }

    /// A place in the list: where it is in `PlaceSearch.places`, its distance, its hours.
    struct Hit {
        var index: Int
        var place: DirectoryPlace
        /// Nil for a name match without origin.
        var distanceMetres: Double?
        /// What the place's hours say at the search's moment (nil without hours).
        var reading: HoursReading?
        /// What the list shows of it whatever the request (`NationalContent.cards`).
        var card: PlaceCard
        var territory: Territory
    }

    /// Runs `search` over `content`. A query that names a commune outright is a search by place; one that
    /// does not (a name read from part of the text, approximately, or not at all) is first looked up among
    /// the places' names.
    static func run(_ search: PublicSearch, content: NationalContent, now: Date) -> SearchOutcome {
        if search.isBlank { return .blank }
        if !search.problems.isEmpty { return .problems(search.problems) }
        if search.lacksQuery {
            return .problems([SearchProblem(field: "q", message: "Indiquez une adresse, un code postal, une commune ou le nom d'un lieu, "
                                            + "ou utilisez votre position.")])
        }
        let moments = (search.filter.openAt ?? .instant(now)).moments
        if let position = search.position {
            let origin = SearchOrigin(position: position, label: "votre position")
            return .places(nearest(search, origin: origin, readAs: nil, content: content, moments: moments))
        }
        switch content.resolveQuery(search.q) {
        case .success(let origin) where !origin.homonyms.isEmpty:
            return .choice(query: search.q, homonyms: origin.homonyms)
        case .success(let origin) where origin.exact:
            return .places(nearest(search, origin: origin, readAs: nil, content: content, moments: moments))
        case .success(let origin):
            if let byName = byName(search, origin: origin, content: content, moments: moments) { return .places(byName) }
            return .places(nearest(search, origin: origin, readAs: origin.label, content: content, moments: moments))
        case .failure(let problem):
            if let byName = byName(search, origin: nil, content: content, moments: moments) { return .places(byName) }
            return .problems([SearchProblem(field: "q", message: problem.message
                                            + " Vous pouvez aussi chercher un lieu par son nom (par exemple « Mission locale »).")])
        }
    }

    /// The nearest places passing the filters, one more than shown to know whether there are more.
    static func nearest(_ search: PublicSearch, origin: SearchOrigin, readAs: String?, content: NationalContent,
                       moments: [LocalMoment]) -> FoundPlaces {
        let found = content.search.nearest(to: origin.position, limit: search.count + 1,
                                           radiusMetres: search.radiusKm.map { $0 * 1000 }, filter: search.filter)
        let hits = found.prefix(search.count).map {
            Hit(index: $0.index, place: $0.place, distanceMetres: $0.distanceMetres,
                reading: content.search.reading(at: $0.index, moment: moments[$0.territory.rawValue]), card: content.cards[$0.index],
                territory: $0.territory)
        }
        // The Région searched in: the commune's; for a position, that of the nearest place, however far.
        let region = origin.region ?? hits.first?.place.region ?? content.search.nearest(to: origin.position, limit: 1).first?.place.region
        return FoundPlaces(kind: .nearest, origin: origin, readAs: readAs, hits: hits, more: found.count > search.count,
                           region: region, channels: channels(of: region, search, content), moments: moments)
    }

    /// The places whose name matches the query and that pass the filters (the radius aside: a name is
    /// looked for everywhere), nearest to `origin` first, else by name; nil when none does.
    static func byName(_ search: PublicSearch, origin: SearchOrigin?, content: NationalContent, moments: [LocalMoment]) -> FoundPlaces? {
        let places = content.search.places
        let openAt = search.filter.openAt.map { _ in moments }
        var matched: [Hit] = content.names.matches(search.q).compactMap { i in
            let territory = content.search.territory(at: i)
            guard content.search.passes(i, search.filter, moment: openAt?[territory.rawValue]) else { return nil }
            let distance = origin.flatMap { o in places[i].location.position.map { o.position.distance(to: $0) } }
            return Hit(index: i, place: places[i], distanceMetres: distance,
                       reading: content.search.reading(at: i, moment: moments[territory.rawValue]), card: content.cards[i], territory: territory)
        }
        guard !matched.isEmpty else { return nil }
        if origin != nil {
            matched.sort { ($0.distanceMetres ?? .infinity, $0.index) < ($1.distanceMetres ?? .infinity, $1.index) }
        } else {
            // Alphabetical as people read it: "École" among the E, not after Z.
            func key(_ hit: Hit) -> String { hit.place.place.name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) }
            matched.sort { (key($0), $0.index) < (key($1), $1.index) }
        }
        let region = origin?.region ?? matched[0].place.region
        return FoundPlaces(kind: .byName, origin: origin, readAs: nil, hits: Array(matched.prefix(search.count)),
                           more: matched.count > search.count, region: region,
                           channels: channels(of: region, search, content), moments: moments)
    }

    /// The Région's channels serving the service and public asked for, if any.
    static func channels(of region: RegionCode?, _ search: PublicSearch, _ content: NationalContent) -> [Int] {
        guard let region else { return [] }
        return content.channels.indices.filter { i in
            let c = content.channels[i]
            return c.region == region
                && search.filter.service.map { c.channel.services.isEmpty || c.channel.services.contains($0) } ?? true
                && search.filter.publicServed.map { c.channel.publics.isEmpty || c.channel.publics.contains($0) || c.channel.publics.contains(.tousPublics) } ?? true
        }
    }
}
