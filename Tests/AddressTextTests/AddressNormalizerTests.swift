import Testing
@testable import AddressText

@Suite struct AddressNormalizerTests {
    @Test func foldsCaseAccentsApostrophesAndHyphens() {
        #expect(AddressNormalizer.normalize("L'Abergement-Clémenciat") == "L ABERGEMENT CLEMENCIAT")
        #expect(AddressNormalizer.normalize("  Œuilly   —  Île-d’Houat ") == "OEUILLY ILE D HOUAT")
        #expect(AddressNormalizer.normalize("e\u{0301}glise") == "EGLISE")  // decomposed accent
        #expect(AddressNormalizer.normalize("ÇA Ñ ß æ") == "CA N SS AE")
    }

    @Test func saintAndSainteAreSpelledOut() {
        #expect(AddressNormalizer.cityKey("St-Brieuc") == "SAINT BRIEUC")
        #expect(AddressNormalizer.cityKey("Saint-Brieuc") == "SAINT BRIEUC")
        #expect(AddressNormalizer.cityKey("ST BRIEUC") == "SAINT BRIEUC")
        #expect(AddressNormalizer.cityKey("Ste-Anne-d'Auray") == AddressNormalizer.cityKey("SAINTE ANNE D AURAY"))
        #expect(AddressNormalizer.cityKey("Conteville-lez-Boulogne") == AddressNormalizer.cityKey("Conteville-lès-Boulogne"))
    }

    @Test func postalNoiseIsRemovedFromCities() {
        #expect(AddressNormalizer.cityKey("Brest Cedex 2") == "BREST")
        #expect(AddressNormalizer.parseCity("BREST CEDEX 2").cedex == 2)
        #expect(AddressNormalizer.parseCity("Lyon Cedex 03").cedex == 3)
        #expect(AddressNormalizer.cityKey("QUIMPER CEDEX") == "QUIMPER")
        #expect(AddressNormalizer.cityKey("BP 123 Brest") == "BREST")
        #expect(AddressNormalizer.cityKey("CS 12345 - Brest Cedex 9") == "BREST")
        #expect(AddressNormalizer.cityKey("29200 Brest") == "BREST")
        #expect(AddressNormalizer.cityKey("Onans Cidex 1") == "ONANS")
    }

    @Test func arrondissementsAndBracketedArticles() {
        #expect(AddressNormalizer.cityKey("Paris 11e Arrondissement") == "PARIS 11")
        #expect(AddressNormalizer.cityKey("PARIS 11") == "PARIS 11")
        #expect(AddressNormalizer.cityKey("Marseille 1er Arrondissement") == AddressNormalizer.cityKey("MARSEILLE 01"))
        #expect(AddressNormalizer.parseCity("Lyon 3ème").arrondissement == 3)
        #expect(AddressNormalizer.cityKey("Abergement-Clémenciat (L')") == "L ABERGEMENT CLEMENCIAT")
    }

    @Test func houseNumberSuffixesAreOneForm() {
        let forms = ["3 bis rue de Siam", "3B rue de Siam", "3 b rue de Siam", "3bis, r. de Siam", "3 BIS R DE SIAM"]
        let parsed = Set(forms.map(AddressNormalizer.streetLine))
        #expect(parsed.count == 1)
        #expect(parsed.first?.houseNumber == HouseNumber(number: 3, suffix: "BIS"))
        #expect(parsed.first?.street == "RUE DE SIAM")
        #expect(AddressNormalizer.streetKey("3 b rue de Siam") == "3 BIS RUE DE SIAM")
        #expect(AddressNormalizer.streetLine("5T rue X").houseNumber == HouseNumber(number: 5, suffix: "TER"))
        #expect(AddressNormalizer.streetLine("7 quater avenue Y").houseNumber == HouseNumber(number: 7, suffix: "QUATER"))
        #expect(AddressNormalizer.streetLine("12 A rue de la Gare").houseNumber == HouseNumber(number: 12, suffix: "A"))
        // An elided article is not a suffix.
        let armor = AddressNormalizer.streetLine("3 D'Armor")
        #expect(armor.houseNumber == HouseNumber(number: 3))
        #expect(armor.street == "D ARMOR")
        // A range keeps its first number.
        #expect(AddressNormalizer.streetLine("12-14 rue Jean Jaurès").houseNumber == HouseNumber(number: 12))
        #expect(AddressNormalizer.streetLine("12-14 rue Jean Jaurès").street == "RUE JEAN JAURES")
    }

    @Test func streetTypesAreSpelledOut() {
        #expect(AddressNormalizer.streetLine("12 bd de la Mer").street == "BOULEVARD DE LA MER")
        #expect(AddressNormalizer.streetLine("av. Jean Jaurès").street == "AVENUE JEAN JAURES")
        #expect(AddressNormalizer.streetLine("1 R du Gal de Gaulle").street == "RUE DU GENERAL DE GAULLE")
        #expect(AddressNormalizer.streetLine("pl. St-Corentin").street == "PLACE SAINT CORENTIN")
        #expect(AddressNormalizer.streetLine("4 imp des Lilas").street == "IMPASSE DES LILAS")
        #expect(AddressNormalizer.streetLine("rte de Brest").street == "ROUTE DE BREST")
        #expect(AddressNormalizer.streetLine("2 all. des Chênes").street == "ALLEE DES CHENES")
        #expect(AddressNormalizer.streetLine("fg St-Honoré").street == "FAUBOURG SAINT HONORE")
        #expect(AddressNormalizer.streetLine("qu. de la Douane").street == "QUAI DE LA DOUANE")
        #expect(AddressNormalizer.streetLine("crs Dajot").street == "COURS DAJOT")
        #expect(AddressNormalizer.streetLine("sq. Moulin").street == "SQUARE MOULIN")
        #expect(AddressNormalizer.streetLine("che. du Roz").street == "CHEMIN DU ROZ")
        // Words that are also abbreviations stay as they are past the street-type position.
        #expect(AddressNormalizer.streetLine("3 rue du Pas de Calais").street == "RUE DU PAS DE CALAIS")
        #expect(AddressNormalizer.streetLine("3 rue du Lot").street == "RUE DU LOT")
    }

    @Test func postalNoiseIsRemovedFromStreetLines() {
        #expect(AddressNormalizer.streetKey("BP 54 - 12 rue de Siam") == "12 RUE DE SIAM")
        #expect(AddressNormalizer.streetKey("rte de Brest CS 12345 CEDEX") == "ROUTE DE BREST")
        #expect(AddressNormalizer.streetKey("B.P. 7 place de la Mairie") == "PLACE DE LA MAIRIE")
    }
}
