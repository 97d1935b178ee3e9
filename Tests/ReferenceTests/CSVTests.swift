import Foundation
import Reference
import SproTestSupport
import Testing

/// The shared CSV reader and writer: what one writes, the other reads back, whatever the fields hold.
@Suite struct CSVTests {
    static let awkward: [[String]] = [
        ["id", "nom", "note"],
        ["1", "Maison de l'emploi, Brest", "dit \"MDE\""],
        ["2", "ligne 1\nligne 2", "fin\r\nWindows"],
        ["3", "", "  espaces gardés  "],
        ["4", "Quimper; Finistère", "\""],
        ["5", "Saint-Étienne — Forez", ",;"],
    ]

    func readBack(_ data: Data, delimiter: Unicode.Scalar = ",") throws -> [[String]] {
        let table = try CSVTable(data: data, file: "t.csv", delimiter: delimiter)
        return [table.header] + table.rows.map(\.fields)
    }

    @Test(arguments: [CSVWriter.LineEnding.lf, .crlf])
    func whatTheWriterWritesTheReaderReadsBack(ending: CSVWriter.LineEnding) throws {
        var writer = CSVWriter(lineEnding: ending)
        for row in Self.awkward { writer.writeRow(row) }
        #expect(try readBack(writer.data) == Self.awkward)
    }

    @Test func aSemicolonFileRoundTripsAndLeavesCommasUnquoted() throws {
        var writer = CSVWriter(delimiter: ";")
        for row in Self.awkward { writer.writeRow(row) }
        #expect(try readBack(writer.data, delimiter: ";") == Self.awkward)
        #expect(writer.text.contains("\n1;Maison de l'emploi, Brest;\"dit \"\"MDE\"\"\"\n"))
        #expect(writer.text.contains("\n4;\"Quimper; Finistère\";\"\"\"\"\n"))
    }

    @Test func theWriterQuotesOnlyFieldsWithTheDelimiterAQuoteOrALineBreak() {
        var writer = CSVWriter()
        writer.writeRow(["plain", " spaced ", "a,b", "say \"hi\"", "two\nlines", "cr\rhere", "é;x", ""])
        #expect(writer.text == "plain, spaced ,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\",é;x,\n")
        #expect(CSVWriter.escape("a;b", delimiter: ";") == "\"a;b\"" && CSVWriter.escape("a,b", delimiter: ";") == "a,b")
        var crlf = CSVWriter(lineEnding: .crlf)
        crlf.writeRow(["a", "b"])
        crlf.writeRow(["c", "d"])
        #expect(crlf.text == "a,b\r\nc,d\r\n")
    }

    @Test func aByteOrderMarkIsSkipped() throws {
        let t = try CSVTable(data: Data("\u{FEFF}code_insee,nom\n29019,Brest\n".utf8), file: "bom.csv")
        #expect(t.header == ["code_insee", "nom"])
        #expect(try t.column("code_insee") == 0)
    }

    @Test func emptyLinesAreSkippedAndTheLastLineNeedsNoLineBreak() throws {
        let t = try CSVTable(data: Data("a,b\n\n1,2\r\n\r\n3,\n4,\"\"".utf8), file: "t.csv")
        #expect(t.rows.map(\.fields) == [["1", "2"], ["3", ""], ["4", ""]])
        #expect(t.rows.map(\.line) == [3, 5, 6])
    }

