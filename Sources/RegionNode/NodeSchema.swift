/// The node's SQLite schema, as numbered migrations (applied once each, in order).
enum NodeSchema {
    static let migrations = [
        """
        CREATE TABLE charters (
            version INTEGER PRIMARY KEY,
            json TEXT NOT NULL
        );
        CREATE TABLE structures (
            id TEXT PRIMARY KEY,
            json TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE places (
            id TEXT PRIMARY KEY,
            json TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE indicators (
            subject TEXT NOT NULL,
            subject_id TEXT NOT NULL,
            code TEXT NOT NULL,
            period TEXT NOT NULL,
            value REAL NOT NULL,
            unit TEXT NOT NULL,
            PRIMARY KEY (subject, subject_id, code, period)
        );
        -- What the last export published, so a record that leaves it becomes a tombstone.
        CREATE TABLE published (
            kind TEXT NOT NULL,
            id TEXT NOT NULL,
            PRIMARY KEY (kind, id)
        );
        CREATE TABLE tombstones (
            kind TEXT NOT NULL,
            id TEXT NOT NULL,
            withdrawn_at TEXT NOT NULL,
            motive TEXT,
            PRIMARY KEY (kind, id)
        );
        CREATE TABLE exports (
            version INTEGER PRIMARY KEY,
            content_hash TEXT NOT NULL,
            generated_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            key_id TEXT NOT NULL,
            body BLOB NOT NULL,
            signature BLOB NOT NULL
        );
        """,
        // 2: referencing history, access tokens, audit log, edits awaiting validation.
        """
        CREATE TABLE referencing_events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            structure_id TEXT NOT NULL,
            effective_on TEXT NOT NULL,
            json TEXT NOT NULL
        );
        CREATE INDEX referencing_events_structure ON referencing_events (structure_id, seq);
        CREATE TABLE tokens (
            token_hash TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL,
            structure_id TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            before_json TEXT,
            after_json TEXT
        );
        CREATE TABLE pending_edits (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            record_id TEXT NOT NULL,
            structure_id TEXT NOT NULL,
            json TEXT NOT NULL,
            submitted_by TEXT NOT NULL,
            submitted_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            decided_by TEXT,
            decided_at TEXT
        );
        """,
        // 3: remote entry points (phone, chat...), shared ones staffed by several structures.
        """
        CREATE TABLE channels (
            id TEXT PRIMARY KEY,
            json TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        """,
        // 4: optimistic concurrency and lists. Each record's version counts its content's changes (its ETag);
        // an edit remembers the version it was proposed on; `name_key` (folded name) and `facets`
        // (" state=referenced network=ML ... ") let the admin lists filter without decoding records.
        // Rows written before are filled in at open (`NodeRepository.fillListColumns`).
        """
        ALTER TABLE structures ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE structures ADD COLUMN name_key TEXT;
        ALTER TABLE structures ADD COLUMN facets TEXT;
        ALTER TABLE places ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE places ADD COLUMN name_key TEXT;
        ALTER TABLE places ADD COLUMN facets TEXT;
        ALTER TABLE channels ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE channels ADD COLUMN name_key TEXT;
        ALTER TABLE channels ADD COLUMN facets TEXT;
        ALTER TABLE pending_edits ADD COLUMN base_version INTEGER;
        ALTER TABLE pending_edits ADD COLUMN reason TEXT;
        CREATE INDEX pending_edits_status ON pending_edits (status, id);
        """,
        // 5: documents a reviewer attaches as evidence of attested criteria, by their SHA-256 (stored once).
        """
        CREATE TABLE documents (
            sha256 TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            media_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            bytes BLOB NOT NULL,
            uploaded_by TEXT NOT NULL,
            uploaded_at TEXT NOT NULL
        );
        """,
        // 6: the SPRO conventions (parties with their role, date, document) referencings rest on.
        """
        CREATE TABLE conventions (
            id TEXT PRIMARY KEY,
            json TEXT NOT NULL
        );
        """,
    ]
}
