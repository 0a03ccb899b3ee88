/**
 * Opening a data directory: a new one needs a schema; what was written is there after a
 * reopen; another node's, another schema's, a foreign, a damaged or a future-format database
 * is refused with a message naming the file and the reason — and left byte for byte as it was.
 */
import { existsSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { DecodeError } from "../../core/index.ts";
import { bump, SCHEMA, tempDirs, views } from "./_test/workload.ts";
import { DB_FILE, openNodeStore, StoreOpenError } from "./index.ts";

const Driver = createRequire(import.meta.url)("better-sqlite3") as typeof Database;
const dirs = tempDirs();
afterEach(() => dirs.cleanup());

/** A directory holding a closed store with a few writes (sync always, so nothing is pending). */
async function storeDir(): Promise<string> {
  const dir = dirs.make();
  const s = openNodeStore(dir, { schema: SCHEMA, nodeId: "alice" });
  for (let i = 0; i < 20; i++) await s.write(() => bump(s.backing, `v${i % 5}`, "alice"));
  await s.close();
  return dir;
}

/**
 * Version 2's `touched` (and version 1's): keyed by (c, origin, seq, id), one exact row per object
 * and origin at its highest seq — rebuilt here from the objects storeDir wrote (views v0…v4,
 * four bumps each, alice's seqs 1…20 in turn: v0 last at 16, v4 at 20).
 */
const TOUCHED_V2 = `
DROP TABLE touched;
CREATE TABLE touched (c INTEGER NOT NULL, origin INTEGER NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, PRIMARY KEY (c, origin, seq, id)) WITHOUT ROWID;
INSERT INTO touched (c, origin, seq, id) VALUES (1, 1, 16, 'v0'), (1, 1, 17, 'v1'), (1, 1, 18, 'v2'), (1, 1, 19, 'v3'), (1, 1, 20, 'v4');
`;
const V2_ROWS = ["v0", "v1", "v2", "v3", "v4"].map((id, i) => ({ id, seq: 16 + i }));

/** Expects opening `dir` to be refused with `message`, and the file to be unchanged. */
function refused(dir: string, message: RegExp, options = {}): void {
  const file = join(dir, DB_FILE);
  const before = readFileSync(file);
  expect(() => openNodeStore(dir, options)).toThrow(StoreOpenError);
  expect(() => openNodeStore(dir, options)).toThrow(message);
  expect(readFileSync(file).equals(before)).toBe(true);
}

describe("openNodeStore", () => {
  it("a new directory needs a schema, and nothing is created without one", () => {
    const dir = join(dirs.make(), "data");
    expect(() => openNodeStore(dir)).toThrow(/new data directory needs --schema/);
    expect(existsSync(dir)).toBe(false);
  });

  it("a bad schema is refused before anything is written", () => {
    const dir = join(dirs.make(), "data");
    expect(() => openNodeStore(dir, { schema: { collections: { a: "no-such-type" } } })).toThrow(/no-such-type/);
    expect(existsSync(join(dir, DB_FILE))).toBe(false);
  });

  it("keeps the node id, the schema and every write across a reopen; the schema need not be given again", async () => {
    const dir = await storeDir();
    const s = openNodeStore(dir);
    try {
      expect(s.backing.cachedObjects).toBe(0); // nothing loaded at open but meta and knowledge
      expect(s.nodeId).toBe("alice");
      expect(s.schema).toEqual(SCHEMA);
      expect(s.createdWith).toMatch(/^memoconductor \d/);
      expect([0, 1, 2, 3, 4].map((i) => views(s.backing, `v${i}`))).toEqual([4, 4, 4, 4, 4]);
      expect(s.backing.knowledge("views")?.toJSON()).toEqual({ vv: { alice: 20 }, cloud: [] });
      expect(s.backing.logSize()).toBe(20);
      expect(s.backing.cachedObjects).toBe(5); // the five read above, no more
    } finally {
      await s.close();
    }
  });

  it("chooses a node id at creation when none is given, and keeps it", async () => {
    const dir = dirs.make();
    const s = openNodeStore(dir, { schema: SCHEMA });
    const id = s.nodeId;
    await s.close();
    expect(id).toMatch(/^node-[0-9a-f]{12}$/);
    const again = openNodeStore(dir);
    expect(again.nodeId).toBe(id);
    await again.close();
  });

  it("refuses another node's directory, naming both ids", async () => {
    refused(await storeDir(), /belongs to node "alice", not "bob"/, { nodeId: "bob" });
  });

  it("refuses another schema, naming both", async () => {
    const other = { collections: { tags: "g-set", views: "pn-counter" } };
    refused(await storeDir(), /another schema: stored \{"collections":\{"tags":"or-set","views":"pn-counter"\}\}, given \{"collections":\{"tags":"g-set"/, { schema: other });
  });

  it("accepts the same schema with its keys in another order", async () => {
    const s = openNodeStore(await storeDir(), { schema: { collections: { views: "pn-counter", tags: "or-set" } } });
    await s.close();
  });

  it("refuses a directory another open store holds (one process per directory), and opens it once that one is closed", async () => {
    const dir = await storeDir();
    const first = openNodeStore(dir);
    try {
      expect(() => openNodeStore(dir)).toThrow(/is in use by another process/);
    } finally {
      await first.close();
    }
    const second = openNodeStore(dir);
    expect(views(second.backing, "v0")).toBe(4);
    await second.close();
  });

  it("refuses a file of garbage bytes", () => {
    const dir = dirs.make();
    writeFileSync(join(dir, DB_FILE), Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251)));
    refused(dir, /not a MemoConductor database: not a SQLite file/, { schema: SCHEMA });
  });

  it("refuses an empty file", () => {
    const dir = dirs.make();
    writeFileSync(join(dir, DB_FILE), "");
    refused(dir, /not a SQLite file \(only 0 bytes\)/, { schema: SCHEMA });
  });

  it("refuses another application's SQLite database", () => {
    const dir = dirs.make();
    const db = new Driver(join(dir, DB_FILE));
    db.exec("CREATE TABLE customers (id TEXT PRIMARY KEY, phone TEXT); INSERT INTO customers VALUES ('A', '555')");
    db.close();
    refused(dir, /a SQLite file of another application \(application_id 0/, { schema: SCHEMA });
  });

  it("refuses a truncated database", async () => {
    const dir = await storeDir();
    const file = join(dir, DB_FILE);
    truncateSync(file, Math.floor(readFileSync(file).length / 2));
    refused(dir, /is corrupt: truncated/);
  });

  it("migrates a version-1 directory (no transaction columns, `touched` keyed by seq) to version 3 at open, keeping every row", async () => {
    const dir = await storeDir();
    const file = join(dir, DB_FILE);
    // Version 1 as it was written: the same tables without the two txn columns.
    const old = new Driver(file);
    old.exec("ALTER TABLE objects DROP COLUMN txn; ALTER TABLE delta_log DROP COLUMN txn; UPDATE meta SET value = '1' WHERE key = 'format_version'");
    old.exec(TOUCHED_V2);
    old.pragma("user_version = 1");
    old.close();
    const s = openNodeStore(dir);
    try {
      expect([0, 1, 2, 3, 4].map((i) => views(s.backing, `v${i}`))).toEqual([4, 4, 4, 4, 4]);
      expect(s.backing.logSize()).toBe(20);
      expect(s.db.pragma("user_version", { simple: true })).toBe(3);
      expect(s.db.prepare("SELECT value FROM meta WHERE key = 'format_version'").pluck().get()).toBe("3");
      expect(s.backing.logGet("views", "alice", 1)?.txn).toBeUndefined();
      expect(s.db.prepare("SELECT id, seq FROM touched ORDER BY id").all()).toEqual(V2_ROWS);
    } finally {
      await s.close();
    }
  });

  it("migrates a version-2 directory (`touched` keyed by seq) to version 3 at open: its rows kept, one per object, and touchedAbove answers from them once the log is gone", async () => {
    const dir = await storeDir();
    const old = new Driver(join(dir, DB_FILE));
    old.exec(TOUCHED_V2);
    old.exec("DELETE FROM delta_log; UPDATE meta SET value = '2' WHERE key = 'format_version'");
    old.pragma("user_version = 2");
    old.close();
    const s = openNodeStore(dir);
    try {
      expect(s.db.pragma("user_version", { simple: true })).toBe(3);
      expect(s.db.prepare("SELECT id, seq FROM touched ORDER BY id").all()).toEqual(V2_ROWS);
      expect([...s.backing.touchedAbove("views", "alice", 17)]).toEqual(["v2", "v3", "v4"]);
      expect([...s.backing.touchedAbove("views", "alice", 0)]).toEqual(["v0", "v1", "v2", "v3", "v4"]);
    } finally {
      await s.close();
    }
  });

  it("refuses a version-1 database whose meta row says another version, untouched", async () => {
    const dir = await storeDir();
    const old = new Driver(join(dir, DB_FILE));
    old.pragma("user_version = 1");
    old.close();
    refused(dir, /on-disk format version 1; this build reads version 3 only/);
  });

  it("refuses a database of another format version", async () => {
    const dir = await storeDir();
    const db = new Driver(join(dir, DB_FILE));
    db.pragma("user_version = 4");
    db.close();
    refused(dir, /on-disk format version 4; this build reads version 3 only/);
  });

  it("refuses a database whose pages were overwritten (quick_check at open)", async () => {
    const dir = await storeDir();
    const file = join(dir, DB_FILE);
    const bytes = readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    // Every page but the first (the header, checked on its own above) overwritten with a pattern.
    for (let i = pageSize; i < bytes.length; i++) bytes[i] = (i * 31) % 256;
    writeFileSync(file, bytes);
    refused(dir, /is corrupt/);
  });

  it("refuses a database whose knowledge row fails its checksum", async () => {
    const dir = await storeDir();
    const db = new Driver(join(dir, DB_FILE));
    db.prepare("UPDATE knowledge SET cc = ? WHERE c = 1").run(Buffer.from([2, 9, 9, 9, 9, 9, 9]));
    db.close();
    refused(dir, /knowledge of collection "views".*checksum mismatch/);
  });

  it("a damaged object row is a DecodeError naming the row when it is read, never a value", async () => {
    const dir = await storeDir();
    const db = new Driver(join(dir, DB_FILE));
    const state = db.prepare<[], Buffer>("SELECT state FROM objects WHERE c = 1 AND id = 'v3'").pluck().get()!;
    state[state.length - 5]! ^= 0x01;
    db.prepare("UPDATE objects SET state = ? WHERE c = 1 AND id = 'v3'").run(state);
    db.close();
    const s = openNodeStore(dir);
    try {
      expect(views(s.backing, "v2")).toBe(4);
      expect(() => s.backing.object("views", "v3")).toThrow(DecodeError);
      expect(() => s.backing.object("views", "v3")).toThrow(/state of views\["v3"\].*checksum mismatch/);
    } finally {
      await s.close();
    }
  });
});
