import Hummingbird
import Synchronization

/// A responder whose routes can be replaced while the server runs: each request is answered whole by
/// the responder in place when it arrived, so no request sees half of an old content and half of a new
/// one, and none waits for a swap (the lock is held only to copy a reference).
final class SwappableResponder<Context: RequestContext>: HTTPResponder, Sendable {
    private let current: Mutex<RouterResponder<Context>>

    init(_ initial: RouterResponder<Context>) {
        current = Mutex(initial)
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let responder = current.withLock { $0 }
        return try await responder.respond(to: request, context: context)
    }

    /// Serves every request arriving from now on with `responder`; those in flight finish with the old one,
    /// which is returned, so that the caller chooses where the old routes (and the content they hold) are freed.
    func swap(_ responder: RouterResponder<Context>) -> RouterResponder<Context> {
        current.withLock { current in
            defer { current = responder }
            return current
        }
    }
}
