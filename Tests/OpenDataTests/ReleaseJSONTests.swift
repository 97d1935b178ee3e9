import Directory
import Foundation
@testable import OpenData
import Testing

/// The data·inclusion and HSDS files are written byte by byte (`ReleaseJSONWritable`): the very bytes
/// `JSONEncoder` writes for the same records, names and text needing escapes included.
@Suite struct ReleaseJSONTests {
    /// The fixture, with text that needs escaping or is not ASCII in names, addresses and hours notes.
    static func set() throws -> OpenDataSet {
        var set = try OpenDataFixture.set()
        set.places[0].place.name = "Maison « l’emploi » \"A/B\" \\ été"
        set.places[0].place.address.lines = ["Bâtiment C/2", "12 rue de l’Église"]
        set.places[0].structures[0].name = "Mission locale \"Brest\" / Iroise"
        set.structures[0].structure.name = "Mission locale \"Brest\" / Iroise"
        return set
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }

    static func same<T: ReleaseJSONWritable>(_ records: [T], _ name: String) throws {
        let written = records.releaseJSON(), encoded = try encoder.encode(records)
        #expect(!records.isEmpty, "\(name) has no record in the fixture")
        #expect(written == encoded, "\(name):\n\(String(decoding: written, as: UTF8.self).prefix(600))\n\(String(decoding: encoded, as: UTF8.self).prefix(600))")
    }

    @Test func dataInclusionRecordsAreWrittenAsJSONEncoderWritesThem() throws {
        let set = try Self.set()
        try Self.same(DataInclusionRelease.structures(set), "structures")
        try Self.same(DataInclusionRelease.services(set), "services")
        #expect(String(decoding: DataInclusionRelease.structures(set).releaseJSON(), as: UTF8.self).contains(#"\"Brest\" / Iroise"#))
    }

    @Test func hsdsRecordsAreWrittenAsJSONEncoderWritesThem() throws {
        var tables = HSDSTables()
        tables.add(try Self.set())
        try Self.same(tables.organizations, "organizations")
        try Self.same(tables.organizationIdentifiers, "organization_identifiers")
        try Self.same(tables.services.values.sorted { $0.id < $1.id }, "services")
        try Self.same(tables.locations, "locations")
        try Self.same(tables.addresses, "addresses")
        try Self.same(tables.serviceAtLocations, "service_at_location")
        try Self.same(tables.phones, "phones")
        try Self.same(tables.schedules, "schedules")
        try Self.same(tables.languages, "languages")
        try Self.same(tables.accessibility, "accessibility")
    }

    /// The read API's structure record names its tête de réseau by national id, and the convention its
    /// referencing was decided under by id and day.
    @Test func aStructureRecordCarriesItsHeadAndConvention() throws {
        var s = OpenDataFixture.missionLocale
        s.networkHeadId = "53-ARML-1"
        s.referencing.convention = ConventionReference(id: "spro-bretagne-2024", signedOn: CalendarDay(unchecked: "2024-03-01"))
        let bytes = RecordJSON.structure(OpenDataFixture.national(s, OpenDataFixture.bretagne, changed: "2026-03-15T10:00:00Z"), placeIds: [])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(object["networkHeadId"] as? String == "53/53-ARML-1")
        let convention = (object["referencing"] as? [String: Any])?["convention"] as? [String: Any]
        #expect(convention?["id"] as? String == "spro-bretagne-2024" && convention?["signedOn"] as? String == "2024-03-01")
        let plain = RecordJSON.structure(OpenDataFixture.national(OpenDataFixture.cio, OpenDataFixture.bretagne, changed: "2026-03-15T10:00:00Z"), placeIds: [])
        let text = String(decoding: plain, as: UTF8.self)
        #expect(!text.contains("networkHeadId") && !text.contains("convention"))
    }
}
