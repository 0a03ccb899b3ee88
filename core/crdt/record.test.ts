import { describe, expect, it } from "vitest";
import { lawTests } from "../_test/crdt-laws.ts";
import { CrdtOptionError, DecodeError, OpError } from "../errors.ts";
import { record, resolve } from "./_internals/composite-resolve.fixture.ts";
import { conflicts, type RecordCrdt, type RecordState, recordType } from "./record.ts";

const at = (replica: string, now = 0) => ({ replica, now: () => now });
const crm = record as RecordCrdt;
const run = (s: RecordState, op: string, args: unknown[], replica = "alice", now = 0, crdt: RecordCrdt = crm) => crdt.update(s, { op, args }, at(replica, now));
const hex = (s: RecordState, crdt: RecordCrdt = crm) => Buffer.from(crdt.codec!.encode(s)).toString("hex");
const merged = (a: RecordState, b: RecordState, crdt: RecordCrdt = crm) => crdt.merge(crdt.clone!(a), b);

const mixed = record.configure({
  type: "record",
  fields: {
    phone: "mv-register",
    email: { type: "lww-register", clock: "physical" },
    tags: "or-set",
    views: "pn-counter",
    prefs: "lww-map",
    votes: { type: "or-map", value: "pn-counter" },
  },
}) as RecordCrdt;

