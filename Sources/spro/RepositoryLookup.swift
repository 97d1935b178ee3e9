import Federation
import Foundation

/// How the commands find the repository's `Regions/` and `Charters/` (`RepositoryData.locate`: the working
/// directory, then the executable's folder and its parents) and the trust registry; when nothing is found,
/// the error says where it looked and which option to pass.
enum RepositoryLookup {
    private static var lookedIn: String {
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "spro").resolvingSymlinksInPath()
        return "dans \(FileManager.default.currentDirectoryPath), puis dans \(executable.deletingLastPathComponent().path) "
            + "et ses dossiers parents"
    }

    /// The repository's `Regions/` and `Charters/`.
    static func repository() throws -> RepositoryData {
        do {
            return try RepositoryData.locate()
        } catch {
            throw CommandFailure("dépôt spro introuvable : Regions/ et Charters/ cherchés \(lookedIn) ; "
                + "lancez la commande depuis la racine du dépôt")
        }
    }

    /// The trust registry: `explicit` (`--registry`), else `<work>/registry` when the work directory has one,
    /// else the repository's `Regions/`.
    static func registry(explicit: String?, work: Workspace?) throws -> URL {
        if let explicit {
            let url = URL(fileURLWithPath: explicit)
            guard isDirectory(url) else {
                throw CommandFailure("registre de confiance introuvable : \(url.path) (--registry) n'est pas un dossier")
            }
            return url
        }
        if let work, isDirectory(work.registry) { return work.registry }
        if let repository = try? RepositoryData.locate() { return repository.regions }
        throw CommandFailure("registre de confiance introuvable : cherché "
            + (work.map { "\($0.registry.path), puis " } ?? "") + "Regions/ \(lookedIn) ; passez --registry DOSSIER")
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue
    }
}
