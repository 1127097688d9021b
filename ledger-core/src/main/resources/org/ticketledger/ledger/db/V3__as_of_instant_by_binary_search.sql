-- As-of-instant reads find their cut by binary search over the primary key (recorded_at never
-- decreases along a ledger's sequence: the writer stamps each entry with at least the head row's
-- last_recorded_at), so this index only cost every entry written an index insert.
DROP INDEX entries_recorded_at;
