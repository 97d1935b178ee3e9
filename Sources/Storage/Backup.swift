import CSQLite

extension Database {
    /// Copies this database into the file at `path` with SQLite's online backup API: one consistent
    /// snapshot, taken while others keep reading and writing (in WAL mode a writer is never held up).
    /// `path` may be a new file (a backup) or a live database other processes have open (a read replica
    /// receiving a snapshot): they see the new content as one commit.
    public func backup(to path: String) throws(SQLiteError) {
        let destination = try Database(path: path)
        guard let backup = sqlite3_backup_init(destination.handle, "main", handle, "main") else {
            throw destination.error(sqlite3_errcode(destination.handle), "backup to \(path)")
        }
        var rc: Int32
        repeat {
            // Every page in one step: the copy is one snapshot of the source.
            rc = sqlite3_backup_step(backup, -1)
            if rc == SQLITE_BUSY || rc == SQLITE_LOCKED { sqlite3_sleep(50) }
        } while rc == SQLITE_BUSY || rc == SQLITE_LOCKED || rc == SQLITE_OK
        let finished = sqlite3_backup_finish(backup)
        guard rc == SQLITE_DONE, finished == SQLITE_OK else {
            throw destination.error(rc == SQLITE_DONE ? finished : rc, "backup to \(path)")
        }
    }
}
