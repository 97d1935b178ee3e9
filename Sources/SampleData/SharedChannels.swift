import Directory

extension RegionBuilder {
    /// Remote entry points the Région's networks staff together: a free regional "numéro unique" for
    /// orientation (Missions locales, CIO, Information Jeunesse, France Travail) and a CEP chat for employed
    /// people (Transitions Pro, Apec, Cap emploi). Each lists the first structure of each network as contributors.
    func sharedChannels() -> [Channel] {
        func first(_ network: Network) -> String? { structures.filter { $0.network == network }.map(\.id).min() }
        var rng = stream("channels")
        var out: [Channel] = []
        let orientation = [Network.missionLocale, .cio, .informationJeunesse, .franceTravail].compactMap(first)
        if orientation.count >= 2 {
            out.append(Channel(
                id: "\(region.rawValue)-CANAL-01", name: "Numéro unique orientation \(French.de(geo.name))", kind: .telephone,
                address: "0 800 \(rng.int(100...999)) \(rng.int(100...999))", contributors: orientation,
                openingHours: "Mo-Fr 09:00-18:00; Sa 09:00-12:00; PH off", publics: [.tousPublics],
                services: [.informerMetiers, .informerFormations, .accompagnerProjets, .cep1]))
        }
        let cep = [Network.transitionsPro, .apec, .capEmploi].compactMap(first)
        if cep.count >= 2 {
            out.append(Channel(
                id: "\(region.rawValue)-CANAL-02", name: "Tchat conseil en évolution professionnelle \(French.de(geo.name))", kind: .tchat,
                address: "https://cep-\(region.rawValue).example.org/tchat", contributors: cep,
                openingHours: "Mo-Fr 09:00-12:30,13:30-17:00; PH off", publics: [.salaries, .cadres, .personnesHandicapees],
                services: [.cep1, .cep2]))
        }
        return out
    }
}
