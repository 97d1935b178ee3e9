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
            "referenced>suspended", "referenced>expired", "referenced>withdrawn",
            "suspended>referenced", "suspended>withdrawn", "expired>applied", "rejected>applied",
        ])
        #expect(ReferencingRules.allowedNext(from: .withdrawn).isEmpty, "withdrawal is final")
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
                                                 indicators: [IndicatorValue(subject: .structure, subjectId: "S", code: "visits", period: "2025", value: 10, unit: "persons")])
        #expect(results.map(\.criterionId) == ["gratuite", "heures", "sans_rdv", "pmr", "api", "publics", "indicateurs"],
                "attested criteria are the reviewer's, never automatic")
        #expect(results.allSatisfy { $0.passed }, "\(results.filter { !$0.passed })")
        #expect(results.allSatisfy { $0.source == .automatic })
    }

    @Test func eachCheckFailsWithAReasonWhenItsDataIsMissing() {
        // 4 h a week by appointment only, fees not declared, not accessible, no CEP 1, young people only, no indicators.
        let p = Self.place(hours: "Mo 09:00-13:00", modes: [.surRendezVous], free: nil, accessible: false,
                           services: [.aiderEmploi], publics: [.jeunes])
        let results = CharterEvaluation.evaluate(Self.charter(), structure: Self.structure, places: [p], indicators: [])
        #expect(results.allSatisfy { !$0.passed })
        let detail = Dictionary(uniqueKeysWithValues: results.map { ($0.criterionId, $0.detail) })
        #expect(detail["heures"] == "ouverture maximale 4 h par semaine (seuil 30 h)")
        #expect(detail["sans_rdv"] == "accueil sans rendez-vous 0 h par semaine (seuil 8 h)")
        #expect(detail["indicateurs"] == "indicateurs manquants : visits")
        #expect(detail["gratuite"]?.contains("P") == true)
        // Another structure's place does not count for this one.
        var other = p
        other.structures = [PlaceStructure(structureId: "T", isHost: true)]
        #expect(CharterEvaluation.evaluate(Self.charter(), structure: Self.structure, places: [other], indicators: [])
            .allSatisfy { $0.detail == "aucun lieu d'accueil déclaré" })
    }
}
