import AddressText
import Directory
import Foundation
import Geocoding
import Reference
import Testing

/// A BAN index over `Fixtures/adresses-29.csv` (hand-written rows in the official format: streets of
/// Brest and Quimper), and a geocoder using it, built once per test process.
struct BANFixture: Sendable {
    let index: BANIndex
    let geocoder: Geocoder

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static let shared: Result<BANFixture, any Error> = Result {
        let (index, _) = try BANIndex.open(directory, index: temporaryDirectory().appendingPathComponent("ban.sqlite"))
        return BANFixture(index: index, geocoder: Geocoder(pack: try ReferenceFixture.get().pack, streetLocator: index))
    }

    static func get() throws -> BANFixture { try shared.get() }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spro-ban-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

@Suite struct BANTests {
    // Positions of the fixture's rows.
    let siam12 = GeoPoint(lat: 48.386220, lon: -4.490620)
    let siam12bis = GeoPoint(lat: 48.386260, lon: -4.490570)

    func geocode(_ line: String, _ postcode: String = "29200", _ city: String = "Brest") throws -> GeocodeResult {
        try BANFixture.get().geocoder.geocode(try address(postcode, city, lines: [line]))
    }

    @Test func houseNumberOnAKnownStreetGivesTheAddressPosition() throws {
        let r = try geocode("12 rue de Siam")
        #expect(r.commune?.rawValue == "29019")
        #expect(r.precision == .housenumber)
        #expect(r.position == siam12)
        #expect(r.score == 1)
        #expect(r.reason == nil)
    }

    @Test func streetWithoutNumberGivesAPointOfTheStreetWithALowerScore() throws {
        let r = try geocode("Rue de Siam")
        #expect(r.precision == .street)
        #expect(r.score == 0.9)
        let position = try #require(r.position)
        // A point of the street, about its middle: 700 m from end to end, number 12 is mid-way.
        #expect(position.distance(to: siam12) < 400)
        #expect(try position != BANFixture.get().geocoder.centre(of: CommuneCode("29019")))
    }

    @Test func suffixesAreMatchedWhateverTheirSpelling() throws {
        for line in ["12 bis rue de Siam", "12B rue de Siam", "12 b, rue de Siam"] {
            let r = try geocode(line)
            #expect(r.precision == .housenumber, "\(line)")
            #expect(r.position == siam12bis, "\(line)")
            #expect(r.score == 1, "\(line)")
        }
        let ter = try geocode("3 ter rue du Château")
        #expect(ter.precision == .housenumber)
        #expect(ter.position == GeoPoint(lat: 48.383930, lon: -4.492490))
    }

    @Test func aMissingSuffixFallsBackToTheNumberAndSaysSo() throws {
        let r = try geocode("14 bis rue de Siam")  // only 14 is in the BAN
        #expect(r.precision == .housenumber)
        #expect(r.score == 0.95)
        #expect(r.reason?.contains("14 BIS") == true)
        #expect(r.position == GeoPoint(lat: 48.386633, lon: -4.490100))
    }

    @Test func aMissingNumberGivesTheStreetAndSaysSo() throws {
        let r = try geocode("99 rue de Siam")
        #expect(r.precision == .street)
        #expect(r.score == 0.9)
        #expect(r.reason?.contains("house number 99") == true)
    }

    @Test func abbreviatedStreetTypesAndSaintMatch() throws {
        let siam = try geocode("12 R DE SIAM")
        #expect(siam.precision == .housenumber)
        #expect(siam.position == siam12)
        let gambetta = try geocode("9 bd Gambetta")
        #expect(gambetta.precision == .housenumber && gambetta.score == 1)
        let corentin = try geocode("3 bis pl St-Corentin", "29000", "Quimper")
        #expect(corentin.commune?.rawValue == "29232")
        #expect(corentin.precision == .housenumber && corentin.score == 1)
        #expect(corentin.position == GeoPoint(lat: 47.996250, lon: -4.102210))
    }

    @Test func aTypoInTheStreetNameStillFindsTheStreet() throws {
        let r = try geocode("12 Rue de Siame")
        #expect(r.precision == .housenumber)
        #expect(r.position == siam12)
        #expect(r.score >= 0.8 && r.score < 1)
        #expect(r.reason?.contains("\"Rue de Siam\"") == true)
        let jaures = try geocode("40 rue Jean Jaures")  // accents folded: no typo at all
        #expect(jaures.precision == .housenumber && jaures.score == 1)
    }

    @Test func aTypoNextToAWordThatIsAlsoAStreetTypeIsFound() throws {
        // PARC is a street type too ("Parc des Expositions"); here it names the street.
        for line in ["3 rue d Parc", "3 rue du Prac", "3 r du parc"] {
            let r = try geocode(line, "29000", "Quimper")
            #expect(r.precision == .housenumber, "\(line)")
            #expect(r.position == GeoPoint(lat: 47.994760, lon: -4.104610), "\(line)")
        }
    }

