import Foundation
import PerformanceKit

/// A data·inclusion or HSDS record written straight to JSON bytes: keys in sorted order, absent values
/// left out, the bytes `JSONEncoder` writes for it with `.sortedKeys`, `.withoutEscapingSlashes` and
/// `.convertToSnakeCase` (`ReleaseJSONTests` holds them equal), at a fraction of its cost: through the
/// encoder, these two formats took nearly all of a release's time and ~5 GiB at 80,000 places.
protocol ReleaseJSONWritable: Encodable {
    func write(to w: inout JSONBytes)
}

extension Array where Element: ReleaseJSONWritable {
    /// The records as one JSON array.
    func releaseJSON() -> Data {
        var w = JSONBytes(capacity: 64 + count * 600)
        w.beginArray()
        for record in self { record.write(to: &w) }
        w.endArray()
        return Data(w.bytes)
    }
}

extension JSONBytes {
    mutating func string(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        self.key(key)
        string(value)
    }

    mutating func double(_ key: StaticString, _ value: Double?) {
        guard let value else { return }
        self.key(key)
        double(value)
    }

    mutating func strings(_ key: StaticString, _ values: [String]?) {
        guard let values else { return }
        self.key(key)
        strings(values)
    }
}

extension DataInclusionStructure: ReleaseJSONWritable {
    func write(to w: inout JSONBytes) {
        w.beginObject()
        w.string("adresse", adresse)
        w.string("code_insee", codeInsee)
        w.string("code_postal", codePostal)
        w.string("commune", commune)
        w.string("complement_adresse", complementAdresse)
        w.string("courriel", courriel)
        w.string("date_maj", dateMaj)
        w.string("description", description)
        w.string("id", id)
        w.double("latitude", latitude)
        w.double("longitude", longitude)
        w.string("nom", nom)
        w.strings("reseaux_porteurs", reseauxPorteurs)
        w.string("siret", siret)
        w.string("site_web", siteWeb)
        w.string("source", source)
        w.string("telephone", telephone)
        w.endObject()
    }
}

extension DataInclusionService: ReleaseJSONWritable {
    func write(to w: inout JSONBytes) {
        w.beginObject()
        w.string("adresse", adresse)
        w.string("code_insee", codeInsee)
        w.string("code_postal", codePostal)
        w.string("commune", commune)
        w.string("complement_adresse", complementAdresse)
        w.string("courriel", courriel)
        w.string("date_maj", dateMaj)
        w.string("description", description)
        w.string("frais", frais)
        w.string("horaires_accueil", horairesAccueil)
        w.string("id", id)
        w.double("latitude", latitude)
        w.string("lien_mobilisation", lienMobilisation)
        w.double("longitude", longitude)
        w.strings("mobilisable_par", mobilisablePar)
        w.strings("modes_accueil", modesAccueil)
        w.strings("modes_mobilisation", modesMobilisation)
        w.string("nom", nom)
        w.strings("publics", publics)
        w.string("publics_precisions", publicsPrecisions)
        w.string("source", source)
        w.string("structure_id", structureId)
        w.string("telephone", telephone)
        w.strings("thematiques", thematiques)
        w.string("type", type)
        w.endObject()
    }
}

extension HSDS.Organization: ReleaseJSONWritable {
    func write(to w: inout JSONBytes) {
        w.beginObject()
        w.string("description", description)
        w.string("email", email)
        w.string("id", id)
        w.string("name", name)
        w.string("website", website)
        w.endObject()
    }
}

extension HSDS.OrganizationIdentifier: ReleaseJSONWritable {
    func write(to w: inout JSONBytes) {
        w.beginObject()
        w.string("id", id)
        w.string("identifier", identifier)
        w.string("identifier_type", identifierType)
        w.string("organization_id", organizationId)
        w.endObject()
    }
}

extension HSDS.Service: ReleaseJSONWritable {
    func write(to w: inout JSONBytes) {
        w.beginObject()
        w.string("description", description)
        w.string("eligibility_description", eligibilityDescription)
        w.string("email", email)
        w.string("id", id)
        w.string("last_modified", lastModified)
        w.string("name", name)
        w.string("organization_id", organizationId)
        w.string("status", status)
        w.string("url", url)
        w.endObject()
    }
}

extension HSDS.Location: ReleaseJSONWritable {
    func write(to w: inout JSONBytes) {
        w.beginObject()
        w.string("description", description)
        w.string("external_identifier", externalIdentifier)
        w.string("external_identifier_type", externalIdentifierType)
        w.string("id", id)
        w.double("latitude", latitude)
        w.string("location_type", locationType)
        w.double("longitude", longitude)
        w.string("name", name)
        w.string("organization_id", organizationId)
        w.string("url", url)
        w.endObject()
    }
}

extension HSDS.Address: ReleaseJSONWritable {
    func write(to w: inout JSONBytes) {
        w.beginObject()
        w.string("address_1", address1)
        w.string("address_2", address2)
        w.string("address_type", addressType)
        w.string("city", city)
        w.string("country", country)
        w.string("id", id)
        w.string("location_id", locationId)
        w.string("postal_code", postalCode)
        w.string("region", region)
        w.string("state_province", stateProvince)
        w.endObject()
    }
}

extension HSDS.ServiceAtLocation: ReleaseJSONWritable {
    func write(to w: inout JSONBytes) {
        w.beginObject()
        w.string("description", description)
        w.string("id", id)
        w.string("location_id", locationId)
        w.string("service_id", serviceId)
        w.endObject()
    }
}

extension HSDS.Phone: ReleaseJSONWritable {
    func write(to w: inout JSONBytes) {
        w.beginObject()
        w.string("id", id)
        w.string("location_id", locationId)
        w.string("number", number)
        w.string("organization_id", organizationId)
        w.string("type", type)
        w.endObject()
    }
}

extension HSDS.Schedule: ReleaseJSONWritable {
    func write(to w: inout JSONBytes) {
        w.beginObject()
        w.string("byday", byday)
        w.string("closes_at", closesAt)
        w.string("description", description)
        w.string("freq", freq)
        w.string("id", id)
        w.string("location_id", locationId)
        w.string("notes", notes)
        w.string("opens_at", opensAt)
        w.string("wkst", wkst)
        w.endObject()
    }
}

extension HSDS.Language: ReleaseJSONWritable {
    func write(to w: inout JSONBytes) {
        w.beginObject()
        w.string("code", code)
        w.string("id", id)
        w.string("location_id", locationId)
        w.endObject()
    }
}

extension HSDS.Accessibility: ReleaseJSONWritable {
    func write(to w: inout JSONBytes) {
        w.beginObject()
        w.string("description", description)
        w.string("id", id)
        w.string("location_id", locationId)
        w.endObject()
    }
}
