import { describe, expect, it } from "vitest";
import { RampWorld, SERVERS, shard } from "./_test/world.ts";
import { readAtomic } from "./checker.ts";
import { RampClient } from "./client.ts";
import { RampError } from "./errors.ts";
import type { RampEvent } from "./history.ts";
import type { Prepare } from "./messages.ts";
import { repairs } from "./repair.ts";
import { RampServer } from "./server.ts";
import { BOTTOM } from "./timestamp.ts";

/** Delivers the first in-flight envelope matching `pred`. */
function deliver(w: RampWorld, pred: (to: string, type: string) => boolean): void {
  const i = w.net.inFlight.findIndex((e) => pred(e.to, e.msg.type));
  if (i < 0) throw new Error("no such message in flight");
  w.run({ k: "deliver", i });
}
const lastRead = (w: RampWorld) => w.history.filter((e): e is Extract<RampEvent, { type: "read-ok" }> => e.type === "read-ok").at(-1)!;
const value = (w: RampWorld, key: string) => lastRead(w).versions[key]!.value;

describe("RAMP-Fast", () => {
  it("writes with prepare then commit, and reads them back", () => {
    const w = new RampWorld("ramp");
    w.run({ k: "write", c: 0, mask: 0b11, v: 1 }); // x, y
    w.drain();
    expect(w.history.map((e) => e.type)).toEqual(["write-invoke", "write-ok"]);
    w.run({ k: "read", c: 1, mask: 0b11 });
    w.drain();
    expect([value(w, "x"), value(w, "y")]).toEqual(["x1", "y1"]);
  });

  it("repairs a read that lands between the two commits (the slides' example)", () => {
    const w = new RampWorld("ramp");
    w.run({ k: "write", c: 0, mask: 0b11, v: 1 }); // Prepare {x=1, dep [y]}, Prepare {y=1, dep [x]}
    deliver(w, (to) => to === "s0");
    deliver(w, (to) => to === "s1");
    deliver(w, (_, t) => t === "ramp.prepared");
    deliver(w, (_, t) => t === "ramp.prepared");
    deliver(w, (to, t) => to === "s0" && t === "ramp.commit"); // x committed, y only prepared
    w.run({ k: "read", c: 1, mask: 0b11 }); // Get {x}, Get {y}
    deliver(w, (to, t) => to === "s0" && t === "ramp.get");
    deliver(w, (to, t) => to === "s1" && t === "ramp.get");
    deliver(w, (to) => to === "c1");
    deliver(w, (to) => to === "c1"); // x=1 at ts 1 (dep [y]); y=initial: mismatch
    const round2 = w.net.inFlight.find((e) => e.msg.type === "ramp.get")!;
    expect(round2).toMatchObject({ to: "s1", msg: { reads: [{ key: "y", ts: { t: 1, c: "c0" } }] } }); // Get {y, ts 1}
    deliver(w, (to, t) => to === "s1" && t === "ramp.get");
    deliver(w, (to) => to === "c1");
    expect([value(w, "x"), value(w, "y")]).toEqual(["x1", "y1"]);
    expect(readAtomic(w.history).ok).toBe(true);
  });

  it("naive mode: a concrete fractured read, reported by read-atomic", () => {
    const w = new RampWorld("naive");
    w.run({ k: "write", c: 0, mask: 0b11, v: 1 }); // put x=1 on s0, put y=1 on s1
    deliver(w, (to, t) => to === "s0" && t === "ramp.put"); // x visible at once, y not yet
    w.run({ k: "read", c: 1, mask: 0b11 });
    deliver(w, (to, t) => to === "s0" && t === "ramp.get");
    deliver(w, (to, t) => to === "s1" && t === "ramp.get");
    deliver(w, (to, t) => to === "c1" && t === "ramp.values");
    deliver(w, (to, t) => to === "c1" && t === "ramp.values");
    expect([value(w, "x"), value(w, "y")]).toEqual(["x1", null]);
    const r = readAtomic(w.history);
    expect(r).toMatchObject({ ok: false, event: { type: "read-ok", client: "c1" } });
    expect(r.detail).toMatch(/fractured read c1#0: saw transaction 1\/c0's write to x but y at older 0\//);
  });

  it("repairs(): the highest sibling timestamp for each stale key", () => {
    const v = (key: string, t: number, keys: string[]) => ({ key, value: t, ts: t ? { t, c: "a" } : BOTTOM, keys });
    const got = new Map([
      ["x", v("x", 3, ["x", "y"])],
      ["y", v("y", 1, ["y", "z"])],
      ["z", v("z", 0, [])],
    ]);
    expect(repairs(got)).toEqual(
      new Map([
        ["y", { t: 3, c: "a" }],
        ["z", { t: 1, c: "a" }],
      ]),
    );
  });
});

describe("RAMP errors", () => {
  const server = () => new RampServer({ id: "s0", shard });
  const prepare = (over: Partial<Prepare> = {}): Prepare => ({
    type: "ramp.prepare",
    client: "c0",
    ts: { t: 1, c: "c0" },
    writes: [{ key: "x", value: 1 }],
    keys: ["x", "y"],
    ...over,
  });

  it("a write to an unknown shard is a clear error, before anything is sent", () => {
    const c = new RampClient({ id: "c0", servers: SERVERS, shard, timeoutMs: 100, retryMs: 10 });
    expect(() => c.write({ x: 1, q: 2 }, 0)).toThrow(RampError);
    expect(() => c.write({ x: 1, q: 2 }, 0)).toThrow(/key "q" maps to shard "s9", which is not one of the servers \[s0, s1, s2\]/);
    expect(() => c.read(["q"], 0)).toThrow(/not one of the servers/);
    expect(c.outstanding).toEqual({ reads: 0, writes: 0 });
    expect(c.wakeAt()).toBeUndefined();
  });

  it("a server rejects keys of another shard", () => {
    expect(() => server().handle(prepare({ writes: [{ key: "y", value: 1 }] }), 0)).toThrow(/key "y" sent to server "s0", but the key belongs to shard "s1"/);
  });

  it("malformed messages are rejected with a clear error and leave the server untouched", () => {
    const s = server();
    s.handle(prepare(), 0);
    s.handle({ type: "ramp.commit", client: "c0", ts: { t: 1, c: "c0" }, keys: ["x"] }, 0);
    const bad: [unknown, RegExp][] = [
      ["hello", /not an object/],
      [{ type: "ramp.nope" }, /unknown type "ramp.nope"/],
      [prepare({ ts: { t: 0, c: "" } }), /must not be the initial timestamp/],
      [prepare({ ts: { t: -1, c: "c0" } }), /ts.t must be a safe integer/],
      [prepare({ writes: [] }), /writes must be a non-empty array/],
      [prepare({ writes: [{ key: "w", value: 1 }] }), /"w" is not among the transaction's keys/],
      [prepare({ keys: ["x", "x"] }), /duplicate key/],
      [prepare({ writes: [{ key: "x", value: undefined as never }] }), /not a JSON value/],
      [prepare({ writes: [{ key: "x", value: 2 }] }), /timestamp 1\/c0 reused for key "x" with a different value/],
      [{ ...prepare(), extra: 1 }, /unknown field "extra"/],
      [{ type: "ramp.commit", client: "c0", ts: { t: 5, c: "c0" }, keys: ["x"] }, /never prepared it/],
      [{ type: "ramp.get", client: "c0", read: 0, attempt: 0, reads: [] }, /reads must be a non-empty array/],
      [{ type: "ramp.get", client: "c0", read: 0, attempt: 0, reads: [{ key: "x" }] }, /reads\[0\] .*ts|ts/],
    ];
    for (const [msg, err] of bad) {
      expect(() => s.handle(msg, 0)).toThrow(RampError);
      expect(() => s.handle(msg, 0)).toThrow(err);
    }
    expect(s.latest("x")).toEqual({ key: "x", value: 1, ts: { t: 1, c: "c0" }, keys: ["x", "y"] });
    expect(s.versionCount).toBe(1);
  });

  it("a client rejects malformed replies and keeps its transactions", () => {
    const c = new RampClient({ id: "c0", servers: SERVERS, shard, timeoutMs: 100, retryMs: 10 });
    c.read(["x"], 0);
    expect(() => c.handle({ type: "ramp.values", server: "s0", read: 0, attempt: 1, versions: [{ key: "x", value: 1, ts: { t: 1 }, keys: [] }] }, 0)).toThrow(
      /ts.c must be a string/,
    );
    expect(() => c.handle({ type: "ramp.values", server: "s0", read: 0, attempt: 1, versions: [] }, 0)).toThrow(/does not answer the keys asked/);
    expect(c.outstanding).toEqual({ reads: 1, writes: 0 });
  });
});

describe("RAMP garbage collection", () => {
  it("drops superseded versions after the grace period, never the latest or a pending one", () => {
    const s = new RampServer({ id: "s0", shard, gcGraceMs: 100 });
    const put = (t: number, at: number) => {
      s.handle({ type: "ramp.prepare", client: "c", ts: { t, c: "c" }, writes: [{ key: "x", value: t }], keys: ["x"] }, at);
      s.handle({ type: "ramp.commit", client: "c", ts: { t, c: "c" }, keys: ["x"] }, at);
    };
    put(1, 0);
    put(2, 10);
    s.handle({ type: "ramp.prepare", client: "c", ts: { t: 9, c: "c" }, writes: [{ key: "x", value: 9 }], keys: ["x"] }, 10); // pending
    expect(s.versionCount).toBe(3);
    s.handle({ type: "ramp.get", client: "c", read: 0, attempt: 0, reads: [{ key: "x", ts: null }] }, 200);
    expect(s.versionCount).toBe(2); // version 1 collected; 2 (latest) and 9 (prepared) stay
    const { out } = s.handle({ type: "ramp.get", client: "c", read: 0, attempt: 0, reads: [{ key: "x", ts: { t: 1, c: "c" } }] }, 200);
    expect(out[0]!.msg).toMatchObject({ versions: [{ key: "x", missing: { t: 1, c: "c" } }] });
  });

  it("a commit supersedes every lower pending version and none above it, whatever the arrival order", () => {
    const s = new RampServer({ id: "s0", shard, gcGraceMs: 100 });
    const prep = (t: number, at: number) => s.handle({ type: "ramp.prepare", client: "c", ts: { t, c: "c" }, writes: [{ key: "x", value: t }], keys: ["x"] }, at);
    const commit = (t: number, at: number) => s.handle({ type: "ramp.commit", client: "c", ts: { t, c: "c" }, keys: ["x"] }, at);
    const read = (t: number | null, at: number) =>
      s.handle({ type: "ramp.get", client: "c", read: 0, attempt: 0, reads: [{ key: "x", ts: t === null ? null : { t, c: "c" } }] }, at).out[0]!.msg;
    for (const t of [50, 10, 30, 70, 20]) prep(t, 0); // prepared out of order, none committed
    commit(30, 0); // supersedes 10 and 20, keeps 50 and 70 pending
    commit(20, 0); // late and lower: changes nothing
    prep(40, 0); // arrives after the commit of 30 and above it: pending, not superseded
    prep(5, 0); // arrives below lastCommit: superseded at once
    expect(s.latest("x").value).toBe(30);
    read(null, 150); // past the grace period: 5, 10 and 20 are collected
    expect(s.versionCount).toBe(4); // 30 (latest), 40, 50, 70 (pending)
    for (const t of [40, 50, 70]) expect(read(t, 150)).toMatchObject({ versions: [{ value: t }] });
    commit(70, 200); // supersedes 30, 40 and 50 in one commit
    read(null, 400);
    expect(s.versionCount).toBe(1);
    expect(read(null, 400)).toMatchObject({ versions: [{ value: 70 }] });
  });

  it("a read whose repair target was collected starts over and is still atomic", () => {
    const w = new RampWorld("ramp", 3, 10);
    w.run({ k: "write", c: 0, mask: 0b11, v: 1 });
    deliver(w, (to) => to === "s0");
    deliver(w, (to) => to === "s1");
    deliver(w, (_, t) => t === "ramp.prepared");
    deliver(w, (_, t) => t === "ramp.prepared");
    deliver(w, (to, t) => to === "s0" && t === "ramp.commit");
    w.run({ k: "read", c: 1, mask: 0b11 }); // round 1 will see x at ts 1, y initial
    deliver(w, (to, t) => to === "s0" && t === "ramp.get");
    deliver(w, (to, t) => to === "s1" && t === "ramp.get");
    deliver(w, (to) => to === "c1");
    deliver(w, (to) => to === "c1");
    // Meanwhile the y commit lands, a newer write to y supersedes it, and the grace passes.
    deliver(w, (to, t) => to === "s1" && t === "ramp.commit");
    w.run({ k: "write", c: 2, mask: 0b10, v: 2 });
    deliver(w, (to, t) => to === "s1" && t === "ramp.prepare");
    deliver(w, (to, t) => to === "c2" && t === "ramp.prepared");
    deliver(w, (to, t) => to === "s1" && t === "ramp.commit");
    w.now += 50;
    deliver(w, (to, t) => to === "s1" && t === "ramp.get"); // round 2: Get {y, ts 1}, collected
    expect(w.net.inFlight.find((e) => e.to === "c1")!.msg).toMatchObject({ versions: [{ key: "y", missing: { t: 1, c: "c0" } }] });
    w.drain();
    const r = lastRead(w);
    expect(r.client).toBe("c1");
    expect(readAtomic(w.history).ok).toBe(true);
    expect([r.versions.x!.value, r.versions.y!.value]).toEqual(["x1", "y2"]);
  });
});
