/// Words for plausible French addresses and place names.
enum Streets {
    static let urban = [
        "rue de la République", "avenue Jean Jaurès", "rue Victor Hugo", "boulevard Gambetta", "rue Pasteur",
        "rue du Général de Gaulle", "rue de la Gare", "avenue de la Libération", "rue Jean Moulin", "rue Émile Zola",
        "boulevard de la Liberté", "rue du Maréchal Foch", "avenue Aristide Briand", "rue Nationale", "rue de Paris",
        "rue de Verdun", "rue Carnot", "avenue du Président Wilson", "rue Voltaire", "rue Lamartine", "rue des Écoles",
        "rue du 8 Mai 1945", "rue Anatole France", "allée des Tilleuls", "rue Paul Bert", "rue Jules Ferry",
        "avenue Charles de Gaulle", "rue Saint-Michel", "rue de l'Hôtel de Ville", "cours Clemenceau", "rue Condorcet",
        "rue Louise Michel", "rue Simone Veil", "avenue Pierre Mendès France", "rue Marcel Pagnol", "rue du Château",
        "rue de la Paix", "boulevard Jean Jaurès", "rue Gambetta", "rue des Lilas", "rue du Moulin", "rue de l'Église",
        "avenue de la République", "rue Jean Macé", "rue Albert Camus", "rue Jeanne d'Arc", "quai des Bateliers",
        "rue Aimé Césaire", "rue de Strasbourg", "avenue de Bretagne", "rue du Commerce", "place Aristide Briand",
    ]
    static let squares = [
        "Place de la Mairie", "Place de l'Église", "Place du Général de Gaulle", "Place de la Libération",
        "Place Jean Jaurès", "Place de l'Hôtel de Ville", "Place du Marché", "Place de la République",
    ]
    static let parks = [
        "ZA des Landes", "ZI du Vern", "ZA de la Gare", "ZAC du Moulin", "Parc d'activités de la Lande",
        "Zone artisanale des Prés", "Parc tertiaire du Golf", "ZI Nord", "Technopôle", "ZAC des Portes de l'Europe",
        "Parc d'activités des Pins", "ZA du Bois Joli",
    ]
    static let bretonParks = ["ZA de Kerbois", "ZI de Kergaradec", "ZA de Kerfontaine", "Parc d'activités de Kerlann"]
    static let businessStreets = [
        "rue de l'Industrie", "rue des Artisans", "rue Ampère", "allée Denis Papin", "rue Gutenberg",
        "avenue des Entreprises", "rue Blaise Pascal", "rue Marie Curie", "rue Thomas Edison", "rue du Commerce",
    ]
    static let buildings = [
        "Maison des services", "Espace Jeunesse", "Centre d'affaires", "Immeuble Le Forum", "Bâtiment B", "2e étage",
        "Maison des associations", "Hôtel d'entreprises", "Espace social et culturel", "Résidence Les Glycines",
        "Centre commercial Les Arcades", "Pôle social",
    ]
    static let quarters = [
        "Centre", "Nord", "Sud", "Est", "Ouest", "Gare", "Europe", "République", "Bellevue", "Saint-Jean", "Le Port",
        "Les Coteaux", "Jean Jaurès", "Pasteur", "La Roseraie", "Les Provinces", "Hôtel de Ville", "Université", "Le Lac",
        "Les Halles", "Saint-Martin", "Les Rives", "La Plaine", "Les Grands Champs", "Croix-Rouge", "Les Tilleuls",
    ]
    /// Hamlets for the handful of deliberately unresolvable addresses.
    static let hamlets = ["Le Grand Ailleurs", "Les Quatre Routes Perdues", "Nulle-Part-sur-Mer", "Le Val Sans Nom"]
}
