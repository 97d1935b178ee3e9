import ArgumentParser
import Directory
import Federation
import Foundation
import OpenData
import Signing

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Work with signed exports.",
                                                    discussion: ExitCodes.help(), subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a signed export, or a national open-data release, against the trust registry.",
            discussion: ExitCodes.discussion(
                "The signature is checked over the file's exact bytes before the JSON is read. A valid export prints one line "
                    + "on standard output (\"valide : ...\"); a refused one prints one line on standard error (\"refusé : FILE : why\"). "
                    + "Given a release's release.json, signed with the national key (national.json in the registry), every file it "
                    + "lists is checked too, by size and SHA-256.",
                refused: "the export is refused: signature, key, region or expiry; or a file cannot be read"))
        @Argument(help: "export.json") var file: String
        @Option(help: "Signature file (default: FILE.sig).") var sig: String?
        @Option(help: "Trust registry directory (default: the repository's Regions/).") var registry: String?

        func run() async throws {
            let sigPath = sig ?? file + ".sig"
            let body = try read(file, what: "l'export")
            let sigData = try read(sigPath, what: "la signature")
            let registryURL = try RepositoryLookup.registry(explicit: registry, work: nil)
            func refused(_ why: String) -> CommandFailure { CommandFailure("refusé : \(file) : \(why)") }
            do {
                // The signature is checked before the JSON is even parsed: tampered bytes are refused as such.
                let signature = try SignatureFile.decode(sigData)
                let regions = try Region.loadAll(from: registryURL)
                if let national = try? NationalPublisher.load(from: registryURL),
                   national.keys.contains(where: { $0.keyId == signature.keyId }) || national.nextKey?.keyId == signature.keyId {
                    return try verifyRelease(national: national, refused: refused)
                }
                guard let region = regions.first(where: { $0.knows(signature.keyId) }) else {
                    throw refused("la clé « \(signature.keyId) » n'est celle d'aucune région du registre \(registryURL.path)")
                }
                let entry = try TrustPolicy(region: region).verify(body, signature: signature, at: Date())
                struct Header: Decodable { let region: RegionCode; let version: Int; let expiresAt: String }
                guard let header = try? SproJSON.decoder().decode(Header.self, from: body) else {
                    throw refused("la signature est valide mais l'export n'a pas de region, version et expiresAt lisibles")
                }
                guard header.region == region.code else {
                    throw refused("l'export se dit de la région \(header.region) mais il est signé par une clé de la région \(region.code)")
                }
                if let expires = ISOInstant.parse(header.expiresAt), expires <= Date() {
                    throw refused("l'export de la région \(header.region) v\(header.version) a expiré le \(header.expiresAt)")
                }
                printLine("valide : \(file) : région \(header.region) v\(header.version), signé par la clé \(entry.keyId), "
                    + "expire le \(header.expiresAt)")
            } catch let refusal as SignatureRefusal {
                throw refused("signature refusée : \(refusal)")
            }
        }

        /// A national open-data release: the manifest's signature, then every file beside it.
        private func verifyRelease(national: NationalPublisher, refused: (String) -> CommandFailure) throws {
            guard sig == nil || sig == file + ".sig" else {
                throw refused("une publication nationale se vérifie avec sa signature release.json.sig, à côté du manifeste")
            }
            do {
                let manifest = try OpenDataRelease.verify(manifestAt: URL(fileURLWithPath: file), trust: national)
                printLine("valide : \(file) : publication nationale v\(manifest.version) du \(manifest.generatedAt), "
                    + "\(manifest.files.count) fichiers vérifiés (\(manifest.counts.places) lieux, \(manifest.counts.structures) structures)")
            } catch let refusal as ReleaseRefusal {
                throw refused(refusal.description)
            }
        }

        private func read(_ path: String, what: String) throws -> Data {
            do {
                return try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw CommandFailure("impossible de lire \(what) \(path) : \(FileManager.default.fileExists(atPath: path) ? "illisible" : "fichier absent")")
            }
        }
    }
}
