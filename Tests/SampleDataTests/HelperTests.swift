@testable import SampleData
import Testing

@Suite("Sample generator: helpers")
struct HelperTests {
    @Test("French prepositions and département articles")
    func prepositions() {
        #expect(French.de("Brest") == "de Brest")
        #expect(French.de("Angers") == "d'Angers")
        #expect(French.de("Le Mans") == "du Mans")
        #expect(French.de("Les Sables-d'Olonne") == "des Sables-d'Olonne")
        #expect(French.de("La Rochelle") == "de La Rochelle")
        #expect(French.departement("Finistère") == "du Finistère")
        #expect(French.departement("Gironde") == "de la Gironde")
        #expect(French.departement("Côtes-d'Armor") == "des Côtes-d'Armor")
        #expect(French.departement("Ain") == "de l'Ain")
        #expect(French.departement("Ille-et-Vilaine") == "d'Ille-et-Vilaine")
        #expect(French.departement("Saône-et-Loire") == "de la Saône-et-Loire")
        #expect(French.departement("La Réunion") == "de La Réunion")
    }

    @Test("La Poste spelling, slugs and short names")
    func spellings() {
        #expect(French.laPoste("Saint-Brieuc") == "ST BRIEUC")
        #expect(French.laPoste("L'Abergement-Clémenciat") == "L ABERGEMENT CLEMENCIAT")
        #expect(French.laPoste("Sainte-Œuvre") == "STE OEUVRE")
        #expect(French.slug("Pays de Brest — Léon") == "pays-de-brest-leon")
        #expect(French.shortName("Paris 15e Arrondissement") == "Paris 15e")
    }

    @Test("phone prefixes follow the région")
    func phones() {
        var rng = SeededRandom(seed: 1)
        func phone(_ r: String, _ d: String) -> String {
            French.phone(region: .init(unchecked: r), departement: .init(unchecked: d), rng: &rng)
        }
        #expect(phone("11", "75").hasPrefix("01 "))
        #expect(phone("53", "29").hasPrefix("02 "))
        #expect(phone("44", "67").hasPrefix("03 "))
        #expect(phone("93", "13").hasPrefix("04 "))
        #expect(phone("75", "33").hasPrefix("05 "))
        #expect(phone("76", "34").hasPrefix("04 "))
        #expect(phone("76", "31").hasPrefix("05 "))
        #expect(phone("01", "971").hasPrefix("05 90 "))
        #expect(phone("04", "974").hasPrefix("02 62 "))
        #expect(phone("06", "976").hasPrefix("02 69 "))
        #expect(phone("29", "29").split(separator: " ").count == 5)
    }

    @Test("Luhn completion")
    func luhnDigits() {
        #expect(Luhn.complete("73282932") == "732829320")
        for prefix in ["12345678", "21290190", "13000548"] {
            #expect(Luhn.isValid(Luhn.complete(prefix)))
        }
    }

    @Test("weekly hours of OSM rules")
    func weeklyHours() {
        #expect(WeeklyHours.of("Mo-Fr 08:30-12:30,13:30-17:00; PH off") == 37.5)
        #expect(WeeklyHours.of("Mo-We 08:30-16:30; Th 08:30-12:30; Fr 08:30-15:30; PH off") == 35)
        #expect(WeeklyHours.of("Mo-We,Fr 08:30-16:30; Th 08:30-12:30; PH off") == 36)
        #expect(WeeklyHours.of("Tu 09:00-12:00") == 3)
        #expect(WeeklyHours.of("Xx 09:00-12:00") == nil)
    }

    @Test("the random streams are reproducible and independent")
    func streams() {
        var a = SeededRandom(seed: 2014, streams: "53", "cio")
        var b = SeededRandom(seed: 2014, streams: "53", "cio")
        var c = SeededRandom(seed: 2014, streams: "53", "cidff")
        let xs = (0..<5).map { _ in a.next() }
        #expect(xs == (0..<5).map { _ in b.next() })
        #expect(xs != (0..<5).map { _ in c.next() })
        var d = SeededRandom(seed: 9)
        for _ in 0..<1_000 {
            let v = d.int(3...7)
            #expect((3...7).contains(v))
            let u = d.unit()
            #expect(u >= 0 && u < 1)
        }
    }
}
