/**
 * Teaching points of the service scenarios (sequencer, RAMP), asserted on the runs themselves.
 * (scenarios.test.ts checks that every gallery scenario meets its own expectations.)
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { MemoryStorage } from "../core/storage.ts";
import { simulate, type Run, type ServiceTally } from "../sim/index.ts";

type Line = { t: number; type: string; node?: string; event?: string; [k: string]: unknown };
const run = (name: string) => simulate(fileURLToPath(new URL(`./${name}.json`, import.meta.url)));
const lines = (r: Run) => (r.trace ?? []).map((l) => JSON.parse(l) as Line);
const check = (r: Run, name: string) => r.summary.checks.find((c) => c.name === name);
const seq = (r: Run) => lines(r).filter((e) => e.type === "seq");
const txn = (r: Run) => lines(r).filter((e) => e.type === "txn");

describe("invoice-sequencer-partition: CRDT writes stay available, the sequencer does not", () => {
  it("the minority's requests time out, the majority gets unique increasing numbers, every order is kept", async () => {
    const r = await run("invoice-sequencer-partition");
    const during = (e: Line) => e.t >= 200 && e.t < 1200;
    const minority = new Set(["carol", "dave"]);
    // Minority: asked during the partition and was told "unavailable" — never given a number.
    const minorityAsks = seq(r).filter((e) => minority.has(e.node!) && during(e));
    expect(minorityAsks.filter((e) => e.event === "next").length).toBe(2);
    expect(minorityAsks.filter((e) => e.event === "timeout").length).toBe(2);
    expect(minorityAsks.filter((e) => e.event === "ok")).toEqual([]);
    // Majority: numbers in the order asked, no gaps, no repeats.
    const majorityOks = seq(r).filter((e) => e.event === "ok" && !minority.has(e.node!) && e.t < 1200);
    expect(majorityOks.map((e) => e.n)).toEqual([1, 2, 3]);
    // After the heal carol gets the next number.
    expect(
      seq(r)
        .filter((e) => e.event === "ok" && e.node === "carol")
        .map((e) => e.n),
    ).toEqual([4]);
    // CRDT writes on the minority side were accepted during the partition.
    const updates = lines(r).filter((e) => e.type === "update" && during(e));
    expect(new Set(updates.map((e) => e.node))).toEqual(new Set(["carol", "dave", "alice", "bob"]));
    const av = r.summary.stats.availability!;
    expect(av.dave).toEqual({ crdtWrites: 1, sequencer: { attempted: 1, succeeded: 0, timedOut: 1, unfinished: 0 } });
    expect(av.alice).toMatchObject({ crdtWrites: 2, sequencer: { attempted: 2, succeeded: 2, timedOut: 0, unfinished: 0 } });
    // An answer takes a round trip or more (latency 5–40 ms each way); a request never answered has no latency.
    const aliceWaited = (av.alice!.sequencer as ServiceTally).latencyMs!;
    expect(aliceWaited.p50).toBeGreaterThanOrEqual(10);
    expect(aliceWaited.max).toBeLessThan(1000);
    expect(check(r, "sequencer-unique")?.ok).toBe(true);
    expect(check(r, "sequencer-monotonic")?.ok).toBe(true);
    for (const v of Object.values(r.summary.final)) expect(v).toEqual(["order-a1", "order-a2", "order-b1", "order-c1", "order-d1"]);
  });
});

describe("invoice-sequencer-crash: durable before acknowledged", () => {
  it("acknowledged numbers survive both crashes; staged ones are lost unseen; nothing is given twice", async () => {
    const r = await run("invoice-sequencer-crash");
    const s = seq(r);
    const oks = s.filter((e) => e.event === "ok" && e.name === "invoice").map((e) => e.n as number);
    expect(new Set(oks).size).toBe(oks.length);
    expect(s.filter((e) => e.event === "unsynced-lost").length).toBe(2);
    // Each restart resumes at least at every number already acknowledged to someone.
    for (const rec of s.filter((e) => e.event === "recover")) {
      const acked = s.filter((e) => e.event === "ok" && e.name === "invoice" && e.t < rec.t).map((e) => e.n as number);
      expect((rec.counters as { invoice: number }).invoice).toBeGreaterThanOrEqual(Math.max(0, ...acked));
    }
    // A number assigned before the first crash was answered after it (the answer was already on its way).
    const crashAt = lines(r).find((e) => e.type === "crash")!.t;
    expect(s.some((e) => e.event === "ok" && e.t > crashAt && s.some((a) => a.event === "assign" && a.n === e.n && a.name === e.name && a.t < crashAt))).toBe(true);
    // Retries (same request id) were answered from the dedup table: more answers sent than numbers assigned.
    const answersSent = lines(r).filter((e) => e.type === "send" && e.kind === "seq.assigned").length;
    expect(answersSent).toBeGreaterThan(s.filter((e) => e.event === "assign").length);
    expect(check(r, "sequencer-unique")?.ok).toBe(true);
    expect(check(r, "sequencer-monotonic")?.ok).toBe(true);
  });
});

describe("RAMP: fractured reads without it, none with it", () => {
  const readAt = (r: Run, t: number) => txn(r).find((e) => e.event === "read-ok" && e.t > t && e.t < t + 200)!;

  it("ramp-fractured-reads-naive: Bob sees the new x beside the old y, and the checker names that read", async () => {
    const r = await run("ramp-fractured-reads-naive");
    expect(readAt(r, 700).values).toEqual({ x: 1, y: 0 });
    expect(check(r, "read-atomic")).toMatchObject({ ok: false, expected: false });
    expect(check(r, "read-atomic")?.detail).toMatch(/^t=720 .*fractured read bob#1: saw transaction 600\/alice's write to x but y at older 100\/alice/);
    // Where the timeline rings it: Bob's fractured read.
    expect(check(r, "read-atomic")?.at).toEqual({ t: 720, node: "bob" });
  });

  it("ramp-atomic-reads: nothing of a half-prepared write is visible; a half-committed one is repaired in a second round", async () => {
    const r = await run("ramp-atomic-reads");
    expect(readAt(r, 700).values).toEqual({ x: 0, y: 0 });
    expect(readAt(r, 1600).values).toEqual({ x: 2, y: 2 });
    // The repaired read asked three times: x and y in round one, y by timestamp in round two.
    const gets = lines(r).filter((e) => e.type === "send" && e.kind === "ramp.get" && e.from === "bob" && e.t >= 1600 && e.t < 1700);
    expect(gets.length).toBe(3);
    expect(check(r, "read-atomic")).toMatchObject({ ok: true, expected: true });
    // Constant 10 ms links: a read is one round trip (20 ms), the repaired one two (40 ms).
    expect(r.summary.stats.availability!.bob).toEqual({
      crdtWrites: 0,
      transactions: { attempted: 5, succeeded: 5, timedOut: 0, unfinished: 0, latencyMs: { p50: 20, p99: 40, max: 40 } },
    });
  });
});

describe("ramp-shard-crash: shards answer only what is durable", () => {
  it("a crash loses only unanswered records; a lost commit is repaired from the durable prepare; committed writes survive", async () => {
    const r = await run("ramp-shard-crash");
    const t = txn(r);
    const at = (node: string, event: string) => t.filter((e) => e.node === node && e.event === event).map((e) => e.t);
    // s2 lost Alice's first prepare (staged at 110, the sync was due at 130); s1 lost the commit of her second write.
    expect(t.filter((e) => e.event === "unsynced-lost").map((e) => [e.t, e.node, e.records])).toEqual([
      [120, "s2", 1],
      [560, "s1", 1],
    ]);
    expect(t.filter((e) => e.event === "recover").map((e) => [e.t, e.node, e.versions])).toEqual([
      [250, "s2", 0],
      [680, "s1", 2],
    ]);
    // Alice's writes commit only after the restarts, through her retries.
    expect(at("alice", "committed")).toEqual([380, 780]);
    // Bob's read in the gap: round one got the old x from s1 and the new y from s2; round two fetched x at 500/alice.
    const gap = t.find((e) => e.event === "read-ok" && e.read === 1)!;
    expect(gap).toMatchObject({ t: 740, values: { x: 2, y: 2 }, versions: { x: "500/alice", y: "500/alice" } });
    const toS1 = lines(r).filter((e) => e.type === "send" && e.kind === "ramp.get" && e.from === "bob" && e.to === "s1" && e.t >= 600 && e.t < 740);
    expect(toS1.map((e) => e.t)).toEqual([600, 700, 720]);
    expect(check(r, "read-atomic")).toMatchObject({ ok: true, expected: true });
    expect(check(r, "durability")).toMatchObject({ ok: true, expected: true });
    expect(check(r, "durability")?.detail).toBe(
      "no CRDT writes to lose; RAMP: 2 committed transaction(s), each still the latest version (or superseded) on its shards; 3 read(s), every version they returned still there",
    );
    // What durability costs: each write waited for two group commits (prepare, commit) — 280 ms with the retries after
    // the crash; Bob's read in the gap waited for s1's restart and a second round.
    const av = r.summary.stats.availability!;
    expect((av.alice!.transactions as ServiceTally).latencyMs).toEqual({ p50: 280, p99: 280, max: 280 });
    expect((av.bob!.transactions as ServiceTally).latencyMs).toEqual({ p50: 20, p99: 140, max: 140 });
  });
});

describe("ramp-shard-crash on a disk that lies about fsync: durability is not blind", () => {
  it("sync() persists nothing: the crash takes back committed writes, and durability names the first one", async () => {
    // Services only: every storage in this run is a shard's, so only RAMP's part of durability can fail.
    const lie = vi.spyOn(MemoryStorage.prototype, "sync").mockImplementation(() => {});
    try {
      const r = await run("ramp-shard-crash");
      const d = check(r, "durability")!;
      expect(d).toMatchObject({ ok: false, expected: true, at: { t: 380, node: "alice" } });
      expect(d.detail).toMatch(
        /^no CRDT writes to lose; t=380 \(history event \d+\): transaction 100\/alice was acknowledged committed to alice, but shard s\d holds \w at older 0\/: a committed write was lost$/,
      );
      expect(r.summary.ok).toBe(false);
      // The shard that lost Alice's prepare rejects her retried commit, its state untouched.
      expect(txn(r).some((e) => e.event === "rejected" && /never prepared/.test(String(e.reason)))).toBe(true);
    } finally {
      lie.mockRestore();
    }
  });
});

describe("docs/services.md", () => {
  it("the page's scenario runs and meets its expectations", async () => {
    const page = readFileSync(fileURLToPath(new URL("../docs/services.md", import.meta.url)), "utf8");
    const section = page.slice(page.indexOf("# Services: a sequencer and RAMP transactions"));
    const json = /```json[^\n]*\n([\s\S]*?)\n```/.exec(section)![1]!;
    const r = await simulate(JSON.parse(json));
    expect(r.summary.scenario).toBe("services-tour");
    expect(r.summary.ok).toBe(true);
    expect(
      seq(r)
        .filter((e) => e.event === "ok")
        .map((e) => e.n),
    ).toEqual([1]);
    const { x, y } = txn(r).find((e) => e.event === "read-ok")!.values as { x: unknown; y: unknown };
    expect(x).toBe(y); // all of Alice's transaction or none of it
  });
});
