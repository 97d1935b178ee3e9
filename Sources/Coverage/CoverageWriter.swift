import Directory
import Foundation

/// Writes a coverage report as `coverage.json` and `coverage.csv` (UTF-8, one row per zone).
public enum CoverageWriter {
    public static func write(_ report: CoverageReport, to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try SproJSON.encoder(pretty: true).encode(report).write(to: directory.appendingPathComponent("coverage.json"), options: .atomic)
        try Data(csv(report).utf8).write(to: directory.appendingPathComponent("coverage.csv"), options: .atomic)
    }

    static func csv(_ report: CoverageReport) -> String {
        func num(_ v: Double?, _ digits: Int = 2) -> String { v.map { String(format: "%.\(digits)f", $0) } ?? "" }
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var lines = ["ze2020,nom,region_principale,regions,population,lieux,structures,lieux_mutualises,reseaux,lieux_pour_100000,distance_moyenne_km,distance_mediane_km,distance_p90_km,part_au_dela_seuil"]
        for z in report.zones {
            lines.append([
                z.code.rawValue, field(z.name), z.mainRegion.rawValue, z.regions.map(\.rawValue).joined(separator: "|"),
                String(z.population), String(z.places), String(z.structures), String(z.lieuxMutualises),
                String(z.networks.count), num(z.placesPer100k), num(z.meanDistanceKm), num(z.medianDistanceKm),
                num(z.p90DistanceKm), num(z.shareBeyondThreshold, 4),
            ].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
