import ArgumentParser
import Directory
import Federation
import Foundation
import RegionNode
import Signing

extension NodeCommand {
    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue an admin API token (printed once; only its hash is stored in the node's database).",
            discussion: ExitCodes.discussion(
                "The token alone is printed on standard output, so a script can keep it; what was issued goes to standard error.",
                "The region's entry is read from --registry, else <work>/registry, else the repository's Regions/ "
                    + "(found from the working directory or the executable's folder), so the command works from any directory.",
                refused: "the registry, the region, its key or the node's database cannot be read, or the name is taken"))
        @Option(help: "Region INSEE code, e.g. 53.") var region: String
        @OptionGroup var work: WorkOptions
        @Option(help: "Trust registry directory (default: <work>/registry if present, else the repository's Regions/).") var registry: String?
        @Option(help: "Token name, recorded as the actor in the audit log.") var name: String
        @Option(help: "admin (the Région's team) or editor (one structure's editor).") var role: String = "admin"
        @Option(help: "For an editor: the structure id they edit.") var structure: String?
        @Option(help: "Node SQLite file (default: <work>/nodes/<code>.sqlite).") var db: String?

        func validate() throws {
            guard let role = Principal.Role(rawValue: role) else { throw ValidationError("--role must be admin or editor") }
            if role == .editor && structure == nil { throw ValidationError("an editor token needs --structure") }
        }

        func run() async throws {
            let ws = Workspace(root: URL(fileURLWithPath: work.directory))
            let entry = try loadRegion(region, registry: try RepositoryLookup.registry(explicit: registry, work: ws))
            let role = Principal.Role(rawValue: role) ?? .admin
            try FileManager.default.createDirectory(at: ws.root.appendingPathComponent("nodes"), withIntermediateDirectories: true)
            let store = try NodeStore(region: entry, databasePath: db ?? ws.nodeDatabase(entry.code).path,
                                      key: try SigningKey.read(from: ws.keyFile(entry.code)))
            let token = try await store.issueToken(name: name, role: role, structureId: structure)
            printError("Jeton « \(name) » (\(role.rawValue)\(structure.map { ", structure \($0)" } ?? "")) émis pour la région "
                + "\(entry.code) ; il ne sera plus affiché :")
            printLine(token)
        }
    }
}
