import Directory
import Foundation
import HTTPTypes
import Hummingbird
import Referencing
import ServerFoundation
import Storage

/// Every refusal of the node's API, rendered as `{"code", "message", "field"}` by the framework.
/// The store and the referencing rules throw domain errors; `DomainErrorMiddleware` maps them here.
public enum NodeAPIError: APIError, Equatable {
    /// No token, or one the node does not know.
    case unauthenticated
    /// A known caller acting outside their rights.
    case forbidden(String)
    case notFound(kind: String, id: String)
    /// A record or a request field that breaks a rule.
    case invalid(record: String, field: String, rule: String)
    /// A state the request conflicts with (workflow, immutable versions).
    case conflict(String)
    /// A write on a version the caller read that is no longer current (`If-Match`): 412.
    case stale(String)
    /// An edit proposed on a version that is no longer current: 409 with its own code.
    case staleProposal(String)
    /// The node's database is held by another connection (a long import): 503 with `Retry-After`.
    case busy

    /// Seconds a client is told to wait when the database is busy.
    static let retryAfterSeconds = 5

    public var status: HTTPResponse.Status {
        switch self {
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .invalid: .unprocessableContent
        case .conflict, .staleProposal: .conflict
        case .stale: .preconditionFailed
        case .busy: .serviceUnavailable
        }
    }

    public var body: ErrorBody {
        switch self {
        case .unauthenticated:
            ErrorBody(code: "unauthenticated", message: "jeton d'accès requis (en-tête Authorization: Bearer <jeton>) ou jeton inconnu")
        case .forbidden(let why): ErrorBody(code: "forbidden", message: why)
        case .notFound(let kind, let id): ErrorBody(code: "not_found", message: "\(kind) \(id) : introuvable")
        case .invalid(let record, let field, let rule): ErrorBody(code: "invalid", message: "\(record) : \(field) : \(rule)", field: field)
        case .conflict(let why): ErrorBody(code: "conflict", message: why)
        case .stale(let why): ErrorBody(code: "stale_version", message: why)
        case .staleProposal(let why): ErrorBody(code: "stale_proposal", message: why)
        case .busy:
            ErrorBody(code: "busy", message: "la base du nœud est occupée par une autre opération (un import, par exemple) : réessayez dans \(Self.retryAfterSeconds) secondes")
        }
    }

    public var headers: HTTPFields {
        switch self {
        case .unauthenticated: [.wwwAuthenticate: "Bearer realm=\"spro\""]
        case .busy: [.retryAfter: String(Self.retryAfterSeconds)]
        default: [:]
        }
    }

    /// The API's form of a domain error, or nil for an error the API does not know (a 500, logged).
    init?(_ error: any Error) {
        switch error {
        case let e as NodeAPIError: self = e
        case let e as RecordError:
            switch e {
            case .notFound(let kind, let id): self = .notFound(kind: kind, id: id)
            case .invalid(let record, let field, let rule): self = .invalid(record: record, field: field, rule: rule)
            case .conflict(let why): self = .conflict(why)
            }
        case let e as CharterError: self = .invalid(record: e.file, field: e.field, rule: e.rule)
        case let e as AccessDenied: self = .forbidden(e.description)
        case let e as StaleVersion: self = e.proposal == nil ? .stale(e.description) : .staleProposal(e.description)
        case let e as ReferencingError: self = .conflict(e.description)
        case let e as NodeError: self = .conflict(e.description)
        case let e as SQLiteError where e.isBusy: self = .busy
        default: return nil
        }
    }
}

/// Maps the store's and the rules' errors to `NodeAPIError` at the edge, so handlers just `try`.
struct DomainErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            guard let mapped = NodeAPIError(error) else { throw error }
            throw mapped
        }
    }
}
