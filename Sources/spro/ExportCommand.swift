import ArgumentParser
import Directory
import Federation
import Foundation
import Signing

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Work with signed exports.",
                                                    subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a signed export against the trust registry.")
        @Argument(help: "export.json") var file: String
        @Option(help: "Signature file (default: FILE.sig).") var sig: String?
        @Option(help: "Trust registry directory.") var registry = "Regions"

        func run() async throws {
            let body = try Data(contentsOf: URL(fileURLWithPath: file))
            let sigData = try Data(contentsOf: URL(fileURLWithPath: sig ?? file + ".sig"))
            do {
                // The signature is checked before the JSON is even parsed: tampered bytes are refused as such.
                let signature = try SignatureFile.decode(sigData)
                let regions = try Region.loadAll(from: URL(fileURLWithPath: registry))
                guard let region = regions.first(where: { $0.knows(signature.keyId) }) else {
                    throw ValidationError("refused: key \"\(signature.keyId)\" is in no region of the registry \(registry)")
                }
                let entry = try TrustPolicy(region: region).verify(body, signature: signature, at: Date())
                struct Header: Decodable { let region: RegionCode; let version: Int; let expiresAt: String }
                guard let header = try? SproJSON.decoder().decode(Header.self, from: body) else {
                    throw ValidationError("refused: the signature is valid but the export has no readable region, version and expiresAt")
                }
                guard header.region == region.code else {
                    throw ValidationError("refused: export says region \(header.region) but is signed by region \(region.code)'s key")
                }
                if let expires = ISOInstant.parse(header.expiresAt), expires <= Date() {
                    throw ValidationError("refused: export of region \(header.region) v\(header.version) expired at \(header.expiresAt)")
                }
                printLine("OK: region \(header.region) v\(header.version), signed by \(entry.keyId), expires \(header.expiresAt)")
            } catch let refusal as SignatureRefusal {
                throw ValidationError("refused: \(refusal)")
            }
        }
    }
}
