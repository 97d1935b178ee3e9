import Directory
import Foundation

/// The reference pack (`shared/data`): communes with arrondissements, postcodes, zones d'emploi,
/// départements and régions, indexed for lookups. Town halls and outlines load separately, on demand.
public struct ReferencePack: Sendable {
    /// The directory it was read from.
    public let directory: URL
    public let communes: [CommuneCode: Commune]
    /// Communes and arrondissements in file order.
    public let communeList: [Commune]
    public let postcodes: [Postcode: [PostcodeEntry]]
    public let zones: [ZoneEmploiCode: ZoneEmploi]
    public let departements: [DepartementCode: Departement]
    public let regions: [RegionCode: RegionInfo]

    /// Builds a pack from records, e.g. a small hand-built geography in tests.
    public init(directory: URL, communes: [Commune], postcodes: [PostcodeEntry], zones: [ZoneEmploi],
                departements: [Departement], regions: [RegionInfo]) {
        self.directory = directory
        self.communeList = communes
        self.communes = Dictionary(communes.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        self.postcodes = Dictionary(grouping: postcodes, by: \.postcode)
        self.zones = Dictionary(zones.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        self.departements = Dictionary(departements.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        self.regions = Dictionary(regions.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
    }

    private init(directory: URL, communes: [CommuneCode: Commune], communeList: [Commune], postcodes: [Postcode: [PostcodeEntry]],
                 zones: [ZoneEmploiCode: ZoneEmploi], departements: [DepartementCode: Departement], regions: [RegionCode: RegionInfo]) {
        self.directory = directory
        self.communes = communes
        self.communeList = communeList
        self.postcodes = postcodes
        self.zones = zones
        self.departements = departements
        self.regions = regions
    }

    /// The files a reference pack must hold.
    public static let requiredFiles = ["communes.csv", "postcodes.csv", "zones_emploi.csv", "departements.csv", "regions.csv"]

    /// Loads the pack, failing with the file, line and field of the first problem found.
    public static func load(from directory: URL) throws(ReferenceError) -> ReferencePack {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDir), isDir.boolValue else {
            throw ReferenceError(file: directory.path, line: nil, field: nil,
                                 problem: "reference pack directory not found (set --reference DIR or SPRO_REFERENCE)")
        }
        for name in requiredFiles where !FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path) {
            throw ReferenceError(file: directory.appendingPathComponent(name).path, line: nil, field: nil,
                                 problem: "required reference file is missing")
        }
        let regions = try loadRegions(directory.appendingPathComponent("regions.csv"))
        let departements = try loadDepartements(directory.appendingPathComponent("departements.csv"), regions: regions)
        let zones = try loadZones(directory.appendingPathComponent("zones_emploi.csv"))
        let communeList = try loadCommunes(directory.appendingPathComponent("communes.csv"), zones: zones)
        var communes: [CommuneCode: Commune] = [:]
        communes.reserveCapacity(communeList.count)
        for c in communeList { communes[c.code] = c }
        let postcodes = try loadPostcodes(directory.appendingPathComponent("postcodes.csv"), communes: communes)
        return ReferencePack(directory: directory, communes: communes, communeList: communeList, postcodes: postcodes,
                             zones: zones, departements: departements, regions: regions)
    }

    /// Finds the pack: `explicit` (from `--reference`), else `SPRO_REFERENCE`, else `../shared/data`
    /// from the working directory or from any folder above the executable.
    public static func locate(explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ReferenceError) -> URL
    {
        if let explicit { return URL(fileURLWithPath: explicit) }
        if let env = environment["SPRO_REFERENCE"], !env.isEmpty { return URL(fileURLWithPath: env) }
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<8 {
            candidates.append(dir)
            dir = dir.deletingLastPathComponent()
        }
        for base in candidates {
            let data = base.deletingLastPathComponent().appendingPathComponent("shared/data")
            if FileManager.default.fileExists(atPath: data.appendingPathComponent("communes.csv").path) { return data.standardizedFileURL }
        }
        throw ReferenceError(file: "../shared/data", line: nil, field: nil,
                             problem: "reference pack not found; pass --reference DIR or set SPRO_REFERENCE")
    }

    // MARK: - Lookups

    /// Communes (and arrondissements) of a département.
    public func communes(in departement: DepartementCode) -> [Commune] {
        communeList.filter { $0.departement == departement }
    }

    /// The départements of a région.
    public func departements(of region: RegionCode) -> [DepartementCode] {
        departements.values.filter { $0.region == region }.map(\.code).sorted()
    }

    /// The units whose populations add up to the nation without double counting: communes,
    /// with Paris, Lyon and Marseille replaced by their arrondissements.
    public var populationUnits: [Commune] {
        communeList.filter { !$0.hasArrondissements }
    }

    /// Sum of population over `populationUnits`.
    public var totalPopulation: Int { populationUnits.reduce(0) { $0 + $1.population } }

    // MARK: - Loading

    private static func parse<T: ValidatedCode>(_ type: T.Type, _ raw: String, _ table: CSVTable, line: Int, field: String)
        throws(ReferenceError) -> T
    {
        do {
            return try T(raw)
        } catch {
            throw ReferenceError(file: table.file, line: line, field: field, problem: error.description)
        }
    }

    private static func int(_ raw: String, _ table: CSVTable, line: Int, field: String) throws(ReferenceError) -> Int {
        guard let v = Int(raw) else {
            throw ReferenceError(file: table.file, line: line, field: field, problem: "\"\(raw)\" is not a whole number")
        }
        return v
    }

    private static func double(_ raw: String, _ table: CSVTable, line: Int, field: String) throws(ReferenceError) -> Double {
        guard let v = Double(raw), v.isFinite else {
            throw ReferenceError(file: table.file, line: line, field: field, problem: "\"\(raw)\" is not a number")
        }
        return v
    }

    static func loadRegions(_ url: URL) throws(ReferenceError) -> [RegionCode: RegionInfo] {
        let t = try CSVTable(contentsOf: url)
        let (cReg, cNom) = (try t.column("reg"), try t.column("nom"))
        var out: [RegionCode: RegionInfo] = [:]
        for r in t.rows {
            let code = try parse(RegionCode.self, r.fields[cReg], t, line: r.line, field: "reg")
            out[code] = RegionInfo(code: code, name: r.fields[cNom])
        }
        return out
    }

    static func loadDepartements(_ url: URL, regions: [RegionCode: RegionInfo]) throws(ReferenceError) -> [DepartementCode: Departement] {
        let t = try CSVTable(contentsOf: url)
        let (cDep, cReg, cNom) = (try t.column("dep"), try t.column("reg"), try t.column("nom"))
        var out: [DepartementCode: Departement] = [:]
        for r in t.rows {
            let code = try parse(DepartementCode.self, r.fields[cDep], t, line: r.line, field: "dep")
            let reg = try parse(RegionCode.self, r.fields[cReg], t, line: r.line, field: "reg")
            guard regions[reg] != nil else {
                throw ReferenceError(file: t.file, line: r.line, field: "reg", problem: "région \(reg) is not in regions.csv")
            }
            out[code] = Departement(code: code, region: reg, name: r.fields[cNom])
        }
        return out
    }

    static func loadZones(_ url: URL) throws(ReferenceError) -> [ZoneEmploiCode: ZoneEmploi] {
        let t = try CSVTable(contentsOf: url)
        let cols = (ze: try t.column("ze2020"), nom: try t.column("nom"), main: try t.column("reg_principale"),
                    regs: try t.column("regions"), nb: try t.column("nb_communes"), pop: try t.column("population"))
        var out: [ZoneEmploiCode: ZoneEmploi] = [:]
        for r in t.rows {
            let f = r.fields
            var regs: [RegionCode] = []
            for raw in f[cols.regs].split(separator: "|") {
                regs.append(try parse(RegionCode.self, String(raw), t, line: r.line, field: "regions"))
            }
            let code = try parse(ZoneEmploiCode.self, f[cols.ze], t, line: r.line, field: "ze2020")
            out[code] = ZoneEmploi(
                code: code, name: f[cols.nom],
                mainRegion: try parse(RegionCode.self, f[cols.main], t, line: r.line, field: "reg_principale"),
                regions: regs,
                communeCount: try int(f[cols.nb], t, line: r.line, field: "nb_communes"),
                population: try int(f[cols.pop], t, line: r.line, field: "population"))
        }
        return out
    }

    static func loadCommunes(_ url: URL, zones: [ZoneEmploiCode: ZoneEmploi]) throws(ReferenceError) -> [Commune] {
        let t = try CSVTable(contentsOf: url)
        let c = (code: try t.column("code_insee"), type: try t.column("type"), parent: try t.column("parent"),
                 nom: try t.column("nom"), dep: try t.column("dep"), reg: try t.column("reg"),
                 ze: try t.column("ze2020"), pop: try t.column("population"), cps: try t.column("codes_postaux"),
                 lat: try t.column("lat"), lon: try t.column("lon"))
        var out: [Commune] = []
        out.reserveCapacity(t.rows.count)
        for r in t.rows {
            let f = r.fields
            guard let kind = Commune.Kind(rawValue: f[c.type]) else {
                throw ReferenceError(file: t.file, line: r.line, field: "type", problem: "\"\(f[c.type])\" is neither COM nor ARM")
            }
            let zone = try parse(ZoneEmploiCode.self, f[c.ze], t, line: r.line, field: "ze2020")
            guard zones[zone] != nil else {
                throw ReferenceError(file: t.file, line: r.line, field: "ze2020", problem: "zone \(zone) is not in zones_emploi.csv")
            }
            var cps: [Postcode] = []
            for raw in f[c.cps].split(separator: "|") {
                cps.append(try parse(Postcode.self, String(raw), t, line: r.line, field: "codes_postaux"))
            }
            let lat = try double(f[c.lat], t, line: r.line, field: "lat")
            let lon = try double(f[c.lon], t, line: r.line, field: "lon")
            out.append(Commune(
                code: try parse(CommuneCode.self, f[c.code], t, line: r.line, field: "code_insee"),
                kind: kind,
                parent: f[c.parent].isEmpty ? nil : try parse(CommuneCode.self, f[c.parent], t, line: r.line, field: "parent"),
                name: f[c.nom],
                departement: try parse(DepartementCode.self, f[c.dep], t, line: r.line, field: "dep"),
                region: try parse(RegionCode.self, f[c.reg], t, line: r.line, field: "reg"),
                zone: zone,
                population: try int(f[c.pop], t, line: r.line, field: "population"),
                postcodes: cps,
                centre: GeoPoint(lat: lat, lon: lon)))
        }
        return out
    }

    static func loadPostcodes(_ url: URL, communes: [CommuneCode: Commune]) throws(ReferenceError) -> [Postcode: [PostcodeEntry]] {
        let t = try CSVTable(contentsOf: url)
        let c = (cp: try t.column("code_postal"), insee: try t.column("code_insee"), parent: try t.column("commune_parent"),
                 nom: try t.column("nom"), lib: try t.column("libelle_acheminement"), l5: try t.column("ligne_5"))
        var out: [Postcode: [PostcodeEntry]] = [:]
        for r in t.rows {
            let f = r.fields
            let commune = try parse(CommuneCode.self, f[c.insee], t, line: r.line, field: "code_insee")
            guard communes[commune] != nil else {
                throw ReferenceError(file: t.file, line: r.line, field: "code_insee", problem: "commune \(commune) is not in communes.csv")
            }
            let cp = try parse(Postcode.self, f[c.cp], t, line: r.line, field: "code_postal")
            out[cp, default: []].append(PostcodeEntry(
                postcode: cp, commune: commune,
                parentCommune: try parse(CommuneCode.self, f[c.parent], t, line: r.line, field: "commune_parent"),
                name: f[c.nom], libelleAcheminement: f[c.lib], ligne5: f[c.l5].isEmpty ? nil : f[c.l5]))
        }
        return out
    }
}
