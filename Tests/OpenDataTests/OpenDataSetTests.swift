import Directory
import Foundation
import NationalDirectory
import OpenData
import Testing

@Suite struct OpenDataSetTests {
    @Test func aReleaseFileKeepsItsBytes() {
        let file = ReleaseFile(name: "lieux.csv", mediaType: "text/csv", bytes: Data("a,b\r\n".utf8))
        #expect(file.bytes.count == 5)
        #expect(file != ReleaseFile(name: "lieux.csv", mediaType: "text/csv", bytes: Data("a,c\r\n".utf8)))
    }
}
