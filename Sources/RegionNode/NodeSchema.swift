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
    ]
}
