import Directory
import Foundation
@testable import NationalDirectory
import SproTestSupport
import Storage
import Testing
@testable import Coverage

/// The coverage history on a hand-built national file: three runs archived, their trends, the gaps that
/// appeared and were resolved, and the changes of places and referencing behind them.
@Suite struct CoverageHistoryTests {
    typealias G = HandGeography

    /// Zone A has a Mission locale, France Travail and a CIO; zone B's only place is "B"; zone C has one place.
    static func firstPlaces() -> [DirectoryPlace] {
        [G.place("ML", at: G.c1, zone: G.zA, services: [.cep1, .accompagnerInsertion], publics: [.jeunes]),
         G.place("FT1", at: G.c2, zone: G.zA, networks: [.franceTravail], services: [.cep2, .aiderEmploi], publics: [.jeunes, .demandeursEmploi],
                 hours: "Mo-Fr 08:30-16:30"),
         G.place("CIO", at: G.c2, zone: G.zA, networks: [.cio], services: Service.aioMissions, publics: [.tousPublics]),
         G.place("B", at: G.c4, zone: G.zB, networks: [.cidff], services: [.informerMetiers], publics: [.tousPublics]),
         G.place("C", at: G.c5, zone: G.zC, region: G.r75)]
    }

    /// Run 2: B's structure suspended, FT1 open fewer hours, a new place N in zone A at c3.
    static func secondPlaces() -> [DirectoryPlace] {
        var places = firstPlaces()
        places[3].structures[0].referencing.state = .suspended
        places[1].place.openingHours = "Mo-Fr 08:30-12:30"
        places.append(G.place("N", at: G.c3, zone: G.zA, networks: [.apec], services: [.cep2], publics: [.cadres]))
        return places
    }

    /// Run 3: B withdrawn with its structure (zone B has no place left).
    static func thirdPlaces() -> [DirectoryPlace] { secondPlaces().filter { $0.place.id != "B" } }

    /// Swaps the places in, every Région of the geography each time (an empty one removes its places).
    static func swap(_ places: [DirectoryPlace], version: Int, into store: NationalStore) async throws {
        for region in [G.r75, G.r84] {
            let mine = places.filter { $0.region == region }
            var structures: [String: Structure] = [:]
            for p in mine { for s in p.structures { structures[s.id] = s } }
            let snapshot = RegionSnapshot(
                region: region, version: version, contentHash: "h\(version)", etag: nil, keyId: "k", generatedAt: "2026-01-0\(version)T00:00:00Z",
                expiresAt: "2027-01-01T00:00:00Z", charters: [], structures: structures.values.sorted { $0.id < $1.id },
                places: mine.map { ($0.place, $0.location) }, indicators: [], tombstones: [])
            try await store.replace(with: snapshot, acceptedAt: Date(timeIntervalSince1970: 1_780_000_000 + Double(version) * 86_400))
        }
    }

    struct Archived {
        var ids: [Int] = []
        var reports: [CoverageReport] = []
        var places: [[DirectoryPlace]] = []
    }

    /// The three runs archived by the command, a day apart.
    static func threeRuns(_ store: NationalStore) async throws -> Archived {
        var out = Archived()
        for (n, places) in [firstPlaces(), secondPlaces(), thirdPlaces()].enumerated() {
            try await swap(places, version: n + 1, into: store)
            let read = try await store.coveragePlaces()
            let day = Date(timeIntervalSince1970: 1_780_000_000 + Double(n + 1) * 86_400)
            let report = CoverageCalculator(reference: G.pack).compute(places: read, now: day)
            let id = try #require(try await CoverageArchive.archive(report, places: read, in: store, harvestRun: n + 1, origin: .command, at: day))
            out.ids.append(id)
            out.reports.append(report)
            out.places.append(read)
        }
        return out
    }

