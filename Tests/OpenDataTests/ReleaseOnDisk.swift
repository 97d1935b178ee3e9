import Foundation
import OpenData
import SproTestSupport

/// A release written to a temporary folder, and the Python validators run on it as child processes.
struct ReleaseOnDisk {
    let folder: URL

    init(_ files: [ReleaseFile]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("spro-opendata-\(UUID().uuidString)")
        for file in files {
            let url = folder.appendingPathComponent(file.name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try file.bytes.write(to: url)
        }
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// The HSDS 3.0 JSON schemas, beside the repository (`../shared/standards/hsds-3.0/schema`).
    static let hsdsSchemas = TestReference.repositoryRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/standards/hsds-3.0/schema")

    /// Runs `Validators/<script>` with python3 (its packages installed by `tools/setup --tests`).
    static func validate(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Validators/\(script)")
        return try runProcess("python3", [path.path] + arguments)
    }

    /// The records of one JSON array file of the release.
    func records(_ name: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: folder.appendingPathComponent(name))
        return try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
    }
}
