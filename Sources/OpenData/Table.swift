import Foundation
import Reference

/// A CSV table of a release described once: each column's name, type, French title and description, and
/// how it is read from a row. The CSV and its Frictionless table schema are written from the same columns,
/// so they cannot disagree.
struct Table<Row> {
    /// Frictionless field types used here.
    enum FieldType: String, Encodable {
        case string, integer, number, boolean, date, datetime
    }

    struct Column {
        var name: String
        var type: FieldType
        var title: String
        var description: String
        /// The only values allowed (a vocabulary's codes), when the column holds one code.
        var values: [String]? = nil
        var required = false
        var value: (Row) -> String
    }

    /// The resource's name ("lieux") and file ("lieux.csv").
    var name: String
    var title: String
    var description: String
    var columns: [Column]
    var primaryKey: [String]
    var foreignKeys: [DataPackage.ForeignKey] = []

    var path: String { name + ".csv" }

    /// RFC 4180: a header row, then one row per record, CRLF line ends, UTF-8 without a byte order mark.
    func csv(_ rows: [Row]) -> Data {
        var writer = CSVWriter(lineEnding: .crlf)
        writer.writeRow(columns.map(\.name))
        for row in rows { writer.writeRow(columns.map { $0.value(row) }) }
        return writer.data
    }

    var resource: DataPackage.Resource {
        DataPackage.Resource(
            name: name, path: path, title: title, description: description,
            schema: .init(fields: columns.map { c in
                DataPackage.Field(name: c.name, type: c.type.rawValue, title: c.title, description: c.description,
                                  constraints: c.values != nil || c.required ? .init(required: c.required ? true : nil, enum: c.values) : nil)
            }, primaryKey: primaryKey, foreignKeys: foreignKeys.isEmpty ? nil : foreignKeys))
    }
}

/// A Frictionless Tabular Data Package descriptor (`datapackage.json`), as much of it as the release uses.
struct DataPackage: Encodable {
    var profile = "tabular-data-package"
    var name: String
    var title: String
    var description: String
    var created: String
    var version: String
    var licenses: [License]
    var sources: [Source]
    var resources: [Resource]

    struct License: Encodable { var name: String; var path: String; var title: String }
    struct Source: Encodable { var title: String; var path: String? }

    struct Resource: Encodable {
        var profile = "tabular-data-resource"
        var name: String
        var path: String
        var title: String
        var description: String
        var format = "csv"
        var mediatype = "text/csv"
        var encoding = "utf-8"
        var dialect = Dialect()
        var schema: Schema

        init(name: String, path: String, title: String, description: String, schema: Schema) {
            self.name = name
            self.path = path
            self.title = title
            self.description = description
            self.schema = schema
        }
    }

    struct Dialect: Encodable {
        var delimiter = ","
        var lineTerminator = "\r\n"
        var quoteChar = "\""
        var doubleQuote = true
        var header = true
    }

    struct Schema: Encodable {
        var fields: [Field]
        var primaryKey: [String]
        var foreignKeys: [ForeignKey]?
        var missingValues = [""]
    }

    struct Field: Encodable {
        var name: String
        var type: String
        var title: String
        var description: String
        var constraints: Constraints?
    }

    struct Constraints: Encodable {
        var required: Bool?
        var `enum`: [String]?
    }

    struct ForeignKey: Encodable {
        var fields: [String]
        var reference: Reference

        struct Reference: Encodable { var resource: String; var fields: [String] }

        init(_ field: String, to resource: String, _ target: String) {
            fields = [field]
            reference = Reference(resource: resource, fields: [target])
        }
    }
}