    @Test func threeArchivedRunsGiveTrendsGapsAndTheCausesOfAZoneWhoseOnlyPlaceWasWithdrawn() async throws {
        let dir = temporaryDirectory("coverage-history")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try NationalStore(path: dir.appendingPathComponent("national.sqlite").path)
        let runs = try await Self.threeRuns(store)

        let listed = try await store.coverageRuns()
        #expect(listed.map(\.id) == runs.ids && listed.allSatisfy { $0.hasFacts && $0.origin == .command })
        #expect(listed.map(\.harvestRun) == [1, 2, 3] && listed.map(\.places) == [5, 6, 5])

        let h = try await CoverageArchive.history(in: store, current: runs.reports[2], currentPlaces: runs.places[2],
                                                  currentRun: runs.ids[2])
        #expect(h.runs.map(\.id) == runs.ids)
        // Trends: the nation, zone B (its place withdrawn), zone A (one place more), the Région of zone B.
        #expect(h.national.map(\.places) == [5, 6, 5])
        #expect(h.zones[G.zB]?.map { $0?.places } == [1, 1, 0])
        #expect(h.zones[G.zB]?.map { $0?.shareBeyondThreshold } == [0, 0, 1])
        #expect(h.zones[G.zA]?.map { $0?.places } == [3, 4, 4])
        let gapsB = try #require(h.zones[G.zB]?.compactMap { $0?.gaps })
        #expect(gapsB[2] > gapsB[1])
        #expect(h.regions[G.r84]?.map { $0?.places } == [4, 5, 4])

        // Since the previous run: zone B lost its only place; its "no place" gap appeared.
        let since = try #require(h.sincePrevious)
        #expect(since.gapsAppeared.contains { $0.zone == G.zB && $0.kind == .noPlace })
        #expect(!since.gapsResolved.contains { $0.zone == G.zB })
        #expect(since.zones.first?.zone == G.zB)

        // Why: the place withdrawn, with no referenced structure left there, and its structure's referencing withdrawn.
        let causes = h.causes(in: G.zB)
        #expect(causes.map(\.kind) == [.placeWithdrawn, .withdrawn])
        #expect(causes[0].place == "84/B" && causes[0].placeName == "Accueil B")
        #expect(causes[0].detail == "plus aucune structure référencée n'y reçoit le public")
        #expect(causes[1].structure == "84/B-S0")
        // Nothing changed elsewhere between runs 2 and 3.
        #expect(h.causes?.allSatisfy { $0.zone == G.zB } == true)

        // The page: the trends with their figures beside them, the gap appeared, the causes, all in French.
        let html = CoverageHTML.render(runs.reports[2], outlines: nil, history: h)
        #expect(html.contains("<section id=\"evolution\">") && html.contains("href=\"#evolution\""))
        #expect(html.contains("Évolution de la zone Zone B sur les 3 dernières exécutions"))
        #expect(html.contains("Lieu retiré : Accueil B (84/B) — plus aucune structure référencée n&#39;y reçoit le public"))
        #expect(html.contains("Référencement retiré : structure Structure B-S0 (84/B-S0)"))
        let charts = html.components(separatedBy: "<svg class=\"tendance\"").count - 1
        let tables = html.components(separatedBy: "<table class=\"serie\">").count - 1
        // One chart per indicator and series (nation, 2 Régions, 3 zones), each in a row of its figures' table.
        #expect(tables == 6 && charts == tables * CoverageHTML.trendRows.count)
        #expect(html.contains("<td class=\"courbe\"><svg class=\"tendance\""))
        #expect(html.contains("@media print"))
    }

