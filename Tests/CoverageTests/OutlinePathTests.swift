import Foundation
import MapDrawing
import Testing

/// Map coordinates are written to a tenth of a pixel as `String(format: "%.1f")` wrote them, without ".0".
@Suite struct OutlinePathTests {
    @Test func coordinatesAreWrittenAsPrintfWroteThem() {
        func printf(_ x: Double) -> String {
            let r = (x * 10).rounded() / 10
            return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
        }
        var random = SystemRandomNumberGenerator()
        let values = [0, -0.0, 0.04, -0.04, 0.05, -0.05, 0.5, -0.5, -0.95, -1, 12.34, -12.34, 599.96, -9.99, 1234.5]
            + (0..<5_000).map { _ in Double.random(in: -1_000...1_000, using: &random) }
        for x in values { #expect(OutlinePath.fmt(x) == printf(x), "\(x)") }
        #expect(OutlinePath.fmt(-0.5) == "-0.5" && OutlinePath.fmt(12.34) == "12.3" && OutlinePath.fmt(7.96) == "8")
    }
}
