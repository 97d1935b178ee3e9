import Directory
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NationalDirectory
import OpenData
import Reference
import Signing
import SproTestSupport
import Testing
@testable import NationalServer

/// The open-data release of a real national file (two Régions, a place and a structure both list):
/// signed, verified file by file, valid for Frictionless, every place once in every format at the same
/// position, counts equal to `/api/v1/stats`, and served at `/donnees`.
@Suite struct OpenDataReleaseTests {
    struct Published {
        let content: NationalContent
        let folder: URL
        let trust: NationalPublisher
    }

    static func publish() async throws -> Published {
        var content = try await ReadAPITests.content()
        let directory = try temporaryDirectory("donnees")
        let key = SigningKey(nationalKeyId: "national-test")
        let now = Date()
        let folder = try await OpenDataRelease.publish(content.openDataSet(at: now), version: 7, key: key, into: directory)
        content.releases = directory
        let trust = NationalPublisher(keys: [key.publicEntry(validFrom: now.addingTimeInterval(-60), validUntil: now.addingTimeInterval(3600))])
        return Published(content: content, folder: folder, trust: trust)
    }

    static func rows(_ url: URL) throws -> [[String: String]] {
        var header: [String] = []
        var out: [[String: String]] = []
        try CSVReader().forEachRecord(in: try Data(contentsOf: url), file: url.lastPathComponent) { record in
            if header.isEmpty {
                header = record.fields
            } else {
                out.append(Dictionary(uniqueKeysWithValues: zip(header, record.fields)))
            }
            return true
        }
        return out
    }

    @Test func aReleaseVerifiesAndATamperedFileIsRefused() async throws {
        let published = try await Self.publish()
        let manifestURL = published.folder.appendingPathComponent(OpenDataRelease.manifestName)
        let manifest = try OpenDataRelease.verify(manifestAt: manifestURL, trust: published.trust)
        #expect(manifest.version == 7)
        #expect(manifest.counts.places == 5)
        #expect(Set(manifest.files.map(\.name)).isSuperset(of: ["lieux.csv", "structures.csv", "datapackage.json", "lieux.geojson"]))
        // Another key, or one byte changed in one file: refused, naming what.
        let stranger = NationalPublisher(keys: [SigningKey(nationalKeyId: "national-test").publicEntry(validFrom: Date().addingTimeInterval(-60),
                                                                                                      validUntil: Date().addingTimeInterval(60))])
        #expect(throws: ReleaseRefusal.self) { try OpenDataRelease.verify(manifestAt: manifestURL, trust: stranger) }
        let places = published.folder.appendingPathComponent("lieux.csv")
        var bytes = try Data(contentsOf: places)
        bytes[bytes.count - 3] ^= 1
        try bytes.write(to: places)
        let refusal = #expect(throws: ReleaseRefusal.self) { try OpenDataRelease.verify(manifestAt: manifestURL, trust: published.trust) }
        #expect(refusal?.description.contains("lieux.csv") == true)
    }

    @Test func frictionlessFindsTheDataPackageValid() async throws {
        let published = try await Self.publish()
        let result = try runProcess("frictionless", ["validate", "--json", "datapackage.json"], in: published.folder)
        #expect(result.status == 0, "\(result.output.prefix(4_000))")
        #expect(result.output.contains("\"valid\": true"))
        // The validator does check: a place naming a structure the package does not have is an error.
        let links = published.folder.appendingPathComponent("structures-des-lieux.csv")
        try (String(contentsOf: links, encoding: .utf8) + "52/52-P-NANTES,52/52-NULLE,false\r\n").write(to: links, atomically: true, encoding: .utf8)
        let broken = try runProcess("frictionless", ["validate", "--json", "datapackage.json"], in: published.folder)
        #expect(broken.status != 0)
        #expect(broken.output.contains("foreign-key"))
    }