    /// A process that keeps the runs it read (the national service) gets the same history as one reading
    /// them all again, and reads each archived run once.
    @Test func aCacheOfTheArchivedRunsGivesTheSameHistory() async throws {
        let dir = temporaryDirectory("coverage-history")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try NationalStore(path: dir.appendingPathComponent("national.sqlite").path)
        let runs = try await Self.threeRuns(store)
        let cache = ArchivedRunCache()
        let facts = CoverageFacts(of: runs.places[2])
        let fresh = try await CoverageArchive.archivedRuns(in: store, excluding: runs.ids[2])
            .history(current: runs.reports[2], facts: facts, run: runs.ids[2])
        for _ in 0..<2 {
            let cached = try await CoverageArchive.archivedRuns(in: store, excluding: runs.ids[2], cache: cache)
                .history(current: runs.reports[2], facts: facts, run: runs.ids[2])
            #expect(cached.runs == fresh.runs && cached.national == fresh.national && cached.zones == fresh.zones
                    && cached.regions == fresh.regions && cached.causes == fresh.causes)
            #expect(cached.sincePrevious?.gapsAppeared.count == fresh.sincePrevious?.gapsAppeared.count
                    && cached.sincePrevious?.gapsAppeared.count ?? 0 > 0)
        }
        #expect(cache.snapshot(runs.ids[0]) != nil && cache.latest(runs.ids[1]) != nil && cache.latest(runs.ids[0]) == nil)
    }

    /// A run the process archived itself is the next history's previous run without being read back: the
    /// history is the one read from the store.
    @Test func aRunArchivedWithTheCacheIsTheNextHistorysPreviousRun() async throws {
        let dir = temporaryDirectory("coverage-history")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try NationalStore(path: dir.appendingPathComponent("national.sqlite").path)
        let runs = try await Self.threeRuns(store)
        // The third places archived again by the service, with the cache; then a history for a fourth report.
        let cache = ArchivedRunCache()
        let day = Date(timeIntervalSince1970: 1_780_000_000 + 5 * 86_400)
        let id = try #require(try await CoverageArchive.archive(runs.reports[2], facts: CoverageFacts(of: runs.places[2]), in: store,
                                                               harvestRun: 4, origin: .service, at: day, cache: cache))
        #expect(cache.latest(id) != nil && cache.snapshot(id) != nil)
        let current = CoverageCalculator(reference: G.pack).compute(places: runs.places[1], now: day.addingTimeInterval(86_400))
        let facts = CoverageFacts(of: runs.places[1])
        let fresh = try await CoverageArchive.archivedRuns(in: store, excluding: nil).history(current: current, facts: facts, run: nil)
        let cached = try await CoverageArchive.archivedRuns(in: store, excluding: nil, cache: cache).history(current: current, facts: facts, run: nil)
        #expect(fresh.runs.map(\.id) == runs.ids + [id, nil])
        #expect(cached.runs == fresh.runs && cached.national == fresh.national && cached.zones == fresh.zones
                && cached.regions == fresh.regions && cached.causes == fresh.causes)
        #expect(cached.sincePrevious?.gapsAppeared == fresh.sincePrevious?.gapsAppeared
                && cached.sincePrevious?.gapsResolved == fresh.sincePrevious?.gapsResolved)
        #expect(fresh.causes?.isEmpty == false)
    }

    @Test func anyTwoRunsCompareWithTheirCauses() async throws {
        let dir = temporaryDirectory("coverage-history")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try NationalStore(path: dir.appendingPathComponent("national.sqlite").path)
        let runs = try await Self.threeRuns(store)

        // Run 1 to run 2: a suspension, hours changed, a place added.
        let c12 = try await CoverageArchive.compare(run: runs.ids[0], with: runs.ids[1], in: store)
        let causes = try #require(c12.causes)
        #expect(causes.contains { $0.kind == .suspended && $0.zone == G.zB && $0.structure == "84/B-S0" && $0.detail == "Référencé → Suspendu" })
        let hours = try #require(causes.first { $0.kind == .hoursChanged })
        #expect(hours.place == "84/FT1" && hours.zone == G.zA && hours.detail == "40\(French.thinSpace)h → 20\(French.thinSpace)h par semaine")
        #expect(causes.contains { $0.kind == .placeAdded && $0.place == "84/N" && $0.zone == G.zA })
        #expect(causes.count == 3)

        // Run 3 back to run 1: the gap of zone B is resolved, its place comes back.
        let c31 = try await CoverageArchive.compare(run: runs.ids[2], with: runs.ids[0], in: store)
        #expect(c31.comparison.gapsResolved.contains { $0.zone == G.zB && $0.kind == .noPlace })
        #expect(c31.causes?.contains { $0.kind == .placeAdded && $0.place == "84/B" } == true)
        #expect(c31.causes?.contains { $0.kind == .placeWithdrawn && $0.place == "84/N" } == true)

        await #expect(throws: CoverageHistoryError.unknownRun(99)) { try await CoverageArchive.compare(run: 99, with: runs.ids[0], in: store) }

        // Written out: comparison.json with the runs, comparison.csv, causes.csv.
        let out = dir.appendingPathComponent("cmp")
        try CoverageWriter.write(c12, to: out)
        let csv = try String(contentsOf: out.appendingPathComponent("causes.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("ze2020,cause,libelle,lieu,nom_lieu,structure,nom_structure,detail\n"))
        #expect(csv.contains("0002,referencement_suspendu,Référencement suspendu,,,84/B-S0,Structure B-S0,Référencé → Suspendu"))
    }

    @Test func factsAreStoredOnceAcrossRunsAndReadBackWhole() async throws {
        let dir = temporaryDirectory("coverage-history")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try NationalStore(path: dir.appendingPathComponent("national.sqlite").path)
        var places = Self.firstPlaces()
        // A hostile name: tabs and line breaks would break a line; they come back as spaces.
        places[0].place.name = "Accueil\tdes\njeunes\r\n"
        try await Self.swap(places, version: 1, into: store)
        let read = try await store.coveragePlaces()
        let report = CoverageCalculator(reference: G.pack).compute(places: read)
        let first = try #require(try await CoverageArchive.archive(report, places: read, in: store, harvestRun: 1, origin: .command))
        let size = try await store.coverageHistoryBytes()
        let second = try #require(try await CoverageArchive.archive(report, places: read, in: store, harvestRun: 1, origin: .command))
        let again = try await store.coverageHistoryBytes()
        // The same report and the same facts: no new report, no new fact line; only the second run's few bytes of ids.
        #expect(again.reports == size.reports && again.facts == size.facts && again.runs == 2 * size.runs)
        #expect(size.runs < 2 * (5 + 5))  // ten facts, a byte or so each
        // The same coverage computed at another time is the same report (the digest leaves the date out);
        // another figure is another report.
        var later = report
        later.generatedAt = "2031-01-01T00:00:00Z"
        try await CoverageArchive.archive(later, places: read, in: store, harvestRun: 1, origin: .command)
        #expect(try await store.coverageHistoryBytes().reports == size.reports)
        var other = report
        other.thresholdKm += 1
        try await CoverageArchive.archive(other, places: read, in: store, harvestRun: 1, origin: .command)
        #expect(try await store.coverageHistoryBytes().reports > size.reports)
        let a = try #require(try await store.coverageFacts(run: first)), b = try #require(try await store.coverageFacts(run: second))
        #expect(a == b && a == CoverageFacts(of: read).cleaned)
        #expect(a.places.first { $0.id == "ML" }?.name == "Accueil des jeunes  ")
        #expect(a.places.first { $0.id == "FT1" }?.weeklyHours == 40)
        #expect(a.places.first { $0.id == "FT1" }?.position == G.c2)
        #expect(a.structures.count == 5 && a.structures.allSatisfy { $0.state == .referenced })

        // The service archives once per harvest run; a second serving process's call adds nothing.
        #expect(try await CoverageArchive.archive(report, places: read, in: store, harvestRun: 7, origin: .service) != nil)
        #expect(try await CoverageArchive.archive(report, places: read, in: store, harvestRun: 7, origin: .service) == nil)
        let seven = try await store.hasCoverage(harvestRun: 7), one = try await store.hasCoverage(harvestRun: 1)
        #expect(seven && !one)
    }

    @Test func theColumnReadingGivesTheSameReportAsWholeRecords() async throws {
        let dir = temporaryDirectory("coverage-history")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try NationalStore(path: dir.appendingPathComponent("national.sqlite").path)
        var places = Self.secondPlaces()
        places[0].place.address.lines = ["Maison de l'emploi, bât. \"B\"", "12 rue de Siam"]
        places[0].place.lastConfirmed = "2025-01-02"
        places[2].place.openingHours = nil
        try await Self.swap(places, version: 1, into: store)
        let whole = try await store.directoryPlaces()
        let light = try await store.coveragePlaces()
        #expect(light.count == whole.count)
        for (x, y) in zip(light, whole) {
            #expect(x.place.address == y.place.address && x.place.services == y.place.services && x.place.publics == y.place.publics)
            #expect(x.place.structures == y.place.structures && x.place.openingHours == y.place.openingHours && x.place.kind == y.place.kind)
            #expect(x.place.lastConfirmed == y.place.lastConfirmed && x.location == y.location && x.sources == y.sources)
            #expect(x.structureKeys == y.structureKeys && x.structures.map(\.referencing) == y.structures.map(\.referencing))
        }
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let encoder = SproJSON.encoder()
        let a = try encoder.encode(CoverageCalculator(reference: G.pack).compute(places: light, now: now))
        let b = try encoder.encode(CoverageCalculator(reference: G.pack).compute(places: whole, now: now))
        #expect(a == b)
    }

    @Test func aFileWrittenBeforeThePlaceColumnsIsReadTheSameOnceMigrated() async throws {
        let dir = temporaryDirectory("coverage-history")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("national.sqlite").path
        var places = Self.secondPlaces()
        places[0].place.address.lines = ["Maison de l'emploi, bât. \"B\"", "12 rue de Siam"]
        places[0].place.lastConfirmed = "2025-01-02"
        places[1].place.address.lines = []
        places[2].place.openingHours = nil
        do {
            let store = try NationalStore(path: path)
            try await Self.swap(places, version: 1, into: store)
            // As a file of schema 8 holds it: the fields only in the JSON (a second connection to the file).
            let columns = ["kind", "opening_hours", "last_confirmed", "services", "publics", "address_lines", "postcode", "city", "commune_code"]
            try Database(path: path).execute(columns.map { "ALTER TABLE places DROP COLUMN \($0);" }.joined() + "PRAGMA user_version = 8;")
        }
        let store = try NationalStore(path: path)
        #expect(try Database(path: path).queryFirst("PRAGMA user_version") { $0.int(0) } == NationalSchema.migrations.count)
        let whole = try await store.directoryPlaces()
        let light = try await store.coveragePlaces()
        #expect(light.count == whole.count && light.count == places.count)
        for (x, y) in zip(light, whole) {
            #expect(x.place.address == y.place.address && x.place.services == y.place.services && x.place.publics == y.place.publics)
            #expect(x.place.openingHours == y.place.openingHours && x.place.kind == y.place.kind && x.place.lastConfirmed == y.place.lastConfirmed)
        }
    }

    @Test func aSecondRunStoresOnlyTheFactLinesThatChanged() async throws {
        let dir = temporaryDirectory("coverage-history")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("national.sqlite").path
        let store = try NationalStore(path: path)
        let lineCount = { try Database(path: path).queryFirst("SELECT count(*) FROM coverage_facts") { $0.int(0) } ?? 0 }
        var lines: [Set<String>] = []
        var runs: [Int] = []
        for (n, places) in [Self.firstPlaces(), Self.secondPlaces()].enumerated() {
            try await Self.swap(places, version: n + 1, into: store)
            let read = try await store.coveragePlaces()
            let report = CoverageCalculator(reference: G.pack).compute(places: read)
            runs.append(try #require(try await CoverageArchive.archive(report, places: read, in: store, harvestRun: n + 1, origin: .command)))
            lines.append(Set(CoverageFacts(of: read).lines))
        }
        // Suspended B, FT1's hours, the new place N and its structure: new lines; the others are the first run's.
        let changed = lines[1].subtracting(lines[0]).count
        #expect(changed >= 3 && changed < lines[1].count)
        #expect(try lineCount() == lines[0].count + changed)
        let second = try #require(try await store.coverageFacts(run: runs[1]))
        #expect(Set(second.lines) == lines[1])
    }

    @Test func factIdsPackAndUnpack() {
        let ids: [Int64] = [1, 2, 3, 200, 201, 70_000, 5_000_000_000]
        #expect(FactIds.unpack(FactIds.pack(ids.shuffled())) == ids)
        #expect(FactIds.pack([1, 2, 3, 4]).count == 4)
    }
}

extension CoverageFacts {
    /// As read back: names cleaned of tabs and line breaks.
    var cleaned: CoverageFacts {
        CoverageFacts(places: places.map { var p = $0; p.name = CoverageFacts.clean(p.name); return p },
                      structures: structures.map { var s = $0; s.name = CoverageFacts.clean(s.name); return s })
    }
}
