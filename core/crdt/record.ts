/**
 * Record: the MemoConductor document ("Distributed Data Without Tears"). A schema maps each field to its own CRDT
 * (option `fields`, e.g. `{ "phone": "mv-register", "email": "lww-register", "tags": "or-set",
 * "views": "pn-counter" }`; nested specs with options are allowed:
 * `{ "email": { "type": "lww-register", "clock": "physical" } }`). Fields never interfere:
 * Alice's phone edit and Bob's concurrent email edit are two independent field updates, both
 * kept, with no merge logic beyond each field's own.
 *
 * - Ops: any op of a field's type, with the field name first: `set ["phone", v]`,
 *   `inc ["views", 1]`, `add ["tags", x]`, `remove ["tags", x]`. An unknown field, or an op the
 *   field's type does not take, is an OpError naming the field, its type and the schema.
 * - No field delete. Fields are fixed by the schema; `delete [field]` is passed to the field's
 *   type like any other op (an lww-map field takes `delete ["prefs", key]`), and a type with no
 *   `delete` refuses it. To clear a register write null; for keys that come and go, use an
 *   lww-map or or-map field. (A generic reset would need the OR-Map's per-update segments for
 *   every field, making a view counter grow with every increment.)
 * - Delta of a field update: a record holding only that field's delta — "set customer A's
 *   phone to X" is one small message whose size does not depend on the other fields.
 * - Value: an object with every schema field (sorted), each its type's value; a field never
 *   written shows its type's initial value (MV → [], counter → 0, LWW → null, set → []).
 * - Conflicts: `conflicts(state)` lists the MV places holding more than one concurrent value
 *   (`{ path: ["phone"], values: [...] }`), recursing into nested records and OR-Maps — seed
 *   000's "explicitly acknowledge multi-valued fields". A later write that has seen them all
 *   collapses the field to one value and it drops out of the list.
 *
 * State: field → nested state, holding only the fields written or merged so far (an absent
 * field is its type's initial state). The nested types must not depend on the replica id
 * given to `init` (no builtin does); the record passes the replica's ctx through unchanged.
 *
 * Encoding: header, then the fields whose state differs from the initial state, by ascending
 * schema index (fields sorted by name), each as (index, length-prefixed nested encoding).
 * Equal states give equal bytes whichever absent/initial fields they happen to materialise.
 * Nested encodings are unchecked (version-1) frames: the record's own frame ends with the checksum.
 *
 * Default options (the registry object): the demo schema above, the CRM customer of "Distributed Data Without Tears".
 */
import type { BuiltinCrdt, CrdtOptions, Ctx, Op, StateCrdt } from "../contract.ts";
import { framedCodec, nestedCodec } from "../encoding/framed-codec.ts";
import { CrdtOptionError, OpError } from "../errors.ts";
import { compareStrings } from "../util/json.ts";
import { builtin } from "./_internals/builtin.ts";
import {
  bottomTest,
  bytesEqual,
  type Composite,
  type Conflict,
  conflictsOf,
  prefixConflicts,
  readNested,
  relabelOpError,
  type Resolve,
  resolveSpec,
  subsumedBy,
  type TypeSpec,
} from "./_internals/nested.ts";
import { objectOf } from "./_internals/object-of.ts";
import { lwwRegister } from "./lww-register.ts";
import { mvRegister } from "./mv-register.ts";
import { orSet } from "./or-set.ts";
import { pnCounter } from "./pn-counter.ts";

export type RecordState = Map<string, unknown>;
export type RecordValue = Record<string, unknown>;
export type RecordOptions = { fields: Record<string, TypeSpec> };
export type RecordCrdt = StateCrdt<RecordState, RecordValue> &
  Composite<RecordState> & {
    /** The schema's field names, sorted. */
    readonly fields: readonly string[];
    fieldType(field: string): StateCrdt<any, unknown>;
  };

const NAME = "record";

export const DEFAULT_RECORD_FIELDS: Readonly<Record<string, TypeSpec>> = Object.freeze({
  phone: "mv-register",
  email: "lww-register",
  tags: "or-set",
  views: "pn-counter",
});

/** The default schema's types, imported directly so that building the registry object needs no registry. */
const LOCAL: Record<string, StateCrdt<any, unknown>> = {
  "mv-register": mvRegister,
  "lww-register": lwwRegister,
  "or-set": orSet,
  "pn-counter": pnCounter,
};

function checkFields(fields: unknown, resolve: Resolve): Map<string, StateCrdt<any, unknown>> {
  if (fields === null || typeof fields !== "object" || Array.isArray(fields))
    throw new CrdtOptionError(NAME, "fields", `must be an object mapping field names to CRDT types, got ${JSON.stringify(fields) ?? String(fields)}`);
  const names = Object.keys(fields).sort(compareStrings);
  if (names.length === 0) throw new CrdtOptionError(NAME, "fields", "must name at least one field");
  const out = new Map<string, StateCrdt<any, unknown>>();
  for (const f of names) out.set(f, resolveSpec(NAME, `fields.${f}`, (fields as Record<string, unknown>)[f], resolve));
  return out;
}

