/**
 * Op-based (CmRDT) builtins: the contract object plus `configure`, like the state-based
 * builtins (_internals/builtin.ts). The op-based builtins take no options today.
 */
import type { CrdtOptions, OpCrdt } from "../contract.ts";
import { CrdtOptionError } from "../errors.ts";

export type BuiltinOpCrdt = OpCrdt<any, any, unknown> & { configure(options: CrdtOptions): OpCrdt<any, any, unknown> };

export function opBuiltin<S, E, V>(crdt: OpCrdt<S, E, V>): BuiltinOpCrdt {
  const configure = (options: CrdtOptions): OpCrdt<any, any, unknown> => {
    for (const key of Object.keys(options)) if (key !== "type") throw new CrdtOptionError(crdt.name, key, "this type takes no options");
    return crdt as OpCrdt<any, any, unknown>;
  };
  return Object.assign(crdt as OpCrdt<any, any, unknown>, { configure });
}
