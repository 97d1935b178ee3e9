import Foundation
import PerformanceKit
import Testing
@testable import Directory

@Suite struct IndicatorValueJSONTests {
    @Test func indicatorValuesAreWrittenAsJSONEncoderWritesThem() throws {
        var rng = SystemRandomNumberGenerator()
        let texts = ["visits", "taux_satisfaction", "53-P\"1\"", "a\\b", "é/ü\n\t", "\u{1}", "2026-Q3", ""]
        var values = [0, -0.0, 1, 1200, 0.1, 1e-7, 1e21, 123456789.125, -42.5, Double.leastNonzeroMagnitude, 3.0e15]
            .map { IndicatorValue(subject: .place, subjectId: "53-P0", code: "c", period: "2026", value: $0, unit: "u") }
        for i in 0..<500 {
            values.append(IndicatorValue(subject: i % 2 == 0 ? .place : .structure, subjectId: texts.randomElement(using: &rng)!,
                                         code: texts.randomElement(using: &rng)!, period: texts.randomElement(using: &rng)!,
                                         value: Double.random(in: -1e6...1e6, using: &rng).rounded(toPlaces: i % 5),
                                         unit: texts.randomElement(using: &rng)!))
        }
        var w = JSONBytes(capacity: 0)
        w.beginArray()
        for v in values { v.write(to: &w) }
        w.endArray()
        let expected = try SproJSON.encoder().encode(values)
        #expect(Data(w.bytes) == expected, "\(String(decoding: w.bytes.prefix(300), as: UTF8.self))")
    }
}

private extension Double {
    func rounded(toPlaces places: Int) -> Double {
        let p = pow(10, Double(places))
        return (self * p).rounded() / p
    }
}
