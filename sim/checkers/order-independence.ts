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

/**
 * since: -1 = from init, -2 = from the state recovered at a restart, else the snapshot time.
 * `inputs` is allocated once at full size and refilled from 0 (`n` used): every delivery
 * records one input, and pushing into fresh arrays showed up in the simulator's profile.
 */
type Window = { base: unknown; since: number; inputs: unknown[]; n: number };

export class OrderIndependence {
  private readonly windows: Window[];

  constructor(
    private readonly crdt: StateCrdt<any, unknown>,
    private readonly clone: (s: any) => any,
    replicas: readonly Replica[],
  ) {
    this.windows = replicas.map(() => ({ base: null, since: -1, inputs: new Array<unknown>(WINDOW).fill(null), n: 0 }));
  }

  /** Before `r` applies an input at time t (its state is still the pre-input state). */
  before(r: Replica, t: number): void {
    const w = this.windows[r.index]!;
    if (w.n < WINDOW) return;
    w.base = this.clone(r.state);
    w.since = t;
    w.n = 0;
  }

  /** A restarted replica: its recovered state is the new starting point (what came before is gone). */
  reset(r: Replica): void {
    const w = this.windows[r.index]!;
    w.base = this.clone(r.state);
    w.since = -2;
    w.n = 0;
  }

  /** The input `r` just applied (a received payload or its own update's delta). */
  record(r: Replica, input: unknown): void {
    const w = this.windows[r.index]!;
    w.inputs[w.n++] = input;
  }

  result(replicas: readonly Replica[], rng: Rng, expected: boolean): CheckResult {
    let first = "";
    let replayed = 0;
    let windowed = false;
    for (const r of replicas) {
      const w = this.windows[r.index]!;
      let state = w.since === -1 ? this.crdt.init(r.name) : this.clone(w.base);
      if (w.since >= 0) windowed = true;
      const order = rng.shuffle(Array.from({ length: w.n }, (_, i) => i));
      for (const i of order) state = this.crdt.merge(state, w.inputs[i]);
      replayed += w.n;
      const v = this.crdt.value(state);
      const key = typeof v === "number" ? v : canonicalKey(v);
      if (!first && key !== r.valueKey()) {
        const from = w.since === -1 ? "its initial state" : w.since === -2 ? "its state recovered at restart" : `its snapshot at t=${w.since}`;
        first =
          `${r.name}: replaying its ${w.n} inputs in a shuffled order from ${from} gives ` +
          `${typeof key === "number" ? key : key}, but the run ended with ${r.valueJson()}`;
      }
    }
    const scope = windowed
      ? `replayed ${replayed} inputs (the last window of at most ${WINDOW} per replica) in seeded shuffled orders`
      : `replayed every replica's ${replayed} inputs in total from init in seeded shuffled orders`;
    return { name: "order-independence", ok: !first, expected, detail: first ? `${first} (${scope})` : scope };
  }
}

type OpInput = { o: number; s: number; deps: Int32Array };
type OpWindow = { base: unknown; vv: number[] | null; since: number; inputs: OpInput[] };

/**
 * order-independence in op mode. Ops that are causally related need not commute (a remove
 * after its add), so "another order" is another causal order: a seeded random linear extension
 * of the ops the replica delivered (each op after its dependencies, an origin's ops in seq
 * order). With `causal: false` the replica itself delivered in arbitrary order, so the replay
 * is an unconstrained shuffle. Same windowing as the state-based check.
 */
export class OpOrderIndependence {
  private readonly windows: OpWindow[];

  constructor(
    private readonly init: (replica: string) => unknown,
    private readonly apply: (state: unknown, rec: unknown) => unknown,
    private readonly value: (state: unknown) => unknown,
    private readonly clone: (s: any) => any,
    private readonly causal: boolean,
    replicas: readonly Replica[],
  ) {
    this.windows = replicas.map(() => ({ base: null, vv: null, since: -1, inputs: [] }));
  }

  before(r: Replica, t: number): void {
    const w = this.windows[r.index]!;
    if (w.inputs.length < WINDOW) return;
    this.restartWindow(r, t);
  }

  reset(r: Replica): void {
    this.restartWindow(r, -2);
  }

  private restartWindow(r: Replica, since: number): void {
    const w = this.windows[r.index]!;
    w.base = this.clone(r.state);
    w.vv = [...r.knowledge.contig];
    w.since = since;
    w.inputs = [];
  }

  record(r: Replica, input: unknown): void {
    this.windows[r.index]!.inputs.push(input as OpInput);
  }

  /** A random causal order of `inputs` from delivered vector `vv` (see the class comment). */
  private order(inputs: OpInput[], vv: number[], rng: Rng): number[] {
    if (!this.causal) return rng.shuffle(inputs.map((_, i) => i));
    const n = vv.length;
    const queues: number[][] = Array.from({ length: n }, () => []);
    inputs.forEach((x, i) => queues[x.o]!.push(i));
    const heads = new Array<number>(n).fill(0);
    const done = [...vv];
    const out: number[] = [];
    while (out.length < inputs.length) {
      const ready: number[] = [];
      for (let o = 0; o < n; o++) {
        const q = queues[o]!;
        if (heads[o]! >= q.length) continue;
        const x = inputs[q[heads[o]!]!]!;
        let ok = done[o]! >= x.s - 1;
        for (let j = 0; ok && j < n; j++) if (j !== o && x.deps[j]! > done[j]!) ok = false;
        if (ok) ready.push(o);
      }
      // The replica's own delivery order is a valid extension, so some head is always ready.
      if (ready.length === 0) throw new Error("order-independence: no causally ready op (inconsistent delivery record)");
      const o = rng.pick(ready);
      const i = queues[o]![heads[o]!++]!;
      out.push(i);
      if (inputs[i]!.s > done[o]!) done[o] = inputs[i]!.s;
    }
    return out;
  }

  result(replicas: readonly Replica[], rng: Rng, expected: boolean): CheckResult {
    let first = "";
    let replayed = 0;
    let windowed = false;
    for (const r of replicas) {
      const w = this.windows[r.index]!;
      let state = w.since === -1 ? this.init(r.name) : this.clone(w.base);
      if (w.since >= 0) windowed = true;
      for (const i of this.order(w.inputs, w.vv ?? new Array<number>(replicas.length).fill(0), rng)) state = this.apply(state, w.inputs[i]);
      replayed += w.inputs.length;
      const v = this.value(state);
      const key = typeof v === "number" ? v : canonicalKey(v);
      if (!first && key !== r.valueKey()) {
        const from = w.since === -1 ? "its initial state" : w.since === -2 ? "its state recovered at restart" : `its snapshot at t=${w.since}`;
        first =
          `${r.name}: replaying its ${w.inputs.length} delivered ops in another ${this.causal ? "causal " : ""}order from ${from} gives ` +
          `${key}, but the run ended with ${r.valueJson()}`;
      }
    }
    const how = this.causal ? "seeded random causal orders" : "seeded shuffled orders";
    const scope = windowed
      ? `replayed ${replayed} ops (the last window of at most ${WINDOW} per replica) in ${how}`
      : `replayed every replica's ${replayed} ops in total from init in ${how}`;
    return { name: "order-independence", ok: !first, expected, detail: first ? `${first} (${scope})` : scope };
  }
}
