/**
 * What is refused at open, before and after SQLite reads the file. Nothing here writes: a file
 * that is refused is left exactly as it was found (never reset, never "repaired").
 *
 * Before SQLite opens it (a foreign or damaged file must not be touched by a WAL switch or a
 * journal rollback): the 100-byte SQLite header must be there, start with SQLite's magic,
 * carry our application_id, and the file must be at least as long as the header's page count
 * says (a cut file). After: SQLite's own checks (a malformed schema is SQLITE_CORRUPT or
 * SQLITE_NOTADB), our tables, the format version, the meta rows, then `PRAGMA quick_check` when
 * the file is small enough for it to be cheap (QUICK_CHECK_MAX_BYTES): it reads every page, so
 * for a large store it would make open time grow with the data. Damage it would have found in a
 * large store surfaces when the damaged row is read: every BLOB is checksummed (DecodeError).
 */
import { closeSync, openSync, readSync } from "node:fs";
import type Database from "better-sqlite3";
import { StoreOpenError } from "./errors.ts";
import { APPLICATION_ID, canonicalJson, FORMAT_VERSION, type Meta, MIGRATE_1_TO_2, MIGRATE_2_TO_3, TABLES } from "./format.ts";
import type { NodeStoreOptions } from "./node-store.ts";

/** quick_check at open only up to this size (it reads every page: ~1 s per few hundred MB). */
export const QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024;

const MAGIC = "SQLite format 3\0";

