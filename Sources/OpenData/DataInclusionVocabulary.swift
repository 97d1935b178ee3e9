import Directory

/// Our vocabularies in the data·inclusion schema's (version 1, PyPI `data-inclusion-schema` 1.0.x):
/// réseaux porteurs, thématiques, types de service, publics, modes d'accueil and de mobilisation, frais.
/// Where theirs has no equivalent the value is left out; docs/open-data.md lists what is lost.
enum DataInclusionVocabulary {
    /// The réseau porteur of a network; nil where data·inclusion lists none (CIO, Apec, Transitions Pro,
    /// Cité des métiers, MIFE, CIBC, SCUIO, PRC VAE, other structures).
    static func reseauPorteur(_ network: Network) -> String? {
        switch network {
        case .missionLocale: "mission-locale"
        case .franceTravail: "france-travail"
        case .capEmploi: "cap-emploi-reseau-cheops"
        case .informationJeunesse: "reseau-information-jeunesse"
        case .cidff: "cidff"
        case .maisonEmploi: "maisons-de-l-emploi"
        case .plie: "plie"
        case .cci, .cma, .chambreAgriculture: "chambres-consulaires"
        case .afpa: "afpa"
        case .e2c: "ecoles-de-la-deuxieme-chance"
        case .epide: "epide"
        case .cio, .apec, .transitionsPro, .citeDesMetiers, .mife, .cibc, .scuio, .prcVAE, .other: nil
        }
    }

    /// The thématiques a service addresses (their two-level codes, "catégorie--thématique").
    static func thematiques(_ service: Service) -> [String] {
        switch service {
        case .accompagnerProjets:
            ["choisir-un-metier--confirmer-son-choix-de-metier", "choisir-un-metier--identifier-ses-points-forts-et-ses-competences"]
        case .accompagnerInsertion:
            ["preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi", "remobilisation--bien-etre-confiance-en-soi"]
        case .aiderEmploi:
            ["preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation", "trouver-un-emploi--faire-des-candidatures-spontanees",
             "trouver-un-emploi--repondre-a-des-offres-demploi"]
        case .informerMetiers:
            ["choisir-un-metier--connaitre-les-opportunites-demploi", "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite"]
        case .informerFormations: ["se-former--trouver-sa-formation"]
        case .prescrireFormations: ["se-former--monter-son-dossier-de-formation"]
        case .cep1: ["choisir-un-metier--connaitre-les-opportunites-demploi", "se-former--trouver-sa-formation"]
        case .cep2: ["choisir-un-metier--confirmer-son-choix-de-metier", "choisir-un-metier--identifier-ses-points-forts-et-ses-competences"]
        case .cep3: ["se-former--monter-son-dossier-de-formation", "choisir-un-metier--confirmer-son-choix-de-metier"]
        case .vae: ["se-former--monter-son-dossier-de-formation"]
        case .bilanCompetences: ["choisir-un-metier--identifier-ses-points-forts-et-ses-competences"]
        case .creationEntreprise:
            ["creer-une-entreprise--definir-son-projet-de-creation-dentreprise",
             "creer-une-entreprise--structurer-son-projet-de-creation-dentreprise"]
        }
    }

    /// The type of service: information for the first level, accompagnement for the rest.
    static func type(_ service: Service) -> String {
        switch service {
        case .informerMetiers, .informerFormations, .cep1: "information"
        default: "accompagnement"
        }
    }

    /// The publics, as a set: `tous-publics` alone when the place receives everyone (their rule); nil
    /// when none maps (créateurs et repreneurs). Scolaires and décrocheurs become `jeunes`, salariés and
    /// cadres `actifs`, personnes détenues `personnes-en-situation-juridique-specifique`.
    static func publics(_ publics: [Public]) -> [String]? {
        if publics.contains(.tousPublics) { return ["tous-publics"] }
        let mapped = Set(publics.compactMap { p -> String? in
            switch p {
            case .tousPublics: "tous-publics"
            case .jeunes, .scolaires, .decrocheurs: "jeunes"
            case .etudiants: "etudiants"
            case .demandeursEmploi: "demandeurs-emploi"
            case .salaries, .cadres: "actifs"
            case .personnesHandicapees: "personnes-en-situation-de-handicap"
            case .femmes: "femmes"
            case .personnesDetenues: "personnes-en-situation-juridique-specifique"
            case .createurs: nil
            }
        })
        return mapped.isEmpty ? nil : mapped.sorted()
    }

    /// Modes d'accueil: on site (with or without appointment, anonymously) or at a distance (phone, video).
    /// A place that declares none receives on site.
    static func modesAccueil(_ modes: [ReceptionMode]) -> [String] {
        let mapped = Set(modes.map { m in
            switch m {
            case .sansRendezVous, .surRendezVous, .anonyme: "en-presentiel"
            case .telephone, .visio: "a-distance"
            }
        })
        return mapped.isEmpty ? ["en-presentiel"] : mapped.sorted()
    }

    /// How the public takes up the service: walking in (`sans_rendez_vous`), calling the number given.
    static func modesMobilisation(_ modes: [ReceptionMode], hasPhone: Bool) -> [String]? {
        var out: Set<String> = []
        if modes.contains(.sansRendezVous) || modes.contains(.anonyme) { out.insert("se-presenter") }
        if hasPhone && (modes.contains(.surRendezVous) || modes.contains(.telephone)) { out.insert("telephoner") }
        return out.isEmpty ? nil : out.sorted()
    }

    /// Frais: gratuit or payant; nil when the place did not say.
    static func frais(_ freeOfCharge: Bool?) -> String? {
        freeOfCharge.map { $0 ? "gratuit" : "payant" }
    }
}
