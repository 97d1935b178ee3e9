import ArgumentParser

/// A duration given on the command line as "90s", "15m", "2h" or a number of seconds.
struct Interval: ExpressibleByArgument {
    let seconds: Double

    init?(argument: String) {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        if let unit = argument.last, let factor = units[unit], let n = Double(argument.dropLast()), n > 0 {
            seconds = n * factor
        } else if let n = Double(argument), n > 0 {
            seconds = n
        } else {
            return nil
        }
    }
}
