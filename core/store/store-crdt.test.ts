import { describe, expect, it } from "vitest";
import { lawTests } from "../_test/crdt-laws.ts";
import { resealed } from "../_test/frame.ts";
import { CrdtOptionError, DecodeError, OpError } from "../errors.ts";
import { crdts, resolveBuiltin } from "../registry.ts";
import type { StoreCrdt, StoreState } from "./store-crdt.ts";

const crm = resolveBuiltin({
  type: "store",
  collections: {
    customers: { type: "record", fields: { phone: "mv-register", email: "lww-register", views: "pn-counter" } },
    tags: "or-set",
  },
}) as StoreCrdt;
const at = (replica: string, now = 0) => ({ replica, now: () => now });
const run = (s: StoreState, op: string, args: unknown[], replica = "a", crdt: StoreCrdt = crm) => crdt.update(s, { op, args }, at(replica));
const hex = (s: StoreState) => Buffer.from(crm.codec!.encode(s)).toString("hex");

describe("store (collections → id → object)", () => {
  lawTests(crm);
  lawTests({ ...(crdts.store as unknown as StoreCrdt), name: "store (default: customers of the default record)" });

  it("ops name the collection and the id first; the value lists every collection, ids sorted", () => {
    let s = crm.init("a");
    s = run(s, "set", ["customers", "B", "email", "b@x.org"]).state;
    s = run(s, "set", ["customers", "A", "phone", "555-0101"]).state;
    s = run(s, "inc", ["customers", "A", "views", 2]).state;
    s = run(s, "add", ["tags", "A", "vip"]).state;
    expect(crm.value(s)).toEqual({
      customers: { A: { email: null, phone: ["555-0101"], views: 2 }, B: { email: "b@x.org", phone: [], views: 0 } },
      tags: { A: ["vip"] },
    });
    expect(Object.keys(crm.value(s).customers ?? {})).toEqual(["A", "B"]); // a missing collection fails too
    expect(crm.value(crm.init("x"))).toEqual({ customers: {}, tags: {} });
  });

  it("a field update's delta holds one object's one field, whatever else the store holds", () => {
    let s = crm.init("a");
    for (let i = 0; i < 200; i++) s = run(s, "set", ["customers", `c${i}`, "email", `c${i}@example.org`]).state;
    const { delta } = run(s, "set", ["customers", "c7", "phone", "555-0107"]);
    expect([...delta.keys()]).toEqual(["customers"]);
    expect([...delta.get("customers")!.keys()]).toEqual(["c7"]);
    expect(crm.codec!.encode(delta).length).toBeLessThan(40);
    expect(crm.codec!.encode(s).length).toBeGreaterThan(200 * 20);
  });

  it("concurrent phone edits of one customer show up in the conflicts view with their path", () => {
    const a = run(crm.init("a"), "set", ["customers", "A", "phone", "1"], "a").state;
    const b = run(crm.init("b"), "set", ["customers", "A", "phone", "2"], "b").state;
    const both = crm.merge(crm.clone!(a), b);
    expect(crm.conflicts(both)).toEqual([{ path: ["customers", "A", "phone"], values: ["1", "2"] }]);
    expect(hex(both)).toBe(hex(crm.merge(crm.clone!(b), a)));
  });

  it("bad ops name the collection, the id, the field and the schema; the state is untouched", () => {
    const s = run(crm.init("a"), "set", ["customers", "A", "phone", "1"]).state;
    const before = hex(s);
    const bad: [string, unknown[], RegExp][] = [
      ["set", ["orders", "A", "phone", "1"], /unknown collection "orders" \(the store's collections: customers, tags\)/],
      ["set", ["customers", "A", "fax", "1"], /customers\["A"\] \(record\): unknown field "fax" \(the schema's fields: email, phone, views\)/],
      ["inc", ["customers", "A", "phone", 1], /customers\["A"\] \(record\): field "phone" \(mv-register\)/],
      ["inc", ["customers", "A", "views", "lots"], /field "views" \(pn-counter\): amount must be a positive integer/],
      ["set", ["customers", "", "phone", "1"], /collection "customers": the object id must be a non-empty string/],
      ["set", ["customers"], /expects the collection and the object id first/],
    ];
    for (const [op, args, message] of bad) {
      expect(() => run(s, op, args)).toThrow(OpError);
      expect(() => run(s, op, args)).toThrow(message);
    }
    expect(hex(s)).toBe(before);
  });

  it("bad options name the collection and the nested option", () => {
    expect(() => resolveBuiltin({ type: "store", collections: {} })).toThrow(CrdtOptionError);
    expect(() => resolveBuiltin({ type: "store", collections: { c: "nope" } })).toThrow(/store: option "collections.c": unknown CRDT "nope"/);
    expect(() => resolveBuiltin({ type: "store", collections: { c: { type: "record", fields: { x: "nope" } } } })).toThrow(/collections\.c\.fields\.x/);
    expect(() => resolveBuiltin({ type: "store", collection: {} })).toThrow(/unknown option \(did you mean "collections"\? known: collections\)/);
  });

  it("the decoder refuses a collection index out of range, unsorted ids and initial-state objects", () => {
    const s = run(run(crm.init("a"), "add", ["tags", "B", "x"]).state, "add", ["tags", "A", "y"]).state;
    const bytes = crm.codec!.encode(s);
    // header(2) count(1) index(1): point the collection at index 7.
    const outOfRange = bytes.slice();
    outOfRange[3] = 7;
    expect(() => crm.codec!.decode(outOfRange)).toThrow(/checksum mismatch/);
    // With a checksum that matches the change, the body reader names it.
    expect(() => crm.codec!.decode(resealed(outOfRange))).toThrow(/collection index 7 out of range \(the store has 2 collections: customers, tags\)/);
    expect(() => crm.codec!.decode(resealed(outOfRange))).toThrow(DecodeError);
  });
});
