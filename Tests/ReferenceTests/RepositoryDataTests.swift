import Directory
import Foundation
@testable import Reference
import Testing

/// The repository's own data, `Regions/` and `Charters/`, read with the real loaders and compared with the
/// reference pack. These files are what every node adopts, so a typo here would reach every export.
@Suite("Repository data: Regions/ and Charters/")
struct RepositoryDataTests {
    /// The folder holding `Package.swift` and `Regions/`, found by walking up from this file
    /// (symlinks resolved, so the file may be shared into a scratch package).
    static let repositoryRoot: URL? = {
        var dir = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        let fm = FileManager.default
        while dir.path != "/" {
            if fm.fileExists(atPath: dir.appendingPathComponent("Package.swift").path),
               fm.fileExists(atPath: dir.appendingPathComponent("Regions").path) {
                return dir
            }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }()

    /// The units a required indicator may use; values travel with the same unit strings.
    static let knownUnits: Set<String> = ["persons", "percent", "days", "hours_per_week", "count"]

    func root() throws -> URL {
        try #require(Self.repositoryRoot, "no folder with Package.swift and Regions/ above \(#filePath)")
    }

    /// `SPRO_REFERENCE`, else `<repository root>/../shared/data`.
    func referencePack() throws -> ReferencePack {
        let directory: URL
        if let env = ProcessInfo.processInfo.environment["SPRO_REFERENCE"], !env.isEmpty {
            directory = URL(fileURLWithPath: env)
        } else {
            directory = try root().deletingLastPathComponent().appendingPathComponent("shared/data")
        }
        return try ReferencePack.load(from: directory)
    }

    /// Every `Charters/<folder>/*.json`, with its folder name.
    func charterFiles() throws -> [(folder: String, file: URL)] {
        let dir = try root().appendingPathComponent("Charters")
        let fm = FileManager.default
        var out: [(String, URL)] = []
        for folder in try fm.contentsOfDirectory(atPath: dir.path).sorted() {
            var isDir: ObjCBool = false
            let sub = dir.appendingPathComponent(folder)
            guard fm.fileExists(atPath: sub.path, isDirectory: &isDir), isDir.boolValue else { continue }
            for name in try fm.contentsOfDirectory(atPath: sub.path).sorted() where name.hasSuffix(".json") {
                out.append((folder, sub.appendingPathComponent(name)))
            }
        }
        return out
    }

    // MARK: - Regions

    @Test func eighteenRegionsMatchingTheReferencePack() throws {
        let regions = try Region.loadAll(from: root().appendingPathComponent("Regions"))
        let pack = try referencePack()
        #expect(regions.count == 18)
        #expect(Set(regions.map(\.code)) == Set(pack.regions.keys))
        for region in regions {
            #expect(region.name == pack.regions[region.code]?.name, "name of \(region.code)")
            #expect(region.departements == pack.departements(of: region.code), "départements of \(region.code)")
        }
        // Each département belongs to exactly one région: no overlap, nothing missing.
        let all = regions.flatMap(\.departements)
        #expect(all.count == Set(all).count, "a département is listed twice")
        #expect(Set(all) == Set(pack.departements.keys))
    }

    @Test func portsAreUniqueAndNodeURLsPointAtThem() throws {
        let regions = try Region.loadAll(from: root().appendingPathComponent("Regions"))
        #expect(Set(regions.map(\.port)).count == regions.count, "two régions share a port")
        for region in regions {
            #expect(region.port == 8100 + (Int(region.code.rawValue) ?? -1), "port of \(region.code)")
            #expect(region.nodeURL == "http://127.0.0.1:\(region.port)", "nodeURL of \(region.code)")
        }
    }

    // MARK: - Charters

    @Test func everyCharterLoadsAndLivesInItsRegionFolder() throws {
        let files = try charterFiles()
        #expect(!files.isEmpty)
        for (folder, file) in files {
            let charter = try Charter.load(from: file)
            #expect(charter.region.rawValue == folder, "\(file.path): region \(charter.region) in folder \(folder)")
            #expect(file.lastPathComponent == "\(folder)-v\(charter.version).json", "\(file.path): name does not match version")
        }
    }

    @Test func everyRegionHasVersionsOneToNInAdoptionOrder() throws {
        let regions = try Region.loadAll(from: root().appendingPathComponent("Regions"))
        var byRegion: [String: [Charter]] = [:]
        for (folder, file) in try charterFiles() {
            byRegion[folder, default: []].append(try Charter.load(from: file))
        }
        #expect(Set(byRegion.keys) == Set(regions.map(\.code.rawValue)), "charter folders and régions differ")
        for region in regions {
            let charters = (byRegion[region.code.rawValue] ?? []).sorted { $0.version < $1.version }
            #expect(!charters.isEmpty, "région \(region.code) has no charter")
            guard !charters.isEmpty else { continue }
            #expect(charters.map(\.version) == Array(1...charters.count), "versions of \(region.code): \(charters.map(\.version))")
            // ISO dates compare as strings.
            for (earlier, later) in zip(charters, charters.dropFirst()) {
                #expect(earlier.adoptedOn < later.adoptedOn, "\(region.code) v\(later.version) adopted before v\(earlier.version)")
            }
        }
    }

    @Test func criteriaAndIndicatorsUseTheSharedVocabulary() throws {
        for (_, file) in try charterFiles() {
            let charter = try Charter.load(from: file)
            for criterion in charter.criteria {
                #expect(criterion.id.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) != nil,
                        "\(file.lastPathComponent): criterion id \(criterion.id) is not snake_case")
                if criterion.threshold != nil {
                    #expect(criterion.check?.needsThreshold == true,
                            "\(file.lastPathComponent): \(criterion.id) has a threshold its check ignores")
                }
            }
            let codes = charter.requiredIndicators.map(\.code)
            #expect(Set(codes).count == codes.count, "\(file.lastPathComponent): an indicator is required twice")
            for indicator in charter.requiredIndicators {
                #expect(Self.knownUnits.contains(indicator.unit), "\(file.lastPathComponent): unit \(indicator.unit)")
            }
        }
    }

    @Test func everyRequiredIndicatorIsDefinedInTheCatalogue() throws {
        let catalogue = try IndicatorCatalogue.load(from: root().appendingPathComponent("Charters/indicators.json"))
        #expect(catalogue.definitions.contains { $0.owner == .nationalCEP })
        for d in catalogue.definitions {
            #expect(Self.knownUnits.contains(d.unit), "\(d.code) (\(d.owner)): unit \(d.unit)")
            #expect(d.type != .percent || d.unit == "percent", "\(d.code) (\(d.owner)): a percentage in \(d.unit)")
        }
        for (_, file) in try charterFiles() {
            let charter = try Charter.load(from: file)
            for problem in catalogue.problems(in: charter) {
                Issue.record("\(file.lastPathComponent): \(problem.field): \(problem.rule)")
            }
        }
    }

    @Test func aRegionCannotRedefineANationalIndicator() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("spro-indicators-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(#"""
        {"version": "t", "source": "t", "definitions": [
          {"code": "first_receptions", "label": "a", "owner": "socle_national_cep", "unit": "persons", "periodicity": "quarter", "type": "count"},
          {"code": "first_receptions", "label": "b", "owner": "53", "unit": "persons", "periodicity": "month", "type": "count"}]}
        """#.utf8).write(to: file)
        let error = try #require(throws: CharterError.self) { try IndicatorCatalogue.load(from: file) }
        #expect(error.field == "definitions[1].code" && error.rule.contains("socle national du CEP"))
        try Data(#"""
        {"version": "t", "source": "t", "definitions": [
          {"code": "x", "label": "a", "owner": "nationale", "unit": "persons", "periodicity": "quarter", "type": "count"}]}
        """#.utf8).write(to: file)
        let owner = try #require(throws: CharterError.self) { try IndicatorCatalogue.load(from: file) }
        #expect(owner.field == "definitions[0].owner")
    }

    // MARK: - Malformed charters are refused with the file and the field

    static let malformed: [(name: String, json: String, field: String)] = [
        ("checkable-without-check.json", """
        {"region": "53", "version": 1, "title": "Test", "adoptedOn": "2015-04-10", "source": "test",
         "values": ["gratuité"],
         "criteria": [{"id": "gratuite", "label": "Service gratuit", "kind": "checkable"}],
         "requiredIndicators": [], "referencingValidityMonths": 36, "requiresLieuMutualisePerBassin": false}
        """, "criteria[0] (gratuite).check"),
        ("version-not-a-number.json", """
        {"region": "53", "version": "un", "title": "Test", "adoptedOn": "2015-04-10", "source": "test",
         "values": ["gratuité"],
         "criteria": [{"id": "gratuite", "label": "Service gratuit", "kind": "checkable", "check": "free_of_charge"}],
         "requiredIndicators": [], "referencingValidityMonths": 36, "requiresLieuMutualisePerBassin": false}
        """, "version"),
    ]

    @Test(arguments: malformed)
    func malformedCharterIsRefusedNamingFileAndField(name: String, json: String, field: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spro-charter-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent(name)
        try Data(json.utf8).write(to: file)

        let error = try #require(throws: CharterError.self) { try Charter.load(from: file) }
        #expect(error.file == file.path)
        #expect(error.field == field)
        #expect(error.description.contains(name))
        #expect(error.description.contains(field))
    }
}
