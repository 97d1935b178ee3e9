import Directory
import Foundation
import Hummingbird
import NationalDirectory
import ServerFoundation

/// `/api/v1/channels`: remote entry points (phone, chat…), a shared one once with its contributors,
/// filtered by `region` (INSEE code), `service` and `public`, each value checked like the search's; with
/// an ETag, as every list of the read API.
struct ChannelsController {
    let channels: [DirectoryChannel]

    func addRoutes(to router: Router<NationalRequestContext>) {
        router.get("/api/v1/channels", use: list)
    }

    @Sendable func list(_ request: Request, context: NationalRequestContext) throws -> Response {
        var channels = self.channels
        for (key, value) in request.uri.queryParameters.map({ (String($0.key), String($0.value)) }) {
            switch key {
            case "region":
                guard let code = try? RegionCode(value) else {
                    throw NationalAPIError.badParameter(key, message: "région inconnue « \(value) »")
                }
                channels = channels.filter { $0.region == code }
            case "service":
                guard let service = Service(rawValue: value) else {
                    throw NationalAPIError.badParameter(key, message: "service inconnu « \(value) »")
                }
                channels = channels.filter { $0.channel.services.contains(service) }
            case "public":
                guard let audience = Public(rawValue: value) else {
                    throw NationalAPIError.badParameter(key, message: "public inconnu « \(value) »")
                }
                channels = channels.filter { $0.channel.publics.contains(audience) || $0.channel.publics.contains(.tousPublics) }
            default:
                throw NationalAPIError.unknownParameter(key)
            }
        }
        let bytes = Array(try SproJSON.encoder().encode(channels))
        return ReadAPIController.answer(bytes, etag: FNV1a.hash(bytes), headers: [.contentType: "application/json; charset=utf-8"],
                                        request: request)
    }
}
