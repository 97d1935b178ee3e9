import Directory
import Foundation
import Geocoding
import Reference

/// The real reference pack, loaded once per test process (about a second).
/// Found through SPRO_REFERENCE, else as `../shared/data` beside a folder above this file
/// (CI clones the repository beside `shared/`).
struct ReferenceFixture: Sendable {
    let directory: URL
    let pack: ReferencePack
    let geocoder: Geocoder

    static let shared: Result<ReferenceFixture, ReferenceError> = Result { () throws(ReferenceError) in
        let directory = try locate()
        let pack = try ReferencePack.load(from: directory)
        return ReferenceFixture(directory: directory, pack: pack, geocoder: Geocoder(pack: pack))
    }

    static func get() throws -> ReferenceFixture { try shared.get() }

    static func locate() throws(ReferenceError) -> URL {
        if let env = ProcessInfo.processInfo.environment["SPRO_REFERENCE"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<10 {
            let candidate = dir.deletingLastPathComponent().appendingPathComponent("shared/data")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("communes.csv").path) {
                return candidate.standardizedFileURL
            }
            dir = dir.deletingLastPathComponent()
        }
        throw ReferenceError(file: "../shared/data", line: nil, field: nil,
                             problem: "reference pack not found above \(#filePath); set SPRO_REFERENCE")
    }
}

func address(_ postcode: String, _ city: String, lines: [String] = [], code: String? = nil) throws -> Address {
    Address(lines: lines, postcode: try Postcode(postcode), city: city, communeCode: try code.map { try CommuneCode($0) })
}
