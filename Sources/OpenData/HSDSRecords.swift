/// The HSDS 3.0 objects the release writes, flat (linked by ids, as the tabular profile has them); encoded
/// with snake_case keys, absent values left out. Ids are `StableUUID`s.
enum HSDS {
    struct Organization: Encodable {
        var id: String
        var name: String
        var description: String
        var email: String?
        var website: String?
    }

    struct OrganizationIdentifier: Encodable {
        var id: String
        var organizationId: String
        var identifierType: String
        var identifier: String
    }

    struct Service: Encodable {
        var id: String
        var organizationId: String
        var name: String
        var description: String
        var url: String?
        var email: String?
        var status: String
        var eligibilityDescription: String?
        var lastModified: String
    }

    struct Location: Encodable {
        var id: String
        var locationType: String
        var url: String?
        var organizationId: String?
        var name: String
        var description: String?
        var latitude: Double?
        var longitude: Double?
        var externalIdentifier: String
        var externalIdentifierType: String
    }

    struct Address: Encodable {
        var id: String
        var locationId: String
        var address1: String
        var address2: String?
        var city: String
        var region: String?
        var stateProvince: String
        var postalCode: String
        var country: String
        var addressType: String

        enum CodingKeys: String, CodingKey {
            case id, locationId, city, region, stateProvince, postalCode, country, addressType
            case address1 = "address_1", address2 = "address_2"
        }
    }

    struct ServiceAtLocation: Encodable {
        var id: String
        var serviceId: String
        var locationId: String
        var description: String?
    }

    struct Phone: Encodable {
        var id: String
        var locationId: String?
        var organizationId: String?
        var number: String
        var type: String
    }

    struct Schedule: Encodable {
        var id: String
        var locationId: String
        var freq = "WEEKLY"
        var wkst = "MO"
        /// iCal days, comma-separated ("MO,TU,WE,TH,FR").
        var byday: String
        /// Local time of the place's territory, "HH:MM".
        var opensAt: String
        var closesAt: String
        var description: String?
        var notes: String?
    }

    struct Language: Encodable {
        var id: String
        var locationId: String
        var code: String
    }

    struct Accessibility: Encodable {
        var id: String
        var locationId: String
        var description: String
    }
}
