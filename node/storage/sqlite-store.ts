/**
 * `openNodeStore(dir, options)`: a NodeStore over one SQLite database in `dir` (better-sqlite3,
 * WAL, synchronous=FULL), the on-disk format of format.ts (docs/design.md, "The node's on-disk
 * format").
 *
 * A new directory is created whole or not at all: the database is built under a temporary name
 * (tables, meta rows, WAL switch, all committed) and renamed into place, so a crash during
 * creation leaves no half-made store that a later open would have to guess about. An existing
 * one is checked before it is used (open-checks.ts) and refused, untouched, if it is not ours,
 * damaged, of another format, node or schema.
 *
 * better-sqlite3 is an optional dependency (a native build core and simulator users never
 * need): it is loaded here, when a store is opened, and its absence is one clear error.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type Database from "better-sqlite3";
import { resolveBuiltin, type SequencerStorage, type StoreCrdt } from "../../core/index.ts";
import { describe, StorageError, StoreOpenError } from "./errors.ts";
import { APPLICATION_ID, canonicalJson, CREATE_TABLES, DB_FILE, FORMAT_VERSION, type Meta } from "./format.ts";
import type { NodeStore, NodeStoreOptions } from "./node-store.ts";
import { checkHeader, checkIdentity, isSchema, migrate, quickCheck, readMeta } from "./open-checks.ts";
import { SqliteBacking } from "./sqlite-backing.ts";
import { SqliteSequencerLog } from "./sequencer-log.ts";
import type { WalSync } from "./wal-sync.ts";
import { WriteBatcher } from "./write-batch.ts";

export const DEFAULT_CACHE_OBJECTS = 10_000;

/** How long an open waits for another process's lock (a node restarting on the same directory) before it is refused. */
const BUSY_TIMEOUT_MS = 2_000;

type Driver = typeof Database;

function loadDriver(): Driver {
  try {
    return createRequire(import.meta.url)("better-sqlite3") as Driver;
  } catch (e) {
    if ((e as { code?: unknown }).code === "MODULE_NOT_FOUND") throw new StorageError("better-sqlite3 is not installed: npm install better-sqlite3@12");
    throw e;
  }
}

export class SqliteNodeStore implements NodeStore {
  readonly backing: SqliteBacking;
  readonly sequencer: SequencerStorage;
  private readonly batcher: WriteBatcher;
  private closed = false;

  constructor(
    /** The connection (tests reach it to inject faults and to set `max_page_count`). */
    readonly db: Database.Database,
    readonly file: string,
    private readonly meta: Meta,
    crdt: StoreCrdt,
    options: NodeStoreOptions,
  ) {
    this.backing = new SqliteBacking(db, crdt, options.cacheObjects ?? DEFAULT_CACHE_OBJECTS);
    const log = new SqliteSequencerLog(db, { inWrite: () => this.batcher.inWrite(), commitNow: (rows) => this.batcher.commitNow(rows) });
    this.sequencer = log;
    this.batcher = new WriteBatcher(
      db,
      options.sync ?? { mode: "always" },
      {
        beginWrite: () => this.backing.beginWrite(),
        endWrite: () => this.backing.endWrite(),
        undoWrite: () => {
          this.backing.undoWrite();
          log.dropStaged();
        },
        beforeCommit: () => this.backing.flush(),
        rolledBack: () => {
          this.backing.reset();
          log.dropStaged();
        },
      },
      `${file}-wal`,
    );
  }

  get nodeId(): string {
    return this.meta.nodeId;
  }

  get schema(): { collections: Record<string, unknown> } {
    return this.meta.schema;
  }

  get sqlSchema(): string | undefined {
    return this.meta.sqlSchema;
  }

  /** The release that created the directory (`memoconductor 0.1.0`). */
  get createdWith(): string {
    return this.meta.createdWith;
  }

  /** With group commit, the WAL's own fsync (wal-sync.ts); tests hold or fail it as a slow or failing disk would. */
  get walSync(): WalSync | undefined {
    return this.batcher.wal;
  }

  /** Commits made so far. */
  get commits(): number {
    return this.batcher.commits;
  }

