import Directory
import Foundation
import OpenData
import Testing

/// The data·inclusion release against the schema's own models (PyPI `data-inclusion-schema`, installed by
/// `tools/setup --tests`), and the values our vocabularies map to.
@Suite struct DataInclusionReleaseTests {
    @Test func everyStructureAndServiceValidatesWithTheOfficialModels() throws {
        let release = try ReleaseOnDisk(DataInclusionRelease.files(OpenDataFixture.set()))
        defer { release.remove() }
        let run = try ReleaseOnDisk.validate("data_inclusion_validate.py", [release.folder.appendingPathComponent("data-inclusion").path])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.hasPrefix("data-inclusion-schema 1."), "\(run.output)")
    }

    @Test func theValidatorRefusesARecordTheSchemaRefuses() throws {
        var files = try DataInclusionRelease.files(OpenDataFixture.set())
        let index = try #require(files.firstIndex { $0.name == "data-inclusion/services.json" })
        var services = try #require(try JSONSerialization.jsonObject(with: files[index].bytes) as? [[String: Any]])
        services[1]["modes_accueil"] = ["au-guichet"]
        files[index].bytes = try JSONSerialization.data(withJSONObject: services)
        let release = try ReleaseOnDisk(files)
        defer { release.remove() }
        let run = try ReleaseOnDisk.validate("data_inclusion_validate.py", [release.folder.appendingPathComponent("data-inclusion").path])
        #expect(run.status != 0)
        #expect(run.output.contains("services.json[1]"), "\(run.output)")
    }

    @Test func structuresCarryTheirReseauSiretAndProvenance() throws {
        let release = try ReleaseOnDisk(DataInclusionRelease.files(OpenDataFixture.set()))
        defer { release.remove() }
        let structures = try Dictionary(uniqueKeysWithValues: release.records("data-inclusion/structures.json").map { ($0["id"] as? String ?? "", $0) })
        let ml = try #require(structures["spro--siret:\(OpenDataFixture.missionLocale.siret!.rawValue)"])
        #expect(ml["reseaux_porteurs"] as? [String] == ["mission-locale"])
        #expect(ml["source"] as? String == "spro")
        #expect(ml["date_maj"] as? String == "2026-03-15")
        #expect(ml["siret"] as? String == OpenDataFixture.missionLocale.siret!.rawValue)
        // Its address is that of the place it hosts first.
        #expect(ml["adresse"] as? String == "12 rue de Siam")
        #expect(ml["complement_adresse"] as? String == "Maison de l'emploi")
        #expect((ml["description"] as? String)?.contains("Région Bretagne") == true)
        let cio = try #require(structures["spro--53/53-CIO-0001"])
        #expect(cio["siret"] == nil)
        #expect(cio["reseaux_porteurs"] == nil)
        let ft = try #require(structures["spro--siret:\(OpenDataFixture.franceTravail.siret!.rawValue)"])
        #expect(ft["reseaux_porteurs"] as? [String] == ["france-travail"])
        #expect((ft["description"] as? String)?.contains("Région Pays de la Loire") == true)
    }

    @Test func servicesMapThematiquesPublicsModesAndHours() throws {
        let release = try ReleaseOnDisk(DataInclusionRelease.files(OpenDataFixture.set()))
        defer { release.remove() }
        let services = try release.records("data-inclusion/services.json")
        let byId = Dictionary(uniqueKeysWithValues: services.map { ($0["id"] as? String ?? "", $0) })
        let siret = OpenDataFixture.missionLocale.siret!.rawValue
        let formations = try #require(byId["spro--53/53-LIEU-0001--siret:\(siret)--informer_formations"])
        #expect(formations["thematiques"] as? [String] == ["se-former--trouver-sa-formation"])
        #expect(formations["type"] as? String == "information")
        #expect(formations["publics"] as? [String] == ["jeunes"])
        #expect(formations["publics_precisions"] as? String == "Jeunes 16-25 ans, Scolaires")
        #expect(formations["modes_accueil"] as? [String] == ["en-presentiel"])
        #expect(formations["modes_mobilisation"] as? [String] == ["se-presenter", "telephoner"])
        #expect(formations["frais"] as? String == "gratuit")
        #expect(formations["horaires_accueil"] as? String == OpenDataFixture.lunchBreakHours)
        #expect(formations["telephone"] as? String == "+33298000002")
        // The later of the place's and the structure's changes.
        #expect(formations["date_maj"] as? String == "2026-03-15")
        // The lieu mutualisé: the CIO offers the place's services too.
        #expect(byId["spro--53/53-LIEU-0001--53/53-CIO-0001--cep_niveau_1"] != nil)
        // A place that lists no service still appears, as "Accueil et information".
        let accueil = try #require(byId["spro--53/53-LIEU-0002--siret:\(siret)--accueil"])
        #expect(accueil["nom"] as? String == "Accueil et information")
        #expect(accueil["latitude"] == nil)
        let agence = try #require(byId["spro--52/52-LIEU-0001--siret:\(OpenDataFixture.franceTravail.siret!.rawValue)--aider_emploi"])
        #expect(agence["publics"] as? [String] == ["tous-publics"])
        #expect(agence["modes_accueil"] as? [String] == ["a-distance", "en-presentiel"])
        let line = try #require(byId["spro--53/53-CANAL-1"])
        #expect(line["modes_accueil"] as? [String] == ["a-distance"])
        #expect(line["telephone"] as? String == "+33800000000")
        // Two structures × three services, an accueil, two services, the phone line.
        let expected = 10
        #expect(services.count == expected)
    }

    @Test func everyServiceOfAPlaceHasThePlacesPosition() throws {
        let set = try OpenDataFixture.set()
        let release = try ReleaseOnDisk(DataInclusionRelease.files(set))
        defer { release.remove() }
        let services = try release.records("data-inclusion/services.json")
        for p in set.places {
            let prefix = "spro--\(p.region.rawValue)/\(p.place.id)--"
            let own = services.filter { ($0["id"] as? String)?.hasPrefix(prefix) == true }
            #expect(!own.isEmpty, "\(p.place.id) has no service")
            for s in own {
                #expect(s["latitude"] as? Double == p.location.position?.lat, "\(p.place.id)")
                #expect(s["longitude"] as? Double == p.location.position?.lon, "\(p.place.id)")
                #expect(s["code_postal"] as? String == p.place.address.postcode.rawValue)
            }
        }
    }
}
