import Directory
import Foundation
import Storage

/// An edit by a structure's editor, waiting for the Région's validation before it is published.
public struct PendingEdit: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case structure, place, channel
        /// A place's closure; the edit's JSON is a `PlaceClosure`.
        case placeClosure = "place_closure"
    }
    public enum Status: String, Sendable, Codable { case pending, approved, rejected }
    public let id: Int
    public let kind: Kind
    public let recordId: String
    public let structureId: String
    public let submittedBy: String
    public let submittedAt: String
    public let status: Status
    /// The record as the editor wants it, JSON.
    public let json: String
}

/// A request to close a place, with its motive (published in the tombstone).
public struct PlaceClosure: Sendable, Codable, Equatable {
    public let placeId: String
    public let motive: String
}

/// What happened to a submitted record.
public enum EditOutcome: Sendable, Equatable {
    /// Stored and part of the next export (an admin's edit).
    case published
    /// Waiting for validation (an editor's edit).
    case pending(id: Int)
}

extension NodeStore {
    /// Stores a place. An admin's edit is published at once; an editor's waits for validation and must
    /// concern their own structure, both before and after the edit.
    public func submitPlace(_ place: Place, validator: RecordValidator, by actor: Principal, at now: Date = Date()) throws -> EditOutcome {
        try validator.validate(place)
        return try db.transaction {
            let existing = try self.place(place.id)
            for id in place.structures.map(\.structureId) where try structure(id) == nil {
                throw RecordError.invalid(record: "place \(place.id)", field: "structures", rule: "unknown structure \(id)")
            }
            // An editor's place must be their structure's both before and after the edit.
            try AccessPolicy.require(actor, .edit(kind: "le lieu", id: place.id, owners: place.structures.map(\.structureId)))
            if let existing {
                try AccessPolicy.require(actor, .edit(kind: "le lieu", id: place.id, owners: existing.structures.map(\.structureId)))
            }
            return try publishOrQueue(.place, recordId: place.id, before: Self.json(existing), after: place, by: actor, at: now) {
                try writePlace(place, at: now)
            }
        }
    }

    /// Stores a channel. An admin's edit is published at once; an editor's waits for validation and must
    /// concern a channel their structure staffs, both before and after the edit.
    public func submitChannel(_ channel: Channel, validator: RecordValidator, by actor: Principal, at now: Date = Date()) throws -> EditOutcome {
        try validator.validate(channel)
        return try db.transaction {
            let existing = try self.channel(channel.id)
            for id in channel.contributors where try structure(id) == nil {
                throw RecordError.invalid(record: "channel \(channel.id)", field: "contributors", rule: "unknown structure \(id)")
            }
            try AccessPolicy.require(actor, .edit(kind: "le canal", id: channel.id, owners: channel.contributors))
            if let existing { try AccessPolicy.require(actor, .edit(kind: "le canal", id: channel.id, owners: existing.contributors)) }
            return try publishOrQueue(.channel, recordId: channel.id, before: Self.json(existing), after: channel, by: actor, at: now) {
                try writeChannel(channel, at: now)
            }
        }
    }

    /// Closes a channel (the Région's decision): it becomes a tombstone with the motive in the next export.
    public func closeChannel(_ id: String, motive: String, by actor: Principal, at now: Date = Date()) throws {
        try AccessPolicy.require(actor, .closeChannel)
        let motive = motive.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !motive.isEmpty else { throw RecordError.invalid(record: "channel \(id)", field: "motive", rule: "a closure needs a motive") }
        try db.transaction {
            guard let existing = try channel(id) else { throw RecordError.notFound(kind: "channel", id: id) }
            try db.run("DELETE FROM channels WHERE id = ?", id)
            try db.run("INSERT OR REPLACE INTO tombstones (kind, id, withdrawn_at, motive) VALUES ('channel', ?, ?, ?)",
                       id, ISOInstant.string(now), motive)
            try audit(actor, "channel.close", "channel/\(id)", before: Self.json(existing), after: nil, at: now)
            cached = nil
        }
    }

    /// Stores a structure's public details (name, contacts); its referencing never changes this way.
    public func submitStructure(_ structure: Structure, validator: RecordValidator, by actor: Principal, at now: Date = Date()) throws -> EditOutcome {
        try validator.validate(structure)
        return try db.transaction {
            guard let existing = try self.structure(structure.id) else { throw RecordError.notFound(kind: "structure", id: structure.id) }
            var s = structure
            s.referencing = existing.referencing
            s.basis = existing.basis
            // The stored basis stands: check the record as it will be stored, too.
            try validator.validate(s)
            try AccessPolicy.require(actor, .edit(kind: "la structure", id: s.id, owners: [s.id]))
            return try publishOrQueue(.structure, recordId: s.id, before: Self.json(existing), after: s, by: actor, at: now) {
                try writeStructure(s, at: now)
            }
        }
    }

