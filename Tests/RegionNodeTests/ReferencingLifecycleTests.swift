import Directory
import Foundation
import Logging
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
                json: TransitionRequest(to: .referenced, motive: "conforme au cahier des charges", attested: ["confiance": true], evidence: ["confiance": EvidenceRequest(text: "Entretien avec la directrice le 12 janvier ; charte d'accueil signée")],
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
            // Re-referencing re-checks the charter: an automatic criterion that now fails, then a missing attestation.
            var notFree = Self.cidffPlace(name: "CIDFF Brest - Maison des femmes")
            notFree.freeOfCharge = false
            (status, _, _) = try await api.call("PUT", "/api/v1/places/53-CIDFF-P1", token: admin, json: notFree)
            #expect(status == 200)
            (status, body, _) = try await api.call("POST", "/api/v1/structures/\(Self.cidff)/transitions", token: admin,
                                                   json: TransitionRequest(to: .referenced, motive: "indicateurs reçus", attested: ["confiance": true], evidence: ["confiance": EvidenceRequest(text: "Entretien avec la directrice le 12 janvier ; charte d'accueil signée")]))
            #expect(status == 409 && (body["message"] as? String)?.contains("critères non remplis : gratuite") == true)
            (status, _, _) = try await api.call("PUT", "/api/v1/places/53-CIDFF-P1", token: admin, json: Self.cidffPlace(name: "CIDFF Brest - Maison des femmes"))
            #expect(status == 200)
            (status, body, _) = try await api.call("POST", "/api/v1/structures/\(Self.cidff)/transitions", token: admin,
                                                   json: TransitionRequest(to: .referenced, motive: "indicateurs reçus"))
            #expect(status == 409 && (body["message"] as? String)?.contains("attested.confiance") == true)
            #expect(try await node.store.structure(Self.cidff)?.referencing.state == .suspended, "a refused re-referencing changes nothing")
            (status, body, _) = try await api.call("POST", "/api/v1/structures/\(Self.cidff)/transitions", token: admin,
                                                   json: TransitionRequest(to: .referenced, motive: "indicateurs reçus", attested: ["confiance": true], evidence: ["confiance": EvidenceRequest(text: "Entretien avec la directrice le 12 janvier ; charte d'accueil signée")]))
            #expect(status == 201 && body["charterVersion"] as? Int == 1 && body["validUntil"] as? String == validUntil)
            #expect(((body["criteria"] as? [[String: Any]]) ?? []).count == 4, "the re-referencing records the criteria it checked")

            // 7. Expiry asked for a future day only reports what will expire by then: nothing changes now.
            let today = ISODay.string(Date())
            let dayAfter = ISODay.string(ISODay.parse(validUntil)!.addingTimeInterval(86_400))
            let twoDaysAfter = ISODay.string(ISODay.parse(validUntil)!.addingTimeInterval(2 * 86_400))
            let (reportStatus, _, reportData) = try await api.call("POST", "/api/v1/referencings/expire?asOf=\(dayAfter)", token: admin, body: nil)
            let report = try SproJSON.decoder().decode(ExpiryReport.self, from: reportData)
            #expect(reportStatus == 200 && !report.applied && report.events.isEmpty)
            #expect(report.due == [ExpiryReport.Due(structureId: Self.cidff, name: "CIDFF du Finistère", validUntil: validUntil)])
            (status, body, _) = try await api.call("POST", "/api/v1/referencings/expire?asOf=\(twoDaysAfter)", token: admin, body: nil)
            #expect(status == 422 && body["field"] as? String == "asOf", "a day beyond every validity in force is refused")
            (status, body, _) = try await api.call("POST", "/api/v1/referencings/expire?asOf=2100-01-01", token: admin, body: nil)
            #expect(status == 422 && (body["message"] as? String)?.contains("asOf") == true)
            #expect(try await node.store.structure(Self.cidff)?.referencing.state == .referenced)
            // A decision takes effect at the latest on the day it is recorded.
            (status, body, _) = try await api.call("POST", "/api/v1/structures/\(Self.cidff)/transitions", token: admin,
                                                   json: TransitionRequest(to: .suspended, motive: "à venir", effectiveOn: dayAfter))
            #expect(status == 422 && body["field"] as? String == "effectiveOn" && (body["message"] as? String)?.contains("dans le futur") == true)
            #expect(try await node.store.history(Self.cidff).count == 5, "refusals record nothing")

            // 6. Withdrawal: a tombstone in the next export, and a final state.
            (status, body, _) = try await api.call("POST", "/api/v1/structures/\(Self.cidff)/transitions", token: admin,
                                                   json: TransitionRequest(to: .withdrawn, motive: "manquements répétés à la charte"))
            #expect(status == 201 && body["effectiveOn"] as? String == today && (body["at"] as? String)?.hasPrefix(today) == true)
            export = try await api.export()
            #expect(!export.structures.contains { $0.id == Self.cidff } && !export.places.contains { $0.id == "53-CIDFF-P1" })
            #expect(export.tombstones.contains { $0.id == Self.cidff } && export.tombstones.contains { $0.id == "53-CIDFF-P1" })
            (status, body, _) = try await api.call("POST", "/api/v1/structures/\(Self.cidff)/transitions", token: admin,
                                                   json: TransitionRequest(to: .referenced, motive: "retour"))
            #expect(status == 409 && (body["message"] as? String)?.contains("withdrawn est un état final") == true)

            // History is whole, and the referencing can be read as of a past date.
            let (_, _, historyData) = try await api.call("GET", "/api/v1/structures/\(Self.cidff)/history", token: admin)
            let history = try SproJSON.decoder().decode([ReferencingEvent].self, from: historyData)
            #expect(history.map(\.to) == [.applied, .underReview, .referenced, .suspended, .referenced, .withdrawn])
            #expect(history[2].signatories.contains("Préfet de région"))
            (status, body, _) = try await api.call("GET", "/api/v1/structures/\(Self.cidff)/referencing?asOf=\(grantedOn)", token: admin)
            #expect(status == 200 && body["charterVersion"] as? Int == 1)
            (status, body, _) = try await api.call("GET", "/api/v1/structures/\(Self.cidff)/referencing?asOf=\(validUntil)", token: admin)
            #expect(status == 200 && body["to"] as? String == "withdrawn")
            // A transition dated before the current state began is refused.
            (status, body, _) = try await api.call("POST", "/api/v1/structures/\(Self.mission)/transitions", token: admin,
                                                   json: TransitionRequest(to: .suspended, motive: "test", effectiveOn: "2001-01-01"))
            #expect(status == 422 && (body["message"] as? String)?.contains("effectiveOn") == true)

            // Every write is in the audit log, with its actor.
            let (_, _, auditData) = try await api.call("GET", "/api/v1/audit?target=place/53-CIDFF-P1", token: admin)
            let audit = try SproJSON.decoder().decode([AuditEntry].self, from: auditData)
            #expect(audit.map(\.action) == ["place.submit", "edit.approved", "place.update", "place.update"])
            #expect(audit.map(\.actor) == ["cidff-editor", "region-admin", "region-admin", "region-admin"])
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
            for (id, to, message) in [(Self.cidff, ReferencingState.referenced, "passage de applied à referenced impossible (possibles : under_review, withdrawn)"),
                                      (Self.cidff, .expired, "passage de applied à expired impossible"),
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

    /// A CIDFF-like structure applied, reviewed and referenced under charter v1 `monthsAgo` months before `now`.
    static func grant(_ id: String, monthsAgo: Int, on store: NodeStore, validator: RecordValidator, now: Date) async throws {
        let then = ISODay.adding(months: -monthsAgo, to: now)
        var s = Self.cidffStructure()
        s.id = id
        s.siret = Fixtures.structure(id).siret
        var p = Self.cidffPlace()
        p.id = id + "-P"
        p.structures = [PlaceStructure(structureId: id, isHost: true)]
        try await store.apply(s, places: [p], validator: validator, by: .system, at: then)
        try await store.transition(id, TransitionRequest(to: .underReview, motive: "dossier complet"), by: .system, at: then)
        try await store.transition(id, TransitionRequest(to: .referenced, motive: "conforme", attested: ["confiance": true], evidence: ["confiance": EvidenceRequest(text: "Entretien avec la directrice le 12 janvier ; charte d'accueil signée")]), by: .system, at: then)
    }

    /// The node's own schedule expires a due referencing without any call, dated when it runs.
    @Test(.timeLimit(.minutes(1)))
    func theNodeExpiresDueReferencingsOnItsOwnSchedule() async throws {
        let node = try TestNode()
        try await node.store.adoptCharters([Self.charter(1)])
        let validator = RecordValidator(knownCommunes: Set(TestReference.pack.communes.keys.map(\.rawValue)))
        try await Self.grant(Self.cidff, monthsAgo: 40, on: node.store, validator: validator, now: Date())
        let ended = try #require(try await node.store.structure(Self.cidff)?.referencing.validUntil)
        let schedule = ScheduledExpiry(store: node.store, every: .milliseconds(50), logger: Logger(label: "test.expiry"))
        let task = Task { try await schedule.run() }
        defer { task.cancel() }
        var state = try await node.store.structure(Self.cidff)?.referencing.state
        for _ in 0..<100 where state != .expired {
            try await Task.sleep(for: .milliseconds(50))
            state = try await node.store.structure(Self.cidff)?.referencing.state
        }
        #expect(state == .expired)
        let last = try #require(try await node.store.history(Self.cidff).last)
        #expect(last.to == .expired && last.effectiveOn == ended && last.at.hasPrefix(ISODay.string(Date())) && last.actor == "system")
    }

    /// Expiry runs on its day with the real time of the decision: a referencing granted 40 months ago
    /// (its validity over) expires at the next call, dated now and effective on its validity end, and the
    /// structure can apply again at once. Reports and refusals change nothing.
    @Test(.timeLimit(.minutes(3)))
    func expiryRunsOnItsDayWithTheRealTime() async throws {
        let node = try TestNode()
        try await node.store.adoptCharters([Self.charter(1)])
        let admin = try await node.store.issueToken(name: "region-admin", role: .admin)
        let validator = RecordValidator(knownCommunes: Set(TestReference.pack.communes.keys.map(\.rawValue)))
        let now = Date()
        let today = ISODay.string(now)
        let recent = "53-CIDFF-2"
        try await Self.grant(Self.cidff, monthsAgo: 40, on: node.store, validator: validator, now: now)
        try await Self.grant(recent, monthsAgo: 1, on: node.store, validator: validator, now: now)
        let suspended = "53-CIDFF-3"
        try await Self.grant(suspended, monthsAgo: 40, on: node.store, validator: validator, now: now)
        try await node.store.transition(suspended, TransitionRequest(to: .suspended, motive: "indicateurs non transmis"), by: .system,
                                        at: ISODay.adding(months: -30, to: now))
        let ended = try #require(try await node.store.structure(Self.cidff)?.referencing.validUntil)
        let latest = try #require(try await node.store.structure(recent)?.referencing.validUntil)
        #expect(ended < today && latest > today)
        try await Loopback.serve(NodeServer.buildRouter(store: node.store, validator: validator)) { base in
            let api = Client(base: base)
            // A dry run reports without changing anything.
            var (status, _, data) = try await api.call("POST", "/api/v1/referencings/expire?dryRun=true", token: admin, body: nil)
            var report = try SproJSON.decoder().decode(ExpiryReport.self, from: data)
            #expect(status == 200 && !report.applied && report.due.map(\.structureId) == [Self.cidff] && report.events.isEmpty)
            #expect(try await node.store.structure(Self.cidff)?.referencing.state == .referenced)
            // Malformed or far-off days are refused, naming asOf.
            let farOff = ISODay.string(ISODay.adding(months: 1, to: ISODay.parse(latest)!))
            for query in ["asOf=2026-13-45", "asOf=demain", "asOf=2100-01-01", "asOf=\(farOff)"] {
                let (status, body, _) = try await api.call("POST", "/api/v1/referencings/expire?\(query)", token: admin, body: nil)
                #expect(status == 422 && body["field"] as? String == "asOf", "\(query)")
            }
            var body: [String: Any]
            (status, body, _) = try await api.call("POST", "/api/v1/referencings/expire?dryRun=oui", token: admin, body: nil)
            #expect(status == 422 && body["field"] as? String == "dryRun")
            #expect(try await node.store.history(Self.cidff).count == 3, "reports and refusals record nothing")

            // Today: what is due expires now, effective on its validity end; the recent one stays.
            (status, _, data) = try await api.call("POST", "/api/v1/referencings/expire", token: admin, body: nil)
            report = try SproJSON.decoder().decode(ExpiryReport.self, from: data)
            #expect(status == 200 && report.applied && report.asOf == today)
            let event = try #require(report.events.first)
            #expect(report.events.count == 1 && event.structureId == Self.cidff && event.to == .expired && event.actor == "system")
            #expect(event.effectiveOn == ended && event.at.hasPrefix(today), "at is the real time of the decision")
            #expect(try await node.store.structure(recent)?.referencing.state == .referenced)
            // A past day expires nothing more, and the expired structure applies again today.
            (status, _, data) = try await api.call("POST", "/api/v1/referencings/expire?asOf=\(ended)", token: admin, body: nil)
            report = try SproJSON.decoder().decode(ExpiryReport.self, from: data)
            #expect(status == 200 && report.applied && report.events.isEmpty)
            (status, body, _) = try await api.call("POST", "/api/v1/structures/\(Self.cidff)/transitions", token: admin,
                                                   json: TransitionRequest(to: .applied, motive: "renouvellement"))
            #expect(status == 201 && body["effectiveOn"] as? String == today)
            // A referencing whose validity ended during its suspension is not reinstated: it needs a new application.
            (status, body, _) = try await api.call("POST", "/api/v1/structures/\(suspended)/transitions", token: admin,
                                                   json: TransitionRequest(to: .referenced, motive: "indicateurs reçus", attested: ["confiance": true], evidence: ["confiance": EvidenceRequest(text: "Entretien avec la directrice le 12 janvier ; charte d'accueil signée")]))
            #expect(status == 409 && (body["message"] as? String)?.contains("a pris fin le") == true)
            #expect(try await node.store.structure(suspended)?.referencing.state == .suspended)
        }
    }

    /// An applicant withdraws its own application with a motive, without the Région's team; another
    /// structure's editor cannot, and a referenced structure has nothing to withdraw this way.
    @Test(.timeLimit(.minutes(3)))
    func anApplicantWithdrawsItsOwnApplication() async throws {
        let node = try TestNode()
        try await node.store.adoptCharters([Self.charter(1)])
        let editor = try await node.store.issueToken(name: "cidff-editor", role: .editor, structureId: Self.cidff)
        let other = try await node.store.issueToken(name: "ml-editor", role: .editor, structureId: Self.mission)
        let admin = try await node.store.issueToken(name: "equipe", role: .admin)
        let validator = RecordValidator(knownCommunes: Set(TestReference.pack.communes.keys.map(\.rawValue)))
        try await node.store.apply(Self.cidffStructure(), places: [Self.cidffPlace()], validator: validator, by: .system)
        try await node.store.transition(Self.cidff, TransitionRequest(to: .underReview, motive: "dossier complet"), by: .system)
        try await node.store.apply(Fixtures.structure(Self.mission, network: .missionLocale, state: .applied, basis: .cepOperatorByLaw),
                                   places: [Fixtures.place("53-ML-9-P", structures: [Self.mission])], validator: validator, by: .system)
        try await Loopback.serve(NodeServer.buildRouter(store: node.store, validator: validator)) { base in
            let api = Client(base: base)
            struct Motive: Encodable { let motive: String }
            var (status, body, _) = try await api.call("POST", "/api/v1/structures/\(Self.cidff)/withdraw", token: other,
                                                       json: Motive(motive: "pas la mienne"))
            #expect(status == 403 && (body["message"] as? String)?.contains("retirer la candidature de la structure 53-CIDFF-1") == true)
            (status, body, _) = try await api.call("POST", "/api/v1/structures/\(Self.cidff)/withdraw", token: editor, json: Motive(motive: " "))
            #expect(status == 409 && (body["message"] as? String)?.contains("motive") == true)
            (status, body, _) = try await api.call("POST", "/api/v1/structures/\(Self.mission)/withdraw", token: other,
                                                   json: Motive(motive: "changement"))
            #expect(status == 409 && (body["message"] as? String)?.contains("applied ou under_review") == true)
            #expect(try await node.store.history(Self.cidff).map(\.to) == [.applied, .underReview], "refusals record nothing")

            (status, body, _) = try await api.call("POST", "/api/v1/structures/\(Self.cidff)/withdraw", token: editor,
                                                   json: Motive(motive: "projet abandonné"))
            #expect(status == 201 && body["to"] as? String == "withdrawn" && body["from"] as? String == "under_review")
            #expect(body["actor"] as? String == "cidff-editor" && body["motive"] as? String == "projet abandonné")
            #expect(try await node.store.structure(Self.cidff)?.referencing.state == .withdrawn)
            (status, _, _) = try await api.call("POST", "/api/v1/structures/\(Self.cidff)/withdraw", token: editor, json: Motive(motive: "encore"))
            #expect(status == 409, "a withdrawn application cannot be withdrawn again")
            #expect(try await node.store.auditLog(target: "structure/\(Self.cidff)").last?.actor == "cidff-editor")
            // A withdrawn applicant may apply again later: a new application, with its own event.
            (status, _, _) = try await api.call("POST", "/api/v1/structures", token: admin,
                                                json: AdminController.Application(structure: Self.cidffStructure(), places: nil))
            #expect(status == 201)
            #expect(try await node.store.history(Self.cidff).map(\.to) == [.applied, .underReview, .withdrawn, .applied])
        }
    }
}
