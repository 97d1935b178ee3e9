import Directory

/// SIRET numbers: every one passes the Luhn check, and so does its SIREN.
extension RegionBuilder {
    /// An association's or company's own SIREN (Luhn-valid), kept apart between régions.
    func randomSIRET(_ rng: inout SeededRandom) -> SIRET {
        var siren: String
        repeat {
            var body = rng.pick(["3", "4", "5", "7", "8"]) + French.padded(ordinal, 2)
            for _ in 0..<5 { body += String(rng.int(0...9)) }
            siren = Luhn.complete(body)
        } while usedSIRENs.contains(siren)
        usedSIRENs.insert(siren)
        return SIRET.completing(siren + French.padded(rng.int(1...45), 4))
    }

    /// A SIREN derived from a name (an académie, a university), with establishments numbered in turn.
    func namedSIRET(_ key: String, first: String) -> SIRET {
        var r = SeededRandom(seed: context.seed, streams: "siren", key)
        var body = first
        while body.count < 8 { body += String(r.int(0...9)) }
        return nextSIRET(Luhn.complete(body))
    }

    /// The commune's own SIREN (a "21..." number), for services a town hall runs.
    func communeSIRET(_ unit: Int) -> SIRET {
        let digits = String(geo.units[unit].code.rawValue.map { $0.isNumber ? $0 : "0" })
        return nextSIRET(Luhn.complete("21" + digits + "0"))
    }

    func nextSIRET(_ siren: String) -> SIRET {
        let nic = (nicCounters[siren] ?? 0) + 1
        nicCounters[siren] = nic
        usedSIRENs.insert(siren)
        return SIRET.completing(siren + French.padded(nic, 4))
    }

    /// One establishment of a national body with a single SIREN (France Travail, Apec, Afpa, EPIDE),
    /// numbered after the establishments of the régions before this one.
    func sharedSIRET(_ network: Network, _ key: QuotaKey, index: Int) -> SIRET {
        let n = (quotas.sharedOffsets[key] ?? 0) + index
        let block = n / 9_999, nic = n % 9_999 + 1
        var r = SeededRandom(seed: context.seed, streams: "siren", network.rawValue, String(block))
        var body = network == .apec ? "78" : "13"
        while body.count < 8 { body += String(r.int(0...9)) }
        return SIRET.completing(Luhn.complete(body) + French.padded(nic, 4))
    }
}