/** Checks an existing file's header without opening it with SQLite. */
export function checkHeader(file: string, size: number): void {
  const header = Buffer.alloc(100);
  const fd = openSync(file, "r");
  let got: number;
  try {
    got = readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (got < 100 || header.toString("latin1", 0, 16) !== MAGIC)
    throw new StoreOpenError(`${file} is not a MemoConductor database: not a SQLite file (${got < 100 ? `only ${got} bytes` : "no SQLite header"}); refusing to open it`);
  const appId = header.readUInt32BE(68);
  if (appId !== APPLICATION_ID)
    throw new StoreOpenError(
      `${file} is not a MemoConductor database: a SQLite file of another application (application_id ${appId}, ours is ${APPLICATION_ID}); refusing to open it`,
    );
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  const pages = header.readUInt32BE(28);
  // The page count is valid only when the two change counters agree (SQLite ≥ 3.7.0 keeps them so).
  const valid = header.readUInt32BE(24) === header.readUInt32BE(92);
  if (valid && pages * pageSize > size)
    throw new StoreOpenError(`${file} is corrupt: truncated (${size} bytes, the header says ${pages} pages of ${pageSize} bytes); refusing to open it`);
}

/**
 * Brings a version-1 or version-2 database to the current version in one transaction (format.ts,
 * MIGRATE_1_TO_2 then MIGRATE_2_TO_3), after checking it is one: that user_version, the tables
 * and a `format_version` row that agrees. Anything else is left untouched for readMeta to judge.
 * A crash during it leaves the old version (rolled back).
 */
export function migrate(db: Database.Database, file: string, log?: (line: string) => void): void {
  const from = db.pragma("user_version", { simple: true });
  if (from !== 1 && from !== 2) return;
  const tables = db.prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all();
  if (!TABLES.every((t) => tables.includes(t))) return;
  const v = db.prepare<[], string>("SELECT value FROM meta WHERE key = 'format_version'").pluck().get();
  if (v !== String(from)) return;
  db.transaction(() => {
    if (from === 1) db.exec(MIGRATE_1_TO_2);
    db.exec(MIGRATE_2_TO_3);
    db.pragma(`user_version = ${FORMAT_VERSION}`);
  })();
  const what = from === 1 ? "transaction metadata columns added, `touched` re-keyed" : "`touched` re-keyed by object";
  log?.(`${file}: migrated the on-disk format from version ${from} to version ${FORMAT_VERSION} (${what})`);
}

/** Checks a database SQLite has opened: our tables, format version and meta rows. Returns the meta. */
export function readMeta(db: Database.Database, file: string): Meta {
  const userVersion = db.pragma("user_version", { simple: true });
  if (userVersion !== FORMAT_VERSION)
    throw new StoreOpenError(`${file} has on-disk format version ${String(userVersion)}; this build reads version ${FORMAT_VERSION} only; refusing to open it`);
  const tables = db.prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();
  const missing = TABLES.filter((t) => !tables.includes(t));
  if (missing.length) throw new StoreOpenError(`${file} is corrupt: table(s) ${missing.join(", ")} missing; refusing to open it`);
  const rows = new Map(
    db
      .prepare<[], { key: string; value: string }>("SELECT key, value FROM meta")
      .all()
      .map((r) => [r.key, r.value]),
  );
  const need = (key: string): string => {
    const v = rows.get(key);
    if (typeof v !== "string") throw new StoreOpenError(`${file} is corrupt: meta row "${key}" missing; refusing to open it`);
    return v;
  };
  const formatVersion = Number(need("format_version"));
  if (formatVersion !== FORMAT_VERSION)
    throw new StoreOpenError(`${file} has on-disk format version ${need("format_version")}; this build reads version ${FORMAT_VERSION} only; refusing to open it`);
  let schema: unknown;
  try {
    schema = JSON.parse(need("schema"));
  } catch (e) {
    throw new StoreOpenError(`${file} is corrupt: meta row "schema" is not JSON (${(e as Error).message}); refusing to open it`);
  }
  if (!isSchema(schema)) throw new StoreOpenError(`${file} is corrupt: meta row "schema" is not { "collections": {…} }; refusing to open it`);
  const nodeId = need("node_id");
  if (nodeId === "") throw new StoreOpenError(`${file} is corrupt: meta row "node_id" is empty; refusing to open it`);
  return { formatVersion, nodeId, schema, sqlSchema: rows.get("sql_schema"), createdWith: need("created_with") };
}

export function isSchema(v: unknown): v is Meta["schema"] {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const c = (v as { collections?: unknown }).collections;
  return c !== null && typeof c === "object" && !Array.isArray(c);
}

/** Refuses a directory whose node id or schema (SQL or store) differ from the ones asked for, naming both. */
export function checkIdentity(meta: Meta, file: string, asked: Pick<NodeStoreOptions, "nodeId" | "schema" | "sqlSchema">): void {
  const { nodeId, schema, sqlSchema } = asked;
  if (nodeId !== undefined && nodeId !== meta.nodeId)
    throw new StoreOpenError(`${file} belongs to node "${meta.nodeId}", not "${nodeId}"; refusing to open it (use another data directory, or that node id)`);
  // The SQL first: when both differ, the tables are what the user wrote.
  const stored = meta.sqlSchema;
  if (sqlSchema !== undefined && stored === undefined)
    throw new StoreOpenError(
      `${file} was made without a SQL schema (its store: ${canonicalJson(meta.schema)}); a SQL schema is stored only when a data directory is made; refusing to open it (omit --schema, or use a new data directory)`,
    );
  if (sqlSchema !== undefined && stored !== undefined && sqlSchema !== stored)
    throw new StoreOpenError(`${file} holds other tables: ${firstDifference(stored, sqlSchema)}; refusing to open it (omit --schema to use the stored ones)`);
  if (schema !== undefined && canonicalJson(schema) !== canonicalJson(meta.schema))
    throw new StoreOpenError(
      `${file} holds another schema: stored ${canonicalJson(meta.schema)}, given ${canonicalJson(schema)}; refusing to open it (omit --schema to use the stored one)`,
    );
}

/** The first table two canonical SQL schemas (one CREATE TABLE a line, sorted by name) declare differently, as both declare it. */
function firstDifference(stored: string, given: string): string {
  const byName = (sql: string) => new Map(sql.split("\n").map((line) => [/^CREATE TABLE ("(?:[^"]|"")*")/.exec(line)?.[1] ?? line, line.replace(/;$/, "")]));
  const a = byName(stored);
  const b = byName(given);
  for (const name of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const s = a.get(name);
    const g = b.get(name);
    if (s !== g) return `stored ${s ?? `no ${name}`}, given ${g ?? `no ${name}`}`;
  }
  return `stored ${stored}, given ${given}`;
}

/** `PRAGMA quick_check`, when the file is small enough for it to be cheap. */
export function quickCheck(db: Database.Database, file: string, size: number): void {
  if (size > QUICK_CHECK_MAX_BYTES) return;
  const result = db.prepare<[], string>("PRAGMA quick_check(5)").pluck().all();
  if (result.length !== 1 || result[0] !== "ok") throw new StoreOpenError(`${file} is corrupt: ${result.join("; ")}; refusing to open it`);
}
