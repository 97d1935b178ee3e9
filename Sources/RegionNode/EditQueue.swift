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
    /// The version of the record the edit was proposed on (nil: a new record). Approval requires it current.
    public var baseVersion: Int? = nil
    /// Why the Région refused it.
    public var reason: String? = nil
    public var decidedBy: String? = nil
    public var decidedAt: String? = nil
    /// What approving would change, field by field, against the record as stored now (in lists).
    public var changes: [FieldChange]? = nil
}

/// One field an edit changes: its path in the record ("address.lines[0]") and its values as JSON text
/// (nil: absent).
public struct FieldChange: Sendable, Codable, Equatable {
    public let field: String
    public let before: String?
    public let after: String?
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
    func submitPlace(_ place: Place, validator: RecordValidator, by actor: Principal, ifMatch: VersionMatch? = nil,
                     at now: Date = Date()) throws -> EditOutcome {
        try validator.validate(place)
        return try repository.write {
            let existing = try repository.place(place.id)
            // An editor's place must be their structure's both before and after the edit; a refused caller learns
            // nothing more (not even the record's version).
            try AccessPolicy.require(actor, .edit(kind: "le lieu", id: place.id, owners: place.structures.map(\.structureId)))
            if let existing {
                try AccessPolicy.require(actor, .edit(kind: "le lieu", id: place.id, owners: existing.structures.map(\.structureId)))
            }
            let base = try check(ifMatch, .place, place.id, record: "lieu \(place.id)")
            for id in place.structures.map(\.structureId) where try repository.structure(id) == nil {
                throw RecordError.invalid(record: "lieu \(place.id)", field: "structures", rule: "structure inconnue \(id)")
            }
            return try publishOrQueue(.place, recordId: place.id, base: base, before: NodeRepository.json(existing), after: place, by: actor, at: now) {
                try repository.writePlace(place, at: now)
            }
        }
    }

    /// Stores a channel. An admin's edit is published at once; an editor's waits for validation and must
    /// concern a channel their structure staffs, both before and after the edit.
    func submitChannel(_ channel: Channel, validator: RecordValidator, by actor: Principal, ifMatch: VersionMatch? = nil,
                       at now: Date = Date()) throws -> EditOutcome {
        try validator.validate(channel)
        return try repository.write {
            let existing = try repository.channel(channel.id)
            try AccessPolicy.require(actor, .edit(kind: "le canal", id: channel.id, owners: channel.contributors))
            if let existing { try AccessPolicy.require(actor, .edit(kind: "le canal", id: channel.id, owners: existing.contributors)) }
            let base = try check(ifMatch, .channel, channel.id, record: "canal \(channel.id)")
            for id in channel.contributors where try repository.structure(id) == nil {
                throw RecordError.invalid(record: "canal \(channel.id)", field: "contributors", rule: "structure inconnue \(id)")
            }
            return try publishOrQueue(.channel, recordId: channel.id, base: base, before: NodeRepository.json(existing), after: channel, by: actor, at: now) {
                try repository.writeChannel(channel, at: now)
            }
        }
    }

    /// Closes a channel (the Région's decision): it becomes a tombstone with the motive in the next export.
    func closeChannel(_ id: String, motive: String, by actor: Principal, ifMatch: VersionMatch? = nil, at now: Date = Date()) throws {
        try AccessPolicy.require(actor, .closeChannel)
        let motive = motive.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !motive.isEmpty else { throw RecordError.invalid(record: "canal \(id)", field: "motive", rule: "une fermeture demande un motif") }
        try repository.write {
            guard let existing = try repository.channel(id) else { throw RecordError.notFound(kind: "canal", id: id) }
            _ = try check(ifMatch, .channel, id, record: "canal \(id)")
            try repository.removeChannel(id, motive: motive, at: now)
            try repository.audit(actor, "channel.close", "channel/\(id)", before: NodeRepository.json(existing), after: nil, at: now)
        }
    }

