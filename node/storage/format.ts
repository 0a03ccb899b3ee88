/**
 * The on-disk format of a node's data directory (docs/design.md, "The node's on-disk format"):
 * one SQLite database, `memoconductor.db`, in WAL mode. Collections and origins are stored as
 * small integers (a collection's index in the schema's sorted names; an origin's row in
 * `origins`), so the per-row keys stay short.
 *
 * The format version is kept in three places that must agree: SQLite's `user_version`, the
 * `format_version` meta row, and this constant. `application_id` marks the file as ours, so a
 * foreign SQLite database is named as such rather than read as an empty store.
 */

export const DB_FILE = "memoconductor.db";

/** Bumped on any change to the tables or the encodings of their BLOBs. */
export const FORMAT_VERSION = 3;

/**
 * Version 1 (before transactions) lacked the two `txn` columns; it is migrated in place at open
 * (MIGRATE_1_TO_2, one transaction): the columns are added empty, which is what version 1's
 * rows mean — no update of theirs was made by a transaction.
 */
export const MIGRATE_1_TO_2 = `
ALTER TABLE objects ADD COLUMN txn BLOB;
ALTER TABLE delta_log ADD COLUMN txn BLOB;
UPDATE meta SET value = '2' WHERE key = 'format_version';
`;

/**
 * Version 3 keys `touched` by (c, origin, id), its seq a column with an index, and no longer
 * needs a row where the delta log holds the object's latest update of that origin (so a local
 * write, whose update is logged, writes no `touched` row; docs/design.md). Version 2's rows are
 * exact (one per object and origin at its highest seq): each becomes one version-3 row as it is
 * (MIGRATE_2_TO_3, one transaction; the max is only there should a damaged index hold two).
 */
export const MIGRATE_2_TO_3 = `
CREATE TABLE touched_v3 (c INTEGER NOT NULL, origin INTEGER NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (c, origin, id)) WITHOUT ROWID;
INSERT INTO touched_v3 (c, origin, id, seq) SELECT c, origin, id, max(seq) FROM touched GROUP BY c, origin, id;
DROP TABLE touched;
ALTER TABLE touched_v3 RENAME TO touched;
CREATE INDEX touched_seq ON touched (c, origin, seq);
UPDATE meta SET value = '3' WHERE key = 'format_version';
`;

/** "MemC": written into the SQLite header at offset 68. */
export const APPLICATION_ID = 0x4d656d43;

export const CREATE_TABLES = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE origins (n INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE objects (c INTEGER NOT NULL, id TEXT NOT NULL, state BLOB NOT NULL, vv BLOB NOT NULL, txn BLOB, PRIMARY KEY (c, id)) WITHOUT ROWID;
CREATE TABLE touched (c INTEGER NOT NULL, origin INTEGER NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (c, origin, id)) WITHOUT ROWID;
CREATE INDEX touched_seq ON touched (c, origin, seq);
CREATE TABLE knowledge (c INTEGER PRIMARY KEY, cc BLOB NOT NULL);
CREATE TABLE delta_log (c INTEGER NOT NULL, origin INTEGER NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, delta BLOB NOT NULL, txn BLOB, PRIMARY KEY (c, origin, seq)) WITHOUT ROWID;
CREATE TABLE seq_log (pos INTEGER PRIMARY KEY, name TEXT NOT NULL, n INTEGER NOT NULL, client TEXT NOT NULL, request_id INTEGER NOT NULL, done INTEGER NOT NULL);
CREATE TABLE seq_snapshot (k INTEGER PRIMARY KEY CHECK (k = 1), snapshot TEXT NOT NULL);
`;

/** The tables a MemoConductor database of this format has (checked at open). */
export const TABLES = ["delta_log", "knowledge", "meta", "objects", "origins", "seq_log", "seq_snapshot", "touched"];

/** `sqlSchema`: the tables' canonical SQL when the directory was made with a SQL schema (the optional `sql_schema` row: directories made before it open unchanged). */
export type Meta = { formatVersion: number; nodeId: string; schema: { collections: Record<string, unknown> }; sqlSchema: string | undefined; createdWith: string };

/** JSON with object keys sorted at every level: two schemas are the same iff these are equal. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(sortKeys(v));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
  return out;
}
