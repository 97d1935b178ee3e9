import Foundation
import Directory
import Referencing
import Testing

@Suite struct ReferencingRulesTests {
    @Test func stateMachineFollowsL6111_5() {
        let all = ReferencingState.allCases
        var allowed: Set<String> = []
        for from in all { for to in all where ReferencingRules.allows(from, to) { allowed.insert("\(from.rawValue)>\(to.rawValue)") } }
        #expect(allowed == [
            "applied>under_review", "under_review>referenced", "under_review>rejected",
            "applied>withdrawn", "under_review>withdrawn",
            "referenced>suspended", "referenced>expired", "referenced>withdrawn",
            "suspended>referenced", "suspended>withdrawn", "expired>applied", "rejected>applied",
        ])
        #expect(ReferencingRules.allowedNext(from: .withdrawn).isEmpty, "withdrawal is final")
        #expect(ReferencingRules.withdrawableByApplicant.allSatisfy { ReferencingRules.allows($0, .withdrawn) },
                "an applicant's withdrawal is a transition of the state machine")
        #expect(ReferencingError.forbiddenTransition(structure: "S", from: .applied, to: .referenced).description
            .contains("possibles : under_review"))
    }

    @Test func nationalCEPOperatorTableListsOnlyTheLawsNetworks() {
        let table = NationalCEPOperators.current
        for network in [Network.franceTravail, .apec, .missionLocale, .capEmploi] { #expect(table.lists(network)) }
        for network in [Network.cio, .cidff, .informationJeunesse, .cci] { #expect(!table.lists(network)) }
    }
}

@Suite struct CharterEvaluationTests {
    static func charter() -> Charter {
        Charter(region: RegionCode(unchecked: "53"), version: 1, title: "t", adoptedOn: "2015-01-01", source: "s", values: [],
                criteria: [
                    Criterion(id: "gratuite", label: "", kind: .checkable, check: .freeOfCharge),
                    Criterion(id: "heures", label: "", kind: .checkable, check: .minHoursPerWeek, threshold: 30),
                    Criterion(id: "sans_rdv", label: "", kind: .checkable, check: .minWalkInHoursPerWeek, threshold: 8),
                    Criterion(id: "pmr", label: "", kind: .checkable, check: .accessiblePlace),
                    Criterion(id: "api", label: "", kind: .checkable, check: .firstLevelReception),
                    Criterion(id: "publics", label: "", kind: .checkable, check: .servesAllPublicsOrRefers),
                    Criterion(id: "indicateurs", label: "", kind: .checkable, check: .reportsRequiredIndicators),
                    Criterion(id: "confiance", label: "", kind: .attested),
                ],
                requiredIndicators: [RequiredIndicator(code: "visits", label: "", unit: "persons", periodicity: .year)],
                referencingValidityMonths: 36, requiresLieuMutualisePerBassin: false)
    }

    static let structure = Structure(id: "S", siret: nil, name: "S", network: .cidff, basis: .regionalCharter,
                                     referencing: PublicReferencing(state: .underReview, charterVersion: nil, since: "2026-01-01", validUntil: nil))

    static func place(hours: String, modes: [ReceptionMode], free: Bool?, accessible: Bool, services: [Service], publics: [Public]) -> Place {
        Place(id: "P", name: "P", kind: .site, structures: [PlaceStructure(structureId: "S", isHost: true)],
              address: Address(lines: [], postcode: Postcode(unchecked: "29200"), city: "Brest"), openingHours: hours,
              receptionModes: modes, publics: publics, services: services, accessible: accessible, freeOfCharge: free)
    }

    @Test func everyCheckPassesOnAStructureThatMeetsIt() {
        let p = Self.place(hours: "Mo-Fr 09:00-12:30,13:30-17:00", modes: [.sansRendezVous], free: true, accessible: true,
                           services: [.cep1], publics: [.tousPublics])
        let results = CharterEvaluation.evaluate(Self.charter(), structure: Self.structure, places: [p],
                                                 indicators: [IndicatorValue(subject: .structure, subjectId: "S", code: "visits", period: "2025", value: 10, unit: "persons")],
                                                 on: "2026-03-15")
        #expect(results.map(\.criterionId) == ["gratuite", "heures", "sans_rdv", "pmr", "api", "publics", "indicateurs"],
                "attested criteria are the reviewer's, never automatic")
        #expect(results.allSatisfy { $0.passed }, "\(results.filter { !$0.passed })")
        #expect(results.allSatisfy { $0.source == .automatic })
    }

    @Test func eachCheckFailsWithAReasonWhenItsDataIsMissing() {
        // 4 h a week by appointment only, fees not declared, not accessible, no CEP 1, young people only, no indicators.
        let p = Self.place(hours: "Mo 09:00-13:00", modes: [.surRendezVous], free: nil, accessible: false,
                           services: [.aiderEmploi], publics: [.jeunes])
        let results = CharterEvaluation.evaluate(Self.charter(), structure: Self.structure, places: [p], indicators: [], on: "2026-03-15")
        #expect(results.allSatisfy { !$0.passed })
        let detail = Dictionary(uniqueKeysWithValues: results.map { ($0.criterionId, $0.detail) })
        #expect(detail["heures"] == "ouverture maximale 4 h par semaine (seuil 30 h)")
        #expect(detail["sans_rdv"] == "accueil sans rendez-vous 0 h par semaine (seuil 8 h)")
        #expect(detail["indicateurs"] == "indicateurs manquants pour la dernière période échue avant le 2026-03-15 : visits (2025)")
        #expect(detail["gratuite"]?.contains("P") == true)
        // Another structure's place does not count for this one.
        var other = p
        other.structures = [PlaceStructure(structureId: "T", isHost: true)]
        #expect(CharterEvaluation.evaluate(Self.charter(), structure: Self.structure, places: [other], indicators: [], on: "2026-03-15")
            .allSatisfy { $0.detail == "aucun lieu d'accueil déclaré" })
    }

    /// "Indicators every quarter": each of the last N complete quarters before the review day must be
    /// reported, not any period ever.
    @Test func indicatorsMustCoverTheRecentPeriods() throws {
        var charter = Self.charter()
        charter.criteria = [Criterion(id: "indicateurs", label: "Déclarer chaque trimestre", kind: .checkable,
                                      check: .reportsRequiredIndicators, recentPeriods: 2)]
        charter.requiredIndicators = [RequiredIndicator(code: "visits", label: "", unit: "persons", periodicity: .quarter)]
        try charter.validate(file: "t")
        let p = Self.place(hours: "Mo 09:00-12:00", modes: [], free: true, accessible: true, services: [], publics: [])
        func value(_ period: String) -> IndicatorValue {
            IndicatorValue(subject: .place, subjectId: "P", code: "visits", period: period, value: 1, unit: "persons")
        }
        func result(_ periods: [String], on day: String = "2026-05-10") -> CriterionResult? {
            CharterEvaluation.evaluate(charter, structure: Self.structure, places: [p], indicators: periods.map(value), on: day).first
        }
        #expect(IndicatorPeriod.recent(2, of: .quarter, before: "2026-05-10") == ["2026-Q1", "2025-Q4"])
        #expect(IndicatorPeriod.recent(2, of: .month, before: "2026-01-31") == ["2025-12", "2025-11"])
        #expect(result(["2026-Q1", "2025-Q4"])?.passed == true)
        #expect(result(["2026-01", "2025-Q4"])?.passed == true, "a month inside the quarter covers it")
        let old = try #require(result(["2019-Q1", "2019-Q2"]))
        #expect(!old.passed && old.detail.contains("visits (2026-Q1, 2025-Q4)"), "periods reported long ago do not count")
        let gap = try #require(result(["2026-Q1", "2025-Q3"]))
        #expect(!gap.passed && gap.detail.contains("visits (2025-Q4)"))
        #expect(result(["2026-Q1", "2025-Q4"], on: "2026-08-01")?.passed == false, "a review a quarter later needs 2026-Q2")
        // The default recency is the last complete period.
        charter.criteria[0].recentPeriods = nil
        #expect(result(["2026-Q1"])?.passed == true)
        #expect(result(["2025-Q4"])?.passed == false)
    }

    @Test func recentPeriodsIsCheckedWhenACharterIsLoaded() throws {
        var charter = Self.charter()
        charter.criteria[0].recentPeriods = 4
        #expect(throws: CharterError.self) { try charter.validate(file: "t") }
        charter.criteria = [Criterion(id: "indicateurs", label: "", kind: .checkable, check: .reportsRequiredIndicators, recentPeriods: 0)]
        let error = try #require(throws: CharterError.self) { try charter.validate(file: "t") }
        #expect(error.field == "criteria[0] (indicateurs).recentPeriods")
        let json = #"{"id": "i", "label": "", "kind": "checkable", "check": "reports_required_indicators", "recentPeriods": "4"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Criterion.self, from: Data(json.utf8)) }
        let decoded = try JSONDecoder().decode(Criterion.self, from: Data(json.replacingOccurrences(of: "\"4\"", with: "4").utf8))
        #expect(decoded.recentPeriods == 4)
    }
}
