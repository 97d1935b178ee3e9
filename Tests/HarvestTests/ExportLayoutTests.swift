import Foundation
import Testing
@testable import Harvest

/// The scan that finds each record's bytes without decoding them: exact boundaries on well-formed JSON,
/// refusal of a skeleton that is not.
@Suite struct ExportLayoutTests {
    func slices(_ text: String, _ kind: String) throws -> [String] {
        let data = Data(text.utf8)
        let layout = try ExportLayout.scan(data)
        return (layout.records[kind] ?? []).map { String(decoding: data[$0], as: UTF8.self) }
    }

    @Test func recordsAreCutAtTheirOwnBracketsWhateverTheirStringsHold() throws {
        let text = #"""
            { "version": 3, "places" : [ {"id":"a","name":"Crochets ] } [ {"} ,
              {"id":"b","name":"guillemet \" échappé, virgule"} ,{"id":"c","lines":["x",{"y":[1,2]}]}],
              "format":"spro-export/1", "indicators": [] }
            """#
        #expect(try slices(text, "places") == [
            #"{"id":"a","name":"Crochets ] } [ {"}"#,
            #"{"id":"b","name":"guillemet \" échappé, virgule"}"#,
            #"{"id":"c","lines":["x",{"y":[1,2]}]}"#,
        ])
        #expect(try slices(text, "indicators").isEmpty)
        let layout = try ExportLayout.scan(Data(text.utf8))
        #expect(layout.members.map(\.key) == ["version", "places", "format", "indicators"])
    }

    @Test func aBrokenSkeletonIsRefused() {
        for text in [
            #"{"places":[{"id":"a"}"#,               // array never closed
            #"{"places":[{"id":"a"},]}"#,            // trailing comma
            #"{"places":[{"id":"a"} {"id":"b"}]}"#,  // comma missing
            #"{"places":[]} {}"#,                    // a second document
            #"{"places":[{"id":"a}]}"#,              // string never closed
            #"["places"]"#,                          // not an object
            #"{places:[]}"#,                         // key not a string
        ] {
            #expect(throws: ExportLayout.Malformed.self, "\(text)") { try ExportLayout.scan(Data(text.utf8)) }
        }
    }
}
