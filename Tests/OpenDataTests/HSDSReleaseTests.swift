import Directory
import Foundation
import OpenData
import Testing

/// The HSDS 3.0 release against the Open Referral JSON schemas (with Python's `jsonschema`, installed by
/// `tools/setup --tests`), its schedules, its places and its ids.
@Suite struct HSDSReleaseTests {
    static func validate(_ files: [ReleaseFile]) throws -> (status: Int32, output: String) {
        let release = try ReleaseOnDisk(files)
        defer { release.remove() }
        return try ReleaseOnDisk.validate("hsds_validate.py", [ReleaseOnDisk.hsdsSchemas.path, release.folder.appendingPathComponent("hsds").path])
    }

    @Test func everyRecordValidatesAgainstTheHSDSSchemas() throws {
        let run = try Self.validate(HSDSRelease.files(OpenDataFixture.set()))
        #expect(run.status == 0, "\(run.output)")
    }

    @Test func theValidatorRefusesARecordTheSchemasRefuse() throws {
        var files = try HSDSRelease.files(OpenDataFixture.set())
        let index = try #require(files.firstIndex { $0.name == "hsds/locations.json" })
        var locations = try #require(try JSONSerialization.jsonObject(with: files[index].bytes) as? [[String: Any]])
        locations[0]["location_type"] = "building"
        files[index].bytes = try JSONSerialization.data(withJSONObject: locations)
        let run = try Self.validate(files)
        #expect(run.status != 0)
        #expect(run.output.contains("locations.json[0]"), "\(run.output)")
    }

    /// Each schedule's days, opening and closing times.
    static func openings(_ schedules: [[String: Any]]) -> [[String]] {
        schedules.map { s in ["byday", "opens_at", "closes_at"].map { s[$0] as? String ?? "" } }
    }

    @Test func aLunchBreakGivesTwoWeeklySchedulesOnWorkingDays() throws {
        // Released on 1 May, a public holiday, as is 8 May: Friday is still an opening day.
        let release = try ReleaseOnDisk(HSDSRelease.files(OpenDataFixture.set()))
        defer { release.remove() }
        let location = try #require(release.records("hsds/locations.json").first { $0["external_identifier"] as? String == "53/53-LIEU-0001" })
        let schedules = try release.records("hsds/schedules.json").filter { $0["location_id"] as? String == location["id"] as? String }
        let lunchBreak: [[String]] = [["MO,TU,WE,TH,FR", "08:30", "12:30"], ["MO,TU,WE,TH,FR", "13:30", "17:00"]]
        #expect(Self.openings(schedules) == lunchBreak)
        #expect(schedules.allSatisfy { $0["freq"] as? String == "WEEKLY" })
        #expect(schedules.first?["notes"] as? String == "opening_hours : " + OpenDataFixture.lunchBreakHours)
        #expect((schedules.first?["description"] as? String)?.contains("fériés") == true)
        let permanence = try #require(release.records("hsds/locations.json").first { $0["external_identifier"] as? String == "53/53-LIEU-0002" })
        let tuesday = try release.records("hsds/schedules.json").filter { $0["location_id"] as? String == permanence["id"] as? String }
        let afternoon: [[String]] = [["TU", "14:00", "17:00"]]
        #expect(Self.openings(tuesday) == afternoon)
    }

    @Test func everyPlaceIsOneLocationWithItsPosition() throws {
        let set = try OpenDataFixture.set()
        let release = try ReleaseOnDisk(HSDSRelease.files(set))
        defer { release.remove() }
        let physical = try release.records("hsds/locations.json").filter { $0["location_type"] as? String == "physical" }
        #expect(physical.count == set.places.count)
        for p in set.places {
            let matching = physical.filter { $0["external_identifier"] as? String == "\(p.region.rawValue)/\(p.place.id)" }
            #expect(matching.count == 1, "\(p.place.id)")
            #expect(matching.first?["latitude"] as? Double == p.location.position?.lat, "\(p.place.id)")
            #expect(matching.first?["longitude"] as? Double == p.location.position?.lon, "\(p.place.id)")
        }
        let addresses = try release.records("hsds/addresses.json")
        #expect(addresses.count == set.places.count)
        #expect(addresses.contains { $0["address_1"] as? String == "12 rue de Siam" && $0["state_province"] as? String == "Bretagne" })
    }

    @Test func theLieuMutualiseOffersTheServicesOfBothStructures() throws {
        let release = try ReleaseOnDisk(HSDSRelease.files(OpenDataFixture.set()))
        defer { release.remove() }
        let location = try #require(release.records("hsds/locations.json").first { $0["external_identifier"] as? String == "53/53-LIEU-0001" })
        let services = Dictionary(uniqueKeysWithValues: try release.records("hsds/services.json").map { ($0["id"] as? String ?? "", $0) })
        let links = try release.records("hsds/service_at_location.json").filter { $0["location_id"] as? String == location["id"] as? String }
        let organizations = Set(links.compactMap { services[$0["service_id"] as? String ?? ""]?["organization_id"] as? String })
        #expect(links.count == 6)
        #expect(organizations.count == 2)
        let identifiers = try release.records("hsds/organization_identifiers.json")
        #expect(identifiers.count == 2, "the CIO has no SIRET")
        #expect(identifiers.allSatisfy { $0["identifier_type"] as? String == "SIRET" })
    }

    @Test func idsStayTheSameFromOneReleaseToTheNext() throws {
        var later = try OpenDataFixture.set(generatedAt: ISODay.parse("2026-06-15")!)
        later.places.reverse()
        later.structures.reverse()
        func ids(_ set: OpenDataSet) throws -> [String: Set<String>] {
            var out: [String: Set<String>] = [:]
            for file in try HSDSRelease.files(set) {
                let rows = try JSONSerialization.jsonObject(with: file.bytes) as? [[String: Any]] ?? []
                out[file.name] = Set(rows.compactMap { $0["id"] as? String })
            }
            return out
        }
        let first = try ids(OpenDataFixture.set())
        #expect(first == (try ids(later)))
        let uuid = #/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/#
        #expect(first.values.joined().allSatisfy { $0.wholeMatch(of: uuid) != nil })
    }
}
