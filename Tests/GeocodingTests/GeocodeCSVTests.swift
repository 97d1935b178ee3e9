import Foundation
import Geocoding
import Reference
import Testing

@Suite struct GeocodeCSVTests {
    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spro-geocode-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func roundTripKeepsColumnsAndQuoting() throws {
        let geocoder = try ReferenceFixture.get().geocoder
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in.csv"), output = dir.appendingPathComponent("out.csv")
        let csv = #"""
            nom,adresse,code_postal,ville,note
            "Maison de l'emploi, Brest",12 rue de Siam,29200,Brest,"dit ""MDE"""
            Mission locale,"3 bis, place Saint-Corentin",29000,Quimpre,
            Inconnu,1 rue X,99999,Zzyzx,"ligne 1
            ligne 2"
            Ain,119 route de la Fontaine,1400,L'Abergement-Clémenciat,

            """#
        try Data(csv.utf8).write(to: input)
        let summary = try GeocodeCSV.run(input: input, output: output, geocoder: geocoder)
        #expect(summary.rows == 4)
        #expect(summary.byPrecision[.commune] == 3)
        #expect(summary.byPrecision[.unresolved] == 1)
        #expect(summary.unresolved.map(\.line) == [4])

        let table = try CSVTable(contentsOf: output)
        #expect(table.header == ["nom", "adresse", "code_postal", "ville", "note",
                                 "code_insee", "lat", "lon", "precision", "score", "reason"])
        let rows = table.rows.map(\.fields)
        #expect(rows[0][0] == "Maison de l'emploi, Brest")
        #expect(rows[0][4] == "dit \"MDE\"")
        #expect(rows[0][5] == "29019")
        #expect(rows[0][8] == "commune")
        #expect(rows[0][9] == "1.00")
        #expect(Double(rows[0][6]) != nil && Double(rows[0][7]) != nil)
        #expect(rows[1][1] == "3 bis, place Saint-Corentin")
        #expect(rows[1][5] == "29232")
        #expect(rows[2][4] == "ligne 1\nligne 2")
        #expect(rows[2][5] == "" && rows[2][6] == "" && rows[2][8] == "unresolved")
        #expect(rows[2][10].contains("99999"))
        #expect(rows[3][2] == "1400")  // passes through unchanged
        #expect(rows[3][5] == "01001")
        #expect(rows[3][10].contains("01400"))
        // The raw text quotes exactly the fields that need it.
        let text = try String(contentsOf: output, encoding: .utf8)
        #expect(text.contains("\"Maison de l'emploi, Brest\",12 rue de Siam,29200,Brest,\"dit \"\"MDE\"\"\",29019,"))
    }

    @Test func existingResultColumnsAreOverwrittenAndCodeInseeIsAHint() throws {
        let geocoder = try ReferenceFixture.get().geocoder
        let csv = "code_insee,adresse,code_postal,ville,score\r\n29075,,29200,Brest,x\r\n2Z000,,29200,Brest,\r\n"
        let (out, summary) = try GeocodeCSV.geocode(Data(csv.utf8), file: "in.csv", geocoder: geocoder)
        #expect(summary.rows == 2)
        let table = try CSVTable(data: out, file: "out.csv")
        #expect(table.header == ["code_insee", "adresse", "code_postal", "ville", "score", "lat", "lon", "precision", "reason"])
        #expect(table.rows[0].fields[0] == "29075")
        #expect(table.rows[0].fields[8].contains("disagrees"))
        #expect(table.rows[1].fields[0] == "29019")
        #expect(table.rows[1].fields[8].contains("field code_insee"))
        #expect(String(decoding: out, as: UTF8.self).contains("\r\n"))
    }

    @Test func errorsNameTheLineAndField() throws {
        let geocoder = try ReferenceFixture.get().geocoder
        #expect {
            try GeocodeCSV.geocode(Data("adresse,code_postal\n1 rue X,29200\n".utf8), file: "in.csv", geocoder: geocoder)
        } throws: { error in
            let e = error as? GeocodeCSVError
            return e?.line == 1 && e?.field == "ville"
        }
        #expect {
            try GeocodeCSV.geocode(Data("adresse,code_postal,ville\n1 rue X,29200\n".utf8), file: "in.csv", geocoder: geocoder)
        } throws: { error in
            (error as? GeocodeCSVError)?.line == 2
        }
        #expect {
            try GeocodeCSV.geocode(Data("adresse;code_postal;ville\n1 rue X;29200;Brest\n".utf8), file: "in.csv", geocoder: geocoder)
        } throws: { error in
            (error as? GeocodeCSVError)?.problem.contains("semicolons") == true
        }
    }
}
