/**
 * order-independence: a replica's final value equals the value obtained by merging everything
 * it applied — the messages it received and the deltas of its own updates — in another, seeded
 * order, starting from its initial state. (A delta stands for its update: state ⊔ delta is
 * what `update` produced, so replaying it needs no clock.)
 *
 * To bound memory on long runs, each replica keeps at most WINDOW inputs: when the window is
 * full, the replica's current state becomes the new starting snapshot and the replay covers
 * the inputs since then. Small runs are replayed in full from init.
 */
import type { StateCrdt } from "../../core/contract.ts";
import type { CheckResult } from "../run-types.ts";
import type { Replica } from "../engine/replica.ts";
import { canonicalKey } from "../../core/util/json.ts";
import type { Rng } from "../rng.ts";

const WINDOW = 1024;

type Window = { base: unknown; since: number; inputs: unknown[]; total: number };

export class OrderIndependence {
  private readonly windows: Window[];

  constructor(
    private readonly crdt: StateCrdt<any, unknown>,
    private readonly clone: (s: any) => any,
    replicas: readonly Replica[],
  ) {
    this.windows = replicas.map((r) => ({ base: null, since: -1, inputs: [], total: 0 }));
  }

  /** Before `r` applies an input at time t (its state is still the pre-input state). */
  before(r: Replica, t: number): void {
    const w = this.windows[r.index]!;
    if (w.inputs.length < WINDOW) return;
    w.base = this.clone(r.state);
    w.since = t;
    w.inputs = [];
  }

  /** The input `r` just applied (a received payload or its own update's delta). */
  record(r: Replica, input: unknown): void {
    const w = this.windows[r.index]!;
    w.inputs.push(input);
    w.total++;
  }

  result(replicas: readonly Replica[], rng: Rng, expected: boolean): CheckResult {
    let first = "";
    let replayed = 0;
    let windowed = false;
    for (const r of replicas) {
      const w = this.windows[r.index]!;
      let state = w.since < 0 ? this.crdt.init(r.name) : this.clone(w.base);
      if (w.since >= 0) windowed = true;
      const order = rng.shuffle(w.inputs.map((_, i) => i));
      for (const i of order) state = this.crdt.merge(state, w.inputs[i]);
      replayed += w.inputs.length;
      const v = this.crdt.value(state);
      const key = typeof v === "number" ? v : canonicalKey(v);
      if (!first && key !== r.valueKey()) {
        const from = w.since < 0 ? "its initial state" : `its snapshot at t=${w.since}`;
        first =
          `${r.name}: replaying its ${w.inputs.length} inputs in a shuffled order from ${from} gives ` +
          `${typeof key === "number" ? key : key}, but the run ended with ${r.valueJson()}`;
      }
    }
    const scope = windowed
      ? `replayed ${replayed} inputs (the last window of at most ${WINDOW} per replica) in seeded shuffled orders`
      : `replayed every replica's ${replayed} inputs in total from init in seeded shuffled orders`;
    return { name: "order-independence", ok: !first, expected, detail: first ? `${first} (${scope})` : scope };
  }
}
