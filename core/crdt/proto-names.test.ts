/**
 * Every builtin with names that are Object.prototype keys: replicas called "__proto__" and
 * "constructor", map keys, record fields, store collections and ids, set elements and register
 * values made of them (core/_test/hostile-names.ts). The laws must hold as for any other name,
 * and value() must show each such key as an own key of a plain object (so JSON.stringify and
 * Object.keys see it) without touching any prototype.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { OpSpec, StateCrdt } from "../contract.ts";
import { lawTests, replay } from "../_test/crdt-laws.ts";
import { HOSTILE_JSON, HOSTILE_KEYS, HOSTILE_REPLICA_IDS, hostileJson, hostileName, ownObject, PROTO_KEYS } from "../_test/hostile-names.ts";
import { checkProperty } from "../_test/prop.ts";
import { crdts, resolveBuiltin } from "../registry.ts";
import { canonicalKey, type Json } from "../util/json.ts";

const keys = { pick: [...HOSTILE_KEYS] };
const elems = { pick: [...HOSTILE_KEYS, ...HOSTILE_JSON] };
const ids = { replicaIds: HOSTILE_REPLICA_IDS };
const at = (replica: string) => ({ replica, now: () => 0 });
const withOps = (crdt: StateCrdt<any, unknown>, name: string, ops: OpSpec[]) => ({ ...crdt, name: `${crdt.name}: ${name}`, ops });

/** Five fields, one per prototype key, of five types. */
const FIELDS = ownObject<unknown>([
  ["__proto__", "mv-register"],
  ["constructor", "lww-register"],
  ["toString", "pn-counter"],
  ["hasOwnProperty", "or-set"],
  ["valueOf", "lww-map"],
]);
const record = resolveBuiltin(
  ownObject<unknown>([
    ["type", "record"],
    ["fields", FIELDS],
  ]) as never,
);
const store = resolveBuiltin({
  type: "store",
  collections: ownObject<unknown>([
    ["__proto__", { type: "record", fields: FIELDS }],
    ["constructor", "or-set"],
  ]),
} as never);
const recordOps: OpSpec[] = [
  { op: "set", args: ["__proto__", elems] },
  { op: "set", args: ["constructor", elems] },
  { op: "inc", args: ["toString", { int: [1, 2] }] },
  { op: "add", args: ["hasOwnProperty", elems] },
  { op: "remove", args: ["hasOwnProperty", elems] },
  { op: "set", args: ["valueOf", keys, elems] },
  { op: "delete", args: ["valueOf", keys] },
];
const storeIds = { pick: PROTO_KEYS.slice(0, 4) };

describe("builtins: the laws hold for names that are Object.prototype keys", () => {
  for (const name of ["g-counter", "pn-counter"]) lawTests(withOps(crdts[name]!, "replicas __proto__, constructor, …", crdts[name]!.ops), ids);
  for (const name of ["g-set", "or-set", "2p-set"])
    lawTests(withOps(crdts[name]!, "hostile elements", [{ op: "add", args: [elems], weight: 2 }, ...(name === "g-set" ? [] : [{ op: "remove", args: [elems] }])]), ids);
  for (const name of ["mv-register", "lww-register"]) lawTests(withOps(crdts[name]!, "hostile values", [{ op: "set", args: [elems] }]), ids);
  lawTests(
    withOps(crdts["lww-map"]!, "hostile keys and values", [
      { op: "set", args: [keys, elems], weight: 3 },
      { op: "delete", args: [keys] },
    ]),
    ids,
  );
  const orMap = resolveBuiltin({ type: "or-map", value: "or-set" });
  lawTests(
    withOps(orMap, "hostile keys and elements", [
      { op: "add", args: [keys, elems], weight: 2 },
      { op: "remove", args: [keys, elems] },
      { op: "delete", args: [keys] },
    ]),
    ids,
  );
  lawTests(withOps(record, "fields __proto__, constructor, …", recordOps), { ...ids, numRuns: 80 });
  lawTests(
    withOps(store, "collections and ids __proto__, constructor, …", [
      ...recordOps.map((s) => ({ ...s, args: ["__proto__", storeIds, ...(s.args ?? [])] })),
      { op: "add", args: ["constructor", storeIds, elems] },
      { op: "remove", args: ["constructor", storeIds, elems] },
    ]),
    { ...ids, numRuns: 60 },
  );
  for (const name of ["rga", "lseq"]) lawTests(withOps(crdts[name]!, "replicas __proto__, constructor, …", crdts[name]!.ops), { ...ids, numRuns: 60 });
});

/** Own enumerable keys, deep, with the prototype of every object: what JSON and Object.keys see. */
function shape(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(shape);
  const proto = Object.getPrototypeOf(v);
  expect(proto === Object.prototype || proto === null, "a value object with a changed prototype").toBe(true);
  return Object.keys(v).map((k) => [k, shape((v as Record<string, unknown>)[k])]);
}

