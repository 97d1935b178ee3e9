import HTTPTypes
import Hummingbird

/// A request whose path exists but does not answer its method: 405 with `Allow`, rather than the 404
/// of a path that does not exist.
public struct MethodNotAllowed: APIError, Equatable {
    public let method: HTTPRequest.Method
    public let path: String
    /// What the path answers, in the order `Allow` lists them.
    public let allowed: [HTTPRequest.Method]

    public var status: HTTPResponse.Status { .methodNotAllowed }

    public var body: ErrorBody {
        ErrorBody(code: "method_not_allowed",
                  message: "méthode \(method.rawValue) non acceptée à l'adresse « \(path) » : méthodes acceptées "
                      + allowed.map(\.rawValue).joined(separator: ", "))
    }

    public var headers: HTTPFields { [.allow: allowed.map(\.rawValue).joined(separator: ", ")] }
}

extension Router {
    /// The methods a path may be asked for that `refuseOtherMethods` answers.
    static var refusableMethods: [HTTPRequest.Method] { [.get, .head, .post, .put, .patch, .delete, .options, .trace, HTTPRequest.Method("QUERY")!] }

    /// Call once every route is added: on each routed path, every common method it does not answer gets
    /// `MethodNotAllowed` naming those it does (`HEAD` with `GET`, which the router answers for it).
    public func refuseOtherMethods() {
        var allowed: [String: (path: RouterPath, methods: Set<HTTPRequest.Method>)] = [:]
        for route in routes {
            allowed[route.path.description, default: (route.path, [])].methods.insert(route.method)
        }
        for (_, entry) in allowed {
            var methods = entry.methods
            if methods.contains(.get) { methods.insert(.head) }
            let listed = Self.refusableMethods.filter(methods.contains)
                + methods.filter { !Self.refusableMethods.contains($0) }.sorted { $0.rawValue < $1.rawValue }
            for method in Self.refusableMethods where !methods.contains(method) {
                on(entry.path, method: method) { request, _ -> Response in
                    throw MethodNotAllowed(method: request.method, path: request.uri.path, allowed: listed)
                }
            }
        }
    }
}
