/**
 * Plumbing for types that hold other CRDTs (OR-Map values, record fields): resolving a nested
 * type from its spec without importing the registry (the registry imports these types, so the
 * resolver is passed in), embedding nested encodings, re-labelling nested errors with where
 * they happened, the conflicts view, and the "subsumed" test the OR-Map uses to drop segments.
 */
import type { CausalContext } from "../../clock/causal-context.ts";
import type { CrdtOptions, StateCrdt } from "../../contract.ts";
import { nestedCodec } from "../../encoding/framed-codec.ts";
import type { Reader } from "../../encoding/reader.ts";
import type { Writer } from "../../encoding/writer.ts";
import { CrdtError, CrdtOptionError, DecodeError, OpError } from "../../errors.ts";
import type { Json } from "../../util/json.ts";
import { DotKernel } from "./dot-kernel.ts";

export type TypeSpec = string | ({ type: string } & CrdtOptions);
/** Builtin name or `{ type, ...options }` → the configured type (core/registry.ts: resolveBuiltin). */
export type Resolve = (spec: TypeSpec) => StateCrdt<any, unknown>;

/** One multi-valued place in a value: where (record field, map key, … outermost first) and the concurrent values. */
export type Conflict = { path: string[]; values: Json[] };

/** Optional extras of the composite types (record, or-map), so that they nest in each other. */
export type Composite<S> = {
  conflicts(state: S): Conflict[];
  subsumed(s: S, d: S): boolean;
};

/**
 * Resolves a nested spec, or throws a CrdtOptionError of `owner` whose option is the path of
 * the spec (`fields.phone`), extended by the nested option's own path when that one is bad.
 */
export function resolveSpec(owner: string, path: string, spec: unknown, resolve: Resolve): StateCrdt<any, unknown> {
  const isSpecObject = spec !== null && typeof spec === "object" && !Array.isArray(spec) && typeof (spec as { type?: unknown }).type === "string";
  if (typeof spec !== "string" && !isSpecObject)
    throw new CrdtOptionError(owner, path, `must be a CRDT name or { "type": name, ...options }, got ${JSON.stringify(spec) ?? String(spec)}`);
  let crdt: StateCrdt<any, unknown>;
  try {
    crdt = resolve(spec as TypeSpec);
  } catch (e) {
    if (e instanceof CrdtOptionError) throw new CrdtOptionError(owner, `${path}.${e.option}`, e.reason);
    if (e instanceof CrdtError) throw new CrdtOptionError(owner, path, e.message);
    throw e;
  }
  if (crdt.kind !== "state" || !crdt.codec) throw new CrdtOptionError(owner, path, `"${crdt.name}" cannot be nested: it must be a state-based type with a binary codec`);
  return crdt;
}

/** Re-throws a nested OpError as an OpError of `owner` for `op`, prefixed with where it happened. */
export function relabelOpError(owner: string, op: string, where: string, e: unknown, hint = ""): never {
  if (e instanceof OpError) throw new OpError(owner, op, `${where}: ${e.reason}${hint}`);
  throw e;
}

/**
 * A nested state as a length-prefixed run of its own codec's bytes, in their unchecked form
 * (see nestedCodec): the frame they are nested in carries the checksum.
 */
export function writeNested(w: Writer, crdt: StateCrdt, state: unknown): void {
  const bytes = nestedCodec(crdt.codec!).encode(state);
  w.uint(bytes.length).raw(bytes);
}

/**
 * The initial-state test of a nested type: its own `isBottom` when it has one, otherwise its
 * (unchecked) encoding compared with the initial state's.
 */
export function bottomTest(crdt: StateCrdt): (state: unknown) => boolean {
  if (typeof crdt.isBottom === "function") return (s) => crdt.isBottom!(s);
  const codec = nestedCodec(crdt.codec!);
  const bottom = codec.encode(crdt.init("_"));
  return (s) => bytesEqual(codec.encode(s), bottom);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Reads {@link writeNested}. A nested DecodeError becomes one of the outer reader, naming
 * `where`; bytes that decode but are not the nested type's canonical form are refused too,
 * so the outer encoding stays canonical whatever the nested decoder tolerates.
 */
export function readNested(r: Reader, crdt: StateCrdt, where: string): { state: unknown; bytes: Uint8Array } {
  const n = r.count(1);
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = r.byte();
  const codec = nestedCodec(crdt.codec!);
  let state: unknown;
  try {
    state = codec.decode(bytes);
  } catch (e) {
    if (e instanceof DecodeError) r.fail(`${where}: ${e.message}`);
    throw e;
  }
  if (!bytesEqual(codec.encode(state), bytes)) r.fail(`${where}: not the canonical encoding of a ${crdt.name}`);
  return { state, bytes };
}

function isComposite(crdt: StateCrdt): crdt is StateCrdt & Composite<unknown> {
  const c = crdt as Partial<Composite<unknown>>;
  return typeof c.conflicts === "function" && typeof c.subsumed === "function";
}

/** The MV places of a nested state that hold more than one concurrent value. */
export function conflictsOf(crdt: StateCrdt, state: unknown): Conflict[] {
  if (crdt.name === "mv-register") {
    const values = crdt.value(state) as Json[];
    return values.length > 1 ? [{ path: [], values }] : [];
  }
  return isComposite(crdt) ? crdt.conflicts(state) : [];
}

export function prefixConflicts(step: string, list: Conflict[]): Conflict[] {
  return list.map((c) => ({ path: [step, ...c.path], values: c.values }));
}

/**
 * Whether the OR-Map may drop segment payload `s` once a new segment with payload `d` exists,
 * without changing any value — now, or after any later merge or key delete (see or-map.ts).
 *
 * - Dot-kernel payloads (OR-Set, MV-Register): every entry of `s` is superseded by `d`
 *   (its dots are in d's context). Sound because the OR-Map gives each update its own nested
 *   replica id, so a nested dot lives in one segment only, and what else `s`'s context
 *   covers belongs to segments already dropped the same way ("dead context").
 * - Composites (record, nested OR-Map) decide for themselves, recursively.
 * - Anything else: s ⊑ d in the nested lattice (s ⊔ d encodes like d). Exact for every type;
 *   never true for counter increments, which is what keeps each one separately removable.
 */
export function subsumedBy(crdt: StateCrdt, s: unknown, d: unknown): boolean {
  if (s instanceof DotKernel && d instanceof DotKernel) {
    // d never holds s's dots (they belong to another update), so "seen by d" means "superseded by d".
    for (const k of s.keys()) for (const dot of s.dotsOf(k)) if (!d.ctx.has(dot)) return false;
    return true;
  }
  if (isComposite(crdt)) return crdt.subsumed(s, d);
  const codec = nestedCodec(crdt.codec!);
  return bytesEqual(codec.encode(crdt.merge(cloneState(crdt, s), d)), codec.encode(d));
}

/** A copy of a state to merge into or keep apart: the type's own `clone`, else a structured clone. */
export function cloneState(crdt: StateCrdt, s: unknown): unknown {
  return crdt.clone ? crdt.clone(s) : structuredClone(s);
}

/** The dot `ctx.next(replica)` would return, without adding it. */
export function peekNext(ctx: CausalContext, replica: string): readonly [string, number] {
  let max = ctx.vv.get(replica);
  for (const c of ctx.cloudOf(replica) ?? []) if (c > max) max = c;
  return [replica, max + 1];
}
