import Directory
import Foundation
import Reference
import SampleData
import Testing

/// The real reference pack and the default sample, loaded once per test process.
enum Fixture {
    struct Loaded: Sendable {
        let reference: ReferencePack
        let townHalls: [TownHall]
        let generator: SampleGenerator
        let datasets: [RegionDataset]
    }

    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    /// `SPRO_REFERENCE`, else the first folder X above this file with `X/../shared/data/communes.csv`.
    static func locate() -> URL? {
        if let env = ProcessInfo.processInfo.environment["SPRO_REFERENCE"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<8 {
            let data = dir.deletingLastPathComponent().appendingPathComponent("shared/data")
            if FileManager.default.fileExists(atPath: data.appendingPathComponent("communes.csv").path) { return data }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    private static let result: Result<Loaded, Missing> = {
        guard let dir = locate() else {
            return .failure(Missing(description: "reference pack not found: set SPRO_REFERENCE or put shared/data beside the repository"))
        }
        do {
            let reference = try ReferencePack.load(from: dir)
            let townHalls = try TownHall.load(from: dir)
            let generator = SampleGenerator(reference: reference, townHalls: townHalls)
            return .success(Loaded(reference: reference, townHalls: townHalls, generator: generator, datasets: generator.generate()))
        } catch {
            return .failure(Missing(description: "reference pack at \(dir.path) did not load: \(error)"))
        }
    }()

    /// The loaded pack and default sample, or a failure naming what is missing.
    static func get() throws -> Loaded { try result.get() }
}

extension RegionDataset {
    func structure(_ id: String) -> Structure? { structures.first { $0.id == id } }
}
