import Directory

/// Evaluates a charter's checkable criteria from what a structure declares: its places (hours,
/// reception modes, publics, services, accessibility, fees) and its quality indicators.
public enum CharterEvaluation {
    /// One result per checkable criterion of `charter`, in the charter's order, as of the review day `day`
    /// (YYYY-MM-DD): indicators must cover the complete periods just before it.
    public static func evaluate(_ charter: Charter, structure: Structure, places: [Place],
                                indicators: [IndicatorValue], on day: String) -> [CriterionResult] {
        let own = places.filter { $0.structures.contains { $0.structureId == structure.id } }
        return charter.criteria.compactMap { criterion -> CriterionResult? in
            guard criterion.kind == .checkable, let check = criterion.check else { return nil }
            let (passed, detail) = evaluate(check, threshold: criterion.threshold,
                                            recentPeriods: criterion.recentPeriods ?? Criterion.defaultRecentPeriods, day: day,
                                            charter: charter, structure: structure, places: own, indicators: indicators)
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

    static func evaluate(_ check: Criterion.Check, threshold: Double?, recentPeriods: Int, day: String, charter: Charter,
                         structure: Structure, places: [Place], indicators: [IndicatorValue]) -> (Bool, String) {
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
            let own = indicators.filter { subjects.contains($0.subjectId) }
            var missing: [String] = []
            for required in charter.requiredIndicators {
                let reported = own.filter { $0.code == required.code }.compactMap { IndicatorPeriod.months($0.period) }
                let gaps = IndicatorPeriod.recent(recentPeriods, of: required.periodicity, before: day).filter { expected in
                    guard let e = IndicatorPeriod.months(expected) else { return true }
                    // A value for the same period, a coarser one containing it or a finer one inside it covers it.
                    return !reported.contains { $0.lowerBound <= e.upperBound && e.lowerBound <= $0.upperBound }
                }
                if !gaps.isEmpty { missing.append("\(required.code) (\(gaps.joined(separator: ", ")))") }
            }
            let window = recentPeriods == 1 ? "la dernière période échue" : "les \(recentPeriods) dernières périodes échues"
            return missing.isEmpty
                ? (true, "\(charter.requiredIndicators.count) indicateurs déclarés pour \(window) avant le \(day)")
                : (false, "indicateurs manquants pour \(window) avant le \(day) : \(missing.joined(separator: ", "))")
        }
    }
}

/// Indicator periods ("2026", "2026-Q3", "2026-09") as ranges of months, and the complete periods before a day.
public enum IndicatorPeriod {
    /// The months a period covers, counted from year 0 (`year * 12 + month - 1`); nil for a malformed period.
    public static func months(_ period: String) -> ClosedRange<Int>? {
        let parts = period.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, first.count == 4, let year = Int(first) else { return nil }
        if parts.count == 1 { return (year * 12)...(year * 12 + 11) }
        guard parts.count == 2 else { return nil }
        let rest = parts[1]
        if rest.first == "Q", rest.count == 2, let q = Int(rest.dropFirst()), (1...4).contains(q) {
            return (year * 12 + (q - 1) * 3)...(year * 12 + q * 3 - 1)
        }
        guard rest.count == 2, let m = Int(rest), (1...12).contains(m) else { return nil }
        return (year * 12 + m - 1)...(year * 12 + m - 1)
    }

    /// The `count` complete periods of `periodicity` that ended before `day` (YYYY-MM-DD), newest first.
    public static func recent(_ count: Int, of periodicity: IndicatorPeriodicity, before day: String) -> [String] {
        let parts = day.split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]) else { return [] }
        func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return (1...max(count, 1)).map { back in
            switch periodicity {
            case .year:
                return String(year - back)
            case .quarter:
                let index = year * 4 + (month - 1) / 3 - back
                return "\(index / 4)-Q\(index % 4 + 1)"
            case .month:
                let index = year * 12 + month - 1 - back
                return "\(index / 12)-\(pad(index % 12 + 1))"
            }
        }
    }
}
