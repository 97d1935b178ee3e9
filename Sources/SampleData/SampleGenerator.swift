import Directory
import Reference

/// Builds a deterministic, realistic national sample of the SPRO: one `RegionDataset` per région,
/// about 8,000 points d'accueil at scale 1, from the reference pack and the town halls.
///
/// - The same seed and scale give the same datasets, byte for byte once encoded with `SproJSON.encoder()`.
/// - Places sit where networks actually sit: agencies in larger communes, permanences in the town halls
///   of smaller ones (with the town hall's real address and hours).
/// - The data deliberately carries what the harvester and geocoder must cope with: about 20% of places
///   without a commune code, about 3% with CEDEX postcodes or La Poste spellings, about 0.3% with
///   wrong coordinates (swapped, sign-flipped, null island or another commune's), and a handful of
///   addresses that cannot be resolved (city "Lieu-dit ...", a postcode La Poste does not know,
///   no commune code).
/// - Structures' referencing states are mixed (a few applied, under review or suspended); the node
///   decides what is public.
public struct SampleGenerator: Sendable {
    public let seed: UInt64
    /// 1 gives about 8,000 places; 10 about 80,000 (more antennes, permanences and small sites).
    public let scale: Double
    let context: GeneratorContext

    /// Prepares the generator; the reference pack is indexed once here.
    public init(reference: ReferencePack, townHalls: [TownHall], seed: UInt64 = 2014, scale: Double = 1) {
        self.seed = seed
        self.scale = scale
        self.context = GeneratorContext(reference: reference, townHalls: townHalls, seed: seed, scale: max(0.05, scale))
    }

    /// The régions, by code.
    public var regions: [RegionCode] { context.geographies.map(\.code) }

    /// Every région's dataset, sorted by région code.
    public func generate() -> [RegionDataset] {
        context.geographies.map { RegionBuilder(context: context, geography: $0).build() }
    }

    /// One région's dataset; equal to that région's entry in `generate()`.
    /// An unknown région gives an empty dataset.
    public func generate(region: RegionCode) -> RegionDataset {
        guard let geo = context.geographies.first(where: { $0.code == region }) else {
            return RegionDataset(region: region, structures: [], places: [], indicators: [])
        }
        return RegionBuilder(context: context, geography: geo).build()
    }
}

/// Everything the région builders share, computed once.
struct GeneratorContext: Sendable {
    let reference: ReferencePack
    let townHalls: [CommuneCode: TownHall]
    let seed: UInt64
    let scale: Double
    let geographies: [RegionGeography]
    let quotas: [RegionCode: RegionQuotas]

    init(reference: ReferencePack, townHalls: [TownHall], seed: UInt64, scale: Double) {
        self.reference = reference
        var halls: [CommuneCode: TownHall] = [:]
        halls.reserveCapacity(townHalls.count)
        for t in townHalls where halls[t.commune] == nil { halls[t.commune] = t }
        self.townHalls = halls
        self.seed = seed
        self.scale = scale
        self.geographies = RegionGeography.all(from: reference)
        self.quotas = RegionQuotas.compute(geographies, scale: scale)
    }

    /// Position of a région in code order, used to keep random SIRENs apart between régions.
    func ordinal(of region: RegionCode) -> Int {
        geographies.firstIndex { $0.code == region } ?? 0
    }
}
