import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lawTests } from "../_test/crdt-laws.ts";
import { at as nth } from "../_test/at.ts";
import { checkProperty } from "../_test/prop.ts";
import { CrdtOptionError, DecodeError, OpError } from "../errors.ts";
import { orMap } from "./_internals/composite-resolve.fixture.ts";
import type { ORMapCrdt, ORMapState } from "./or-map.ts";

const counters = orMap as ORMapCrdt;
const sets = orMap.configure({ value: "or-set" }) as ORMapCrdt;
const mvs = orMap.configure({ value: "mv-register" }) as ORMapCrdt;
const lwws = orMap.configure({ value: { type: "lww-register", clock: "physical" } }) as ORMapCrdt;
const maps = orMap.configure({ value: { type: "or-map", value: "or-set" } }) as ORMapCrdt;
const records = orMap.configure({ value: { type: "record", fields: { phone: "mv-register", views: "pn-counter" } } }) as ORMapCrdt;

const at = (replica: string, now = 0) => ({ replica, now: () => now });
const run = (crdt: ORMapCrdt, s: ORMapState, op: string, args: unknown[], replica = "a", now = 0) => crdt.update(s, { op, args }, at(replica, now));
const apply = (crdt: ORMapCrdt, s: ORMapState, replica: string, ...ops: [string, unknown[]][]) => ops.reduce((x, [op, args]) => run(crdt, x, op, args, replica).state, s);
const hex = (crdt: ORMapCrdt, s: ORMapState) => Buffer.from(crdt.codec!.encode(s)).toString("hex");
const merged = (crdt: ORMapCrdt, a: ORMapState, b: ORMapState) => crdt.merge(crdt.clone!(a), b);
const segmentsOf = (s: ORMapState, key: string) => s.keys.get(key)?.size ?? 0;

/** Delete on one replica, a concurrent update on another; returns the merge both ways (checked equal). */
function deleteVsUpdate(crdt: ORMapCrdt, base: ORMapState, update: [string, unknown[]]) {
  const alice = run(crdt, crdt.clone!(base), "delete", ["k"], "alice");
  const bob = run(crdt, merged(crdt, crdt.init("bob"), base), update[0], update[1], "bob");
  const ab = merged(crdt, alice.state, bob.state);
  expect(hex(crdt, ab)).toBe(hex(crdt, merged(crdt, bob.state, alice.state)));
  expect(hex(crdt, merged(crdt, alice.state, bob.delta))).toBe(hex(crdt, ab));
  expect(hex(crdt, merged(crdt, bob.state, alice.delta))).toBe(hex(crdt, ab));
  return ab;
}

