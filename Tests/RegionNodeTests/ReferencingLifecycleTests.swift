import Directory
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Referencing
import SproTestSupport
import Testing
@testable import RegionNode

/// Drives a real node over HTTP on loopback through a structure's whole referencing life, and checks
/// that each refusal is clear and changes nothing stored.
@Suite struct ReferencingLifecycleTests {
    /// A minimal JSON client for the admin API.
    struct Client: Sendable {
        let base: String
        func call(_ method: String, _ path: String, token: String?, body: Data? = nil) async throws -> (Int, [String: Any], Data) {
            var request = URLRequest(url: URL(string: base + path)!)
            request.httpMethod = method
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            if let body { request.httpBody = body; request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
            let (data, response) = try await URLSession.shared.data(for: request)
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            return ((response as! HTTPURLResponse).statusCode, object, data)
        }
        func call<T: Encodable>(_ method: String, _ path: String, token: String?, json: T) async throws -> (Int, [String: Any], Data) {
            try await call(method, path, token: token, body: try SproJSON.encoder().encode(json))
        }
        func export() async throws -> ExportDocument {
            let (data, _) = try await URLSession.shared.data(from: URL(string: base + "/export.json")!)
            return try SproJSON.decoder().decode(ExportDocument.self, from: data)
        }
    }

    static func charter(_ version: Int) -> Charter {
        Charter(region: Fixtures.bretagne, version: version, title: "Cahier des charges SPRO Bretagne v\(version)",
                adoptedOn: version == 1 ? "2015-04-10" : "2024-01-01", source: "test", values: ["gratuité", "neutralité"],
                criteria: [
                    Criterion(id: "gratuite", label: "Service gratuit", kind: .checkable, check: .freeOfCharge),
                    Criterion(id: "sans_rdv", label: "Sans rendez-vous 8 h par semaine", kind: .checkable, check: .minWalkInHoursPerWeek, threshold: 8),
                    Criterion(id: "accessible", label: "Un lieu accessible", kind: .checkable, check: .accessiblePlace),
                    Criterion(id: "confiance", label: "Relation de confiance", kind: .attested),
                ] + (version == 2 ? [Criterion(id: "api", label: "Accueil personnalisé et individualisé", kind: .checkable, check: .firstLevelReception)] : []),
                requiredIndicators: [], referencingValidityMonths: version == 1 ? 36 : 24, requiresLieuMutualisePerBassin: false)
    }

    static let cidff = "53-CIDFF-1"
    static let mission = "53-ML-9"

    static func cidffStructure(siret: String? = nil) -> Structure {
        var s = Fixtures.structure(cidff, network: .cidff, state: .applied, basis: .regionalCharter)
        s.name = "CIDFF du Finistère"
        if let siret { s.siret = SIRET(unchecked: siret) }
        return s
    }

    static func cidffPlace(name: String = "CIDFF Brest") -> Place {
        var p = Fixtures.place("53-CIDFF-P1", structures: [cidff])
        p.name = name
        p.freeOfCharge = true
        return p
    }