    @Test func rowsAreNumberedByTheLineTheyStartOnPastLineBreaksInFields() throws {
        let t = try CSVTable(data: Data("a,b\n\"x\ny\nz\",1\n2,3\n".utf8), file: "t.csv")
        #expect(t.rows.map(\.line) == [2, 5])
        let error = #expect(throws: DataFileError.self) {
            try CSVTable(data: Data("a,b\n\"x\ny\",1\n2,3,4\n".utf8), file: "t.csv")
        }
        #expect(error?.line == 4 && error?.description == "t.csv:4: has 3 fields, the header has 2")
    }

    @Test func aQuoteNeverClosedIsNamedByTheLineItOpensOn() {
        let error = #expect(throws: DataFileError.self) {
            try CSVTable(data: Data("a,b\n1,2\n3,\"open\n4,5\n".utf8), file: "t.csv")
        }
        #expect(error?.file == "t.csv" && error?.line == 3)
        #expect(error?.problem.contains("never closed") == true)
    }

    @Test func textAfterAClosingQuoteIsRefusedWithItsLine() {
        let error = #expect(throws: DataFileError.self) {
            try CSVTable(data: Data("a,b\n1,2\n\"dit \"MDE\"\",3\n".utf8), file: "t.csv")
        }
        #expect(error?.line == 3 && error?.problem.contains("after its closing quote") == true)
    }

    @Test func aQuoteInsideAnUnquotedFieldIsKept() throws {
        let t = try CSVTable(data: Data("a,b\n12 rue \"Les Pins\",x\n".utf8), file: "t.csv")
        #expect(t.rows[0].fields == ["12 rue \"Les Pins\"", "x"])
    }

    @Test func theReaderHandsOutRecordsLazilyAndStopsWhenAsked() throws {
        var seen: [(line: Int, count: Int, second: String, emptyThird: Bool)] = []
        try CSVReader(delimiter: ";").forEachRecord(in: Data("h1;h2;h3\n1;\"a;b\";\n2;c;d\n3;e;f\n".utf8), file: "r.csv") { record in
            seen.append((record.line, record.count, record[1], record.isEmpty(2)))
            return record.line < 2
        }
        #expect(seen.map(\.line) == [1, 2])
        #expect(seen.map(\.count) == [3, 3])
        #expect(seen[1].second == "a;b" && seen[1].emptyThird)
    }

    /// A file read in chunks gives the same records, on the same lines, and the same errors as the whole
    /// bytes, wherever the chunks cut it: inside a quoted field, between a quote and its double, between
    /// CR and LF, inside the byte order mark or a multi-byte character.
    @Test func aFileReadInChunksGivesTheSameRecordsAsTheWholeBytes() throws {
        func records(_ read: ((CSVRecord) throws(DataFileError) -> Bool) throws(DataFileError) -> Void) -> [String] {
            var out: [String] = []
            do {
                try read { record throws(DataFileError) in
                    out.append("\(record.line):" + (0..<record.count).map { record.validText($0) ?? "<not UTF-8>" }.joined(separator: "|"))
                    return true
                }
            } catch {
                out.append("error \(error)")
            }
            return out
        }
        var generator = SystemRandomNumberGenerator()
        let pieces = ["a", "é", "ligne", "\"\"", ",", "\n", "\r\n", "\r", " ", "\"x,\ny\"", "\"q\"\"uote\"", "\u{1F600}", "\u{FF}"]
        var texts = ["\u{FEFF}id,nom\n1,\"a\"\"b\"\r\n2,c\r", "a,b,\n", "\"never closed\n,x", "x,\"y\"z\n", "", "\n\n\r\n"]
        for _ in 0..<150 {
            texts.append((0..<Int.random(in: 1...40, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
        }
        let directory = temporaryDirectory("csv-chunks")
        for (n, text) in texts.enumerated() {
            var data = Data(text.utf8)
            if n % 7 == 3 { data.append(0xE9) }  // a Latin-1 byte at the end
            let url = directory.appendingPathComponent("\(n).csv")
            try data.write(to: url)
            let whole = records { body throws(DataFileError) in try CSVReader().forEachRecord(in: data, file: url.path, body) }
            for chunk in [1, 2, 3, 5, 8, 64] {
                let chunked = records { body throws(DataFileError) in try CSVReader().forEachRecord(inFileAt: url, file: url.path, chunkSize: chunk, body) }
                #expect(chunked == whole, "chunks of \(chunk) over \(text.debugDescription)")
            }
        }
        #expect(records { body throws(DataFileError) in
            try CSVReader().forEachRecord(inFileAt: directory.appendingPathComponent("0.csv"), file: "0.csv", body)
        } == ["1:id|nom", "2:1|a\"b", "3:2|c"])
        #expect(throws: DataFileError.self) {
            try CSVReader().forEachRecord(inFileAt: directory.appendingPathComponent("absent.csv"), file: "absent.csv") { _ in true }
        }
    }

    @Test func anErrorThrownByTheBodyComesOutAsIs() {
        let error = #expect(throws: DataFileError.self) {
            try CSVReader().forEachRecord(in: Data("a\nb\n".utf8), file: "r.csv") { record throws(DataFileError) in
                if record.line == 2 { throw DataFileError(file: "r.csv", line: 2, field: "a", problem: "rejected") }
                return true
            }
        }
        #expect(error?.description == "r.csv:2: field \"a\": rejected")
    }
}
