import Hummingbird

/// Every write to the team's pages (any method but GET and HEAD) must come from this node's own pages: a
/// request whose `Origin` names another site is refused before any handler reads it. The CSRF token each
/// form carries is the second check, made by the handler that reads the form.
struct SameOriginMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head || TeamPagesController.sameOrigin(request) else {
            return TeamPagesController.refusedOrigin()
        }
        return try await next(request, context)
    }
}
