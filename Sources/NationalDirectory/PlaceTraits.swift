import Directory

/// What a search filter reads of a place, packed into a few words: a filtered search that finds few
/// matches looks at every place, and reading each `DirectoryPlace` copied the whole record (dozens of
/// reference counts) per candidate, which made a rare filter cost ~6 ms at 8,000 places.
struct PlaceTraits: Sendable {
    var services: UInt64
    var publics: UInt64
    var networks: UInt64
    /// Bit `n` set when a service of CEP level `n` is offered.
    var cepLevels: UInt64
    var sansRendezVous: Bool
    var accessible: Bool

    init(_ p: DirectoryPlace) {
        services = p.place.services.reduce(0) { $0 | $1.bit }
        publics = p.place.publics.reduce(0) { $0 | $1.bit }
        networks = p.structures.reduce(0) { $0 | $1.network.bit }
        cepLevels = p.place.services.reduce(0) { bits, s in s.cepLevel.map { bits | (1 << UInt64($0 & 63)) } ?? bits }
        sansRendezVous = p.place.receptionModes.contains(.sansRendezVous)
        accessible = p.place.accessible
    }
}

/// A `SearchFilter`'s record conditions as masks over `PlaceTraits`, built once per search: the service,
/// a public (or "tous publics"), a network among the place's structures, a CEP level among its services,
/// reception without appointment, wheelchair access.
struct TraitFilter: Sendable {
    private let service: UInt64?
    /// The public asked for, or "tous publics".
    private let publics: UInt64?
    private let network: UInt64?
    private let cepLevel: UInt64?
    private let sansRendezVous: Bool?
    private let accessible: Bool?

    init(_ f: SearchFilter) {
        service = f.service?.bit
        publics = f.publicServed.map { $0.bit | Public.tousPublics.bit }
        network = f.network?.bit
        cepLevel = f.cepLevel.map { 1 << UInt64($0 & 63) }
        sansRendezVous = f.sansRendezVous
        accessible = f.accessible
    }

    /// Whether the place the traits were read from meets every condition set.
    func passes(_ t: PlaceTraits) -> Bool {
        if let service, t.services & service == 0 { return false }
        if let publics, t.publics & publics == 0 { return false }
        if let network, t.networks & network == 0 { return false }
        if let cepLevel, t.cepLevels & cepLevel == 0 { return false }
        if let sansRendezVous, t.sansRendezVous != sansRendezVous { return false }
        if let accessible, t.accessible != accessible { return false }
        return true
    }
}

extension Vocabulary {
    /// This value's bit in a 64-bit set of its vocabulary (each has fewer than 64 values).
    var bit: UInt64 {
        let index = bitIndex
        precondition(index < 64, "\(Self.self) has more than 64 values")
        return 1 << UInt64(index)
    }
}
