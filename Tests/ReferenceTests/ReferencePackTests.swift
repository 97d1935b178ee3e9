import Directory
import Foundation
import SproTestSupport
import Testing
@testable import Reference

@Suite struct ReferencePackTests {
    /// Copies the small files of the real pack into a temp dir so a test can break one.
    func packCopy() throws -> URL {
        let dir = temporaryDirectory("pack")
        for name in ReferencePack.requiredFiles {
            try FileManager.default.copyItem(at: TestReference.directory.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        return dir
    }

    @Test func loadsCommunesArrondissementsPostcodesAndZones() {
        let pack = TestReference.pack
        #expect(pack.zones.count == 306 && pack.regions.count == 18 && pack.departements.count == 101)
        let brest = pack.communes[CommuneCode(unchecked: "29019")]
        #expect(brest?.name == "Brest" && brest?.region.rawValue == "53" && brest?.departement.rawValue == "29")
        #expect(pack.communeList.filter { $0.kind == .arrondissement }.count == 45)
        #expect(pack.postcodes[Postcode(unchecked: "75011")]?.first?.commune.rawValue == "75111")
        #expect(pack.communes[CommuneCode(unchecked: "2A004")]?.departement.rawValue == "2A")
        #expect(pack.departements(of: RegionCode(unchecked: "53")).map(\.rawValue) == ["22", "29", "35", "56"])
    }

    @Test func missingFileIsNamed() throws {
        let dir = try packCopy()
        try FileManager.default.removeItem(at: dir.appendingPathComponent("postcodes.csv"))
        let error = #expect(throws: ReferenceError.self) { try ReferencePack.load(from: dir) }
        #expect(error?.file.hasSuffix("postcodes.csv") == true)
        #expect(error?.description.contains("required reference file is missing") == true)
    }

    @Test func missingDirectoryTellsHowToConfigure() {
        let error = #expect(throws: ReferenceError.self) { try ReferencePack.load(from: URL(fileURLWithPath: "/nonexistent/data")) }
        #expect(error?.description.contains("SPRO_REFERENCE") == true)
    }

    @Test func malformedRowIsNamedByLineAndField() throws {
        let dir = try packCopy()
        let url = dir.appendingPathComponent("zones_emploi.csv")
        // The pack's files end lines with CRLF (one grapheme in Swift): split on it, break line 4's zone code.
        var lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\r\n")
        lines[3] = "12AB" + lines[3].drop { $0 != "," }
        try lines.joined(separator: "\r\n").write(to: url, atomically: true, encoding: .utf8)
        let error = #expect(throws: ReferenceError.self) { try ReferencePack.load(from: dir) }
        #expect(error?.line == 4)
        #expect(error?.field == "ze2020")
    }

    @Test func rowWithWrongFieldCountIsNamedByLine() throws {
        let table = #expect(throws: ReferenceError.self) {
            try CSVTable(data: Data("a,b\n1,2\n3\n".utf8), file: "t.csv")
        }
        #expect(table?.line == 3 && table?.description == "t.csv:3: has 1 fields, the header has 2")
    }

    @Test func csvHandlesQuotesDoubledQuotesAndCRLF() throws {
        let t = try CSVTable(data: Data("x,y\r\n\"a, b\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",z\r\n".utf8), file: "q.csv")
        #expect(t.rows.map(\.fields) == [["a, b", "say \"hi\""], ["multi\nline", "z"]])
        #expect(t.rows.map(\.line) == [2, 3])
    }

    @Test func townHallHoursBecomeOSMOpeningHours() {
        let slots = TownHall.parseHours(#"[["mardi","jeudi",[["09:00:00","12:00:00"],["14:00:00","17:00:00"]]],["samedi","samedi",[["09:00:00","11:30:00"]]]]"#)
        let hall = TownHall(commune: CommuneCode(unchecked: "29019"), addressLines: ["2 rue Frézier"], postcode: Postcode(unchecked: "29200"),
                            city: "Brest", position: GeoPoint(lat: 48.39, lon: -4.49), hours: slots)
        #expect(hall.osmOpeningHours == "Tu-Th 09:00-12:00,14:00-17:00; Sa 09:00-11:30")
    }

    /// Town halls' addresses decoded as Latin-1 by their source come back with their Windows-1252 letters,
    /// and no control character is left in any of the real file's addresses.
    @Test func townHallTextsHaveTheirLettersBackAndNoControlCharacter() throws {
        #expect(TownHall.repairingC1Controls("Cricqueb\u{9C}uf") == "Cricquebœuf")
        #expect(TownHall.repairingC1Controls("19 rue des S\u{9C}urs") == "19 rue des Sœurs")
        #expect(TownHall.repairingC1Controls("A\u{81}B") == "AB")
        #expect(TownHall.repairingC1Controls("Brest") == "Brest")
        let halls = try TownHall.load(from: TestReference.directory)
        let control = { (s: String) in s.unicodeScalars.contains { $0.properties.generalCategory == .control } }
        #expect(halls.count > 30_000)
        #expect(!halls.contains { control($0.city) || $0.addressLines.contains(where: control) })
        #expect(halls.contains { $0.city == "Cricquebœuf" })
    }
}