    @Test(.timeLimit(.minutes(3)))
    func aStructuresWholeLifeOverHTTP() async throws {
        let node = try TestNode()
        try await node.store.adoptCharters([Self.charter(1)])
        let admin = try await node.store.issueToken(name: "region-admin", role: .admin)
        let editor = try await node.store.issueToken(name: "cidff-editor", role: .editor, structureId: Self.cidff)
        let validator = RecordValidator(knownCommunes: Set(TestReference.pack.communes.keys.map(\.rawValue)))
        try await Loopback.serve(NodeServer.buildRouter(store: node.store, validator: validator)) { base in
            let api = Client(base: base)
            // A mission locale takes part by law: referenced at once, with no charter review.
            var ml = Fixtures.structure(Self.mission, network: .missionLocale, state: .applied, basis: .cepOperatorByLaw)
            ml.name = "Mission locale du Pays de Brest"
            var (status, body, _) = try await api.call("POST", "/api/v1/structures", token: admin,
                json: AdminController.Application(structure: ml, places: [Fixtures.place("53-ML-9-P", structures: [Self.mission])]))
            #expect(status == 201 && body["to"] as? String == "referenced" && body["charterVersion"] == nil)

            // 1. The CIDFF applies.
            (status, body, _) = try await api.call("POST", "/api/v1/structures", token: admin,
                json: AdminController.Application(structure: Self.cidffStructure(), places: [Self.cidffPlace()]))
            #expect(status == 201 && body["to"] as? String == "applied")
            #expect(try await api.export().structures.map(\.id) == [Self.mission], "an applicant is not public")

            // 2. Review: granting without the reviewer's attestation is refused and changes nothing.
            (status, _, _) = try await api.call("POST", "/api/v1/structures/\(Self.cidff)/transitions", token: admin,
                                                json: TransitionRequest(to: .underReview, motive: "dossier complet"))
            #expect(status == 201)
            (status, body, _) = try await api.call("POST", "/api/v1/structures/\(Self.cidff)/transitions", token: admin,
                                                   json: TransitionRequest(to: .referenced, motive: "conforme"))
            #expect(status == 409 && (body["message"] as? String)?.contains("attested.confiance") == true)
            #expect(try await node.store.structure(Self.cidff)?.referencing.state == .underReview)

            // 3. Referenced under charter v1, with every criterion's result recorded.
            (status, body, _) = try await api.call("POST", "/api/v1/structures/\(Self.cidff)/transitions", token: admin,
                json: TransitionRequest(to: .referenced, motive: "conforme au cahier des charges", attested: ["confiance": true],
                                        signatories: ["Région Bretagne", "Recteur de région académique", "Préfet de région"]))
            #expect(status == 201 && body["charterVersion"] as? Int == 1)
            let criteria = (body["criteria"] as? [[String: Any]]) ?? []
            #expect(criteria.compactMap { $0["criterionId"] as? String }.sorted() == ["accessible", "confiance", "gratuite", "sans_rdv"])
            #expect(criteria.allSatisfy { $0["passed"] as? Bool == true })
            #expect((criteria.first { $0["criterionId"] as? String == "sans_rdv" }?["detail"] as? String)?.contains("seuil 8 h") == true)
            let validUntil = try #require(body["validUntil"] as? String)
            let grantedOn = try #require(body["effectiveOn"] as? String)
            #expect(validUntil == ISODay.string(ISODay.adding(months: 36, to: ISODay.parse(grantedOn)!)))
            var export = try await api.export()
            #expect(export.structures.first { $0.id == Self.cidff }?.referencing.state == .referenced)
            #expect(export.places.contains { $0.id == "53-CIDFF-P1" })

            // 4. The editor's edit waits for the Région's validation, then is published.
            (status, body, _) = try await api.call("PUT", "/api/v1/places/53-CIDFF-P1", token: editor,
                                                   json: Self.cidffPlace(name: "CIDFF Brest - Maison des femmes"))
            #expect(status == 202 && body["status"] as? String == "pending")
            let editId = try #require(body["editId"] as? String)
            #expect(try await api.export().places.first { $0.id == "53-CIDFF-P1" }?.name == "CIDFF Brest")
            (status, _, _) = try await api.call("POST", "/api/v1/edits/\(editId)/approve", token: editor, body: nil)
            #expect(status == 403, "an editor cannot validate their own edit")
            (status, _, _) = try await api.call("POST", "/api/v1/edits/\(editId)/approve", token: admin, body: nil)
            #expect(status == 200)
            #expect(try await api.export().places.first { $0.id == "53-CIDFF-P1" }?.name == "CIDFF Brest - Maison des femmes")

            // A charter v2 is adopted: the v1 referencing stays valid.
            (status, _, _) = try await api.call("POST", "/api/v1/charters", token: admin, json: Self.charter(2))
            #expect(status == 201)
            export = try await api.export()
            #expect(export.charters.map(\.version) == [1, 2])
            #expect(export.structures.first { $0.id == Self.cidff }?.referencing.charterVersion == 1)
            (status, _, _) = try await api.call("POST", "/api/v1/charters", token: admin, json: {
                var changed = Self.charter(1); changed.title = "réécrit"; return changed }())
            #expect(status == 409, "an adopted charter is immutable")

            // 5. Suspension, with its motive; the structure stays public, marked suspended.
            (status, _, _) = try await api.call("POST", "/api/v1/structures/\(Self.cidff)/transitions", token: admin,
                                                json: TransitionRequest(to: .suspended, motive: ""))
            #expect(status == 409, "a suspension needs a motive")
            (status, _, _) = try await api.call("POST", "/api/v1/structures/\(Self.cidff)/transitions", token: admin,
                                                json: TransitionRequest(to: .suspended, motive: "indicateurs non transmis"))
            #expect(status == 201)
            #expect(try await api.export().structures.first { $0.id == Self.cidff }?.referencing.state == .suspended)
            (status, body, _) = try await api.call("POST", "/api/v1/structures/\(Self.cidff)/transitions", token: admin,
                                                   json: TransitionRequest(to: .referenced, motive: "indicateurs reçus"))
            #expect(status == 201 && body["charterVersion"] as? Int == 1 && body["validUntil"] as? String == validUntil)

            // 7. Expiry at the end of validity (run as of the day after), then renewal under v2.
            let dayAfter = ISODay.string(ISODay.parse(validUntil)!.addingTimeInterval(86_400))
            let (_, _, expiredData) = try await api.call("POST", "/api/v1/referencings/expire?asOf=\(dayAfter)", token: admin, body: nil)
            let expired = try SproJSON.decoder().decode([ReferencingEvent].self, from: expiredData)
            #expect(expired.map(\.structureId) == [Self.cidff] && expired.first?.to == .expired && expired.first?.actor == "system")
            export = try await api.export()
            #expect(!export.structures.contains { $0.id == Self.cidff })
            #expect(export.tombstones.contains { $0.id == Self.cidff && $0.kind == .structure })
            for (to, attested) in [(ReferencingState.applied, nil), (.underReview, nil), (.referenced, ["confiance": true])] as [(ReferencingState, [String: Bool]?)] {
                (status, body, _) = try await api.call("POST", "/api/v1/structures/\(Self.cidff)/transitions", token: admin,
                                                       json: TransitionRequest(to: to, motive: "renouvellement", attested: attested, effectiveOn: dayAfter))
                #expect(status == 201, "renewal step \(to.rawValue)")
            }
            #expect(body["charterVersion"] as? Int == 2, "a renewal is granted under the newest charter")
            #expect(try await api.export().structures.contains { $0.id == Self.cidff })

            // 6. Withdrawal: a tombstone in the next export, and a final state.
            (status, _, _) = try await api.call("POST", "/api/v1/structures/\(Self.cidff)/transitions", token: admin,
                                                json: TransitionRequest(to: .withdrawn, motive: "manquements répétés à la charte", effectiveOn: dayAfter))
            #expect(status == 201)
            export = try await api.export()
            #expect(!export.structures.contains { $0.id == Self.cidff } && !export.places.contains { $0.id == "53-CIDFF-P1" })
            #expect(export.tombstones.contains { $0.id == Self.cidff } && export.tombstones.contains { $0.id == "53-CIDFF-P1" })
            (status, body, _) = try await api.call("POST", "/api/v1/structures/\(Self.cidff)/transitions", token: admin,
                                                   json: TransitionRequest(to: .referenced, motive: "retour"))
            #expect(status == 409 && (body["message"] as? String)?.contains("withdrawn est un état final") == true)

            // History is whole, and the referencing can be read as of a past date.
            let (_, _, historyData) = try await api.call("GET", "/api/v1/structures/\(Self.cidff)/history", token: admin)
            let history = try SproJSON.decoder().decode([ReferencingEvent].self, from: historyData)
            #expect(history.map(\.to) == [.applied, .underReview, .referenced, .suspended, .referenced, .expired,
                                          .applied, .underReview, .referenced, .withdrawn])
            #expect(history[2].signatories.contains("Préfet de région"))
            let midway = ISODay.string(ISODay.parse(validUntil)!.addingTimeInterval(-86_400 * 30))
            (status, body, _) = try await api.call("GET", "/api/v1/structures/\(Self.cidff)/referencing?asOf=\(midway)", token: admin)
            #expect(status == 200 && body["to"] as? String == "referenced" && body["charterVersion"] as? Int == 1)
            (status, body, _) = try await api.call("GET", "/api/v1/structures/\(Self.cidff)/referencing?asOf=\(dayAfter)", token: admin)
            #expect(status == 200 && body["to"] as? String == "withdrawn")
            // A transition dated before the current state began is refused.
            (status, body, _) = try await api.call("POST", "/api/v1/structures/\(Self.mission)/transitions", token: admin,
                                                   json: TransitionRequest(to: .suspended, motive: "test", effectiveOn: "2001-01-01"))
            #expect(status == 422 && (body["message"] as? String)?.contains("effectiveOn") == true)

