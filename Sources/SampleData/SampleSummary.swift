import Directory

/// Counts over generated datasets, per network and per région, for printing and checks.
public struct SampleSummary: Sendable, Hashable, CustomStringConvertible {
    /// One network's structures and the places it hosts, by kind.
    public struct NetworkCounts: Sendable, Hashable {
        public var network: Network
        public var structures = 0
        public var sites = 0
        public var antennes = 0
        public var permanences = 0
        /// Lieux mutualisés where the network is present without hosting.
        public var guestPresences = 0
        /// Places the network hosts.
        public var places: Int { sites + antennes + permanences }
    }

    /// One région's totals.
    public struct RegionCounts: Sendable, Hashable {
        public var region: RegionCode
        public var structures: Int
        public var places: Int
        public var lieuxMutualises: Int
        public var indicators: Int
    }

    /// Every network, in vocabulary order.
    public let networks: [NetworkCounts]
    /// Régions in the order given.
    public let regions: [RegionCounts]
    public let structures: Int
    public let places: Int
    public let lieuxMutualises: Int
    public let withCoordinates: Int
    /// Places whose address leaves the commune code to the geocoder.
    public let withoutCommuneCode: Int
    /// Places whose city carries "CEDEX".
    public let cedexAddresses: Int
    public let indicators: Int

    public init(datasets: [RegionDataset]) {
        var perNetwork = Network.allCases.map { NetworkCounts(network: $0) }
        let slot = { (n: Network) in Network.allCases.firstIndex(of: n)! }
        var regions: [RegionCounts] = []
        var mutualised = 0, coordinates = 0, noCode = 0, cedex = 0
        for d in datasets {
            var networkOf: [String: Network] = [:]
            for s in d.structures {
                networkOf[s.id] = s.network
                perNetwork[slot(s.network)].structures += 1
            }
            var regionMutualised = 0
            for p in d.places {
                if let host = p.structures.first(where: \.isHost) ?? p.structures.first, let n = networkOf[host.structureId] {
                    switch p.kind {
                    case .site: perNetwork[slot(n)].sites += 1
                    case .antenne: perNetwork[slot(n)].antennes += 1
                    case .permanence: perNetwork[slot(n)].permanences += 1
                    }
                }
                for guest in p.structures where !guest.isHost {
                    if let n = networkOf[guest.structureId] { perNetwork[slot(n)].guestPresences += 1 }
                }
                if p.isLieuMutualise { regionMutualised += 1 }
                if p.coordinates != nil { coordinates += 1 }
                if p.address.communeCode == nil { noCode += 1 }
                if p.address.city.uppercased().contains("CEDEX") { cedex += 1 }
            }
            mutualised += regionMutualised
            regions.append(RegionCounts(region: d.region, structures: d.structures.count, places: d.places.count,
                                        lieuxMutualises: regionMutualised, indicators: d.indicators.count))
        }
        self.networks = perNetwork
        self.regions = regions
        self.structures = regions.reduce(0) { $0 + $1.structures }
        self.places = regions.reduce(0) { $0 + $1.places }
        self.indicators = regions.reduce(0) { $0 + $1.indicators }
        self.lieuxMutualises = mutualised
        self.withCoordinates = coordinates
        self.withoutCommuneCode = noCode
        self.cedexAddresses = cedex
    }

    public func counts(of network: Network) -> NetworkCounts {
        networks.first { $0.network == network } ?? NetworkCounts(network: network)
    }

    /// A plain-text table: networks, then régions, then totals.
    public var description: String {
        func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
        func num(_ n: Int, _ w: Int = 7) -> String { let s = String(n); return String(repeating: " ", count: max(0, w - s.count)) + s }
        var lines = [pad("network", 22) + "  struct.   places    sites  antennes  perm.  guest"]
        for n in networks where n.structures > 0 || n.places > 0 {
            lines.append(pad(n.network.rawValue, 22) + num(n.structures, 9) + num(n.places, 9) + num(n.sites, 9)
                         + num(n.antennes, 10) + num(n.permanences, 7) + num(n.guestPresences, 7))
        }
        lines.append("")
        lines.append(pad("region", 22) + "  struct.   places  mutual.  indicators")
        for r in regions {
            lines.append(pad(r.region.rawValue, 22) + num(r.structures, 9) + num(r.places, 9) + num(r.lieuxMutualises, 9)
                         + num(r.indicators, 12))
        }
        lines.append("")
        lines.append("total: \(structures) structures, \(places) places (\(lieuxMutualises) lieux mutualisés, "
                     + "\(withCoordinates) with coordinates, \(withoutCommuneCode) without commune code, "
                     + "\(cedexAddresses) CEDEX), \(indicators) indicator values")
        return lines.joined(separator: "\n")
    }
}
