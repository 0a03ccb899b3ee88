/**
 * The builtin registry: builtin name (docs/design.md, "The CRDT contract") → contract object. These are the very objects the
 * simulator drives, so a scenario's `"crdt": "or-set"` runs exactly the library users import.
 */
import type { BuiltinCrdt, Crdt, CrdtOptions, StateCrdt } from "./contract.ts";
import { CrdtError } from "./errors.ts";
import { didYouMean } from "./util/did-you-mean.ts";
import { ewFlag } from "./crdt/ew-flag.ts";
import { gCounter } from "./crdt/g-counter.ts";
import { gSet } from "./crdt/g-set.ts";
import { lwwMap } from "./crdt/lww-map.ts";
import { lwwRegister } from "./crdt/lww-register.ts";
import { mvRegister } from "./crdt/mv-register.ts";
import type { BuiltinOpCrdt } from "./crdt/op-builtin.ts";
import { opCounter } from "./crdt/op-counter.ts";
import { opOrSet } from "./crdt/op-or-set.ts";
import { orMapType } from "./crdt/or-map.ts";
import { orSet } from "./crdt/or-set.ts";
import { recordType } from "./crdt/record.ts";
import { rga } from "./crdt/rga.ts";
import { lseq } from "./crdt/lseq.ts";
import { pnCounter } from "./crdt/pn-counter.ts";
import { twoPhaseSet } from "./crdt/two-phase-set.ts";
import { storeType } from "./store/store-crdt.ts";

export const crdts: Readonly<Record<string, BuiltinCrdt>> = Object.freeze({
  "g-counter": gCounter,
  "pn-counter": pnCounter,
  "g-set": gSet,
  "2p-set": twoPhaseSet,
  "or-set": orSet,
  "lww-register": lwwRegister,
  "mv-register": mvRegister,
  // An enable-wins flag: the row liveness of SQL add-wins tables (sql/rows.ts).
  "ew-flag": ewFlag,
  "lww-map": lwwMap,
  rga,
  lseq,
  // Composite types resolve their nested field/value types through this same registry.
  "or-map": orMapType(resolveBuiltin),
  record: recordType(resolveBuiltin),
  // The messaging store: collections → id → object (core/store/).
  store: storeType(resolveBuiltin),
});

/**
 * Op-based (CmRDT) builtins, kept apart from `crdts` (whose entries are all state-based, so
 * that composite types can nest any of them). A scenario names them like any builtin; the
 * simulator replicates them through its exactly-once causal broadcast (sync mode "op").
 */
export const opCrdts: Readonly<Record<string, BuiltinOpCrdt>> = Object.freeze({
  "op-counter": opCounter,
  "op-or-set": opOrSet,
});

export class UnknownCrdtError extends CrdtError {
  override name = "UnknownCrdtError";
  constructor(readonly crdt: string) {
    const names = [...Object.keys(crdts), ...Object.keys(opCrdts)];
    super(`unknown CRDT "${crdt}" (${didYouMean(crdt, names)}builtins: ${names.join(", ")})`);
  }
}

/** Like {@link resolveBuiltin}, op-based builtins included. */
export function resolveAnyBuiltin(spec: string | ({ type: string } & CrdtOptions)): Crdt {
  const name = typeof spec === "string" ? spec : spec.type;
  const op = Object.prototype.hasOwnProperty.call(opCrdts, name) ? opCrdts[name] : undefined;
  if (!op) return resolveBuiltin(spec);
  return typeof spec === "string" ? op : op.configure(spec);
}

/** A builtin by name, or by `{ type, ...options }` configured with those options. */
export function resolveBuiltin(spec: string | ({ type: string } & CrdtOptions)): StateCrdt<any, unknown> {
  const name = typeof spec === "string" ? spec : spec.type;
  const entry = Object.prototype.hasOwnProperty.call(crdts, name) ? crdts[name] : undefined;
  if (!entry) throw new UnknownCrdtError(name);
  return typeof spec === "string" ? entry : entry.configure(spec);
}
