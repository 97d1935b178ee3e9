import Directory
import Geocoding
import Reference
import Testing

@Suite struct TownHallAccuracyTests {
    /// The first 2,000 town halls of mairies.csv, geocoded from postcode + city only, land in the right
    /// commune (an arrondissement of the expected city counts) at least 99% of the time.
    @Test func firstTwoThousandTownHalls() throws {
        let fixture = try ReferenceFixture.get()
        let halls = try TownHall.load(from: fixture.directory).prefix(2000)
        var right = 0
        var misses: [String] = []
        for h in halls {
            let r = fixture.geocoder.geocode(Address(lines: h.addressLines, postcode: h.postcode, city: h.city))
            let parent = r.commune.flatMap { fixture.pack.communes[$0]?.parent }
            if r.commune == h.commune || parent == h.commune {
                right += 1
            } else {
                misses.append("\(h.commune) \(h.postcode) \(h.city) -> \(r.commune?.rawValue ?? "nil"): \(r.reason ?? "")")
            }
        }
        let rate = Double(right) / Double(halls.count)
        #expect(rate >= 0.99, "accuracy \(rate); misses: \(misses.prefix(20).joined(separator: " | "))")
    }
}
