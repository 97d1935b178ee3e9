import ArgumentParser
import Directory
import Federation
import Foundation
import Signing

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage a region's signing keys in its trust registry entry.",
        subcommands: [Generate.self, Rotate.self, Revoke.self])

    struct Target: ParsableArguments {
        @Option(help: "Region INSEE code.") var region: String
        @Option(help: "Trust registry directory holding <code>/region.json.") var registry = "Regions"
        var file: URL { URL(fileURLWithPath: registry).appendingPathComponent("\(region)/region.json") }
    }

    static func newKey(for region: Region, now: Date) -> SigningKey {
        SigningKey(region: region.code, keyId: "\(region.code)-\(ISODay.string(now))-\(UUID().uuidString.prefix(8).lowercased())")
    }

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a signing key (private file, mode 0600) and add its public half as a current key.")
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
            printLine("Key \(key.keyId) written to \(out) (mode 0600); public key added to \(target.file.path)")
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Announce the next key: accepted from --valid-from, while the current keys stay valid until their validUntil.")
        @OptionGroup var target: Target
        @Option(help: "Private key file to write for the next key.") var out: String
        @Option(help: "When the next key takes effect (ISO 8601; default now).") var validFrom: String?
        @Option(help: "Days the next key is valid.") var validDays = 365

        func run() async throws {
            let now = Date()
            guard let from = validFrom.map({ ISOInstant.parse($0) }) ?? now else {
                throw ValidationError("--valid-from must be an ISO 8601 instant, e.g. 2026-12-01T00:00:00Z")
            }
            let region = try loadRegion(target.region, registry: URL(fileURLWithPath: target.registry))
            let key = KeysCommand.newKey(for: region, now: now)
            let updated = try KeyRotation.announce(key, to: region, from: from, until: from.addingTimeInterval(Double(validDays) * 86_400))
            try key.write(to: URL(fileURLWithPath: out))
            try updated.write(to: target.file)
            printLine("Next key \(key.keyId) announced from \(ISOInstant.string(from)); private key in \(out) (mode 0600)")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key: exports it signed are refused from --at (default now).")
        @OptionGroup var target: Target
        @Option(help: "Key id to revoke.") var keyId: String
        @Option(help: "Revocation instant (ISO 8601; default now).") var at: String?

        func run() async throws {
            guard let when = at.map({ ISOInstant.parse($0) }) ?? Date() else {
                throw ValidationError("--at must be an ISO 8601 instant")
            }
            let region = try loadRegion(target.region, registry: URL(fileURLWithPath: target.registry))
            try KeyRotation.revoke(keyId, in: region, at: when).write(to: target.file)
            printLine("Key \(keyId) of region \(region.code) revoked from \(ISOInstant.string(when))")
        }
    }
}

/// Loads one region's registry entry, or fails naming the known codes.
func loadRegion(_ code: String, registry: URL) throws -> Region {
    try Region.find(code, in: registry)
}
