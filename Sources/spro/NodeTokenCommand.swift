import ArgumentParser
import Directory
import Federation
import Foundation
import RegionNode
import Signing

extension NodeCommand {
    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue an admin API token (printed once; only its hash is stored in the node's database).")
        @Option(help: "Region INSEE code, e.g. 53.") var region: String
        @OptionGroup var work: WorkOptions
        @Option(help: "Token name, recorded as the actor in the audit log.") var name: String
        @Option(help: "admin (the Région's team) or editor (one structure's editor).") var role: String = "admin"
        @Option(help: "For an editor: the structure id they edit.") var structure: String?
        @Option(help: "Node SQLite file (default: <work>/nodes/<code>.sqlite).") var db: String?

        func run() async throws {
            let ws = Workspace(root: URL(fileURLWithPath: work.directory))
            let repo = try RepositoryData.locate()
            let registryURL = FileManager.default.fileExists(atPath: ws.registry.path) ? ws.registry : repo.regions
            let entry = try loadRegion(region, registry: registryURL)
            guard let role = Principal.Role(rawValue: role) else { throw ValidationError("--role must be admin or editor") }
            try FileManager.default.createDirectory(at: ws.root.appendingPathComponent("nodes"), withIntermediateDirectories: true)
            let store = try NodeStore(region: entry, databasePath: db ?? ws.nodeDatabase(entry.code).path,
                                      key: try SigningKey.read(from: ws.keyFile(entry.code)))
            printLine(try await store.issueToken(name: name, role: role, structureId: structure))
        }
    }
}
