/**
 * The SQLite backing answers every read exactly as core's MemoryBacking (the reference) does, after any sequence
 * of StoreReplica-style calls (an update: read the object, its vector and the knowledge, mutate
 * them, put them back, log the delta; a sync merge: raise an object's vector by other origins;
 * log compaction), with writes that throw half-way (rolled back), group-commit batches, closes
 * and reopens, and a cache of 2 objects so that nearly every read is an eviction and a re-read.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { CausalContext, MemoryBacking, resolveBuiltin, type StoreBacking, type StoreCrdt, VersionVector } from "../../core/index.ts";
import { checkAsyncProperty } from "../../core/_test/prop.ts";
import { openNodeStore, type SqliteNodeStore, type SyncPolicy } from "./index.ts";

const SCHEMA = { collections: { tags: "or-set", views: "pn-counter" } };
const crdt = resolveBuiltin({ type: "store", ...SCHEMA }) as StoreCrdt;
const COLLECTIONS = ["tags", "views"] as const;
// Ids chosen so SQLite's order (UTF-8 bytes) and the store's (UTF-16 units) differ: "\uffff" sorts
// after "😀" in code points and before it in code units.
const IDS = ["a", "b", "c", "d", "\uffff", "😀"];
const ORIGINS = ["n1", "n2", "n3"];

type Update = { t: "update"; c: (typeof COLLECTIONS)[number]; id: string; origin: string; n: number; fail: boolean };
type Cmd = { t: "batch"; writes: Update[] } | { t: "merge"; c: string; id: string; extra: [string, number][] } | { t: "compact"; floors: [string, number][] } | { t: "reopen" };

const update = fc.record({
  t: fc.constant("update" as const),
  c: fc.constantFrom(...COLLECTIONS),
  id: fc.constantFrom(...IDS),
  origin: fc.constantFrom(...ORIGINS),
  n: fc.integer({ min: 0, max: 4 }),
  fail: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
});
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant("batch" as const), writes: fc.array(update, { minLength: 1, maxLength: 4 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant("merge" as const),
      c: fc.constantFrom(...COLLECTIONS),
      id: fc.constantFrom(...IDS),
      extra: fc.array(fc.tuple(fc.constantFrom(...ORIGINS), fc.integer({ min: 1, max: 20 })), { maxLength: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant("compact" as const),
      floors: fc.array(fc.tuple(fc.constantFrom(...ORIGINS), fc.constantFrom(0, 1, 3, Number.MAX_SAFE_INTEGER)), { maxLength: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ t: "reopen" as const }) },
);

/** One StoreReplica.update, as the refactored replica makes it: read live values, mutate, put back. */
function applyUpdate(b: StoreBacking, u: Update): void {
  const type = crdt.typeOf(u.c);
  const cc = b.knowledge(u.c) ?? new CausalContext();
  const seq = cc.next(u.origin)[1];
  const before = b.object(u.c, u.id) ?? type.init(u.origin);
  const op = u.c === "views" ? { op: u.n % 2 ? "dec" : "inc", args: [u.n + 1] } : { op: u.n % 3 ? "add" : "remove", args: [u.n] };
  const { state, delta } = type.update(before, op, { replica: u.origin, now: () => 0 });
  const vv = b.vv(u.c, u.id) ?? new VersionVector();
  vv.set(u.origin, seq);
  b.put(u.c, u.id, state, vv);
  b.logPut(u.c, u.origin, seq, { id: u.id, delta });
  b.putKnowledge(u.c, cc);
  if (u.fail) throw new Error("fn failed after writing");
}

function applyMerge(b: StoreBacking, m: Extract<Cmd, { t: "merge" }>): void {
  const type = crdt.typeOf(m.c);
  const state = b.object(m.c, m.id) ?? type.init("_");
  const vv = b.vv(m.c, m.id) ?? new VersionVector();
  for (const [o, s] of m.extra) if (vv.get(o) < s) vv.set(o, s);
  b.put(m.c, m.id, state, vv);
}

const floorOf = (floors: [string, number][]) => (_c: string, origin: string) => floors.find(([o]) => o === origin)?.[1] ?? 0;

/** Every read of the backing contract, as plain data (states as their encodings). */
function reads(b: StoreBacking): unknown {
  const out: Record<string, unknown> = { logSize: b.logSize() };
  for (const c of COLLECTIONS) {
    const codec = crdt.typeOf(c).codec!;
    out[c] = {
      ids: [...b.ids(c)],
      count: b.count(c),
      knowledge: b.knowledge(c)?.toJSON(),
      objects: IDS.map((id) => {
        const s = b.object(c, id);
        return [id, s === undefined ? null : Buffer.from(codec.encode(s)).toString("hex"), b.vv(c, id)?.toJSON() ?? null];
      }),
      touched: ORIGINS.flatMap((o) => [0, 1, 2, 5].map((above) => [o, above, [...b.touchedAbove(c, o, above)]])),
      log: ORIGINS.flatMap((o) => [1, 2, 3, 4, 5, 6].map((s) => [o, s, b.logGet(c, o, s)?.id ?? null])),
    };
  }
  return out;
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function run(cmds: Cmd[], sync: SyncPolicy): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "memo-backing-"));
  dirs.push(dir);
  const open = () => openNodeStore(dir, { schema: SCHEMA, nodeId: "n1", sync, cacheObjects: 2 });
  let store: SqliteNodeStore = open();
  const model = new MemoryBacking();
  try {
    for (const c of cmds) {
      if (c.t === "batch") {
        // All writes of the batch are issued before any is awaited: with group commit they share commits.
        const results = c.writes.map((u) =>
          store
            .write(() => applyUpdate(store.backing, u))
            .then(
              () => "ok",
              (e: Error) => e.message,
            ),
        );
        // A write that fails throws after all its calls: rolled back, it is as if never made.
        for (const u of c.writes) if (!u.fail) applyUpdate(model, u);
        expect(await Promise.all(results)).toEqual(c.writes.map((u) => (u.fail ? "fn failed after writing" : "ok")));
      } else if (c.t === "merge") {
        await store.write(() => applyMerge(store.backing, c));
        applyMerge(model, c);
      } else if (c.t === "compact") {
        expect(await store.write(() => store.backing.logCompact(floorOf(c.floors)))).toBe(model.logCompact(floorOf(c.floors)));
      } else {
        await store.close();
        store = open();
      }
      expect(reads(store.backing)).toEqual(reads(model));
      expect(store.backing.cachedObjects).toBeLessThanOrEqual(2);
    }
    await store.close();
    store = open();
    expect(reads(store.backing)).toEqual(reads(model));
  } finally {
    await store.close();
  }
}

describe("SqliteBacking against the in-memory model", () => {
  it("same reads after any sequence of replica-style calls, rollbacks and reopens (sync always)", async () => {
    await checkAsyncProperty(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 25 }), (cmds) => run(cmds, { mode: "always" })),
      { numRuns: 30 },
    );
  }, 120_000);

  it("same reads with group commit (batches of up to 3 writes, savepoint rollback per write)", async () => {
    await checkAsyncProperty(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 25 }), (cmds) => run(cmds, { mode: "group", maxWaitMs: 1, maxBatch: 3 })),
      { numRuns: 30 },
    );
  }, 120_000);
});
