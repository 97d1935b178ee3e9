/// A closed vocabulary whose raw values are stable identifiers used in exports and the API,
/// each with the French label the public reads.
public protocol Vocabulary: RawRepresentable, CaseIterable, Codable, Hashable, Sendable, Comparable
where RawValue == String, AllCases == [Self] {
    /// French label shown to users.
    var label: String { get }
}

extension Vocabulary {
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Parses a raw value, or throws a `CodeError` listing the accepted values.
    public static func parse(_ raw: String, kind: String) throws(CodeError) -> Self {
        guard let v = Self(rawValue: raw) else {
            throw CodeError(kind: kind, value: raw,
                            rule: "valeur inconnue ; valeurs possibles : " + allCases.map(\.rawValue).joined(separator: ", "))
        }
        return v
    }
}

/// The national networks whose structures take part in the SPRO.
public enum Network: String, Vocabulary {
    case cio, missionLocale = "mission_locale", franceTravail = "france_travail", capEmploi = "cap_emploi"
    case apec, transitionsPro = "transitions_pro", informationJeunesse = "information_jeunesse", cidff
    case citeDesMetiers = "cite_des_metiers", mife, maisonEmploi = "maison_emploi", plie, cibc
    case cci, cma, chambreAgriculture = "chambre_agriculture", scuio, afpa, e2c, epide
    case prcVAE = "prc_vae", other

    public var label: String {
        switch self {
        case .cio: "Centre d'information et d'orientation (CIO)"
        case .missionLocale: "Mission locale"
        case .franceTravail: "France Travail"
        case .capEmploi: "Cap emploi"
        case .apec: "Apec"
        case .transitionsPro: "Transitions Pro"
        case .informationJeunesse: "Information Jeunesse"
        case .cidff: "CIDFF"
        case .citeDesMetiers: "Cité des métiers"
        case .mife: "MIFE"
        case .maisonEmploi: "Maison de l'emploi"
        case .plie: "PLIE"
        case .cibc: "CIBC"
        case .cci: "Chambre de commerce et d'industrie"
        case .cma: "Chambre de métiers et de l'artisanat"
        case .chambreAgriculture: "Chambre d'agriculture"
        case .scuio: "SCUIO (université)"
        case .afpa: "Afpa"
        case .e2c: "École de la deuxième chance"
        case .epide: "EPIDE"
        case .prcVAE: "Point relais conseil VAE"
        case .other: "Autre structure"
        }
    }

    /// Chambres consulaires take part in the SPRO by law (L6111-3).
    public var isChambreConsulaire: Bool { self == .cci || self == .cma || self == .chambreAgriculture }
}

/// On what ground a structure belongs to the SPRO.
public enum BasisOfMembership: String, Vocabulary {
    /// National CEP operator designated by law (L6111-6): France Travail, Missions locales, Cap emploi, Apec, Transitions Pro.
    case cepOperatorByLaw = "cep_operator_by_law"
    /// CEP operator designated by the Région after CREFOP consultation.
    case regionalCEPOperator = "regional_cep_operator"
    /// Chambre consulaire (CCI, CMA, chambre d'agriculture), by law.
    case chambreConsulaire = "chambre_consulaire"
    /// Recognised under the regional cahier des charges (L6111-5).
    case regionalCharter = "regional_charter"
    /// State service: CIO, university SCUIO.
    case stateService = "state_service"
    /// Point relais conseil VAE.
    case prcVAE = "prc_vae"

    public var label: String {
        switch self {
        case .cepOperatorByLaw: "Opérateur du CEP désigné par la loi"
        case .regionalCEPOperator: "Opérateur régional du CEP"
        case .chambreConsulaire: "Chambre consulaire"
        case .regionalCharter: "Référencé au titre du cahier des charges régional"
        case .stateService: "Service de l'État"
        case .prcVAE: "Point relais conseil VAE"
        }
    }

    /// Whether the basis comes from the law, with no charter review.
    public var isByLaw: Bool { self != .regionalCharter }
}

/// The publics a place receives.
public enum Public: String, Vocabulary {
    case tousPublics = "tous_publics", jeunes = "jeunes_16_25", scolaires, etudiants
    case demandeursEmploi = "demandeurs_emploi", salaries, cadres
    case personnesHandicapees = "personnes_handicapees", femmes, createurs = "createurs_repreneurs"
    case personnesDetenues = "personnes_detenues", decrocheurs