    /// Stores a structure's public details (name, contacts); its referencing never changes this way.
    func submitStructure(_ structure: Structure, validator: RecordValidator, by actor: Principal, ifMatch: VersionMatch? = nil,
                         at now: Date = Date()) throws -> EditOutcome {
        // The structure's own record: whether the caller may edit it depends on its id alone.
        try AccessPolicy.require(actor, .edit(kind: "la structure", id: structure.id, owners: [structure.id]))
        try validator.validate(structure)
        return try repository.write {
            guard let existing = try repository.structure(structure.id) else { throw RecordError.notFound(kind: "structure", id: structure.id) }
            let base = try check(ifMatch, .structure, structure.id, record: "structure \(structure.id)")
            var s = structure
            s.referencing = existing.referencing
            s.basis = existing.basis
            // The stored basis stands: check the record as it will be stored, too.
            try validator.validate(s)
            try ReferencingWorkflow.requireImpartiality(s)
            try UniqueSIRET.check(s, in: repository)
            try NetworkHeads.check(s, in: repository)
            return try publishOrQueue(.structure, recordId: s.id, base: base, before: NodeRepository.json(existing), after: s, by: actor, at: now) {
                try repository.writeStructure(s, at: now)
            }
        }
    }

    /// Closes a place: it leaves the node's records and appears as a tombstone, with the motive, in the
    /// next export. An admin's closure is immediate; an editor's (of one of the place's structures)
    /// waits for the Région's validation like any edit.
    func closePlace(_ id: String, motive: String, by actor: Principal, ifMatch: VersionMatch? = nil, at now: Date = Date()) throws -> EditOutcome {
        let motive = motive.trimmingCharacters(in: .whitespacesAndNewlines)
        return try repository.write {
            guard let existing = try repository.place(id) else { throw RecordError.notFound(kind: "lieu", id: id) }
            try AccessPolicy.require(actor, .edit(kind: "le lieu", id: id, owners: existing.structures.map(\.structureId)))
            guard !motive.isEmpty else { throw RecordError.invalid(record: "lieu \(id)", field: "motive", rule: "une fermeture demande un motif") }
            let base = try check(ifMatch, .place, id, record: "lieu \(id)")
            let closure = PlaceClosure(placeId: id, motive: motive)
            switch actor.role {
            case .admin:
                try repository.removePlace(closure, at: now)
                try repository.audit(actor, "place.close", "place/\(id)", before: NodeRepository.json(existing), after: NodeRepository.json(closure), at: now)
                return .published
            case .editor:
                let json = NodeRepository.json(closure) ?? "{}"
                let editId = try repository.queueEdit(.placeClosure, recordId: id, structureId: actor.structureId ?? "", json: json, baseVersion: base,
                                                     by: actor.name, at: now)
                try repository.audit(actor, "place.close.submit", "place/\(id)", before: NodeRepository.json(existing), after: json, at: now)
                return .pending(id: editId)
            }
        }
    }

    /// An admin's edit is written and audited at once; an editor's (already checked to be their own)
    /// is queued for validation and audited as a submission. Call inside the edit's transaction.
    private func publishOrQueue<Record: Encodable>(_ kind: PendingEdit.Kind, recordId: String, base: Int?, before: String?, after: Record,
                                                   by actor: Principal, at now: Date, write: () throws -> Void) throws -> EditOutcome {
        let target = "\(kind.rawValue)/\(recordId)"
        let json = NodeRepository.json(after) ?? "{}"
        switch actor.role {
        case .admin:
            try write()
            try repository.audit(actor, "\(kind.rawValue).update", target, before: before, after: json, at: now)
            return .published
        case .editor:
            let id = try repository.queueEdit(kind, recordId: recordId, structureId: actor.structureId ?? "", json: json, baseVersion: base,
                                              by: actor.name, at: now)
            try repository.audit(actor, "\(kind.rawValue).submit", target, before: before, after: json, at: now)
            return .pending(id: id)
        }
    }

    /// The version a write may change: checks the caller's `If-Match` against the stored version, in the
    /// write's transaction, and returns that version (nil: no such record yet).
    private func check(_ ifMatch: VersionMatch?, _ kind: RecordKind, _ id: String, record: String) throws -> Int? {
        let current = try repository.version(kind, id)
        if let ifMatch, !ifMatch.matches(current) { throw StaleVersion(record: record, current: current, proposal: nil, base: nil) }
        return current
    }

