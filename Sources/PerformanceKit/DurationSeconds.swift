extension Duration {
    /// The duration in seconds as a `Double`, attoseconds included: for timings written in reports,
    /// metrics and console lines.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
