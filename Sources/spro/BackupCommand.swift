import ArgumentParser
import Foundation
import Federation
import Storage

/// `spro backup`: a consistent copy of a node's or the national SQLite file while it is in use.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy a SQLite file of spro (node or national) while servers and harvests use it.",
        discussion: """
            Uses SQLite's online backup API: the copy is one consistent snapshot, and writers are not held up. \
            The destination may be a new file (a backup; restore it by stopping the server and putting it in place) \
            or the live file of a read replica (its server picks the new content up as the next generation).
            """ + "\n\n" + ExitCodes.help("the source cannot be read or the destination written"))
    @Argument(help: "The SQLite file to copy (e.g. work/national.sqlite).") var source: String
    @Argument(help: "Where to copy it (created, or overwritten in one commit).") var destination: String

    func run() async throws {
        guard FileManager.default.fileExists(atPath: source) else { throw CommandFailure("fichier introuvable : \(source)") }
        let db = try Database(path: source, readOnly: true)
        try db.backup(to: destination)
        printLine("Copie cohérente de \(source) écrite dans \(destination)")
    }
}
