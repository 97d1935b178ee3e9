import Directory
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SproTestSupport
import Testing
@testable import RegionNode

/// Entry rules as strict as the national harvest's, and stricter (issue 14, item 3): one SIRET per
/// structure, postcodes that exist and serve the commune, indicator periods not to come, and every
/// value the harvester refuses refused at entry, with a French error naming the field.
@Suite struct EntryRulesTests {
    static var validator: RecordValidator {
        let pack = TestReference.pack
        return RecordValidator(knownCommunes: Set(pack.communes.keys.map(\.rawValue)), territories: Territories(pack))
    }

    static func node() async throws -> (TestNode, admin: String) {
        let node = try TestNode()
        try await node.store.importDataset(Fixtures.dataset())
        return (node, try await node.store.issueToken(name: "equipe", role: .admin))
    }

    static func json(_ buffer: ByteBuffer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any]) ?? [:]
    }

    /// `record` as JSON, changed by `change` (a path of keys and the new value, nil removing the key).
    static func body<T: Encodable>(_ record: T, _ change: (path: [String], value: Any?)) throws -> ByteBuffer {
        var object = try JSONSerialization.jsonObject(with: SproJSON.encoder().encode(record)) as? [String: Any] ?? [:]
        func set(_ dict: inout [String: Any], _ path: ArraySlice<String>) {
            guard let key = path.first else { return }
            if path.count == 1 {
                dict[key] = change.value
            } else {
                var inner = dict[key] as? [String: Any] ?? [:]
                set(&inner, path.dropFirst())
                dict[key] = inner
            }
        }
        set(&object, change.path[...])
        return ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object))
    }

    // MARK: - One SIRET, one structure

    @Test func aSIRETHeldByAnotherStructureIsRefusedAtApplyEditApprovalAndImport() async throws {
        let (node, _) = try await Self.node()
        let validator = Self.validator
        let held = try #require(Fixtures.structure("53-ML-1").siret)
        // Apply: a new structure with mission locale 53-ML-1's SIRET.
        var twin = Fixtures.structure("53-ML-2")
        twin.siret = held
        await #expect { _ = try await node.store.apply(twin, places: [], validator: validator, by: .system) } throws: { error in
            guard case RecordError.invalid(let record, let field, let rule) = error else { return false }
            return record == "structure 53-ML-2" && field == "siret" && rule.contains("53-ML-1") && rule.contains(held.rawValue)
        }
        #expect(try await node.store.structure("53-ML-2") == nil)

        // Edit: France Travail's structure takes the mission locale's SIRET.
        var edited = Fixtures.structure("53-FT-1", network: .franceTravail)
        edited.siret = held
        await #expect { _ = try await node.store.submitStructure(edited, validator: validator, by: .system) } throws: { error in
            guard case RecordError.invalid(_, let field, let rule) = error else { return false }
            return field == "siret" && rule.contains("53-ML-1")
        }
        #expect(try await node.store.structure("53-FT-1")?.siret != held)

        // Import: the second of two rows with the same new SIRET is refused, naming the first's structure.
        let fresh = SIRET.completing("9876543210987")
        var a = Fixtures.structure("53-CIO-1")
        a.siret = fresh
        var b = Fixtures.structure("53-CIO-2")
        b.siret = fresh
        var c = Fixtures.structure("53-CIO-3")
        c.siret = held
        let json = try SproJSON.encoder().encode([a, b, c])
        let report = try await node.store.importStructures(ImportJSON.read(json, as: Structure.self, file: "structures.json"), validator: validator,
                                                           allOrNothing: false, by: .system)
        #expect(report.stored == 1 && report.rejected == 2, "\(report.errors.map(\.rule))")
        #expect(report.errors.map(\.field) == ["siret", "siret"])
        #expect(report.errors.first?.rule.contains("53-CIO-1") == true && report.errors.last?.rule.contains("53-ML-1") == true)
    }

    @Test func anEditorsSIRETEditIsRefusedAtApprovalWhenTheSIRETWasTakenMeanwhile() async throws {
        let (node, _) = try await Self.node()
        let validator = Self.validator
        _ = try await node.store.issueToken(name: "ml", role: .editor, structureId: "53-ML-1")
        let editor = Principal(name: "ml", role: .editor, structureId: "53-ML-1")
        let fresh = SIRET.completing("5555555555555")
        var mine = try #require(try await node.store.structure("53-ML-1"))
        mine.siret = fresh
        guard case .pending(let editId) = try await node.store.submitStructure(mine, validator: validator, by: editor) else {
            Issue.record("an editor's edit waits for validation"); return
        }
        // Meanwhile the Région gives France Travail that SIRET.
        var ft = try #require(try await node.store.structure("53-FT-1"))
        ft.siret = fresh
        #expect(try await node.store.submitStructure(ft, validator: validator, by: .system) == .published)
        await #expect { try await node.store.decideEdit(editId, approve: true, by: .system) } throws: { error in
            guard case RecordError.invalid(_, let field, let rule) = error else { return false }
            return field == "siret" && rule.contains("53-FT-1")
        }
        #expect(try await node.store.structure("53-ML-1")?.siret != fresh)
    }

    @Test func aWithdrawnStructureReleasesItsSIRET() async throws {
        let node = try TestNode()
        var dataset = Fixtures.dataset()
        dataset.structures[0].referencing.state = .withdrawn
        try await node.store.importDataset(dataset)
        var heir = Fixtures.structure("53-ML-9")
        heir.siret = dataset.structures[0].siret
        _ = try await node.store.apply(heir, places: [], validator: Self.validator, by: .system)
        #expect(try await node.store.structure("53-ML-9")?.siret == dataset.structures[0].siret)
    }

    // MARK: - Postcodes

    @Test(arguments: [
        ("00000", "29019", "n'existe pas"),
        ("29000", "29019", "Quimper"),  // Quimper's postcode for Brest
        ("75001", "29019", "Paris"),
    ])
    func aPostcodeMustExistAndServeTheCommune(postcode: String, commune: String, named: String) throws {
        let place = Fixtures.place("53-CP-1", structures: ["53-ML-1"], postcode: postcode, city: "Brest", commune: commune)
        let error = #expect(throws: RecordError.self) { try Self.validator.within(Fixtures.bretagne).validate(place) }
        guard case .invalid(let record, let field, let rule)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(record == "lieu 53-CP-1" && field == "address.postcode")
        #expect(rule.contains(postcode) && rule.contains(named), "\(rule)")
        if named != "n'existe pas" { #expect(rule.contains("Brest (29019)"), "\(rule)") }
        // Brest's own postcode passes.
        try Self.validator.within(Fixtures.bretagne).validate(Fixtures.place("53-CP-1", structures: ["53-ML-1"]))
    }

    @Test func anArrondissementsPostcodeServesItsCity() throws {
        // Paris 1er's postcode serves Paris (75056) and its arrondissement (75101), outside any Région's check.
        try Self.validator.validate(Fixtures.place("75-P1", structures: ["75-S"], postcode: "75001", city: "Paris", commune: "75056"))
        try Self.validator.validate(Fixtures.place("75-P1", structures: ["75-S"], postcode: "75001", city: "Paris", commune: "75101"))
    }

    // MARK: - Indicator periods

    @Test func anIndicatorPeriodThatStartsAfterTodayIsRefused() async throws {
        let (node, _) = try await Self.node()
        let now = try #require(ISODay.parse("2026-05-20"))
        func report(_ period: String) async throws {
            _ = try await node.store.reportIndicators([IndicatorValue(subject: .structure, subjectId: "53-ML-1", code: "visits", period: period,
                                                                      value: 3, unit: "persons")], by: .system, at: now)
        }
        for period in ["2026-06", "2026-Q3", "2027"] {
            await #expect { try await report(period) } throws: { error in
                guard case RecordError.invalid(_, let field, let rule) = error else { return false }
                return field == "period" && rule.contains(period) && rule.contains("à venir")
            }
        }
        // Periods under way or past are reported.
        for period in ["2026-05", "2026-Q2", "2026", "2025-12"] { try await report(period) }
        #expect(IndicatorReports.firstDay(of: "2026-Q4") == "2026-10-01" && IndicatorReports.firstDay(of: "2026-07") == "2026-07-01")
    }

    // MARK: - Every value the harvester refuses

    /// What the harvest refuses in a Région's export (`ExportValidator`: records that fail to decode, places
    /// and channels with no known structure, opening hours off the OSM syntax, unknown commune codes, places
    /// outside the territory; `RegionAnomalies`: a postcode not the commune's), each sent to the node's API.
    struct Refused: Sendable, CustomTestStringConvertible {
        let kind: String  // "places", "structures" or "channels"
        let path: [String]
        /// The JSON value set there; nil removes the field.
        let json: String?
        let field: String
        var testDescription: String { "\(kind) \(path.joined(separator: ".")) = \(json ?? "absent")" }
        var value: Any? { json.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8), options: .fragmentsAllowed) } }
    }

    static let refusedByTheHarvester: [Refused] = [
        Refused(kind: "places", path: ["address", "postcode"], json: #""2920""#, field: "address.postcode"),
        Refused(kind: "places", path: ["address", "postcode"], json: #""29000""#, field: "address.postcode"),  // Quimper's, not Brest's
        Refused(kind: "places", path: ["address", "communeCode"], json: #""2A0X4""#, field: "address.communeCode"),
        Refused(kind: "places", path: ["address", "communeCode"], json: #""29999""#, field: "address.communeCode"),
        Refused(kind: "places", path: ["address", "communeCode"], json: #""69123""#, field: "address.communeCode"),  // outside Bretagne
        Refused(kind: "places", path: ["openingHours"], json: #""du lundi au vendredi""#, field: "openingHours"),
        Refused(kind: "places", path: ["kind"], json: #""chateau""#, field: "kind"),
        Refused(kind: "places", path: ["name"], json: nil, field: "name"),
        Refused(kind: "places", path: ["structures"], json: #"[{"structureId": "53-NOPE", "isHost": true}]"#, field: "structures"),
        Refused(kind: "places", path: ["structures"], json: "[]", field: "structures"),
        Refused(kind: "places", path: ["coordinates"], json: #"{"lat": 200, "lon": -4.48}"#, field: "coordinates"),  // set aside by the harvest
        Refused(kind: "structures", path: ["siret"], json: #""12345678901234""#, field: "siret"),
        Refused(kind: "structures", path: ["siret"], json: #""1234""#, field: "siret"),
        Refused(kind: "structures", path: ["network"], json: #""inconnu""#, field: "network"),
        Refused(kind: "channels", path: ["openingHours"], json: #""tous les jours""#, field: "openingHours"),
        Refused(kind: "channels", path: ["contributors"], json: #"["53-NOPE"]"#, field: "contributors"),
    ]

    @Test(arguments: refusedByTheHarvester)
    func everyValueTheHarvesterRefusesIsRefusedAtEntry(_ refused: Refused) async throws {
        let (node, admin) = try await Self.node()
        let channel = Channel(id: "53-CANAL-1", name: "Numéro unique orientation Bretagne", kind: .telephone, address: "0 800 100 200",
                              contributors: ["53-ML-1"], openingHours: "Mo-Fr 09:00-18:00; PH off", publics: [.tousPublics], services: [.cep1])
        let (id, body): (String, ByteBuffer) = switch refused.kind {
        case "places": ("53-P0", try Self.body(Fixtures.dataset().places[0], (refused.path, refused.value)))
        case "structures": ("53-ML-1", try Self.body(Fixtures.dataset().structures[0], (refused.path, refused.value)))
        default: ("53-CANAL-1", try Self.body(channel, (refused.path, refused.value)))
        }
        let before = try await node.store.loadAll()
        let auth: HTTPFields = [.authorization: "Bearer \(admin)", .contentType: "application/json"]
        try await Application(router: NodeServer.buildRouter(store: node.store, validator: Self.validator)).test(.router) { client in
            try await client.execute(uri: "/api/v1/\(refused.kind)/\(id)", method: .put, headers: auth, body: body) { response in
                let answer = Self.json(response.body)
                let message = answer["message"] as? String ?? ""
                #expect(response.status == .unprocessableContent, "\(refused.testDescription): \(response.status)")
                #expect((answer["field"] as? String)?.hasSuffix(refused.field) == true, "\(refused.testDescription): \(answer["field"] ?? "-")")
                // French, naming the field.
                #expect(message.contains(refused.field.split(separator: ".").last.map(String.init) ?? refused.field), "\(message.prefix(200))")
                #expect(!message.contains("expected") && !message.contains("must be") && !message.contains("Cannot"), "\(message.prefix(300))")
            }
        }
        let after = try await node.store.loadAll()
        #expect(after.places == before.places && after.structures == before.structures && after.channels == before.channels)
    }
}