            // Every write is in the audit log, with its actor.
            let (_, _, auditData) = try await api.call("GET", "/api/v1/audit?target=place/53-CIDFF-P1", token: admin)
            let audit = try SproJSON.decoder().decode([AuditEntry].self, from: auditData)
            #expect(audit.map(\.action) == ["place.submit", "edit.approved"])
            #expect(audit.map(\.actor) == ["cidff-editor", "region-admin"])
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func refusalsAreClearAndChangeNothing() async throws {
        let node = try TestNode()
        try await node.store.adoptCharters([Self.charter(1)])
        let admin = try await node.store.issueToken(name: "region-admin", role: .admin)
        let editor = try await node.store.issueToken(name: "cidff-editor", role: .editor, structureId: Self.cidff)
        let validator = RecordValidator(knownCommunes: Set(TestReference.pack.communes.keys.map(\.rawValue)))
        try await node.store.apply(Self.cidffStructure(), places: [Self.cidffPlace()], validator: validator, by: .system)
        try await node.store.apply(Fixtures.structure(Self.mission, network: .missionLocale, state: .applied, basis: .cepOperatorByLaw),
                                   places: [Fixtures.place("53-ML-9-P", structures: [Self.mission])], validator: validator, by: .system)
        try await Loopback.serve(NodeServer.buildRouter(store: node.store, validator: validator)) { base in
            let api = Client(base: base)
            func snapshot() async throws -> String {
                let all = try await node.store.loadAll()
                let edits = try await node.store.edits(status: nil, for: .system)
                return "\(all.structures)\(all.places)\(edits.count)"
            }
            let before = try await snapshot()
            var bad = Self.cidffPlace()
            bad.address.communeCode = CommuneCode(unchecked: "29999")
            var hours = Self.cidffPlace()
            hours.openingHours = "Mo-Fr 09:00-49:00"
            var wrongNetwork = Self.cidffStructure()
            wrongNetwork.basis = .cepOperatorByLaw
            // A SIRET failing Luhn is refused when the body is decoded.
            let siretBody = String(decoding: try SproJSON.encoder().encode(Self.cidffStructure()), as: UTF8.self)
                .replacingOccurrences(of: Self.cidffStructure().siret!.rawValue, with: "12345678901234")
            let cases: [(String, String, String?, Data?, Int, String)] = [
                ("editor of A edits B's place", "/api/v1/places/53-ML-9-P", editor,
                 try SproJSON.encoder().encode(Fixtures.place("53-ML-9-P", structures: [Self.mission])), 403, "cidff-editor (éditeur de la structure 53-CIDFF-1) ne peut pas modifier le lieu 53-ML-9-P"),
                ("editor of A edits structure B", "/api/v1/structures/\(Self.mission)", editor,
                 try SproJSON.encoder().encode(Fixtures.structure(Self.mission)), 403, "ne peut pas modifier la structure 53-ML-9"),
                ("no token", "/api/v1/places/53-CIDFF-P1", nil, try SproJSON.encoder().encode(Self.cidffPlace()), 401, "jeton d'accès requis"),
                ("wrong token", "/api/v1/places/53-CIDFF-P1", "spro_nottherealone", try SproJSON.encoder().encode(Self.cidffPlace()), 401, "jeton d'accès requis"),
                ("invalid SIRET", "/api/v1/structures/\(Self.cidff)", admin, Data(siretBody.utf8), 422, "siret"),
                ("unknown commune", "/api/v1/places/53-CIDFF-P1", admin, try SproJSON.encoder().encode(bad), 422, "lieu 53-CIDFF-P1 : address.communeCode : code commune inconnu 29999"),
                ("malformed opening hours", "/api/v1/places/53-CIDFF-P1", admin, try SproJSON.encoder().encode(hours), 422, "lieu 53-CIDFF-P1 : openingHours"),
                ("by-law basis for a network off the national list", "/api/v1/structures/\(Self.cidff)", admin,
                 try SproJSON.encoder().encode(wrongNetwork), 422, "structure 53-CIDFF-1 : basis : le réseau cidff n'est pas sur la liste nationale des opérateurs du CEP"),
            ]
            for (name, path, token, body, expected, message) in cases {
                let (status, json, _) = try await api.call("PUT", path, token: token, body: body)
                #expect(status == expected, "\(name)")
                #expect((json["message"] as? String)?.contains(message) == true, "\(name): \(json["message"] ?? "no error")")
            }
            // Transitions the state machine forbids, and a review of a structure that takes part by law.
            for (id, to, message) in [(Self.cidff, ReferencingState.referenced, "passage de applied à referenced impossible (possibles : under_review)"),
                                      (Self.cidff, .withdrawn, "passage de applied à withdrawn impossible"),
                                      (Self.mission, .applied, "passage de referenced à applied impossible")] {
                let (status, json, _) = try await api.call("POST", "/api/v1/structures/\(id)/transitions", token: admin,
                                                           json: TransitionRequest(to: to, motive: "test"))
                #expect(status == 409)
                #expect((json["message"] as? String)?.contains(message) == true, "\(json["message"] ?? "")")
            }
            let (status, _, _) = try await api.call("POST", "/api/v1/structures/\(Self.cidff)/transitions", token: editor,
                                                    json: TransitionRequest(to: .underReview, motive: "moi-même"))
            #expect(status == 403, "an editor never moves a referencing")
            #expect(try await snapshot() == before, "no refusal changed anything stored")
            #expect(try await node.store.auditLog().allSatisfy { $0.actor == "system" }, "refusals write nothing to the audit log")
        }
    }
}
