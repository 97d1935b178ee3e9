import Directory

/// What places of one network typically look like: publics, services, reception, hours, traffic.
struct NetworkProfile: Sendable {
    /// Short code used in identifiers: "53-ML-0004".
    let code: String
    let basis: BasisOfMembership
    let publics: [Public]
    /// Publics some places add.
    let extraPublics: [Public]
    let services: [Service]
    let extraServices: [Service]
    let modes: [ReceptionMode]
    let extraModes: [ReceptionMode]
    /// Weekly hours of a main site, in OSM syntax.
    let siteHours: [String]
    /// Weekly hours of an antenne (reduced).
    let antenneHours: [String]
    /// Yearly visits of a main site.
    let visits: ClosedRange<Int>
    /// Share of places with wheelchair access.
    let accessibleShare: Double

    static func of(_ network: Network) -> NetworkProfile { profiles[network.rawValue]! }

    private static let officeHours = [
        "Mo-Fr 09:00-12:30,13:30-17:00; PH off",
        "Mo-Th 08:30-12:30,13:30-17:30; Fr 08:30-12:30,13:30-16:30; PH off",
        "Mo-Fr 08:30-12:00,13:30-17:30; PH off",
    ]
    private static let antenneHours = [
        "Tu,Th 09:00-12:00,13:30-17:00; PH off",
        "Mo,We 09:00-12:30,13:30-17:00; PH off",
        "Tu-Th 09:00-12:30,14:00-17:00; PH off",
        "We 09:00-12:00,13:30-17:00; Fr 09:00-12:00; PH off",
    ]
    private static let cep: [Service] = [.cep1, .cep2, .cep3]

