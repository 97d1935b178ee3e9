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

/// The edit queue: a structure's editor proposes changes to its own records, which wait for the Région's
/// validation; the Région's team edits directly. Closures of places and channels leave tombstones.
struct EditQueue {
    let repository: NodeRepository

    /// Stores a place. An admin's edit is published at once; an editor's waits for validation and must
    /// concern their own structure, both before and after the edit.
    func submitPlace(_ place: Place, validator: RecordValidator, by actor: Principal, at now: Date = Date()) throws -> EditOutcome {
        try validator.validate(place)
        return try repository.write {
            let existing = try repository.place(place.id)
            for id in place.structures.map(\.structureId) where try repository.structure(id) == nil {
                throw RecordError.invalid(record: "lieu \(place.id)", field: "structures", rule: "structure inconnue \(id)")
            }
            // An editor's place must be their structure's both before and after the edit.
            try AccessPolicy.require(actor, .edit(kind: "le lieu", id: place.id, owners: place.structures.map(\.structureId)))
            if let existing {
                try AccessPolicy.require(actor, .edit(kind: "le lieu", id: place.id, owners: existing.structures.map(\.structureId)))
            }
            return try publishOrQueue(.place, recordId: place.id, before: NodeRepository.json(existing), after: place, by: actor, at: now) {
                try repository.writePlace(place, at: now)
            }
        }
    }

    /// Stores a channel. An admin's edit is published at once; an editor's waits for validation and must
    /// concern a channel their structure staffs, both before and after the edit.
    func submitChannel(_ channel: Channel, validator: RecordValidator, by actor: Principal, at now: Date = Date()) throws -> EditOutcome {
        try validator.validate(channel)
        return try repository.write {
            let existing = try repository.channel(channel.id)
            for id in channel.contributors where try repository.structure(id) == nil {
                throw RecordError.invalid(record: "canal \(channel.id)", field: "contributors", rule: "structure inconnue \(id)")
            }
            try AccessPolicy.require(actor, .edit(kind: "le canal", id: channel.id, owners: channel.contributors))
            if let existing { try AccessPolicy.require(actor, .edit(kind: "le canal", id: channel.id, owners: existing.contributors)) }
            return try publishOrQueue(.channel, recordId: channel.id, before: NodeRepository.json(existing), after: channel, by: actor, at: now) {
                try repository.writeChannel(channel, at: now)
            }
        }
    }

    /// Closes a channel (the Région's decision): it becomes a tombstone with the motive in the next export.
    func closeChannel(_ id: String, motive: String, by actor: Principal, at now: Date = Date()) throws {
        try AccessPolicy.require(actor, .closeChannel)
        let motive = motive.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !motive.isEmpty else { throw RecordError.invalid(record: "canal \(id)", field: "motive", rule: "une fermeture demande un motif") }
        try repository.write {
            guard let existing = try repository.channel(id) else { throw RecordError.notFound(kind: "canal", id: id) }
            try repository.removeChannel(id, motive: motive, at: now)
            try repository.audit(actor, "channel.close", "channel/\(id)", before: NodeRepository.json(existing), after: nil, at: now)
        }
    }

    /// Stores a structure's public details (name, contacts); its referencing never changes this way.
    func submitStructure(_ structure: Structure, validator: RecordValidator, by actor: Principal, at now: Date = Date()) throws -> EditOutcome {
        try validator.validate(structure)
        return try repository.write {
            guard let existing = try repository.structure(structure.id) else { throw RecordError.notFound(kind: "structure", id: structure.id) }
            var s = structure
            s.referencing = existing.referencing
            s.basis = existing.basis
            // The stored basis stands: check the record as it will be stored, too.
            try validator.validate(s)
            try UniqueSIRET.check(s, in: repository)
            try AccessPolicy.require(actor, .edit(kind: "la structure", id: s.id, owners: [s.id]))
            return try publishOrQueue(.structure, recordId: s.id, before: NodeRepository.json(existing), after: s, by: actor, at: now) {
                try repository.writeStructure(s, at: now)
            }
        }
    }

