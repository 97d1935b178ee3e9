import ArgumentParser
import Directory
import Federation
import Foundation
import Signing

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage a region's signing keys in its trust registry entry.",
        discussion: ExitCodes.help(), subcommands: [Generate.self, Rotate.self, Revoke.self, National.self])

    static let exitCodes = ExitCodes.help("the registry entry cannot be read or written, or the key change breaks a rotation rule")

    struct Target: ParsableArguments {
        @Option(help: "Region INSEE code.") var region: String
        @Option(help: "Trust registry directory holding <code>/region.json.") var registry = "Regions"
        var file: URL { URL(fileURLWithPath: registry).appendingPathComponent("\(region)/region.json") }
    }

    static func newKey(for region: Region, now: Date) -> SigningKey {
        SigningKey(region: region.code, keyId: "\(region.code)-\(ISODay.string(now))-\(UUID().uuidString.prefix(8).lowercased())")
    }

    /// The national directory's key, which signs the open-data releases.
    struct National: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the national directory's signing key (private file, mode 0600) and add its public half to <registry>/national.json.",
            discussion: KeysCommand.exitCodes)
        @Option(help: "Trust registry directory (national.json is written there).") var registry = "Regions"
        @Option(help: "Private key file to write (keep it out of the repository).") var out: String
        @Option(help: "Days the key is valid.") var validDays = 365

        func run() async throws {
            let now = Date()
            let registryURL = URL(fileURLWithPath: registry)
            var publisher = (try? NationalPublisher.load(from: registryURL)) ?? NationalPublisher()
            let key = SigningKey(nationalKeyId: "national-\(ISODay.string(now))-\(UUID().uuidString.prefix(8).lowercased())")
            publisher.keys.append(key.publicEntry(validFrom: now, validUntil: now.addingTimeInterval(Double(validDays) * 86_400)))
            try key.write(to: URL(fileURLWithPath: out))
            try publisher.write(in: registryURL)
            printLine("Clé nationale \(key.keyId) écrite dans \(out) (mode 0600) ; clé publique ajoutée à \(NationalPublisher.file(in: registryURL).path)")
        }
    }

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a signing key (private file, mode 0600) and add its public half as a current key.",
            discussion: KeysCommand.exitCodes)
        @OptionGroup var target: Target
        @Option(help: "Private key file to write (keep it out of the repository).") var out: String
        @Option(help: "Days the key is valid.") var validDays = 365

        func run() async throws {
            let now = Date()
            let region = try loadRegion(target.region, registry: URL(fileURLWithPath: target.registry))
            let key = KeysCommand.newKey(for: region, now: now)
            let updated = try KeyRotation.add(key, to: region, from: now, until: now.addingTimeInterval(Double(validDays) * 86_400))
            try key.write(to: URL(fileURLWithPath: out))
            try updated.write(to: target.file)
            printLine("Clé \(key.keyId) écrite dans \(out) (mode 0600) ; clé publique ajoutée à \(target.file.path)")
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Announce the next key: accepted from --valid-from, while the current keys stay valid until their validUntil.",
            discussion: KeysCommand.exitCodes)
        @OptionGroup var target: Target
        @Option(help: "Private key file to write for the next key.") var out: String
        @Option(help: "When the next key takes effect (ISO 8601; default now).") var validFrom: String?
        @Option(help: "Days the next key is valid.") var validDays = 365

        func validate() throws {
            if let validFrom, ISOInstant.parse(validFrom) == nil {
                throw ValidationError("--valid-from must be an ISO 8601 instant, e.g. 2026-12-01T00:00:00Z")
            }
        }

        func run() async throws {
            let now = Date()
            let from = validFrom.flatMap(ISOInstant.parse) ?? now
            let region = try loadRegion(target.region, registry: URL(fileURLWithPath: target.registry))
            let key = KeysCommand.newKey(for: region, now: now)
            let updated = try KeyRotation.announce(key, to: region, from: from, until: from.addingTimeInterval(Double(validDays) * 86_400))
            try key.write(to: URL(fileURLWithPath: out))
            try updated.write(to: target.file)
            printLine("Clé suivante \(key.keyId) annoncée à partir du \(ISOInstant.string(from)) ; clé privée dans \(out) (mode 0600)")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key: exports it signed are refused from --at (default now).",
                                                        discussion: KeysCommand.exitCodes)
        @OptionGroup var target: Target
        @Option(help: "Key id to revoke.") var keyId: String
        @Option(help: "Revocation instant (ISO 8601; default now).") var at: String?

        func validate() throws {
            if let at, ISOInstant.parse(at) == nil { throw ValidationError("--at must be an ISO 8601 instant, e.g. 2026-12-01T00:00:00Z") }
        }

        func run() async throws {
            let when = at.flatMap(ISOInstant.parse) ?? Date()
            let region = try loadRegion(target.region, registry: URL(fileURLWithPath: target.registry))
            try KeyRotation.revoke(keyId, in: region, at: when).write(to: target.file)
            printLine("Clé \(keyId) de la région \(region.code) révoquée à partir du \(ISOInstant.string(when))")
        }
    }
}

/// Loads one region's registry entry, or fails naming the known codes.
func loadRegion(_ code: String, registry: URL) throws -> Region {
    try Region.find(code, in: registry)
}
