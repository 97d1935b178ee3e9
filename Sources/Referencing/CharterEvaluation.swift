import Directory

/// Evaluates a charter's checkable criteria from what a structure declares: its places (hours,
/// reception modes, publics, services, accessibility, fees) and its quality indicators.
public enum CharterEvaluation {
    /// One result per checkable criterion of `charter`, in the charter's order.
    public static func evaluate(_ charter: Charter, structure: Structure, places: [Place],
                                indicators: [IndicatorValue]) -> [CriterionResult] {
        let own = places.filter { $0.structures.contains { $0.structureId == structure.id } }
        return charter.criteria.compactMap { criterion -> CriterionResult? in
            guard criterion.kind == .checkable, let check = criterion.check else { return nil }
            let (passed, detail) = evaluate(check, threshold: criterion.threshold, charter: charter,
                                            structure: structure, places: own, indicators: indicators)
            return CriterionResult(criterionId: criterion.id, passed: passed, source: .automatic, detail: detail)
        }
    }

    static func weeklyHours(_ place: Place) -> Double {
        guard let text = place.openingHours, let hours = try? OpeningHours(text) else { return 0 }
        return hours.weeklyHours()
    }

    static func format(_ hours: Double) -> String {
        hours == hours.rounded() ? "\(Int(hours)) h" : String(format: "%.1f h", hours)
    }

    static func evaluate(_ check: Criterion.Check, threshold: Double?, charter: Charter, structure: Structure,
                         places: [Place], indicators: [IndicatorValue]) -> (Bool, String) {
        guard !places.isEmpty else { return (false, "aucun lieu d'accueil déclaré") }
        switch check {
        case .freeOfCharge:
            let notFree = places.filter { $0.freeOfCharge != true }
            return notFree.isEmpty
                ? (true, "gratuit dans les \(places.count) lieux")
                : (false, "gratuité non déclarée pour : \(notFree.map(\.id).joined(separator: ", "))")
        case .minHoursPerWeek:
            let best = places.map(weeklyHours).max() ?? 0
            let need = threshold ?? 0
            return (best >= need, "ouverture maximale \(format(best)) par semaine (seuil \(format(need)))")
        case .minWalkInHoursPerWeek:
            let best = places.filter { $0.receptionModes.contains(.sansRendezVous) }.map(weeklyHours).max() ?? 0
            let need = threshold ?? 0
            return (best >= need, "accueil sans rendez-vous \(format(best)) par semaine (seuil \(format(need)))")
        case .accessiblePlace:
            let accessible = places.filter(\.accessible)
            return accessible.isEmpty
                ? (false, "aucun lieu accessible aux personnes en fauteuil roulant")
                : (true, "lieu accessible : \(accessible[0].id)")
        case .firstLevelReception:
            let offering = places.filter { $0.services.contains(.cep1) }
            return offering.isEmpty
                ? (false, "aucun lieu ne propose l'accueil individualisé (CEP niveau 1)")
                : (true, "accueil individualisé proposé à \(offering[0].id)")
        case .servesAllPublicsOrRefers:
            let all = places.filter { $0.publics.contains(.tousPublics) || $0.refersOtherPublics == true }
            return all.isEmpty
                ? (false, "aucun lieu n'accueille tous publics ni n'oriente les autres publics")
                : (true, "tous publics accueillis ou orientés à \(all[0].id)")
        case .reportsRequiredIndicators:
            let subjects = Set(places.map(\.id)).union([structure.id])
            let reported = Set(indicators.filter { subjects.contains($0.subjectId) }.map(\.code))
            let missing = charter.requiredIndicators.map(\.code).filter { !reported.contains($0) }
            return missing.isEmpty
                ? (true, "\(charter.requiredIndicators.count) indicateurs déclarés")
                : (false, "indicateurs manquants : \(missing.joined(separator: ", "))")
        }
    }
}
