/// The national directory's SQLite schema, as numbered migrations.
enum NationalSchema {
    static let migrations = [
        """
        -- The last accepted export of each region: what rollback and replay checks compare against.
        CREATE TABLE region_snapshots (
            region TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            etag TEXT,
            key_id TEXT NOT NULL,
            generated_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            accepted_at TEXT NOT NULL
        );
        CREATE TABLE charters (
            region TEXT NOT NULL,
            version INTEGER NOT NULL,
            json TEXT NOT NULL,
            PRIMARY KEY (region, version)
        );
        CREATE TABLE structures (
            region TEXT NOT NULL,
            id TEXT NOT NULL,
            siret TEXT,
            name TEXT NOT NULL,
            network TEXT NOT NULL,
            basis TEXT NOT NULL,
            referencing_state TEXT NOT NULL,
            json TEXT NOT NULL,
            source_version INTEGER NOT NULL,
            PRIMARY KEY (region, id)
        );
        CREATE TABLE places (
            region TEXT NOT NULL,
            id TEXT NOT NULL,
            name TEXT NOT NULL,
            commune TEXT,
            zone TEXT,
            lat REAL,
            lon REAL,
            precision TEXT NOT NULL,
            score REAL NOT NULL,
            geocode_reason TEXT,
            coordinates_flag TEXT,
            json TEXT NOT NULL,
            source_version INTEGER NOT NULL,
            PRIMARY KEY (region, id)
        );
        CREATE INDEX places_commune ON places (commune);
        CREATE TABLE place_structures (
            region TEXT NOT NULL,
            place_id TEXT NOT NULL,
            structure_id TEXT NOT NULL,
            is_host INTEGER NOT NULL,
            PRIMARY KEY (region, place_id, structure_id),
            FOREIGN KEY (region, place_id) REFERENCES places (region, id) ON DELETE CASCADE
        );
        CREATE TABLE indicators (
            region TEXT NOT NULL,
            subject TEXT NOT NULL,
            subject_id TEXT NOT NULL,
            code TEXT NOT NULL,
            period TEXT NOT NULL,
            value REAL NOT NULL,
            unit TEXT NOT NULL,
            PRIMARY KEY (region, subject, subject_id, code, period)
        );
        CREATE TABLE tombstones (
            region TEXT NOT NULL,
            kind TEXT NOT NULL,
            id TEXT NOT NULL,
            withdrawn_at TEXT NOT NULL,
            PRIMARY KEY (region, kind, id)
        );
        -- One row per harvest run, with its full report.
        CREATE TABLE harvest_runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started_at TEXT NOT NULL,
            finished_at TEXT NOT NULL,
            report_json TEXT NOT NULL
        );
        """,
        // 2: remote entry points (phone, chat...), shared ones with their contributors.
        """
        CREATE TABLE channels (
            region TEXT NOT NULL,
            id TEXT NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            json TEXT NOT NULL,
            source_version INTEGER NOT NULL,
            PRIMARY KEY (region, id)
        );
        """,
        // 3: per-record provenance. Rows stored before it get their region's acceptance instant, the
        // best date known; every later swap writes both columns.
        """
        ALTER TABLE structures ADD COLUMN first_harvested TEXT;
        ALTER TABLE structures ADD COLUMN last_changed TEXT;
        ALTER TABLE places ADD COLUMN first_harvested TEXT;
        ALTER TABLE places ADD COLUMN last_changed TEXT;
        UPDATE structures SET
            first_harvested = (SELECT accepted_at FROM region_snapshots s WHERE s.region = structures.region),
            last_changed = (SELECT accepted_at FROM region_snapshots s WHERE s.region = structures.region);
        UPDATE places SET
            first_harvested = (SELECT accepted_at FROM region_snapshots s WHERE s.region = places.region),
            last_changed = (SELECT accepted_at FROM region_snapshots s WHERE s.region = places.region);
        """,
        // 4: what each stored place was geocoded from (a fingerprint of its address and coordinates), so that
        // a later harvest reuses the location of a place whose input has not changed. Beside `places`, not in it:
        // a place without a row here is simply geocoded again.
        """
        CREATE TABLE place_geocode_inputs (
            region TEXT NOT NULL,
            place_id TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            PRIMARY KEY (region, place_id)
        );
        """,
        // 5: the history behind the cumulative mass-deletion guard: each accepted snapshot's place count, and
        // each place removed without a tombstone, until it comes back, is tombstoned, or an operator lifts the
        // guard for its Région.
        """
        CREATE TABLE place_counts (
            region TEXT NOT NULL,
            accepted_at TEXT NOT NULL,
            places INTEGER NOT NULL
        );
        CREATE INDEX place_counts_region ON place_counts (region, accepted_at);
        CREATE TABLE silent_removals (
            region TEXT NOT NULL,
            place_id TEXT NOT NULL,
            removed_at TEXT NOT NULL,
            PRIMARY KEY (region, place_id)
        );
        """,
        // 6: the hash (SHA-256) of each record's bytes as the Région's export carried them, so that a harvest keeps
        // the rows of records whose bytes are unchanged instead of decoding, geocoding and writing them again;
        // the same for the indicators' whole array; and the locator data the places were located with. Rows
        // stored before it have none and are written again once.
        """
        ALTER TABLE places ADD COLUMN record_hash TEXT;
        ALTER TABLE structures ADD COLUMN record_hash TEXT;
        ALTER TABLE region_snapshots ADD COLUMN indicators_hash TEXT;
        ALTER TABLE region_snapshots ADD COLUMN locator_version TEXT;
        """,
        // 7: the coverage report of each content generation served (archived after every harvest that changed
        // something), dated; identical reports are stored once and referenced by their digest.
        """
        CREATE TABLE coverage_reports (
            digest TEXT PRIMARY KEY,
            json TEXT NOT NULL
        );
        CREATE TABLE coverage_runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            harvest_run INTEGER NOT NULL UNIQUE,
            computed_at TEXT NOT NULL,
            places INTEGER NOT NULL,
            digest TEXT NOT NULL REFERENCES coverage_reports (digest)
        );
        """,
        // 8: the coverage history. Runs archived by `spro coverage --archive` too (`origin` 'commande', any number
        // per harvest run; the service's stay one per harvest run), each with the facts it kept of the places
        // and structures (`CoverageFacts`): one text line per place or structure state, stored once however many
        // runs share it, and per run the list of its lines' ids (`FactIds`, delta-varint packed).
        """
        CREATE TABLE coverage_facts (
            id INTEGER PRIMARY KEY,
            line TEXT NOT NULL UNIQUE
        );
        CREATE TABLE coverage_runs_v8 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            harvest_run INTEGER NOT NULL,
            computed_at TEXT NOT NULL,
            places INTEGER NOT NULL,
            digest TEXT NOT NULL REFERENCES coverage_reports (digest),
            origin TEXT NOT NULL DEFAULT 'service',
            facts BLOB
        );
        INSERT INTO coverage_runs_v8 (id, harvest_run, computed_at, places, digest)
            SELECT id, harvest_run, computed_at, places, digest FROM coverage_runs;
        DROP TABLE coverage_runs;
        ALTER TABLE coverage_runs_v8 RENAME TO coverage_runs;
        CREATE UNIQUE INDEX coverage_runs_service ON coverage_runs (harvest_run) WHERE origin = 'service';
        """,
        // 9: the place fields coverage and the national merge read, as columns written with the record, so that
        // reading them takes no JSON extraction (it was most of `spro coverage`'s reading at 80,000 places).
        // Lists are joined: services and publics by ",", address lines by the unit separator (U+001F).
        """
        ALTER TABLE places ADD COLUMN kind TEXT;
        ALTER TABLE places ADD COLUMN opening_hours TEXT;
        ALTER TABLE places ADD COLUMN last_confirmed TEXT;
        ALTER TABLE places ADD COLUMN services TEXT;
        ALTER TABLE places ADD COLUMN publics TEXT;
        ALTER TABLE places ADD COLUMN address_lines TEXT;
        ALTER TABLE places ADD COLUMN postcode TEXT;
        ALTER TABLE places ADD COLUMN city TEXT;
        ALTER TABLE places ADD COLUMN commune_code TEXT;
        UPDATE places SET
            kind = json ->> '$.kind', opening_hours = json ->> '$.openingHours', last_confirmed = json ->> '$.lastConfirmed',
            services = coalesce((SELECT group_concat(value, ',') FROM json_each(places.json, '$.services')), ''),
            publics = coalesce((SELECT group_concat(value, ',') FROM json_each(places.json, '$.publics')), ''),
            address_lines = coalesce((SELECT group_concat(value, char(31)) FROM json_each(places.json, '$.address.lines')), ''),
            postcode = json ->> '$.address.postcode', city = json ->> '$.address.city',
            commune_code = json ->> '$.address.communeCode';
        """,
    ]
}
