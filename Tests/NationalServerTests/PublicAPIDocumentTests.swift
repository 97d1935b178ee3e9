import Foundation
import Hummingbird
import SproTestSupport
import Testing
@testable import NationalServer

/// `docs/public-api.yaml` documents every route the national server's router has, and nothing else.
@Suite struct PublicAPIDocumentTests {
    static let document = TestReference.repositoryRoot.appendingPathComponent("docs/public-api.yaml")

    /// The document's paths (`  /lieux/{region}/{id}:` lines under `paths:`), each with its text.
    static func documentedPaths() throws -> [String: String] {
        let text = try String(contentsOf: document, encoding: .utf8)
        let paths = try #require(text.range(of: "\npaths:\n")).upperBound
        var out: [String: String] = [:]
        var current: String?
        for line in text[paths...].split(separator: "\n", omittingEmptySubsequences: false) {
            if let m = line.wholeMatch(of: /\ \ (\/[^ :]*):/) {
                current = String(m.1)
                out[current!] = ""
            } else if let current, line.hasPrefix("    ") {
                out[current, default: ""] += line + "\n"
            } else if !line.isEmpty {
                current = nil
            }
        }
        return out
    }

    @Test func everyRouteOfTheRouterIsDocumentedAndViceVersa() async throws {
        let router = NationalApp.buildRouter(content: try await NationalAppTests.content())
        // HEAD answers wherever GET does, and other methods are refused (405): the GET routes are the API.
        let routed = Set(router.routes.filter { $0.method == .get }.map { route in
            route.path.description.split(separator: "/", omittingEmptySubsequences: false)
                // `**` (the rest of the path, a release's file) is documented as `{file}`.
                .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : $0 == "**" ? "{file}" : String($0) }.joined(separator: "/")
        })
        let documented = try Self.documentedPaths()
        #expect(routed.count >= 15, "\(routed.sorted())")
        #expect(routed.subtracting(documented.keys).isEmpty, "routes missing from docs/public-api.yaml: \(routed.subtracting(documented.keys).sorted())")
        #expect(Set(documented.keys).subtracting(routed).isEmpty, "documented but not routed: \(Set(documented.keys).subtracting(routed).sorted())")
        #expect(documented.values.allSatisfy { $0.contains("    get:") })
    }

    @Test func everyParameterOfTheNearestAPIAndOfTheSearchPageIsDocumented() throws {
        let documented = try Self.documentedPaths()
        func names(_ path: String) throws -> Set<String> {
            Set(try #require(documented[path]).matches(of: /- \{ name: ([a-z_]+), in: query/).map { String($0.1) })
        }
        #expect(try names("/api/v1/places/nearest") == NearestParameters.known)
        let form = Set(SearchForm.CodingKeys.allCases.map(\.rawValue))
        #expect(try names("/") == form)
    }

    /// Both API documents (this server's and the node's admin API) are valid OpenAPI 3.1 for
    /// `openapi-spec-validator` (PyPI); a key split by an unquoted comma in a description is what it catches.
    @Test(arguments: ["docs/public-api.yaml", "docs/node-admin-api.yaml"])
    func theDocumentIsValidOpenAPI(path: String) throws {
        let script = "import sys\nfrom openapi_spec_validator import validate\nfrom openapi_spec_validator.readers import read_from_filename\n"
            + "validate(read_from_filename(sys.argv[1])[0])\nprint('valid')"
        let result = try runProcess("python3", ["-c", script, TestReference.repositoryRoot.appendingPathComponent(path).path])
        #expect(result.status == 0, "\(result.output.suffix(2_000))")
        #expect(result.output.contains("valid"))
    }

    @Test func theListsDocumentEveryParameterTheyRead() throws {
        let documented = try Self.documentedPaths()
        for path in ["/api/v1/places", "/api/v1/structures"] {
            let refs = Set(try #require(documented[path]).matches(of: /#\/components\/parameters\/([a-z_]+)"/).map { String($0.1) })
            #expect(refs == ListQuery.known, "\(path)")
        }
    }
}