    @Test func anUnknownStreetFallsBackToTheCommuneWithAReason() throws {
        let r = try geocode("5 rue des Inconnus")
        #expect(r.commune?.rawValue == "29019")
        #expect(r.precision == .commune)
        #expect(try r.position == BANFixture.get().geocoder.centre(of: CommuneCode("29019")))
        #expect(r.reason?.contains("\"RUE DES INCONNUS\" not found in the BAN for commune 29019") == true)
    }

    @Test func aStreetOfTheSameNameInAnotherCommuneIsNotMatched() throws {
        let siam = try geocode("12 rue de Siam", "29000", "Quimper")  // Rue de Siam is in Brest only
        #expect(siam.commune?.rawValue == "29232")
        #expect(siam.precision == .commune)
        #expect(siam.reason?.contains("not found") == true)
        // Both communes have a Rue Jean Jaurès: Quimper's is used for a Quimper address.
        let jaures = try geocode("10 rue Jean Jaurès", "29000", "Quimper")
        #expect(jaures.precision == .housenumber)
        let position = try #require(jaures.position)
        #expect(position.distance(to: GeoPoint(lat: 47.9921, lon: -4.1018)) < 300)
    }

    @Test func aCommuneWithoutBANDataIsSaidSo() throws {
        let r = try geocode("1 rue de Rivoli", "75001", "Paris")
        #expect(r.commune?.rawValue == "75101")
        #expect(r.precision == .commune)
        #expect(r.reason?.contains("no BAN addresses loaded for commune 75101") == true)
    }

    @Test func aLieuDitWithoutHouseNumbersIsAStreet() throws {
        let r = try geocode("Kerhuel", "29000", "Quimper")
        #expect(r.precision == .street)
        #expect(r.position == GeoPoint(lat: 47.981050, lon: -4.130100))
    }

    @Test func theBestOfSeveralLinesIsUsed() throws {
        let r = try BANFixture.get().geocoder.geocode(
            try address("29200", "Brest", lines: ["Maison de l'emploi", "BP 1234", "12 rue de Siam"]))
        #expect(r.precision == .housenumber)
        #expect(r.position == siam12)
        #expect(r.reason == nil)
    }

    @Test func reloadingTheSameFileIsSkippedAndANewVersionReplacesTheOld() throws {
        let dir = try BANFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = BANFixture.directory.appendingPathComponent("adresses-29.csv")
        let file = dir.appendingPathComponent("adresses-29.csv")
        try FileManager.default.copyItem(at: source, to: file)
        let index = try BANIndex(path: dir.appendingPathComponent("ban.sqlite").path)

        let first = try index.load(file)
        #expect(first.status == .loaded)
        #expect(first.rows == 64)
        #expect(first.streets == 12)
        #expect(first.numbers == 63)  // the lieu-dit's 99999 is no house number
        #expect(first.skipped == 0)
        let again = try index.load(file)
        #expect(again.status == .unchanged)
        #expect(try index.counts() == (1, 12, 63))

        // The same content under another name is recognised too.
        let copy = dir.appendingPathComponent("adresses-29-copie.csv")
        try FileManager.default.copyItem(at: source, to: copy)
        #expect(try index.load(copy).status == .unchanged)

        // A new version: Rue de Siam's rows removed.
        let text = try String(contentsOf: source, encoding: .utf8)
        let kept = text.split(separator: "\n").filter { !$0.contains(";Rue de Siam;") }
        try Data((kept.joined(separator: "\n") + "\n").utf8).write(to: file)
        let replaced = try index.load(file)
        #expect(replaced.status == .replaced)
        #expect(replaced.streets == 11)
        #expect(try index.counts() == (1, 11, 48))
        #expect(index.locate(AddressNormalizer.streetLine("12 rue de Siam"), in: try CommuneCode("29019")) == nil)
        #expect(index.locate(AddressNormalizer.streetLine("1 rue de Lyon"), in: try CommuneCode("29019"))?.precision == .housenumber)
    }

    @Test func quotedFieldsAndBadRowsAreRead() throws {
        let dir = try BANFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("adresses-22.csv")
        let csv = [
            "\u{FEFF}id;numero;rep;nom_voie;code_postal;code_insee;nom_commune;lon;lat",
            #"a;7;;"Rue du Port; quai ""Nord""";22000;22278;Saint-Brieuc;-2.7600;48.5140"#,
            "b;8;;Rue du Port;22000;2227;Saint-Brieuc;-2.7600;48.5140",
            "c;9;;Rue du Port;22000;22278;Saint-Brieuc;x;48.5140",
            "", "",
        ].joined(separator: "\r\n")
        try Data(csv.utf8).write(to: file)
        let index = try BANIndex(path: dir.appendingPathComponent("ban.sqlite").path)
        let summary = try index.load(file)
        #expect(summary.rows == 3)
        #expect(summary.streets == 1)
        #expect(summary.skipped == 2)
        #expect(summary.problems.count == 2)
        #expect(summary.problems.first?.contains("adresses-22.csv:3: field \"code_insee\"") == true)
        #expect(summary.problems.last?.contains(":4: field \"lat\"/\"lon\"") == true)
        let m = index.locate(AddressNormalizer.streetLine("7 rue du Port quai Nord"), in: try CommuneCode("22278"))
        #expect(m?.precision == .housenumber)
        #expect(m?.position == GeoPoint(lat: 48.514, lon: -2.76))
    }

