/**
 * Random histories for the law checker: ops issued at several replicas with clock readings from
 * a tiny range (so timestamp ties are common, the case tie-break bugs hide in), interleaved with
 * full-state syncs and delta deliveries (state-based) or causal effect deliveries (op-based).
 * Histories are plain data, so fast-check shrinks them and a counterexample prints as a list.
 */
import fc from "fast-check";
import type { Crdt, Op } from "../../core/contract.ts";
import { opArbitrary } from "./op-arbitrary.ts";

export const REPLICA_IDS = ["a", "b", "c", "d", "e"] as const;

/** `ctx.now()` readings are drawn from [0, MAX_NOW]: small, so equal timestamps are frequent. */
export const MAX_NOW = 3;

export type StateStep =
  | { kind: "op"; at: number; op: Op; now: number }
  /** `to` merges a copy of `from`'s whole state. */
  | { kind: "sync"; from: number; to: number }
  /** `to` merges the delta of an earlier update (index modulo the deltas made so far). */
  | { kind: "deliver"; delta: number; to: number };

export type OpStep =
  | { kind: "op"; at: number; op: Op; now: number }
  /** `to` applies one of the effects it may causally receive now (index modulo their count). */
  | { kind: "deliver"; pick: number; to: number };

export type History = { steps: (StateStep | OpStep)[]; order: number[] };

export function historyArbitrary(crdt: Crdt, replicas: number, maxSteps: number): fc.Arbitrary<History> {
  const at = fc.nat(replicas - 1);
  const op = fc.record({ kind: fc.constant("op" as const), at, op: opArbitrary(crdt.ops), now: fc.integer({ min: 0, max: MAX_NOW }) });
  const step: fc.Arbitrary<StateStep | OpStep> =
    crdt.kind === "op"
      ? fc.oneof({ weight: 3, arbitrary: op }, { weight: 2, arbitrary: fc.record({ kind: fc.constant("deliver" as const), pick: fc.nat(7), to: at }) })
      : fc.oneof(
          { weight: 3, arbitrary: op },
          { weight: 1, arbitrary: fc.record({ kind: fc.constant("sync" as const), from: at, to: at }) },
          { weight: 1, arbitrary: fc.record({ kind: fc.constant("deliver" as const), delta: fc.nat(31), to: at }) },
        );
  // `order` drives the final delivery orders of the op-based convergence law.
  return fc.record({ steps: fc.array(step, { minLength: 1, maxLength: maxSteps }), order: fc.array(fc.nat(15), { maxLength: 8 }) });
}

const show = (x: unknown) => JSON.stringify(x) ?? String(x);

export function opText(op: Op): string {
  return `${op.op}(${op.args.map(show).join(", ")})`;
}

/** One step as a line of the printed counterexample. `labels` names the deltas made so far. */
export function stepText(s: StateStep | OpStep, labels: string[]): string {
  const id = (i: number) => REPLICA_IDS[i]!;
  if (s.kind === "op") return `${id(s.at)}: ${opText(s.op)}  [now() = ${s.now}]`;
  if (s.kind === "sync") return `${id(s.to)} merges ${id(s.from)}'s whole state`;
  if ("delta" in s) return labels.length ? `${id(s.to)} merges the delta of ${labels[s.delta % labels.length]}` : `(no delta to deliver yet)`;
  return `${id(s.to)} applies a pending effect (choice ${s.pick})`;
}
