import Directory
import Federation
import Foundation
import RegionNode
import Signing
import SproTestSupport
import Testing

/// The built `spro` run as a process, the way the Régions' teams run it: readable lines, one refusal line
/// on standard error without the usage, documented exit codes, and no dependence on the working directory.
@Suite struct CommandLineTests {
    struct Outcome {
        let code: Int32
        let stdout: String
        let stderr: String
        /// Both streams, for asserting what never appears.
        var all: String { stdout + stderr }
    }

    /// Runs `executable` (default: the built spro) with `arguments` in `directory`, and waits for it to exit.
    static func spro(_ arguments: [String], in directory: URL? = nil, executable: URL = HarvestCrashTests.sproBinary) async throws -> Outcome {
        let outputs = temporaryDirectory("spro-cli-output")
        defer { try? FileManager.default.removeItem(at: outputs) }
        let outURL = outputs.appendingPathComponent("stdout"), errURL = outputs.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        let code: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        return Outcome(code: code, stdout: try String(contentsOf: outURL, encoding: .utf8),
                       stderr: try String(contentsOf: errURL, encoding: .utf8))
    }

    /// A work directory with region 53's key and registry entry, and a node database holding a small dataset.
    static func nodeWorkspace() async throws -> (work: Workspace, store: NodeStore) {
        let work = Workspace(root: temporaryDirectory("spro-cli-work"))
        try work.create()
        let region = try #require(try Region.loadAll(from: TestReference.repositoryRoot.appendingPathComponent("Regions"))
            .first { $0.code.rawValue == "53" })
        let keyed = try KeyRing.prepare(regions: [region], workspace: work, now: Date())
        let store = try NodeStore(region: keyed[0].region, databasePath: work.nodeDatabase(region.code).path, key: keyed[0].key)
        try await store.importDataset(Fixtures.dataset())
        return (work, store)
    }

    @Test func geocodePrintsReadableLinesNotADebugDescription() async throws {
        let dir = temporaryDirectory("spro-cli-geocode")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("adresses.csv"), output = dir.appendingPathComponent("geocode.csv")
        try Data("""
            nom,adresse,code_postal,ville
            Mission locale,12 rue de Siam,29200,Brest
            CIO,"3 bis, place Saint-Corentin",29000,Quimper
            Inconnu,1 rue X,99999,Zzyzx

            """.utf8).write(to: input)
        let run = try await Self.spro(["geocode", "--reference", TestReference.directory.path, "--in", input.path, "--out", output.path])
        #expect(run.code == 0, "\(run.all)")
        #expect(!run.all.contains("Summary(") && !run.all.contains("Geocoding."))
        #expect(run.stdout.contains("3 lignes géocodées, écrites dans \(output.path)"))
        #expect(run.stdout.contains("au centre de la commune") && run.stdout.contains("66,7"))
        #expect(run.stdout.contains("non résolues") && run.stdout.contains("ligne 4 : "))
        #expect(FileManager.default.fileExists(atPath: output.path))
    }

    @Test func exportVerifyRefusesATamperedExportInOneLineWithoutTheUsage() async throws {
        let (work, store) = try await Self.nodeWorkspace()
        defer { try? FileManager.default.removeItem(at: work.root) }
        let export = try await store.currentExport()
        let file = work.root.appendingPathComponent("export.json")
        try export.body.write(to: file)
        try export.signature.write(to: URL(fileURLWithPath: file.path + ".sig"))

        let valid = try await Self.spro(["export", "verify", file.path, "--registry", work.registry.path])
        #expect(valid.code == 0, "\(valid.all)")
        #expect(valid.stdout.hasPrefix("valide : \(file.path) : région 53 v\(export.version)"))

        var tampered = export.body
        let at = try #require(tampered.range(of: Data("Brest".utf8)))
        tampered.replaceSubrange(at, with: Data("Brast".utf8))
        try tampered.write(to: file)
        let refused = try await Self.spro(["export", "verify", file.path, "--registry", work.registry.path])
        #expect(refused.code == 1)
        #expect(refused.stdout.isEmpty)
        let lines = refused.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.hasPrefix("refusé : \(file.path) : signature refusée") == true, "\(refused.stderr)")
        #expect(!refused.all.lowercased().contains("usage"))
    }

    @Test func nodeTokenWorksFromAnotherDirectoryWithTheExecutableElsewhere() async throws {
        let (work, _) = try await Self.nodeWorkspace()
        defer { try? FileManager.default.removeItem(at: work.root) }
        // A copy of spro outside the repository, run from a directory that is not the repository either:
        // nothing may be found relative to them.
        let elsewhere = temporaryDirectory("spro-cli-elsewhere")
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let binary = elsewhere.appendingPathComponent("spro")
        try FileManager.default.linkItem(at: HarvestCrashTests.sproBinary, to: binary)

        let issued = try await Self.spro(["node", "token", "--region", "53", "--work", work.root.path, "--name", "equipe-spro"],
                                         in: elsewhere, executable: binary)
        #expect(issued.code == 0, "\(issued.all)")
        let token = issued.stdout.trimmingCharacters(in: .newlines)
        #expect(token.hasPrefix("spro_") && !token.contains("\n"))
        #expect(issued.stderr.contains("Jeton « equipe-spro » (admin) émis pour la région 53"))

        // Without a registry in the work directory nor a repository around, the error says where it looked.
        let bare = temporaryDirectory("spro-cli-bare")
        defer { try? FileManager.default.removeItem(at: bare) }
        let lost = try await Self.spro(["node", "token", "--region", "53", "--work", bare.path, "--name", "x"],
                                       in: elsewhere, executable: binary)
        #expect(lost.code == 1)
        #expect(lost.stderr.hasPrefix("registre de confiance introuvable : cherché \(bare.appendingPathComponent("registry").path)"),
                "\(lost.stderr)")
        #expect(lost.stderr.contains(elsewhere.path) && lost.stderr.contains("--registry"))
    }

    @Test(arguments: [[], ["demo"], ["sample"], ["keys"], ["keys", "generate"], ["keys", "rotate"], ["keys", "revoke"],
                      ["node", "import"], ["node", "token"], ["coverage"], ["geocode"], ["export"], ["export", "verify"]])
    func helpDocumentsTheExitCodes(command: [String]) async throws {
        let run = try await Self.spro(command + ["--help"])
        #expect(run.code == 0)
        let text = run.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("Exit codes: 0 done; 1 refused or failed"), "\(command)")
        #expect(text.contains("64 usage error"), "\(command)")
    }

    @Test func coverageRefusesAServiceAddressThatIsNotHTTP() async throws {
        let run = try await Self.spro(["coverage", "--out", temporaryDirectory("coverage").path, "--service", "ftp://annuaire.example.fr"])
        #expect(run.code == 64)
        #expect(run.stderr.contains("--service : « ftp://annuaire.example.fr » n'est pas une adresse http(s)"), "\(run.stderr)")
    }

    @Test func aWrongCommandLineExitsWith64AndTheUsage() async throws {
        let run = try await Self.spro(["export", "verify"])
        #expect(run.code == 64)
        #expect(run.stderr.contains("Usage: spro export verify"))
    }
}
