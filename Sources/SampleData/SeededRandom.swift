/// A small, fast, seeded pseudo-random generator (SplitMix64) whose output depends only on its seed,
/// so sample data is the same on every run and platform. All draws go through its own methods, never
/// through the standard library's `random(in:using:)`, whose algorithm may change between releases.
struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A generator for one named stream, e.g. (seed, "53", "mission_locale"): streams are independent,
    /// so changing how one network is drawn leaves the others as they were.
    init(seed: UInt64, streams: String...) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a over the stream names
        for s in streams {
            for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            h = (h ^ 0xff) &* 0x100_0000_01b3
        }
        var mixer = SeededRandom(seed: seed ^ h)
        state = mixer.next() ^ h.rotateLeft(17)
    }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform integer in `range` (inclusive).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % span)  // bias is negligible for our small spans
    }

    /// Uniform in [a, b).
    mutating func double(_ a: Double, _ b: Double) -> Double { a + (b - a) * unit() }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// One element, uniformly.
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// One element with the given weights (need not sum to 1).
    mutating func weighted<T>(_ items: [(T, Double)]) -> T {
        let total = items.reduce(0) { $0 + $1.1 }
        var x = unit() * total
        for (item, w) in items {
            x -= w
            if x < 0 { return item }
        }
        return items[items.count - 1].0
    }

    /// Fisher-Yates shuffle.
    mutating func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            a.swapAt(i, int(0...i))
        }
    }

    /// A count around `mean`: the integer part plus one with the fractional part's probability.
    mutating func count(mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        let whole = mean.rounded(.down)
        return Int(whole) + (chance(mean - whole) ? 1 : 0)
    }

    /// A count in 0...2*mean, spread around `mean` (a discrete triangle-ish law).
    mutating func spread(mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        return count(mean: mean * (unit() + unit()))
    }
}

extension UInt64 {
    fileprivate func rotateLeft(_ n: UInt64) -> UInt64 { (self << n) | (self >> (64 - n)) }
}