    @Test func everyPlaceIsInEveryFormatOnceAtTheSamePositionAndTheCountsMatchTheStats() async throws {
        let published = try await Self.publish()
        let csv = try Self.rows(published.folder.appendingPathComponent("lieux.csv"))
        struct Collection: Decodable {
            struct Feature: Decodable {
                struct Geometry: Decodable { let type: String; let coordinates: [Double] }
                struct Properties: Decodable { let precision: String; let first_harvested: String; let region: String }
                let id: String
                let geometry: Geometry?
                let properties: Properties
                let type: String
            }
            let type: String
            let features: [Feature]
        }
        let geojson = try JSONDecoder().decode(Collection.self, from: Data(contentsOf: published.folder.appendingPathComponent("lieux.geojson")))
        #expect(geojson.type == "FeatureCollection")
        let api = try await ReadAPITests.page(published.content, "/api/v1/places?limit=1000")
        let stats = try await ReadAPITests.get(published.content, "/api/v1/stats") { try JSONDecoder().decode(DirectoryTotals.self, from: Data(buffer: $0.body)) }
        // The stats count every Région's record; a place two Régions list is one place of the directory.
        #expect(stats.places == csv.count + 1)
        #expect(Set(csv.map { $0["id"]! }) == Set(api.results.map(\.id)))
        #expect(csv.count == Set(csv.map { $0["id"]! }).count)
        #expect(geojson.features.map(\.id).sorted() == csv.map { $0["id"]! }.sorted())
        let structures = try Self.rows(published.folder.appendingPathComponent("structures.csv"))
        #expect(structures.count == stats.structures - 1)
        for feature in geojson.features {
            let row = try #require(csv.first { $0["id"] == feature.id })
            let record = try #require(api.results.first { $0.id == feature.id })
            // RFC 7946: [longitude, latitude], WGS84.
            let point = try #require(feature.geometry)
            #expect(point.type == "Point")
            #expect(point.coordinates.count == 2)
            #expect(Double(row["lon"]!) == point.coordinates[0])
            #expect(Double(row["lat"]!) == point.coordinates[1])
            #expect(abs(point.coordinates[1] - record.lat!) < 1e-6)
            #expect(feature.properties.precision == row["precision"])
            #expect(feature.properties.first_harvested == row["first_harvested"])
            #expect(!row["first_harvested"]!.isEmpty && !row["last_changed"]!.isEmpty)
        }
        // HSDS: one physical location per place, at the same position; data·inclusion: every service of a place at it.
        func records(_ name: String) throws -> [[String: Any]] {
            try #require(JSONSerialization.jsonObject(with: Data(contentsOf: published.folder.appendingPathComponent(name))) as? [[String: Any]])
        }
        let locations = try records("hsds/locations.json").filter { $0["location_type"] as? String == "physical" }
        #expect(locations.compactMap { $0["external_identifier"] as? String }.sorted() == csv.map { $0["id"]! }.sorted())
        let services = try records("data-inclusion/services.json")
        for row in csv {
            let location = try #require(locations.first { $0["external_identifier"] as? String == row["id"] })
            #expect(location["latitude"] as? Double == Double(row["lat"]!))
            #expect(location["longitude"] as? Double == Double(row["lon"]!))
            let own = services.filter { ($0["id"] as? String)?.hasPrefix("spro--" + row["id"]! + "--") == true }
            #expect(!own.isEmpty, "\(row["id"]!)")
            #expect(own.allSatisfy { $0["latitude"] as? Double == Double(row["lat"]!) && $0["longitude"] as? Double == Double(row["lon"]!) })
        }
        let alencon = try #require(csv.first { $0["regions"] == "28|52" })
        #expect(alencon["departement"] == "61")
    }

    @Test func theReleasesPageListsTheFilesAndServesTheLatest() async throws {
        let published = try await Self.publish()
        let page = try await ReadAPITests.get(published.content, "/donnees") { ($0.status, String(buffer: $0.body)) }
        #expect(page.0 == .ok)
        #expect(page.1.contains("Données ouvertes de l'annuaire national"))
        #expect(page.1.contains("href=\"/donnees/derniere/lieux.csv\""))
        #expect(page.1.contains("5 points d'accueil, 3 structures"))
        let onDisk = try Data(contentsOf: published.folder.appendingPathComponent("lieux.geojson"))
        let served = try await ReadAPITests.get(published.content, "/donnees/derniere/lieux.geojson") {
            ($0.status, $0.headers[.contentType], Data(buffer: $0.body))
        }
        #expect(served.0 == .ok)
        #expect(served.1 == "application/geo+json")
        #expect(served.2 == onDisk)
        let dated = try await ReadAPITests.get(published.content, "/donnees/\(published.folder.lastPathComponent)/release.json.sig") { $0.status }
        #expect(dated == .ok)
        for path in ["/donnees/derniere/..%2F..%2Fetc%2Fpasswd", "/donnees/derniere/inconnu.csv", "/donnees/2000-01-01/lieux.csv"] {
            #expect(try await ReadAPITests.get(published.content, path) { $0.status } == .notFound, "\(path)")
        }
    }
}
