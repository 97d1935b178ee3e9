import Foundation
import HTTPTypes
import Hummingbird
import ServerFoundation

/// Every refusal of the national directory's API, rendered as `{"code", "message", "field"}` by the
/// framework wherever a handler throws it. Messages are French (with the English gist in brackets,
/// for the developers of the Régions' and partners' sites).
public enum NationalAPIError: APIError, Equatable {
    /// A query parameter the route does not know: refused rather than ignored, so a typo is not a silent
    /// "no filter".
    case unknownParameter(String)
    /// A parameter whose value breaks its rule; `message` names the value and the rule.
    case badParameter(String, message: String)
    /// A code in the path (`:code`) that names no zone d'emploi or Région.
    case unknownCode(String, kind: CodeKind)
    /// Something the server was started without: the coverage report, a harvest, the map's outlines.
    case notLoaded(Resource)
    /// No route at this path.
    case noRoute(path: String)
    /// No record by this national id; `kind` says what was asked for ("aucun lieu", "aucune structure").
    case noRecord(kind: String, id: String)
    /// The server listens but has not loaded the national directory yet (503, `Retry-After`).
    case loading

    /// What a `:code` in a path names.
    public enum CodeKind: Sendable, Equatable {
        case zoneEmploi, region
    }

    /// What the server may have been started without.
    public enum Resource: Sendable, Equatable {
        case coverage, harvestReport, mapOutlines
    }

    public var status: HTTPResponse.Status {
        switch self {
        case .unknownParameter, .badParameter: .badRequest
        case .unknownCode, .notLoaded, .noRoute, .noRecord: .notFound
        case .loading: .serviceUnavailable
        }
    }

    public var headers: HTTPFields {
        self == .loading ? [.retryAfter: "5"] : [:]
    }

    public var body: ErrorBody {
        switch self {
        case .unknownParameter(let name):
            ErrorBody(code: "bad_request", message: "paramètre inconnu « \(name) » (unknown parameter)", field: name)
        case .badParameter(let name, let message):
            ErrorBody(code: "bad_request", message: message, field: name)
        case .unknownCode(let code, .zoneEmploi):
            ErrorBody(code: "not_found", message: "zone d'emploi inconnue « \(code) » (unknown zone)", field: "code")
        case .unknownCode(let code, .region):
            ErrorBody(code: "not_found", message: "Région inconnue « \(code) » (unknown region)", field: "code")
        case .notLoaded(.coverage):
            ErrorBody(code: "not_found", message: "rapport de couverture non calculé (no coverage report yet)")
        case .notLoaded(.harvestReport):
            ErrorBody(code: "not_found", message: "aucun moissonnage (no harvest yet)")
        case .notLoaded(.mapOutlines):
            ErrorBody(code: "not_found", message: "fond de carte non chargé (no outlines loaded)")
        case .noRoute(let path):
            ErrorBody(code: "not_found", message: "aucune ressource à l'adresse « \(path) » (no such path)")
        case .noRecord(let kind, let id):
            ErrorBody(code: "not_found", message: "\(kind) « \(id) » dans l'annuaire national (no such record)", field: "id")
        case .loading:
            ErrorBody(code: "not_ready", message: "l'annuaire national est en cours de chargement ; réessayez dans quelques secondes (loading)")
        }
    }
}

/// Gives the framework's own refusals (no route at this path, a missing path parameter) the API's
/// error shape, so a client reads every error the same way; a person's browser asking for a page that
/// does not exist (outside `/api/`, accepting HTML) gets a French page instead.
struct NationalErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let path = request.uri.path
            if !path.hasPrefix("/api/"), request.headers[.accept]?.contains("text/html") == true {
                throw PublicPageError.noPage(path: path)
            }
            throw NationalAPIError.noRoute(path: path)
        }
    }
}

