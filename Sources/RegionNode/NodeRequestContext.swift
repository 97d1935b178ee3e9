import Foundation
import Hummingbird
import HummingbirdAuth
import ServerFoundation

/// What the node's handlers know about a request: who is calling (from a bearer token on the API, from
/// the team session on the pages) and the session itself.
public struct NodeRequestContext: AuthRequestContext, SessionRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `BearerTokenAuthenticator` or `TeamSessionAuthenticator`.
    public var identity: Principal?
    /// The team page session, loaded and saved by `SessionMiddleware`.
    public let sessions: SessionContext<TeamSession>

    public init(source: Source) {
        coreContext = .init(source: source)
        identity = nil
        sessions = .init()
    }

    /// A bulk import or a charter can be large; anything above is refused before it is read.
    public var maxUploadSize: Int { 4 << 20 }
    public var requestDecoder: SproRequestDecoder { SproRequestDecoder() }
    public var responseEncoder: SproResponseEncoder { SproResponseEncoder() }

    /// The authenticated caller; a 401 in the API's error shape when there is none.
    public func principal() throws -> Principal {
        guard let identity else { throw NodeAPIError.unauthenticated }
        return identity
    }
}

/// A signed-in member of the team pages, kept server side: the cookie carries only a random session id,
/// never the API token.
public struct TeamSession: Codable, Sendable, Equatable {
    /// SHA-256 of the token the member signed in with: revoking the token ends the session.
    public var tokenHash: String
    /// Sent back with every form; a state-changing form without it is refused (CSRF).
    public var csrfToken: String

    public init(tokenHash: String, csrfToken: String) {
        self.tokenHash = tokenHash
        self.csrfToken = csrfToken
    }
}
