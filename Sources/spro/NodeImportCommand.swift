import ArgumentParser
import Directory
import Federation
import Foundation
import Reference
import RegionNode
import Signing

extension NodeCommand {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import structures, places and indicator values from CSV or JSON files into a node: bad rows are reported by line and field.",
            discussion: """
            Files ending in .json hold a JSON array of records as the export writes them; others are CSV with a header row:
              structures: id,name,network,basis[,siret,website,phone,email,designation_decided_on,designation_crefop_consulted_on,sells_training]
              referenced (the Région's existing referenced list, landing as referenced): the structure columns and referenced_on,convention[,charter_version]
              places: id,name,structure_ids,address,postcode,city[,commune_code,kind,latitude,longitude,languages,opening_hours,reception_modes,publics,services,accessible,free_of_charge,phone]
              indicators: subject,subject_id,code,period,value,unit
            Files are imported in that order, each in one transaction. A re-import changes nothing.
            Each rejected row is printed (file, line, record, field, rule), then one line per file with the counts; rows rejected without --all-or-nothing do not change the exit code.

            """ + "\n" + ExitCodes.help("a file refused whole: a bad row with --all-or-nothing, a missing column or a malformed "
                + "CSV; or a file that cannot be read"))
        @Option(help: "Region INSEE code, e.g. 53.") var region: String
        @OptionGroup var work: WorkOptions
        @OptionGroup var reference: ReferenceOptions
        @Option(help: "Trust registry directory (default: <work>/registry if present, else the repository's Regions/).") var registry: String?
        @Option(help: "Structures (CSV or JSON).") var structures: String?
        @Option(help: "The Région's existing referenced list (CSV): each structure lands as referenced on its referenced_on day.") var referenced: String?
        @Option(help: "Places (CSV or JSON).") var places: String?
        @Option(help: "Indicator values (CSV or JSON).") var indicators: String?
        @Flag(help: "Store nothing from a file if any of its rows is bad.") var allOrNothing = false
        @Option(help: "Node SQLite file (default: <work>/nodes/<code>.sqlite).") var db: String?

        func validate() throws {
            if structures == nil && referenced == nil && places == nil && indicators == nil {
                throw ValidationError("give at least one of --structures, --referenced, --places, --indicators")
            }
        }

        func run() async throws {
            let ws = Workspace(root: URL(fileURLWithPath: work.directory))
            let repo = try RepositoryLookup.repository()
            let entry = try loadRegion(region, registry: try RepositoryLookup.registry(explicit: registry, work: ws))
            let store = try NodeStore(region: entry, databasePath: db ?? ws.nodeDatabase(entry.code).path,
                                      key: try SigningKey.read(from: ws.keyFile(entry.code)))
            let pack = try ReferencePack.load(from: try ReferencePack.locate(explicit: reference.directory))
            let validator = RecordValidator(knownCommunes: Set(pack.communes.keys.map(\.rawValue)), indicators: try repo.indicatorCatalogue(),
                                            territories: Territories(pack))
            func principal(_ path: String) -> Principal { Principal(name: "import \(URL(fileURLWithPath: path).lastPathComponent)", role: .admin) }
            func rows<R: Decodable & Sendable>(_ path: String, _ type: R.Type, csv: (CSVSource) -> ImportRows<R>) throws -> ImportRows<R> {
                let url = URL(fileURLWithPath: path)
                return url.pathExtension.lowercased() == "json"
                    ? try ImportJSON.read(try Data(contentsOf: url), as: type, file: path)
                    : csv(.file(url))
            }
            var refused: [String] = []
            func show(_ path: String, _ what: String, _ report: ImportReport) {
                for error in report.errors { printLine("\(path) : \(error)") }
                if report.rejected > report.errors.count {
                    printLine("\(path) : … et \(report.rejected - report.errors.count) autres lignes rejetées")
                }
                if report.refusedWhole {
                    printLine("\(path) : rien importé : \(report.rejected) lignes en erreur et --all-or-nothing")
                    refused.append(path)
                } else {
                    printLine("\(path) : \(report.stored) \(what) importés (\(report.unchanged) inchangés, \(report.rejected) rejetés)")
                }
            }
            if let path = structures {
                show(path, "structures", try await store.importStructures(
                    try rows(path, Structure.self, csv: StructureCSV.rows), validator: validator, allOrNothing: allOrNothing, by: principal(path)))
            }
            if let path = referenced {
                show(path, "structures référencées", try await store.importFile(.referenced, .file(URL(fileURLWithPath: path)), validator: validator,
                                                                                allOrNothing: allOrNothing, by: principal(path)))
            }
            if let path = places {
                show(path, "lieux", try await store.importPlaces(
                    try rows(path, Place.self, csv: PlaceCSV.rows), validator: validator, allOrNothing: allOrNothing, by: principal(path)))
            }
            if let path = indicators {
                show(path, "valeurs d'indicateurs", try await store.importIndicators(
                    try rows(path, IndicatorValue.self, csv: IndicatorCSV.rows), validator: validator, allOrNothing: allOrNothing, by: principal(path)))
            }
            if !refused.isEmpty {
                throw CommandFailure("refusé : \(refused.joined(separator: ", ")) : rien importé de ces fichiers (lignes en erreur et --all-or-nothing)")
            }
        }
    }
}
