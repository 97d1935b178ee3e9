extension Network {
    /// What a structure of the network does for the public, in one French sentence, for the place pages.
    public var mission: String {
        switch self {
        case .cio: "Informe et conseille sur les études, les formations et les métiers, surtout les élèves, les étudiants et leurs familles."
        case .missionLocale: "Accompagne les jeunes de 16 à 25 ans vers l'emploi, la formation et l'autonomie (logement, santé, mobilité)."
        case .franceTravail: "Accompagne les demandeurs d'emploi, indemnise, et aide à trouver un emploi ou une formation."
        case .capEmploi: "Accompagne vers l'emploi les personnes handicapées et les salariés dont le handicap menace l'emploi."
        case .apec: "Conseille les cadres et les jeunes diplômés sur leur évolution professionnelle."
        case .transitionsPro: "Finance et accompagne les reconversions des salariés (projet de transition professionnelle)."
        case .informationJeunesse: "Informe les jeunes sur les études, les métiers, l'emploi, le logement et la vie quotidienne."
        case .cidff: "Informe les femmes et les familles sur leurs droits, et accompagne vers l'emploi et la formation."
        case .citeDesMetiers: "Accueille tous les publics pour s'informer sur les métiers, se former, changer de voie ou créer une activité."
        case .mife: "Informe tous les publics sur la formation et l'emploi, et accompagne les projets professionnels."
        case .maisonEmploi: "Réunit les acteurs locaux de l'emploi et oriente vers le bon service."
        case .plie: "Accompagne vers l'emploi les personnes qui en sont éloignées, dans un parcours individuel."
        case .cibc: "Réalise des bilans de compétences et accompagne la validation des acquis de l'expérience."
        case .cci: "Informe sur les métiers du commerce, de l'industrie et des services, l'apprentissage et la création d'entreprise."
        case .cma: "Informe sur les métiers de l'artisanat, l'apprentissage et la création ou la reprise d'entreprise artisanale."
        case .chambreAgriculture: "Informe sur les métiers et les formations agricoles, et l'installation en agriculture."
        case .scuio: "Informe et oriente les étudiants, et les aide à construire leur parcours et leur insertion."
        case .afpa: "Forme les adultes aux métiers et les accompagne dans leur projet professionnel."
        case .e2c: "Forme et accompagne vers l'emploi les jeunes sortis du système scolaire sans diplôme."
        case .epide: "Accompagne vers l'emploi des jeunes sans diplôme, en internat, avec un parcours de formation."
        case .prcVAE: "Informe et conseille sur la validation des acquis de l'expérience (VAE)."
        case .other: "Structure participant au service public régional de l'orientation."
        }
    }
}