    /// Closes a place: it leaves the node's records and appears as a tombstone, with the motive, in the
    /// next export. An admin's closure is immediate; an editor's (of one of the place's structures)
    /// waits for the Région's validation like any edit.
    func closePlace(_ id: String, motive: String, by actor: Principal, at now: Date = Date()) throws -> EditOutcome {
        let motive = motive.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !motive.isEmpty else { throw RecordError.invalid(record: "lieu \(id)", field: "motive", rule: "une fermeture demande un motif") }
        return try repository.write {
            guard let existing = try repository.place(id) else { throw RecordError.notFound(kind: "lieu", id: id) }
            let closure = PlaceClosure(placeId: id, motive: motive)
            switch actor.role {
            case .admin:
                try repository.removePlace(closure, at: now)
                try repository.audit(actor, "place.close", "place/\(id)", before: NodeRepository.json(existing), after: NodeRepository.json(closure), at: now)
                return .published
            case .editor:
                let owners = existing.structures.map(\.structureId)
                try AccessPolicy.require(actor, .edit(kind: "le lieu", id: id, owners: owners))
                guard let own = actor.structureId else { throw AccessDenied(principal: actor, action: .edit(kind: "le lieu", id: id, owners: owners)) }
                let json = NodeRepository.json(closure) ?? "{}"
                let editId = try repository.queueEdit(.placeClosure, recordId: id, structureId: own, json: json, by: actor.name, at: now)
                try repository.audit(actor, "place.close.submit", "place/\(id)", before: NodeRepository.json(existing), after: json, at: now)
                return .pending(id: editId)
            }
        }
    }

    /// An admin's edit is written and audited at once; an editor's (already checked to be their own)
    /// is queued for validation and audited as a submission. Call inside the edit's transaction.
    private func publishOrQueue<Record: Encodable>(_ kind: PendingEdit.Kind, recordId: String, before: String?, after: Record,
                                                   by actor: Principal, at now: Date, write: () throws -> Void) throws -> EditOutcome {
        let target = "\(kind.rawValue)/\(recordId)"
        let json = NodeRepository.json(after) ?? "{}"
        switch actor.role {
        case .admin:
            try write()
            try repository.audit(actor, "\(kind.rawValue).update", target, before: before, after: json, at: now)
            return .published
        case .editor:
            let id = try repository.queueEdit(kind, recordId: recordId, structureId: actor.structureId ?? "", json: json, by: actor.name, at: now)
            try repository.audit(actor, "\(kind.rawValue).submit", target, before: before, after: json, at: now)
            return .pending(id: id)
        }
    }

    /// Edits, newest last; an editor sees only their structure's.
    func edits(status: PendingEdit.Status? = .pending, for actor: Principal) throws -> [PendingEdit] {
        let rows = try repository.edits()
        return rows.filter { (status == nil || $0.status == status) && AccessPolicy.sees(actor, owners: [$0.structureId]) }
    }

    /// The Région validates (publishes) or rejects an editor's edit.
    func decideEdit(_ id: Int, approve: Bool, by actor: Principal, at now: Date = Date()) throws {
        try AccessPolicy.require(actor, .decideEdits)
        try repository.write {
            guard let edit = try repository.edit(id) else {
                throw RecordError.notFound(kind: "modification", id: String(id))
            }
            guard edit.status == .pending else { throw RecordError.conflict("modification \(id) : déjà \(edit.status == .approved ? "validée" : "refusée")") }
            if approve {
                let data = Data(edit.json.utf8)
                switch edit.kind {
                case .place: try repository.writePlace(try SproJSON.decoder().decode(Place.self, from: data), at: now)
                case .structure:
                    var s = try SproJSON.decoder().decode(Structure.self, from: data)
                    // The referencing may have moved since the edit was submitted: keep the current one.
                    if let current = try repository.structure(s.id) { s.referencing = current.referencing }
                    // Another structure may have taken the SIRET since the edit was submitted.
                    try UniqueSIRET.check(s, in: repository)
                    try repository.writeStructure(s, at: now)
                case .channel: try repository.writeChannel(try SproJSON.decoder().decode(Channel.self, from: data), at: now)
                case .placeClosure:
                    let closure = try SproJSON.decoder().decode(PlaceClosure.self, from: data)
                    // The place may have been closed by the Région meanwhile: then there is nothing left to do.
                    if try repository.place(closure.placeId) != nil { try repository.removePlace(closure, at: now) }
                }
            }
            let status: PendingEdit.Status = approve ? .approved : .rejected
            try repository.decideEdit(id, status: status, by: actor.name, at: now)
            try repository.audit(actor, "edit.\(status.rawValue)", "\(edit.kind.rawValue)/\(edit.recordId)", before: nil, after: edit.json, at: now)
        }
    }
}