describe("or-map", () => {
  lawTests(counters);
  lawTests({ ...sets, name: "or-map of or-set" });
  lawTests({ ...mvs, name: "or-map of mv-register" });
  lawTests({ ...lwws, name: "or-map of lww-register (physical)" });
  lawTests({ ...maps, name: "or-map of or-map of or-set" }, { numRuns: 60 });
  lawTests({ ...records, name: "or-map of record" }, { numRuns: 60 });

  it("the default value type is pn-counter; the value is an object by key, each key its value type's value", () => {
    const s = apply(counters, counters.init("a"), "a", ["inc", ["v2", 3]], ["inc", ["v1", 1]], ["dec", ["v2", 1]]);
    expect(counters.value(s)).toEqual({ v1: 1, v2: 2 });
    expect(Object.keys(counters.value(s))).toEqual(["v1", "v2"]);
    expect(counters.valueType.name).toBe("pn-counter");
    expect(counters.value(run(counters, s, "delete", ["v2"]).state)).toEqual({ v1: 1 });
  });

  it("counters: a delete drops the increments it observed; a concurrent increment survives alone (reset-remove)", () => {
    // alice and carol increment k to 5; bob has seen all of it.
    let base = apply(counters, counters.init("alice"), "alice", ["inc", ["k", 2]], ["inc", ["k", 1]]);
    base = merged(counters, base, apply(counters, counters.init("carol"), "carol", ["inc", ["k", 2]]));
    expect(counters.value(base)).toEqual({ k: 5 });
    const ab = deleteVsUpdate(counters, base, ["inc", ["k", 1]]);
    expect(counters.value(ab)).toEqual({ k: 1 }); // riak_dt's embedded counter would show bob's total
  });

  it("counters: the same holds when the updater is one of the replicas whose increments were observed", () => {
    const base = apply(counters, counters.init("bob"), "bob", ["inc", ["k", 4]]);
    const alice = run(counters, merged(counters, counters.init("alice"), base), "delete", ["k"], "alice");
    const bob = run(counters, counters.clone!(base), "inc", ["k", 1], "bob");
    expect(counters.value(merged(counters, alice.state, bob.delta))).toEqual({ k: 1 });
    expect(counters.value(merged(counters, bob.state, alice.delta))).toEqual({ k: 1 });
  });

  it("counters, model check: every replica shows exactly the increments it has seen and no delete it has seen had observed", () => {
    type Ev = { key: string; amount: number };
    const step = fc.oneof(
      {
        weight: 3,
        arbitrary: fc.record({
          kind: fc.constant("inc" as const),
          r: fc.nat(2),
          key: fc.constantFrom("x", "x", "y"),
          amount: fc.integer({ min: -3, max: 3 }).filter((n) => n !== 0),
        }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), r: fc.nat(2), key: fc.constantFrom("x", "x", "y") }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant("sync" as const), from: fc.nat(2), to: fc.nat(2) }) },
    );
    checkProperty(
      fc.property(fc.array(step, { maxLength: 30, size: "max" }), (steps) => {
        const ids = ["a", "b", "c"];
        const states = ids.map((id) => counters.init(id));
        const events: Ev[] = [];
        const model = ids.map(() => ({ seen: new Set<number>(), removed: new Set<number>() }));
        const expected = (m: (typeof model)[number]) => {
          const out: Record<string, number> = {};
          for (const e of m.seen) if (!m.removed.has(e)) out[nth(events, e).key] = (out[nth(events, e).key] ?? 0) + nth(events, e).amount;
          return out;
        };
        for (const st of steps) {
          if (st.kind === "inc") {
            states[st.r] = run(counters, nth(states, st.r), st.amount > 0 ? "inc" : "dec", [st.key, Math.abs(st.amount)], nth(ids, st.r)).state;
            nth(model, st.r).seen.add(events.push({ key: st.key, amount: st.amount }) - 1);
          } else if (st.kind === "delete") {
            states[st.r] = run(counters, nth(states, st.r), "delete", [st.key], nth(ids, st.r)).state;
            for (const e of nth(model, st.r).seen) if (nth(events, e).key === st.key) nth(model, st.r).removed.add(e);
          } else {
            states[st.to] = merged(counters, nth(states, st.to), nth(states, st.from));
            for (const e of nth(model, st.from).seen) nth(model, st.to).seen.add(e);
            for (const e of nth(model, st.from).removed) nth(model, st.to).removed.add(e);
          }
          for (let i = 0; i < ids.length; i++) expect(counters.value(nth(states, i))).toEqual(expected(nth(model, i)));
        }
      }),
      { numRuns: 200 },
    );
  });

  it("or-set values, model check: a key shows the adds it has seen that no remove or key delete it has seen had observed", () => {
    type Ev = { key: string; kind: "add" | "remove"; el: number };
    const step = fc.oneof(
      {
        weight: 3,
        arbitrary: fc.record({ kind: fc.constantFrom("add" as const, "add" as const, "remove" as const), r: fc.nat(2), key: fc.constantFrom("x", "x", "y"), el: fc.nat(2) }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), r: fc.nat(2), key: fc.constantFrom("x", "x", "y") }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant("sync" as const), from: fc.nat(2), to: fc.nat(2) }) },
    );
    checkProperty(
      fc.property(fc.array(step, { maxLength: 30, size: "max" }), (steps) => {
        const ids = ["a", "b", "c"];
        const states = ids.map((id) => sets.init(id));
        const events: Ev[] = [];
        // seen: updates this replica has seen; dead: adds removed by an element remove; gone: updates removed by a key delete.
        const model = ids.map(() => ({ seen: new Set<number>(), dead: new Set<number>(), gone: new Set<number>() }));
        const expected = (m: (typeof model)[number]) => {
          const out: Record<string, number[]> = {};
          for (const e of m.seen) {
            if (m.gone.has(e)) continue;
            const ev = nth(events, e);
            const els = (out[ev.key] ??= []);
            if (ev.kind === "add" && !m.dead.has(e) && !els.includes(ev.el)) els.push(ev.el);
          }
          for (const els of Object.values(out)) els.sort();
          return out;
        };
        for (const st of steps) {
          if (st.kind === "sync") {
            states[st.to] = merged(sets, nth(states, st.to), nth(states, st.from));
            for (const part of ["seen", "dead", "gone"] as const) for (const e of nth(model, st.from)[part]) nth(model, st.to)[part].add(e);
          } else if (st.kind === "delete") {
            states[st.r] = run(sets, nth(states, st.r), "delete", [st.key], nth(ids, st.r)).state;
            for (const e of nth(model, st.r).seen) if (nth(events, e).key === st.key) nth(model, st.r).gone.add(e);
          } else {
            states[st.r] = run(sets, nth(states, st.r), st.kind, [st.key, st.el], nth(ids, st.r)).state;
            // An add or a remove of el both end the adds of el seen so far (an add replaces them).
            for (const e of nth(model, st.r).seen) if (nth(events, e).key === st.key && nth(events, e).kind === "add" && nth(events, e).el === st.el) nth(model, st.r).dead.add(e);
            nth(model, st.r).seen.add(events.push({ key: st.key, kind: st.kind, el: st.el }) - 1);
          }
          for (let i = 0; i < ids.length; i++) expect(sets.value(nth(states, i))).toEqual(expected(nth(model, i)));
        }
      }),
      { numRuns: 200 },
    );
  });

  it("a delete that saw every update removes the key; late copies of old deltas do not bring it back", () => {
    const inc = run(counters, counters.init("a"), "inc", ["k", 2]);
    const del = run(counters, counters.clone!(inc.state), "delete", ["k"]);
    expect(counters.value(del.state)).toEqual({});
    expect(segmentsOf(del.state, "k")).toBe(0);
    const elsewhere = counters.merge(counters.merge(counters.init("b"), del.delta), inc.delta);
    expect(counters.value(elsewhere)).toEqual({});
    expect(counters.value(counters.merge(del.state, inc.delta))).toEqual({});
    // Updating again re-creates the key from scratch.
    expect(counters.value(run(counters, del.state, "inc", ["k", 1]).state)).toEqual({ k: 1 });
  });

  it("or-set values: the concurrently added element survives, the observed ones are gone", () => {
    const base = apply(sets, sets.init("alice"), "alice", ["add", ["k", "x"]], ["add", ["k", "y"]]);
    expect(sets.value(deleteVsUpdate(sets, base, ["add", ["k", "z"]]))).toEqual({ k: ["z"] });
    // Re-adding an observed element concurrently keeps it (a new add, unseen by the delete).
    expect(sets.value(deleteVsUpdate(sets, base, ["add", ["k", "x"]]))).toEqual({ k: ["x"] });
    // Any update keeps the key, even one that removes: the key comes back empty.
    expect(sets.value(deleteVsUpdate(sets, base, ["remove", ["k", "x"]]))).toEqual({ k: [] });
  });

  it("register values: the concurrently written value survives (mv-register, lww-register)", () => {
    const mv = apply(mvs, mvs.init("alice"), "alice", ["set", ["k", "old"]]);
    expect(mvs.value(deleteVsUpdate(mvs, mv, ["set", ["k", "new"]]))).toEqual({ k: ["new"] });
    const lww = run(lwws, lwws.init("alice"), "set", ["k", "old"], "alice", 100).state;
    const later = (crdt: ORMapCrdt, base: ORMapState) => {
      const alice = run(crdt, crdt.clone!(base), "delete", ["k"], "alice");
      const bob = run(crdt, merged(crdt, crdt.init("bob"), base), "set", ["k", "new"], "bob", 200);
      return merged(crdt, alice.state, bob.delta);
    };
    expect(lwws.value(later(lwws, lww))).toEqual({ k: "new" });
  });

  it("nested maps and records reset the same way, at every level", () => {
    const m = apply(maps, maps.init("alice"), "alice", ["add", ["k", "inner", "x"]]);
    expect(maps.value(deleteVsUpdate(maps, m, ["add", ["k", "inner", "y"]]))).toEqual({ k: { inner: ["y"] } });
    const r = apply(records, records.init("alice"), "alice", ["set", ["k", "phone", "1"]], ["inc", ["k", "views", 7]]);
    expect(records.value(deleteVsUpdate(records, r, ["inc", ["k", "views", 1]]))).toEqual({ k: { phone: [], views: 1 } });
  });

  it("metadata: register and set values keep about one segment per live value; counters one per increment", () => {
    let mv = mvs.init("a");
    let lww = lwws.init("a");
    let set = sets.init("a");
    let ctr = counters.init("a");
    let other = mvs.init("b");
    for (let i = 0; i < 50; i++) {
      const u = run(mvs, mv, "set", ["k", i]);
      mv = u.state;
      other = mvs.merge(other, u.delta);
      lww = run(lwws, lww, "set", ["k", i], "a", i).state;
      set = apply(sets, set, "a", ["add", ["k", i % 3]], ["remove", ["k", (i + 1) % 3]]);
      ctr = run(counters, ctr, "inc", ["k", 1]).state;
    }
    expect(segmentsOf(mv, "k")).toBe(1);
    expect(hex(mvs, other)).toBe(hex(mvs, mv)); // a replica fed only deltas holds the same single segment
    expect(segmentsOf(lww, "k")).toBe(1);
    expect(sets.value(set)).toEqual({ k: [0, 1] });
    expect(segmentsOf(set, "k")).toBeLessThanOrEqual(3);
    expect(counters.value(ctr)).toEqual({ k: 50 });
    expect(segmentsOf(ctr, "k")).toBe(50); // the documented price of an exact reset
  });

  it("concurrent MV writes to one key are listed by the conflicts view", () => {
    const a = run(mvs, mvs.init("a"), "set", ["phone", "1"], "a").state;
    const b = run(mvs, mvs.init("b"), "set", ["phone", "2"], "b").state;
    const m = merged(mvs, a, b);
    expect(mvs.value(m)).toEqual({ phone: ["1", "2"] });
    expect(mvs.conflicts(m)).toEqual([{ path: ["phone"], values: ["1", "2"] }]);
    expect(mvs.conflicts(run(mvs, m, "set", ["phone", "3"], "a").state)).toEqual([]);
  });

  it("deltas share nothing mutable with the state", () => {
    const { state, delta } = run(sets, sets.init("a"), "add", ["k", { v: [1] }]);
    const before = hex(sets, delta);
    apply(sets, state, "a", ["add", ["k", "y"]], ["remove", ["k", { v: [1] }]], ["delete", ["k"]], ["add", ["k", "z"]]);
    sets.merge(state, run(sets, sets.init("b"), "add", ["k", "w"], "b").delta);
    expect(hex(sets, delta)).toBe(before);
  });

  it("refuses bad ops, naming the op, the key and the value type; the state stays byte-identical", () => {
    const s = apply(counters, counters.init("a"), "a", ["inc", ["k", 1]]);
    const before = hex(counters, s);
    expect(() => run(counters, s, "add", ["k", 1])).toThrow(OpError);
    expect(() => run(counters, s, "add", ["k", 1])).toThrow(/or-map: op "add": key "k" \(pn-counter\): unknown op \(this type takes: inc, dec\)/);
    expect(() => run(counters, s, "inc", ["k", 0])).toThrow(/key "k" \(pn-counter\): amount must be a positive integer/);
    expect(() => run(counters, s, "inc", [1, 1])).toThrow(/or-map: op "inc": the key must be a string, got 1/);
    expect(() => run(counters, s, "inc", [])).toThrow(/op "inc": expects the key first, then the pn-counter op's arguments/);
    expect(() => run(counters, s, "delete", [])).toThrow(/op "delete": expects 1 argument, got 0/);
    expect(() => run(counters, s, "delete", ["k", 1])).toThrow(/key "k" \(pn-counter\): unknown op/);
    expect(() => run(counters, s, "delete", [null])).toThrow(/the key must be a string/);
    expect(hex(counters, s)).toBe(before);
    // Deleting an absent key is a valid no-op with an empty delta.
    const { state, delta } = run(counters, s, "delete", ["nope"]);
    expect(hex(counters, state)).toBe(before);
    expect(delta.ctx.isEmpty() && delta.keys.size === 0).toBe(true);
  });

  it("validates the value option, naming nested paths", () => {
    expect(() => orMap.configure({ value: "pn-countr" })).toThrow(CrdtOptionError);
    expect(() => orMap.configure({ value: "pn-countr" })).toThrow(/or-map: option "value": unknown CRDT "pn-countr"/);
    expect(() => orMap.configure({ value: { type: "lww-register", clock: "wall" } })).toThrow(/or-map: option "value.clock": must be "hlc" or "physical"/);
    expect(() => orMap.configure({ value: { type: "or-map", value: 1 } })).toThrow(/or-map: option "value.value": must be a CRDT name/);
    expect(() => orMap.configure({ values: "or-set" })).toThrow(/option "values": unknown option \(did you mean "value"\? known: value\)/);
  });

  it("decoding refuses segments outside the context, empty keys, bad nested bytes and another type's bytes", () => {
    const s = apply(counters, counters.init("a"), "a", ["inc", ["k", 1]]);
    const bytes = counters.codec!.encode(s);
    expect(counters.value(counters.codec!.decode(bytes))).toEqual({ k: 1 });
    // header, empty context, one key "k" with no segments
    expect(() => counters.codec!.decode(new Uint8Array([1, 9, 0, 0, 1, 1, 107, 0]))).toThrow(/key "k" has no segments/);
    // context {a: 1}; key "k", one segment (a, 2): not in the context
    expect(() => counters.codec!.decode(new Uint8Array([1, 9, 1, 1, 97, 1, 0, 1, 1, 107, 1, 0, 2, 0]))).toThrow(/segment \(a, 2\) is not in the causal context/);
    // the same with (a, 1) and a payload of garbage
    expect(() => counters.codec!.decode(new Uint8Array([1, 9, 1, 1, 97, 1, 0, 1, 1, 107, 1, 0, 1, 2, 9, 9]))).toThrow(/key "k", segment \(a, 1\): cannot decode pn-counter/);
    expect(() => counters.codec!.decode(new Uint8Array([1, 8, 0]))).toThrow(DecodeError);
  });
});