    /// The message of the `BANError` that `body` throws, or "" (and a failed expectation) if none.
    func refusal(_ body: () throws -> Any) -> String {
        (#expect(throws: BANError.self) { _ = try body() }).map { "\($0)" } ?? ""
    }

    @Test func sameNamedStreetsOfACommuneNouvelleStayApart() throws {
        // Saint-Thégonnec Loc-Eguiner (29266) merged Saint-Thégonnec and Loc-Eguiner-Saint-Thégonnec (29130):
        // each had its Rue de l'Église.
        let dir = try BANFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("adresses-29.csv")
        let rows = [
            "numero;rep;nom_voie;code_insee;code_insee_ancienne_commune;lon;lat",
            "1;;Rue de l'Église;29266;29266;-3.9450;48.5190",
            "2;;Rue de l'Église;29266;29266;-3.9452;48.5192",
            "2;;Rue de l'Église;29266;29130;-3.9980;48.4870",
            "5;;Rue de l'Église;29266;29130;-3.9984;48.4874",
        ]
        try Data((rows.joined(separator: "\n") + "\n").utf8).write(to: file)
        let index = try BANIndex(path: dir.appendingPathComponent("ban.sqlite").path)
        #expect(try index.load(file).streets == 2)
        let commune = try CommuneCode("29266")
        func locate(_ line: String) -> StreetMatch? { index.locate(AddressNormalizer.streetLine(line), in: commune) }

        let five = try #require(locate("5 rue de l'Eglise"))  // only the former Loc-Eguiner's street has a 5
        #expect(five.precision == .housenumber && five.score == 1 && five.note == nil)
        #expect(five.position == GeoPoint(lat: 48.4874, lon: -3.9984))
        let two = try #require(locate("2 rue de l'Eglise"))  // both have a 2: the first is used, and said
        #expect(two.precision == .housenumber && two.score == 0.9)
        #expect(two.note?.contains("2 streets \"Rue de l'Église\"") == true)
        let street = try #require(locate("rue de l'Eglise"))
        #expect(street.precision == .street)
        #expect(abs(street.score - 0.81) < 1e-9)
    }

    @Test func filesThatAreNotBANExtractsAreRefusedSayingWhy() throws {
        let dir = try BANFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let index = try BANIndex(path: dir.appendingPathComponent("ban.sqlite").path)
        let comma = dir.appendingPathComponent("adresses-01.csv")
        try Data("adresse,code_postal,ville\n1 rue X,01000,Bourg\n".utf8).write(to: comma)
        #expect(refusal { try index.load(comma) }.contains("comma-separated"))
        let missing = dir.appendingPathComponent("adresses-02.csv")
        try Data("id;numero;nom_voie;code_insee;lon;lat\n".utf8).write(to: missing)
        #expect(refusal { try index.load(missing) }.contains("column \"rep\" is missing"))
        try FileManager.default.removeItem(at: comma)
        try FileManager.default.removeItem(at: missing)
        try Data().write(to: dir.appendingPathComponent("adresses-03.csv.gz"))
        #expect(refusal { try BANIndex.open(dir) }.contains("gunzip"))
        #expect(refusal { try BANIndex.open(dir.appendingPathComponent("none")) }.contains("no such file"))
    }

    @Test func geocodeCSVUsesTheBANEndToEnd() throws {
        let dir = try BANFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in.csv"), output = dir.appendingPathComponent("out.csv")
        try Data("""
            nom,adresse,code_postal,ville
            Mission locale,12 rue de Siam,29200,Brest
            CIO,Rue de Siam,29200,Brest
            Point info,5 rue des Inconnus,29200,Brest

            """.utf8).write(to: input)
        // As `spro geocode --ban DIR` does: the directory's files indexed (here in a temporary file).
        let (index, loaded) = try BANIndex.open(BANFixture.directory, index: dir.appendingPathComponent("ban.sqlite"))
        #expect(loaded.map(\.file) == ["adresses-29.csv"])
        let geocoder = Geocoder(pack: try ReferenceFixture.get().pack, streetLocator: index)
        let summary = try GeocodeCSV.run(input: input, output: output, geocoder: geocoder)
        #expect(summary.byPrecision == [.housenumber: 1, .street: 1, .commune: 1])
        let rows = try CSVTable(contentsOf: output).rows.map(\.fields)
        #expect(rows[0][4...8] == ["29019", "48.386220", "-4.490620", "housenumber", "1.00"])
        #expect(rows[1][7] == "street")
        #expect(rows[2][7] == "commune" && rows[2][9].contains("not found in the BAN"))
    }
}
