import Directory
import Foundation
import Hummingbird
import HummingbirdAuth

/// Reads `Authorization: Bearer <token>` and puts the token's principal in the context.
struct BearerTokenAuthenticator: AuthenticatorMiddleware {
    typealias Context = NodeRequestContext
    let store: NodeStore

    func authenticate(request: Request, context: Context) async throws -> Principal? {
        guard let bearer = request.headers.bearer else { return nil }
        return try await store.principal(forToken: bearer.token.trimmingCharacters(in: .whitespaces))
    }
}

/// The team session's member, when the session's token is still valid (a revoked token ends it).
struct TeamSessionAuthenticator: AuthenticatorMiddleware {
    typealias Context = NodeRequestContext
    let store: NodeStore

    func authenticate(request: Request, context: Context) async throws -> Principal? {
        guard let session = context.sessions.session else { return nil }
        return try await store.principal(forTokenHash: session.tokenHash)
    }
}

/// Refuses a request with no identity: the API's routes sit behind it.
struct RequireIdentityMiddleware: RouterMiddleware {
    typealias Context = NodeRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.identity != nil else { throw NodeAPIError.unauthenticated }
        return try await next(request, context)
    }
}