describe("record", () => {
  lawTests(crm);
  lawTests({ ...mixed, name: "record (mixed schema: physical LWW, lww-map and or-map fields)" });

  it("the default schema is the seed-000 customer; never-written fields show their type's initial value", () => {
    expect(crm.fields).toEqual(["email", "phone", "tags", "views"]);
    expect(crm.value(crm.init("a"))).toEqual({ email: null, phone: [], tags: [], views: 0 });
    expect(Object.keys(mixed.value(mixed.init("a")))).toEqual(["email", "phone", "prefs", "tags", "views", "votes"]);
    expect(mixed.value(mixed.init("a"))).toMatchObject({ prefs: {}, votes: {} });
  });

  it("Alice sets the phone while Bob sets the email, partitioned: both are kept ('Distributed Data Without Tears')", () => {
    const alice = run(crm.init("alice"), "set", ["phone", "555-0101"], "alice", 10);
    const bob = run(crm.init("bob"), "set", ["email", "b@x.org"], "bob", 20);
    const expected = { email: "b@x.org", phone: ["555-0101"], tags: [], views: 0 };
    for (const m of [merged(alice.state, bob.state), merged(bob.state, alice.state), merged(alice.state, bob.delta), merged(bob.state, alice.delta)])
      expect(crm.value(m)).toEqual(expected);
    expect(hex(merged(alice.state, bob.state))).toBe(hex(merged(bob.state, alice.state)));
    expect(conflicts(crm, merged(alice.state, bob.state))).toEqual([]);
  });

  it("both set the phone concurrently: the MV field shows both numbers and the conflicts view lists it; a later write collapses it", () => {
    const base = run(crm.init("server"), "set", ["phone", "555-0100"], "server").state;
    const alice = run(merged(crm.init("alice"), base), "set", ["phone", "555-0101"], "alice").state;
    const bob = run(merged(crm.init("bob"), base), "set", ["phone", "555-0199"], "bob").state;
    const both = merged(alice, bob);
    expect(crm.value(both).phone).toEqual(["555-0101", "555-0199"]);
    expect(crm.conflicts(both)).toEqual([{ path: ["phone"], values: ["555-0101", "555-0199"] }]);
    expect(hex(both)).toBe(hex(merged(bob, alice)));
    // Alice, having seen both, settles it: one value everywhere once her delta arrives.
    const settle = run(crm.clone!(both), "set", ["phone", "555-0101"], "alice");
    expect(crm.value(settle.state).phone).toEqual(["555-0101"]);
    expect(crm.conflicts(settle.state)).toEqual([]);
    expect(crm.value(merged(bob, settle.delta)).phone).toEqual(["555-0101"]);
  });

  it("the conflicts view reaches into nested records and OR-Maps, with the path", () => {
    const nested = record.configure({
      fields: { name: "lww-register", contacts: { type: "or-map", value: "mv-register" }, home: { type: "record", fields: { phone: "mv-register" } } },
    }) as RecordCrdt;
    const a = run(run(nested.init("a"), "set", ["contacts", "bob", "1"], "a", 0, nested).state, "set", ["home", "phone", "h1"], "a", 0, nested).state;
    const b = run(run(nested.init("b"), "set", ["contacts", "bob", "2"], "b", 0, nested).state, "set", ["home", "phone", "h2"], "b", 0, nested).state;
    expect(nested.conflicts(merged(a, b, nested))).toEqual([
      { path: ["contacts", "bob"], values: ["1", "2"] },
      { path: ["home", "phone"], values: ["h1", "h2"] },
    ]);
  });

  it("a field update is one small message: its delta touches only that field, whatever the other fields hold", () => {
    const empty = run(crm.init("alice"), "set", ["phone", "555-0101"]).delta;
    let big = crm.init("alice");
    for (let i = 0; i < 500; i++) big = run(big, "add", ["tags", `tag-${i}`]).state;
    big = run(big, "set", ["email", "x".repeat(10_000)]).state;
    big = run(big, "inc", ["views", 1_000_000]).state;
    const { delta } = run(big, "set", ["phone", "555-0101"]);
    expect([...delta.keys()]).toEqual(["phone"]);
    const bytes = crm.codec!.encode(delta);
    expect(crm.codec!.encode(big).length).toBeGreaterThan(10_000);
    expect(Buffer.from(bytes).toString("hex")).toBe(hex(empty)); // identical to the same write on an empty record
    expect(bytes.length).toBeLessThan(40);
    expect(crm.value(delta)).toEqual({ email: null, phone: ["555-0101"], tags: [], views: 0 });
  });

  it("each field keeps its own type's semantics (counter, set, LWW, nested map)", () => {
    let s = mixed.init("a");
    for (const [op, args] of [
      ["inc", ["views", 3]],
      ["dec", ["views", 1]],
      ["add", ["tags", "vip"]],
      ["set", ["email", "a@x"]],
      ["set", ["prefs", "lang", "en"]],
      ["inc", ["votes", "yes", 2]],
    ] as const)
      s = run(s, op, [...args], "a", 5, mixed).state;
    expect(mixed.value(s)).toEqual({ email: "a@x", phone: [], prefs: { lang: "en" }, tags: ["vip"], views: 2, votes: { yes: 2 } });
    s = run(s, "delete", ["prefs", "lang"], "a", 6, mixed).state;
    s = run(s, "delete", ["votes", "yes"], "a", 6, mixed).state;
    expect(mixed.value(s)).toMatchObject({ prefs: {}, votes: {} });
  });

  it("refuses unknown fields and wrong ops, naming the field, its type and the schema; the state stays byte-identical", () => {
    const s = run(run(crm.init("a"), "add", ["tags", "x"]).state, "set", ["phone", "1"]).state;
    const before = hex(s);
    expect(() => run(s, "set", ["phne", "1"])).toThrow(OpError);
    expect(() => run(s, "set", ["phne", "1"])).toThrow(/record: op "set": unknown field "phne" \(the schema's fields: email, phone, tags, views\)/);
    expect(() => run(s, "set", [3, "1"])).toThrow(/unknown field 3/);
    expect(() => run(s, "set", [])).toThrow(/op "set": expects the field name first \(the schema's fields: email, phone, tags, views\)/);
    expect(() => run(s, "inc", ["phone", 1])).toThrow(/record: op "inc": field "phone" \(mv-register\): unknown op \(this type takes: set\)/);
    expect(() => run(s, "add", ["views", 1])).toThrow(/field "views" \(pn-counter\): unknown op \(this type takes: inc, dec\)/);
    expect(() => run(s, "inc", ["views", -1])).toThrow(/field "views" \(pn-counter\): amount must be a positive integer/);
    expect(() => run(s, "set", ["phone"])).toThrow(/field "phone" \(mv-register\): expects 1 argument, got 0/);
    expect(() => run(s, "delete", ["phone"])).toThrow(/field "phone" \(mv-register\): unknown op .*record fields are fixed by the schema and cannot be deleted/);
    expect(() => run(s, "remove", ["tags", undefined])).toThrow(/field "tags" \(or-set\): argument is not a JSON value/);
    expect(hex(s)).toBe(before);
  });

  it("validates the schema: unknown types and bad nested options are named by their path", () => {
    expect(() => record.configure({ fields: { phone: "mv-regster" } })).toThrow(CrdtOptionError);
    expect(() => record.configure({ fields: { phone: "mv-regster" } })).toThrow(/record: option "fields.phone": unknown CRDT "mv-regster"/);
    expect(() => record.configure({ fields: { email: { type: "lww-register", clock: "wall" } } })).toThrow(/record: option "fields.email.clock": must be "hlc" or "physical"/);
    expect(() => record.configure({ fields: { a: { type: "record", fields: { b: "nope" } } } })).toThrow(/record: option "fields.a.fields.b": unknown CRDT "nope"/);
    expect(() => record.configure({ fields: { phone: 3 } })).toThrow(/option "fields.phone": must be a CRDT name or \{ "type": name, \.\.\.options \}/);
    expect(() => record.configure({ fields: {} })).toThrow(/option "fields": must name at least one field/);
    expect(() => record.configure({ fields: ["phone"] })).toThrow(/option "fields": must be an object/);
    expect(() => record.configure({ schema: {} })).toThrow(/option "schema": unknown option \(known: fields\)/);
  });

  it("builds its registry object without calling the resolver (no import cycle with core/registry.ts)", () => {
    const calls: unknown[] = [];
    const r = recordType((spec) => {
      calls.push(spec);
      return resolve(spec);
    });
    expect(calls).toEqual([]);
    expect(r.value(r.init("a"))).toEqual({ email: null, phone: [], tags: [], views: 0 });
    r.configure({ fields: { n: "g-counter" } });
    expect(new Set(calls)).toEqual(new Set(["g-counter"])); // (validated, then built)
  });

  it("deltas share nothing mutable with the state", () => {
    const { state, delta } = run(crm.init("a"), "add", ["tags", { k: [1] }]);
    const before = hex(delta);
    run(run(state, "remove", ["tags", { k: [1] }]).state, "add", ["tags", "y"]);
    crm.merge(state, run(crm.init("b"), "add", ["tags", "z"], "b").delta);
    expect(hex(delta)).toBe(before);
  });

  it("decoding refuses bad field indexes, initial-state fields, nested garbage and another type's bytes", () => {
    const s = run(run(crm.init("a"), "set", ["phone", "1"]).state, "inc", ["views", 2]).state;
    expect(crm.value(crm.codec!.decode(crm.codec!.encode(s)))).toEqual(crm.value(s));
    expect(() => crm.codec!.decode(new Uint8Array([1, 10, 1, 9, 0]))).toThrow(/field index 9 out of range/);
    const views = [...crm.codec!.encode(run(crm.init("a"), "inc", ["views", 2]).state)].slice(2, -4); // [count 1, index 3, len, ...] without the checksum
    expect(() => crm.codec!.decode(new Uint8Array([1, 10, 2, ...views.slice(1), ...views.slice(1)]))).toThrow(/field indexes not strictly ascending/);
    const pnBottom = [1, 2, 0, 0];
    expect(() => crm.codec!.decode(new Uint8Array([1, 10, 1, 3, 4, ...pnBottom]))).toThrow(/field "views" holds its initial state/);
    expect(() => crm.codec!.decode(new Uint8Array([1, 10, 1, 3, 4, 1, 2, 9, 9]))).toThrow(/field "views": cannot decode pn-counter/);
    expect(() => crm.codec!.decode(new Uint8Array([1, 9, 0]))).toThrow(DecodeError);
  });
});
