import Directory
import Foundation
import Reference

/// Locates and loads the reference pack once per test process.
public enum TestReference {
    /// `SPRO_REFERENCE`, else `<repo>/../shared/data`, found by walking up from this file.
    public static let directory: URL = {
        if let env = ProcessInfo.processInfo.environment["SPRO_REFERENCE"], !env.isEmpty { return URL(fileURLWithPath: env) }
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = dir.deletingLastPathComponent().appendingPathComponent("shared/data")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("communes.csv").path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        fatalError("reference pack not found: set SPRO_REFERENCE or clone beside shared/")
    }()

    /// The repository root (holding Package.swift, Regions/, Charters/).
    public static let repositoryRoot: URL = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
            dir = dir.deletingLastPathComponent()
        }
        fatalError("repository root not found")
    }()

    /// The loaded pack (about a second, once).
    public static let pack: ReferencePack = {
        do { return try ReferencePack.load(from: directory) } catch { fatalError("\(error)") }
    }()
}

/// A fresh temporary directory.
public func temporaryDirectory(_ prefix: String = "spro") -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