    public var label: String {
        switch self {
        case .tousPublics: "Tous publics"
        case .jeunes: "Jeunes 16-25 ans"
        case .scolaires: "Scolaires"
        case .etudiants: "Étudiants"
        case .demandeursEmploi: "Demandeurs d'emploi"
        case .salaries: "Salariés"
        case .cadres: "Cadres"
        case .personnesHandicapees: "Personnes handicapées"
        case .femmes: "Femmes"
        case .createurs: "Créateurs et repreneurs d'entreprise"
        case .personnesDetenues: "Personnes détenues"
        case .decrocheurs: "Décrocheurs"
        }
    }
}

/// What a place offers: the six AIO missions, the CEP levels, and specialised services.
public enum Service: String, Vocabulary {
    case accompagnerProjets = "accompagner_projets"
    case accompagnerInsertion = "accompagner_insertion"
    case aiderEmploi = "aider_emploi"
    case informerMetiers = "informer_metiers"
    case informerFormations = "informer_formations"
    case prescrireFormations = "prescrire_formations"
    case cep1 = "cep_niveau_1", cep2 = "cep_niveau_2", cep3 = "cep_niveau_3"
    case vae, bilanCompetences = "bilan_competences", creationEntreprise = "creation_entreprise"

    public var label: String {
        switch self {
        case .accompagnerProjets: "Accompagner les parcours et projets professionnels"
        case .accompagnerInsertion: "Accompagner l'insertion sociale et professionnelle"
        case .aiderEmploi: "Aider à (re)trouver un emploi"
        case .informerMetiers: "Informer sur les métiers"
        case .informerFormations: "Informer sur les formations"
        case .prescrireFormations: "Prescrire des formations"
        case .cep1: "CEP niveau 1 : accueil individualisé"
        case .cep2: "CEP niveau 2 : conseil personnalisé"
        case .cep3: "CEP niveau 3 : accompagnement à la mise en œuvre"
        case .vae: "Validation des acquis de l'expérience (VAE)"
        case .bilanCompetences: "Bilan de compétences"
        case .creationEntreprise: "Création et reprise d'entreprise"
        }
    }

    /// The six fundamental missions of AIO networks.
    public static let aioMissions: [Service] = [
        .accompagnerProjets, .accompagnerInsertion, .aiderEmploi,
        .informerMetiers, .informerFormations, .prescrireFormations,
    ]

    /// The CEP level this service stands for, if any.
    public var cepLevel: Int? {
        switch self {
        case .cep1: 1
        case .cep2: 2
        case .cep3: 3
        default: nil
        }
    }
}

/// How a place receives people.
public enum ReceptionMode: String, Vocabulary {
    case sansRendezVous = "sans_rendez_vous", surRendezVous = "sur_rendez_vous"
    case anonyme, telephone, visio

    public var label: String {
        switch self {
        case .sansRendezVous: "Sans rendez-vous"
        case .surRendezVous: "Sur rendez-vous"
        case .anonyme: "Anonyme"
        case .telephone: "Par téléphone"
        case .visio: "En visioconférence"
        }
    }
}

/// What kind of point d'accueil a place is.
public enum PlaceKind: String, Vocabulary {
    /// A permanent site of a structure.
    case site
    /// A secondary office open part of the week.
    case antenne
    /// A part-time permanence held in someone else's premises (often a town hall).
    case permanence

    public var label: String {
        switch self {
        case .site: "Site"
        case .antenne: "Antenne"
        case .permanence: "Permanence"
        }
    }
}

/// The public state of a structure's referencing (see the referencing workflow).
public enum ReferencingState: String, Vocabulary {
    case applied, underReview = "under_review", referenced, rejected, suspended, withdrawn, expired

    public var label: String {
        switch self {
        case .applied: "Candidature déposée"
        case .underReview: "En cours d'instruction"
        case .referenced: "Référencé"
        case .rejected: "Refusé"
        case .suspended: "Suspendu"
        case .withdrawn: "Retiré"
        case .expired: "Expiré"
        }
    }
}