    private static let profiles: [String: NetworkProfile] = {
        var p: [String: NetworkProfile] = [:]
        func add(_ n: Network, _ code: String, _ basis: BasisOfMembership, publics: [Public], extraPublics: [Public] = [],
                 services: [Service], extraServices: [Service] = [], modes: [ReceptionMode], extraModes: [ReceptionMode] = [],
                 hours: [String] = officeHours, antenne: [String] = antenneHours, visits: ClosedRange<Int>, accessible: Double = 0.75) {
            p[n.rawValue] = NetworkProfile(
                code: code, basis: basis, publics: publics, extraPublics: extraPublics, services: services,
                extraServices: extraServices, modes: modes, extraModes: extraModes, siteHours: hours,
                antenneHours: antenne, visits: visits, accessibleShare: accessible)
        }
        add(.franceTravail, "FT", .cepOperatorByLaw, publics: [.tousPublics, .demandeursEmploi], extraPublics: [.salaries, .jeunes],
            services: [.aiderEmploi, .accompagnerInsertion, .accompagnerProjets, .prescrireFormations, .informerFormations] + cep,
            extraServices: [.informerMetiers, .creationEntreprise],
            modes: [.surRendezVous, .sansRendezVous, .telephone], extraModes: [.visio],
            hours: ["Mo-We 08:30-16:30; Th 08:30-12:30; Fr 08:30-15:30; PH off",
                    "Mo-Th 08:30-16:30; Fr 08:30-15:30; PH off",
                    "Mo-We,Fr 08:30-16:30; Th 08:30-12:30; PH off",
                    "Mo-Fr 08:30-12:30,13:30-16:30; PH off"],
            visits: 9_000...30_000, accessible: 0.92)
        add(.missionLocale, "ML", .cepOperatorByLaw, publics: [.jeunes, .decrocheurs],
            extraPublics: [.personnesDetenues, .personnesHandicapees],
            services: [.accompagnerInsertion, .aiderEmploi, .accompagnerProjets, .informerMetiers, .informerFormations,
                       .prescrireFormations] + cep,
            modes: [.surRendezVous, .sansRendezVous, .telephone], extraModes: [.visio],
            hours: ["Mo-Fr 09:00-12:00,13:30-17:30; PH off",
                    "Mo-Th 08:30-12:30,13:30-17:30; Fr 08:30-12:30,13:30-16:30; PH off",
                    "Mo 13:30-17:30; Tu-Fr 09:00-12:30,13:30-17:30; PH off"],
            visits: 2_500...9_000)
        add(.cio, "CIO", .stateService, publics: [.scolaires, .etudiants, .tousPublics], extraPublics: [.decrocheurs, .jeunes],
            services: [.accompagnerProjets, .informerMetiers, .informerFormations], extraServices: [.cep1],
            modes: [.sansRendezVous, .surRendezVous, .telephone],
            hours: ["Mo-Fr 09:00-12:30,13:30-17:30; Sa 09:00-12:00; PH off",
                    "Mo-Fr 08:30-12:30,13:30-17:30; PH off",
                    "Mo-Fr 09:00-17:30; We 09:00-12:30; PH off"],
            visits: 1_500...6_000)
        add(.informationJeunesse, "IJ", .regionalCharter, publics: [.jeunes, .scolaires, .etudiants],
            extraPublics: [.tousPublics, .decrocheurs],
            services: [.informerMetiers, .informerFormations], extraServices: [.accompagnerProjets, .cep1],
            modes: [.sansRendezVous, .anonyme], extraModes: [.telephone, .surRendezVous, .visio],
            hours: ["Mo-Fr 10:00-18:00; Sa 10:00-13:00; PH off",
                    "Tu-Fr 13:30-18:00; We 10:00-12:00; PH off",
                    "Mo-Fr 09:30-12:30,13:30-18:00; PH off"],
            antenne: ["We 14:00-18:00; Sa 10:00-12:00",
                      "Tu,Th 16:00-18:30; We 13:30-17:30",
                      "Mo-Fr 14:00-18:00; PH off",
                      "We 10:00-12:00,14:00-18:00; Fr 16:00-18:00; PH off",
                      "Tu-Fr 13:30-17:30; PH off"],
            visits: 400...3_000, accessible: 0.7)
        add(.capEmploi, "CAP", .cepOperatorByLaw, publics: [.personnesHandicapees], extraPublics: [.demandeursEmploi, .salaries],
            services: [.aiderEmploi, .accompagnerInsertion, .accompagnerProjets, .prescrireFormations] + cep,
            modes: [.surRendezVous, .telephone], extraModes: [.visio, .sansRendezVous],
            visits: 1_500...5_000, accessible: 1.0)
        add(.apec, "APEC", .cepOperatorByLaw, publics: [.cadres], extraPublics: [.etudiants, .salaries],
            services: [.accompagnerProjets, .aiderEmploi] + cep, extraServices: [.informerMetiers],
            modes: [.surRendezVous, .visio, .telephone],
            hours: ["Mo-Fr 09:00-12:30,14:00-17:30; PH off", "Mo-Fr 09:00-18:00; PH off"],
            visits: 2_000...8_000, accessible: 0.95)
        add(.transitionsPro, "TP", .cepOperatorByLaw, publics: [.salaries], extraPublics: [.cadres],
            services: [.accompagnerProjets, .informerFormations] + cep, extraServices: [.bilanCompetences, .vae],
            modes: [.surRendezVous, .telephone, .visio],
            visits: 800...4_000, accessible: 0.9)
        add(.cidff, "CIDFF", .regionalCharter, publics: [.femmes], extraPublics: [.tousPublics, .demandeursEmploi],
            services: [.accompagnerInsertion, .aiderEmploi], extraServices: [.accompagnerProjets, .informerFormations, .creationEntreprise],
            modes: [.surRendezVous, .sansRendezVous, .anonyme], extraModes: [.telephone],
            hours: ["Mo-Th 09:00-12:30,13:30-17:30; Fr 09:00-12:30; PH off", "Mo-Fr 09:00-12:30,14:00-17:00; PH off"],
            visits: 800...4_000, accessible: 0.7)
        add(.citeDesMetiers, "CDM", .regionalCharter, publics: [.tousPublics], extraPublics: [.jeunes, .salaries, .demandeursEmploi],
            services: [.informerMetiers, .informerFormations, .accompagnerProjets, .cep1], extraServices: [.creationEntreprise, .vae],
            modes: [.sansRendezVous, .anonyme], extraModes: [.surRendezVous],
            hours: ["Tu-Fr 10:00-18:00; Sa 10:00-17:00; PH off", "Mo-Fr 09:30-17:30; PH off", "Tu-Sa 10:00-18:00; PH off"],
            visits: 8_000...40_000, accessible: 1.0)
        add(.mife, "MIFE", .regionalCharter, publics: [.tousPublics, .salaries, .demandeursEmploi],
            services: [.informerMetiers, .informerFormations, .accompagnerProjets], extraServices: [.bilanCompetences, .vae, .cep1],
            modes: [.sansRendezVous, .surRendezVous], extraModes: [.telephone],
            visits: 1_000...5_000)
        add(.maisonEmploi, "ME", .regionalCharter, publics: [.tousPublics, .demandeursEmploi], extraPublics: [.salaries, .createurs],
            services: [.aiderEmploi, .informerMetiers, .accompagnerInsertion], extraServices: [.creationEntreprise, .informerFormations],
            modes: [.sansRendezVous, .surRendezVous], extraModes: [.telephone],
            visits: 2_000...9_000)
        add(.plie, "PLIE", .regionalCharter, publics: [.demandeursEmploi], extraPublics: [.tousPublics],
            services: [.accompagnerInsertion, .aiderEmploi], extraServices: [.prescrireFormations],
            modes: [.surRendezVous], extraModes: [.telephone],
            visits: 300...1_500)
        add(.cibc, "CIBC", .regionalCharter, publics: [.salaries, .demandeursEmploi], extraPublics: [.cadres],
            services: [.bilanCompetences, .vae, .accompagnerProjets], extraServices: [.informerFormations],
            modes: [.surRendezVous], extraModes: [.visio, .telephone],
            visits: 300...1_500)
        add(.cci, "CCI", .chambreConsulaire, publics: [.createurs], extraPublics: [.salaries, .jeunes],
            services: [.creationEntreprise, .informerFormations], extraServices: [.informerMetiers],
            modes: [.surRendezVous, .sansRendezVous], extraModes: [.telephone],
            visits: 1_000...6_000, accessible: 0.9)
        add(.cma, "CMA", .chambreConsulaire, publics: [.createurs, .jeunes], extraPublics: [.salaries],
            services: [.creationEntreprise, .informerMetiers, .informerFormations],
            modes: [.surRendezVous, .sansRendezVous], extraModes: [.telephone],
            visits: 800...5_000, accessible: 0.85)
        add(.chambreAgriculture, "CA", .chambreConsulaire, publics: [.createurs], extraPublics: [.tousPublics, .salaries],
            services: [.creationEntreprise, .informerMetiers], extraServices: [.informerFormations],
            modes: [.surRendezVous], extraModes: [.telephone, .sansRendezVous],
            visits: 400...2_500, accessible: 0.8)
        add(.scuio, "SCUIO", .stateService, publics: [.etudiants], extraPublics: [.scolaires],
            services: [.informerFormations, .informerMetiers, .accompagnerProjets], extraServices: [.aiderEmploi],
            modes: [.sansRendezVous, .surRendezVous], extraModes: [.visio],
            hours: ["Mo-Fr 09:00-12:30,13:30-17:00; PH off", "Mo-Fr 09:00-17:00; PH off"],
            visits: 2_000...10_000, accessible: 0.95)
        add(.afpa, "AFPA", .regionalCharter, publics: [.demandeursEmploi, .salaries],
            services: [.informerFormations, .informerMetiers], extraServices: [.accompagnerProjets, .vae],
            modes: [.surRendezVous, .sansRendezVous],
            hours: ["Mo-Fr 08:30-12:00,13:00-16:30; PH off", "Mo-Th 08:00-12:00,13:00-17:00; Fr 08:00-12:00; PH off"],
            visits: 800...4_000, accessible: 0.85)
        add(.e2c, "E2C", .regionalCharter, publics: [.jeunes, .decrocheurs],
            services: [.accompagnerInsertion, .accompagnerProjets, .aiderEmploi],
            modes: [.surRendezVous, .sansRendezVous],
            hours: ["Mo-Fr 08:30-12:30,13:30-17:00; PH off"],
            visits: 200...900)
        add(.epide, "EPIDE", .regionalCharter, publics: [.jeunes, .decrocheurs],
            services: [.accompagnerInsertion, .aiderEmploi],
            modes: [.surRendezVous], extraModes: [.telephone],
            hours: ["Mo-Fr 08:30-12:00,13:30-17:00; PH off"],
            visits: 150...600)
        add(.prcVAE, "VAE", .prcVAE, publics: [.tousPublics, .salaries, .demandeursEmploi],
            services: [.vae, .informerFormations], extraServices: [.accompagnerProjets],
            modes: [.surRendezVous, .telephone], extraModes: [.sansRendezVous, .visio],
            antenne: ["Tu 09:00-12:00,14:00-17:00; Th 14:00-17:00", "Mo,Th 09:00-12:30; PH off", "We 09:00-12:00,13:30-17:00; PH off"],
            visits: 150...900)
        add(.other, "AUT", .regionalCharter, publics: [.tousPublics], extraPublics: [.demandeursEmploi, .jeunes],
            services: [.informerMetiers, .informerFormations], extraServices: [.cep1, .aiderEmploi, .accompagnerInsertion],
            modes: [.sansRendezVous], extraModes: [.surRendezVous, .telephone, .visio],
            hours: ["Mo-Fr 09:00-12:00,13:30-17:00; PH off", "Mo-Th 08:30-12:00,13:30-17:30; Fr 08:30-12:00; PH off",
                    "Tu-Fr 09:00-12:30,14:00-17:30; Sa 09:00-12:00; PH off"],
            visits: 800...5_000)
        return p
    }()
}

