import Testing
@testable import Geocoding

@Suite struct NameSimilarityTests {
    @Test func fuzzySimilarity() {
        let quimper = NameKey("QUIMPER")
        #expect(NameSimilarity.editDistance(Array("QUIMPRE".utf8), quimper.bytes) == 1)
        #expect(NameSimilarity.similarity(NameKey("QUIMPRE"), quimper, atLeast: 0.8, containment: .strict) > 0.85)
        #expect(NameSimilarity.similarity(NameKey("CLION"), NameKey("CLION SUR SEUGNE"), atLeast: 0.8, containment: .loose) >= 0.85)
        #expect(NameSimilarity.similarity(NameKey("MONT"), NameKey("CHAMONIX MONT BLANC"), atLeast: 0.8, containment: .strict) < 0.8)
        #expect(NameSimilarity.similarity(NameKey("SOSSAY"), NameKey("ROSSAY"), atLeast: 0.8, containment: .strict) < 0.8)
    }
}