    /// Closes a place: it leaves the node's records and appears as a tombstone, with the motive, in the
    /// next export. An admin's closure is immediate; an editor's (of one of the place's structures)
    /// waits for the Région's validation like any edit.
    public func closePlace(_ id: String, motive: String, by actor: Principal, at now: Date = Date()) throws -> EditOutcome {
        let motive = motive.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !motive.isEmpty else { throw RecordError.invalid(record: "place \(id)", field: "motive", rule: "a closure needs a motive") }
        return try db.transaction {
            guard let existing = try place(id) else { throw RecordError.notFound(kind: "place", id: id) }
            let closure = PlaceClosure(placeId: id, motive: motive)
            switch actor.role {
            case .admin:
                try removePlace(closure, at: now)
                try audit(actor, "place.close", "place/\(id)", before: Self.json(existing), after: Self.json(closure), at: now)
                cached = nil
                return .published
            case .editor:
                let owners = existing.structures.map(\.structureId)
                try AccessPolicy.require(actor, .edit(kind: "le lieu", id: id, owners: owners))
                guard let own = actor.structureId else { throw AccessDenied(principal: actor, action: .edit(kind: "le lieu", id: id, owners: owners)) }
                let json = Self.json(closure) ?? "{}"
                let editId = try queue(.placeClosure, recordId: id, structureId: own, json: json, by: actor, at: now)
                try audit(actor, "place.close.submit", "place/\(id)", before: Self.json(existing), after: json, at: now)
                return .pending(id: editId)
            }
        }
    }

    private func removePlace(_ closure: PlaceClosure, at now: Date) throws {
        try db.run("DELETE FROM places WHERE id = ?", closure.placeId)
        try db.run("DELETE FROM indicators WHERE subject = 'place' AND subject_id = ?", closure.placeId)
        try db.run("INSERT OR REPLACE INTO tombstones (kind, id, withdrawn_at, motive) VALUES ('place', ?, ?, ?)",
                   closure.placeId, ISOInstant.string(now), closure.motive)
    }

    /// An admin's edit is written and audited at once; an editor's (already checked to be their own)
    /// is queued for validation and audited as a submission. Call inside the edit's transaction.
    private func publishOrQueue<Record: Encodable>(_ kind: PendingEdit.Kind, recordId: String, before: String?, after: Record,
                                                   by actor: Principal, at now: Date, write: () throws -> Void) throws -> EditOutcome {
        let target = "\(kind.rawValue)/\(recordId)"
        let json = Self.json(after) ?? "{}"
        switch actor.role {
        case .admin:
            try write()
            try audit(actor, "\(kind.rawValue).update", target, before: before, after: json, at: now)
            cached = nil
            return .published
        case .editor:
            let id = try queue(kind, recordId: recordId, structureId: actor.structureId ?? "", json: json, by: actor, at: now)
            try audit(actor, "\(kind.rawValue).submit", target, before: before, after: json, at: now)
            return .pending(id: id)
        }
    }

    private func queue(_ kind: PendingEdit.Kind, recordId: String, structureId: String, json: String, by actor: Principal, at now: Date) throws -> Int {
        try db.run("INSERT INTO pending_edits (kind, record_id, structure_id, json, submitted_by, submitted_at) VALUES (?, ?, ?, ?, ?, ?)",
                   kind.rawValue, recordId, structureId, json, actor.name, ISOInstant.string(now))
        return Int(db.lastInsertRowID)
    }

    /// Edits, newest last; an editor sees only their structure's.
    public func edits(status: PendingEdit.Status? = .pending, for actor: Principal) throws -> [PendingEdit] {
        let rows = try db.query("SELECT id, kind, record_id, structure_id, submitted_by, submitted_at, status, json FROM pending_edits ORDER BY id") {
            PendingEdit(id: $0.int(0), kind: PendingEdit.Kind(rawValue: $0.string(1)) ?? .place, recordId: $0.string(2),
                        structureId: $0.string(3), submittedBy: $0.string(4), submittedAt: $0.string(5),
                        status: PendingEdit.Status(rawValue: $0.string(6)) ?? .pending, json: $0.string(7))
        }
        return rows.filter { (status == nil || $0.status == status) && AccessPolicy.sees(actor, owners: [$0.structureId]) }
    }

    /// The Région validates (publishes) or rejects an editor's edit.
    public func decideEdit(_ id: Int, approve: Bool, by actor: Principal, at now: Date = Date()) throws {
        try AccessPolicy.require(actor, .decideEdits)
        try db.transaction {
            guard let edit = try edits(status: nil, for: actor).first(where: { $0.id == id }) else {
                throw RecordError.notFound(kind: "edit", id: String(id))
            }
            guard edit.status == .pending else { throw RecordError.conflict("edit \(id): already \(edit.status.rawValue)") }
            if approve {
                let data = Data(edit.json.utf8)
                switch edit.kind {
                case .place: try writePlace(try SproJSON.decoder().decode(Place.self, from: data), at: now)
                case .structure:
                    var s = try SproJSON.decoder().decode(Structure.self, from: data)
                    // The referencing may have moved since the edit was submitted: keep the current one.
                    if let current = try structure(s.id) { s.referencing = current.referencing }
                    try writeStructure(s, at: now)
                case .channel: try writeChannel(try SproJSON.decoder().decode(Channel.self, from: data), at: now)
                case .placeClosure:
                    let closure = try SproJSON.decoder().decode(PlaceClosure.self, from: data)
                    // The place may have been closed by the Région meanwhile: then there is nothing left to do.
                    if try place(closure.placeId) != nil { try removePlace(closure, at: now) }
                }
                cached = nil
            }
            let status: PendingEdit.Status = approve ? .approved : .rejected
            try db.run("UPDATE pending_edits SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                       status.rawValue, actor.name, ISOInstant.string(now), id)
            try audit(actor, "edit.\(status.rawValue)", "\(edit.kind.rawValue)/\(edit.recordId)", before: nil, after: edit.json, at: now)
        }
    }
}