    /// A page of edits in id order (status, structure and kind filters: nil for any), each with what it
    /// changes against the record as stored now; an editor sees only their structure's.
    func edits(status: PendingEdit.Status?, structureId: String? = nil, kind: PendingEdit.Kind? = nil, after: Int = 0,
               limit: Int = NodeListQuery.maximumLimit, for actor: Principal) throws -> (page: [PendingEdit], total: Int) {
        let listed = AccessPolicy.listedOwner(actor)
        if let listed, let structureId, structureId != listed { return ([], 0) }
        let own = listed ?? structureId
        var (page, total) = try repository.edits(status: status, structureId: own, kind: kind, after: after, limit: limit)
        for i in page.indices { page[i].changes = try changes(page[i]) }
        return (page, total)
    }

    /// What an edit changes against the stored record, field by field.
    private func changes(_ edit: PendingEdit) throws -> [FieldChange] {
        let current: String? = switch edit.kind {
        case .place, .placeClosure: NodeRepository.json(try repository.place(edit.recordId))
        case .structure: NodeRepository.json(try repository.structure(edit.recordId))
        case .channel: NodeRepository.json(try repository.channel(edit.recordId))
        }
        if edit.kind == .placeClosure {
            return [FieldChange(field: "(lieu)", before: current.map { _ in "ouvert" }, after: "fermé")]
        }
        return FieldDiff.changes(from: current, to: edit.json)
    }

    /// The Région validates (publishes) or rejects an editor's edit; a rejection carries its reason, and an
    /// approval requires the record still at the version the edit was proposed on.
    func decideEdit(_ id: Int, approve: Bool, reason: String? = nil, by actor: Principal, at now: Date = Date()) throws {
        try AccessPolicy.require(actor, .decideEdits)
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if !approve && (reason ?? "").isEmpty {
            throw RecordError.invalid(record: "modification \(id)", field: "reason", rule: "un refus demande un motif, que l'éditeur lira")
        }
        try repository.write {
            guard let edit = try repository.edit(id) else {
                throw RecordError.notFound(kind: "modification", id: String(id))
            }
            guard edit.status == .pending else { throw RecordError.conflict("modification \(id) : déjà \(edit.status == .approved ? "validée" : "refusée")") }
            if approve {
                let kind: RecordKind = switch edit.kind {
                case .place, .placeClosure: .place
                case .structure: .structure
                case .channel: .channel
                }
                let current = try repository.version(kind, edit.recordId)
                // A closure of a place the Région closed meanwhile has nothing left to do: not stale.
                if current != edit.baseVersion && !(edit.kind == .placeClosure && current == nil) {
                    throw StaleVersion(record: "\(kind.noun) \(edit.recordId)", current: current, proposal: id, base: edit.baseVersion)
                }
                let data = Data(edit.json.utf8)
                switch edit.kind {
                case .place: try repository.writePlace(try SproJSON.decoder().decode(Place.self, from: data), at: now)
                case .structure:
                    let s = try SproJSON.decoder().decode(Structure.self, from: data)
                    // Another structure may have taken the SIRET since the edit was submitted.
                    try UniqueSIRET.check(s, in: repository)
                    // The head named may have withdrawn, or been made to point back at it, since.
                    try NetworkHeads.check(s, in: repository)
                    try repository.writeStructure(s, at: now)
                case .channel: try repository.writeChannel(try SproJSON.decoder().decode(Channel.self, from: data), at: now)
                case .placeClosure:
                    let closure = try SproJSON.decoder().decode(PlaceClosure.self, from: data)
                    if try repository.place(closure.placeId) != nil { try repository.removePlace(closure, at: now) }
                }
            }
            let status: PendingEdit.Status = approve ? .approved : .rejected
            try repository.decideEdit(id, status: status, reason: approve ? nil : reason, by: actor.name, at: now)
            try repository.audit(actor, "edit.\(status.rawValue)", "\(edit.kind.rawValue)/\(edit.recordId)", before: nil,
                                 after: approve ? edit.json : reason, at: now)
        }
    }
}