function makeRecord(schema: Map<string, StateCrdt<any, unknown>>): RecordCrdt {
  const names = [...schema.keys()];
  const index = new Map(names.map((f, i) => [f, i]));
  // A field's initial-state bytes: such a field is left out of the encoding (canonical form).
  // Fields are nested in the record's frame: their unchecked encodings (the record's checksum covers them).
  const nested = new Map(names.map((f) => [f, nestedCodec(schema.get(f)!.codec!)]));
  const codecOf = (f: string) => nested.get(f)!;
  const bottom = new Map(names.map((f) => [f, codecOf(f).encode(schema.get(f)!.init("_"))]));
  const copy = (crdt: StateCrdt, s: unknown) => (crdt.clone ? crdt.clone(s) : structuredClone(s));
  const bottomOf = new Map(names.map((f) => [f, bottomTest(schema.get(f)!)]));
  const isBottom = (f: string, s: unknown) => bottomOf.get(f)!(s);
  const fieldState = (state: RecordState, f: string) => (state.has(f) ? state.get(f) : schema.get(f)!.init("_"));
  const schemaList = names.join(", ");

  const fieldOf = (op: Op): string => {
    if (!Array.isArray(op.args)) throw new OpError(NAME, String(op.op), "args must be an array");
    if (op.args.length === 0) throw new OpError(NAME, String(op.op), `expects the field name first (the schema's fields: ${schemaList})`);
    const f = op.args[0];
    if (typeof f !== "string" || !schema.has(f)) throw new OpError(NAME, String(op.op), `unknown field ${JSON.stringify(f) ?? String(f)} (the schema's fields: ${schemaList})`);
    return f;
  };

  return {
    kind: "state",
    name: NAME,
    fields: names,
    fieldType: (f) => {
      const t = schema.get(f);
      if (!t) throw new RangeError(`record: unknown field "${f}" (the schema's fields: ${schemaList})`);
      return t;
    },
    // Every op of every field, weighted as the field's type weights them.
    ops: names.flatMap((f) => schema.get(f)!.ops.map((s) => ({ ...s, args: [f, ...(s.args ?? [])] }))),
    init: () => new Map(),
    update(state: RecordState, op: Op, ctx: Ctx) {
      const f = fieldOf(op);
      const crdt = schema.get(f)!;
      const inner = { op: op.op, args: op.args.slice(1) };
      let res: { state: unknown; delta: unknown };
      try {
        res = crdt.update(fieldState(state, f), inner, ctx);
      } catch (e) {
        const hint =
          op.op === "delete" && op.args.length === 1
            ? " (record fields are fixed by the schema and cannot be deleted: write null to clear a register, or use an lww-map/or-map field)"
            : "";
        relabelOpError(NAME, String(op.op), `field "${f}" (${crdt.name})`, e, hint);
      }
      state.set(f, res.state);
      return { state, delta: new Map<string, unknown>().set(f, res.delta) };
    },
    merge(a, b) {
      if (a === b) return a;
      for (const [f, s] of b) {
        const crdt = schema.get(f)!;
        a.set(f, a.has(f) ? crdt.merge(a.get(f), s) : copy(crdt, s));
      }
      return a;
    },
    value: (s) => objectOf(names.map((f) => [f, schema.get(f)!.value(fieldState(s, f))] as const)),
    clone: (s) => new Map([...s].map(([f, x]) => [f, copy(schema.get(f)!, x)])),
    // Initial-state fields are left out of the encoding: a record of only those encodes like init.
    isBottom(s) {
      for (const [f, x] of s) if (!isBottom(f, x)) return false;
      return true;
    },
    conflicts: (s) => names.flatMap((f) => prefixConflicts(f, conflictsOf(schema.get(f)!, fieldState(s, f)))),
    subsumed(s, d) {
      for (const [f, x] of s) {
        if (isBottom(f, x)) continue;
        if (!d.has(f) || !subsumedBy(schema.get(f)!, x, d.get(f))) return false;
      }
      return true;
    },
    codec: framedCodec(
      NAME,
      (w, s) => {
        // Each field encoded once: the bytes that tell an initial-state field are the ones written.
        const present: [number, Uint8Array][] = [];
        for (const f of names) {
          if (!s.has(f)) continue;
          const bytes = codecOf(f).encode(s.get(f));
          if (!bytesEqual(bytes, bottom.get(f)!)) present.push([index.get(f)!, bytes]);
        }
        w.uint(present.length);
        for (const [at, bytes] of present) w.uint(at).bytes(bytes);
      },
      (r) => {
        const n = r.count(2);
        const out: RecordState = new Map();
        let prev = -1;
        for (let i = 0; i < n; i++) {
          const at = r.uint();
          const f = names[at] ?? r.fail(`field index ${at} out of range (the schema has ${names.length} fields)`);
          if (at <= prev) r.fail(`field indexes not strictly ascending (${prev} then ${at})`);
          prev = at;
          const { bytes: fb, state } = readNested(r, schema.get(f)!, `field "${f}"`);
          if (bytesEqual(fb, bottom.get(f)!)) r.fail(`field "${f}" holds its initial state (such fields are left out)`);
          out.set(f, state);
        }
        return out;
      },
    ),
  };
}

/**
 * The record builtin. `resolve` turns a field's spec into its type (core/registry.ts passes
 * resolveBuiltin, so fields may be any builtin, records and OR-Maps included); it is only
 * called when a scenario configures a schema, never while the registry is being built.
 */
export function recordType(resolve: Resolve): BuiltinCrdt & RecordCrdt {
  // Own keys only: a spec named like an Object.prototype member ("toString") is resolved, not found here.
  const local: Resolve = (spec) => (typeof spec === "string" && Object.hasOwn(LOCAL, spec) ? LOCAL[spec] : undefined) ?? resolve(spec);
  return builtin<RecordOptions>(NAME, { fields: { ...DEFAULT_RECORD_FIELDS } }, { fields: (v) => void checkFields(v, local) }, (o: CrdtOptions) =>
    makeRecord(checkFields(o.fields, local)),
  ) as BuiltinCrdt & RecordCrdt;
}

/** The conflicts view of a record state (same as `crdt.conflicts(state)`). */
export function conflicts(crdt: RecordCrdt, state: RecordState): Conflict[] {
  return crdt.conflicts(state);
}