/// Hours for a part-time permanence: a half-day or two.
enum PermanenceHours {
    static let halfDays = [
        "Mo 09:00-12:00", "Mo 13:30-17:00", "Tu 09:00-12:00", "Tu 14:00-17:00", "We 09:00-12:00", "We 13:30-16:30",
        "Th 09:00-12:00", "Th 14:00-17:00", "Fr 09:00-12:00", "Fr 13:30-16:30",
    ]

    static func pick(_ rng: inout SeededRandom) -> String {
        let first = rng.int(0...(halfDays.count - 1))
        guard rng.chance(0.25) else { return halfDays[first] }
        let second = (first + 4 + 2 * rng.int(0...2)) % halfDays.count  // another weekday
        let (a, b) = first < second ? (first, second) : (second, first)
        return halfDays[a] + "; " + halfDays[b]
    }
}

/// Weekly hours of an OSM `opening_hours` value, for the rule forms the generator writes and the
/// town-hall hours use ("Mo-We,Fr 08:30-12:00,13:30-17:00; PH off"). Nil if it cannot tell.
enum WeeklyHours {
    static let days = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]

    static func of(_ hours: String) -> Double? {
        var total = 0.0
        for rule in hours.split(separator: ";") {
            let parts = rule.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2 else { continue }
            if parts[1] == "off" { continue }
            var dayCount = 0
            for item in parts[0].split(separator: ",") {
                let range = item.split(separator: "-")
                guard let a = days.firstIndex(of: String(range[0])) else { return nil }
                let b = range.count == 2 ? days.firstIndex(of: String(range[1])) : a
                guard let b, b >= a else { return nil }
                dayCount += b - a + 1
            }
            var perDay = 0.0
            for span in parts[1].split(separator: ",") {
                let ends = span.split(separator: "-")
                guard ends.count == 2, let o = minutes(ends[0]), let c = minutes(ends[1]), c > o else { return nil }
                perDay += Double(c - o) / 60
            }
            total += perDay * Double(dayCount)
        }
        return total
    }

    private static func minutes(_ s: Substring) -> Int? {
        let hm = s.split(separator: ":")
        guard hm.count == 2, let h = Int(hm[0]), let m = Int(hm[1]) else { return nil }
        return h * 60 + m
    }
}