describe("value(): keys that are Object.prototype keys are own keys, and survive JSON", () => {
  it("lww-map: the value is exactly the live keys of a Map model, whatever their names", () => {
    const map = crdts["lww-map"]!;
    const op = fc.oneof(fc.tuple(fc.constant("set" as const), hostileName, hostileJson()), fc.tuple(fc.constant("delete" as const), hostileName, fc.constant(null)));
    checkProperty(
      fc.property(fc.array(op, { maxLength: 20 }), (ops) => {
        let s = map.init("__proto__");
        const model = new Map<string, Json>();
        ops.forEach(([kind, key, v], i) => {
          s = map.update(s, kind === "set" ? { op: "set", args: [key, v] } : { op: "delete", args: [key] }, { replica: "__proto__", now: () => i }).state;
          if (kind === "set") model.set(key, v);
          else model.delete(key);
        });
        const value = map.value(s) as Record<string, Json>;
        const expected = [...model.keys()].sort();
        // As a set: a JS object lists integer-like keys ("0") before the others whatever the order they were set in.
        expect(Object.keys(value).sort()).toEqual(expected);
        for (const k of expected) expect(canonicalKey(value[k])).toBe(canonicalKey(model.get(k)));
        expect(shape(JSON.parse(JSON.stringify(value)))).toEqual(shape(value));
        // The decoded state shows the same value.
        expect(JSON.stringify(map.value(map.codec!.decode(map.codec!.encode(s))))).toBe(JSON.stringify(value));
      }),
    );
  });

  it("or-map, record and store: every written key shows as an own key after a merge of hostile replicas", () => {
    const orMap = resolveBuiltin({ type: "or-map", value: "or-set" });
    checkProperty(
      fc.property(fc.array(fc.tuple(fc.nat(3), fc.constantFrom(...Object.keys(FIELDS)), hostileJson(1)), { minLength: 1, maxLength: 12 }), (writes) => {
        const merged = (crdt: StateCrdt<any, unknown>, op: (k: string, v: Json) => { op: string; args: unknown[] }) => {
          const states = HOSTILE_REPLICA_IDS.map((r) => crdt.init(r));
          for (const [r, k, v] of writes) states[r] = crdt.update(states[r], op(k, v), at(HOSTILE_REPLICA_IDS[r]!)).state;
          return crdt.value(states.reduce((a, b) => crdt.merge(a, b)));
        };
        const written = [...new Set(writes.map(([, k]) => k))].sort();
        const m = merged(orMap, (k, v) => ({ op: "add", args: [k, v] })) as Record<string, Json[]>;
        expect(Object.keys(m)).toEqual(written);
        for (const [, k, v] of writes) expect(m[k]!.map(canonicalKey)).toContain(canonicalKey(v));
        const r = merged(record, (k, v) =>
          k === "toString"
            ? { op: "inc", args: [k, 1] }
            : k === "hasOwnProperty"
              ? { op: "add", args: [k, v] }
              : k === "valueOf"
                ? { op: "set", args: [k, "__proto__", v] }
                : { op: "set", args: [k, v] },
        );
        expect(Object.keys(r as object)).toEqual(["__proto__", "constructor", "hasOwnProperty", "toString", "valueOf"]);
        const st = merged(store, (k, v) => ({ op: "add", args: ["constructor", k, v] })) as Record<string, Record<string, unknown>>;
        expect(Object.keys(st)).toEqual(["__proto__", "constructor"]);
        expect(Object.keys(st.constructor!)).toEqual(written);
        for (const v of [m, r, st]) expect(shape(JSON.parse(JSON.stringify(v)))).toEqual(shape(v));
      }),
    );
  });

  it("sets and registers keep elements whose keys are prototype keys, distinct and canonical", () => {
    checkProperty(
      fc.property(fc.array(fc.tuple(fc.nat(3), hostileJson()), { minLength: 1, maxLength: 10 }), (adds) => {
        for (const name of ["g-set", "or-set", "mv-register"]) {
          const crdt = crdts[name]!;
          const op = name === "mv-register" ? "set" : "add";
          const states = HOSTILE_REPLICA_IDS.map((r) => crdt.init(r));
          for (const [r, v] of adds) states[r] = crdt.update(states[r], { op, args: [v] }, at(HOSTILE_REPLICA_IDS[r]!)).state;
          const shown = crdt.value(states.reduce((a, b) => crdt.merge(a, b))) as Json[];
          const keysShown = shown.map(canonicalKey);
          expect(new Set(keysShown).size).toBe(keysShown.length);
          if (name !== "mv-register") expect(keysShown.sort()).toEqual([...new Set(adds.map(([, v]) => canonicalKey(v)))].sort());
          for (const v of shown) expect(shape(JSON.parse(JSON.stringify(v)))).toEqual(shape(v));
        }
      }),
    );
  });

  it("a replica called __proto__ is counted like any other (pn-counter, g-counter)", () => {
    for (const name of ["g-counter", "pn-counter"]) {
      const c = crdts[name]!;
      const states = HOSTILE_REPLICA_IDS.map((r, i) => c.update(c.init(r), { op: "inc", args: [i + 1] }, at(r)).state);
      const all = states.reduce((a, b) => c.merge(a, b));
      expect(c.value(all)).toBe(10);
      expect(c.value(c.codec!.decode(c.codec!.encode(all)))).toBe(10);
    }
  });

  it("the replay helper names replicas as given (so the laws above really ran with hostile ids)", () => {
    const g = crdts["g-counter"]!;
    const { states } = replay(g, [{ kind: "op", replica: 0, op: { op: "inc", args: [1] }, now: 0 }], 2, HOSTILE_REPLICA_IDS);
    expect(Buffer.from(g.codec!.encode(states[0])).toString("latin1")).toContain("__proto__");
  });
});
