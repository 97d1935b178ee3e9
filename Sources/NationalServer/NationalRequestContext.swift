import Hummingbird
import ServerFoundation

/// What the national directory's handlers get with each request: the framework's core context, and
/// the project's JSON encoder for every `Encodable` a handler returns (sorted keys: equal content,
/// equal bytes).
public struct NationalRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    public var responseEncoder: SproResponseEncoder { SproResponseEncoder() }
}