  write<T>(fn: () => T): Promise<T> {
    return this.batcher.write(fn);
  }

  read<T>(fn: () => T): Promise<T> {
    return this.batcher.read(fn);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    try {
      this.batcher.close();
    } finally {
      this.db.close();
    }
    return Promise.resolve();
  }
}

/** Opens (or, given a schema, creates) the node store of data directory `dir`. */
export function openNodeStore(dir: string, options: NodeStoreOptions = {}): SqliteNodeStore {
  const Driver = loadDriver();
  const file = join(dir, DB_FILE);
  if (options.nodeId !== undefined && (typeof options.nodeId !== "string" || options.nodeId === ""))
    throw new StoreOpenError(`node id must be a non-empty string, got ${JSON.stringify(options.nodeId)}`);
  if (!existsSync(file)) create(Driver, dir, file, options);
  const size = statSync(file).size;
  checkHeader(file, size);
  let db: Database.Database | undefined;
  try {
    // One process per data directory: the backing's cache is only right if nobody else writes.
    // In WAL mode with exclusive locking the first read takes a lock held until close, so a
    // second node on the same directory is refused here rather than corrupting both caches.
    db = new Driver(file, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    db.pragma("locking_mode = EXCLUSIVE");
    db.pragma("synchronous = FULL");
    migrate(db, file);
    const meta = readMeta(db, file);
    checkIdentity(meta, file, options);
    quickCheck(db, file, size);
    const crdt = storeType(meta.schema, file);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    return new SqliteNodeStore(db, file, meta, crdt, options);
  } catch (e) {
    db?.close();
    if (e instanceof StorageError) throw e;
    if ((e as { code?: unknown }).code === "SQLITE_BUSY")
      throw new StoreOpenError(`${file} is in use by another process (another node on this data directory?); refusing to open it`, { cause: e });
    throw new StoreOpenError(`${file} is corrupt or not a database: ${describe(e)}; refusing to open it`, { cause: e });
  }
}

function storeType(schema: Meta["schema"], where: string): StoreCrdt {
  try {
    return resolveBuiltin({ type: "store", collections: schema.collections }) as StoreCrdt;
  } catch (e) {
    throw new StoreOpenError(`${where}: schema: ${describe(e)}`, { cause: e });
  }
}

/** Builds a new store's database under a temporary name, then renames it into place. */
function create(Driver: Driver, dir: string, file: string, options: NodeStoreOptions): void {
  const { schema } = options;
  if (schema === undefined) throw new StoreOpenError(`${dir} holds no store yet: a new data directory needs --schema (the store's collections, as in a scenario's store options)`);
  if (!isSchema(schema)) throw new StoreOpenError(`schema must be { "collections": { name: type, … } }, got ${JSON.stringify(schema)}`);
  storeType(schema, "--schema");
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.creating`;
  for (const f of [tmp, `${tmp}-journal`, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  const db = new Driver(tmp);
  try {
    db.pragma("synchronous = FULL");
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${FORMAT_VERSION}`);
    db.transaction(() => {
      db.exec(CREATE_TABLES);
      const meta = db.prepare<[string, string]>("INSERT INTO meta (key, value) VALUES (?, ?)");
      meta.run("format_version", String(FORMAT_VERSION));
      meta.run("node_id", options.nodeId ?? `node-${randomBytes(6).toString("hex")}`);
      meta.run("schema", canonicalJson(schema));
      if (options.sqlSchema !== undefined) meta.run("sql_schema", options.sqlSchema);
      meta.run("created_with", createdWith());
    })();
    db.pragma("journal_mode = WAL");
  } finally {
    db.close();
  }
  renameSync(tmp, file);
  // The rename is durable once the directory is.
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** `memoconductor <version>` from the package's own package.json (sources, dist or a bundle). */
function createdWith(): string {
  let at = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(at, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === "memoconductor" && typeof pkg.version === "string") return `memoconductor ${pkg.version}`;
    } catch {
      // no package.json here: look one level up
    }
    at = dirname(at);
  }
  return "memoconductor (version unknown)";
}
