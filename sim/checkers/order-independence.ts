/**
 * order-independence: merging what a replica applied — the messages it received and the deltas
 * of its own updates — in another, seeded order gives the value the replica showed. (A delta
 * stands for its update: state ⊔ delta is what `update` produced, so replaying it needs no clock.)
 * In op mode the inputs are ops, and "another order" is another causal order (see `causalOrder`).
 *
 * A small run is one window from the initial state, replayed at the end. A long run is checked
 * in windows of WINDOW consecutive inputs: a window starts from a snapshot of the replica's
 * state, and when it is full the shuffled replay must give the value the replica shows at that
 * moment (a failure then names the time and node). Each replica's first FIRST windows are all
 * checked; after them a seeded one in SPREAD is, and the inputs in between are not kept at all:
 * holding every delivered payload for a window kept them alive through the young generation and
 * cost the engine's delivery path more than the replays do. The final phase (heal, anti-entropy
 * to quiescence) is always recorded, so the end state is checked too.
 */
import type { StateCrdt } from "../../core/contract.ts";
import { canonicalKey } from "../../core/util/json.ts";
import type { Replica } from "../engine/replica.ts";
import type { Rng } from "../rng.ts";
import { thrownText } from "./thrown.ts";
import { differenceOf, thrownShape } from "./signature.ts";
import { FirstViolation } from "./first-violation.ts";
import type { CheckResult } from "../run-types.ts";

export const WINDOW = 1024;
/** Windows per replica checked one after another before sampling starts. */
export const FIRST = 4;
/** Past the first windows, on average one window in SPREAD is recorded and checked. */
export const SPREAD = 16;

/** Where a window started: the initial state, the state recovered at a restart, or a snapshot at a time (≥ 0). */
const FROM_INIT = -1;
const FROM_RESTART = -2;

type Window = {
  base: unknown;
  /** Op mode: the delivered vector when the window opened (the replay's causal starting point). */
  vv: number[] | null;
  since: number;
  /** Allocated once at full size and refilled from 0 (`n` used); cleared when the window closes. */
  inputs: unknown[];
  n: number;
  recording: boolean;
  /** While not recording: inputs still to let pass before the next window opens. */
  skip: number;
  /** Windows of this replica checked so far. */
  closed: number;
};

/** How the inputs of one mode are replayed. */
export interface Replayer {
  init(replica: string): unknown;
  clone(state: unknown): unknown;
  value(state: unknown): unknown;
  /** `state` with `inputs[0..n)` applied in another seeded order; `vv` is the window's starting vector (op mode). */
  replay(state: unknown, inputs: readonly unknown[], n: number, vv: number[] | null, rng: Rng): unknown;
  /** Op mode: the window also records where the causal order starts. */
  readonly needsVv: boolean;
  /** "inputs" or "ops", and the phrase for the replay order, for the detail. */
  readonly noun: string;
  readonly order: string;
  readonly orders: string;
}

function keyOf(v: unknown): number | string | undefined {
  return typeof v === "number" ? v : canonicalKey(v);
}

function fromText(since: number): string {
  return since === FROM_INIT ? "its initial state" : since === FROM_RESTART ? "its state recovered at restart" : `its snapshot at t=${since}`;
}

export class OrderIndependence {
  private readonly windows: Window[];
  private final = false;
  private checkedWindows = 0;
  private replayed = 0;
  private readonly violations = new FirstViolation();

  constructor(
    private readonly replayer: Replayer,
    replicas: readonly Replica[],
    private readonly rng: Rng,
    /** Off (a run judged for another check alone: first-violation.ts StopAt): no window ever opens. */
    private readonly off = false,
  ) {
    this.windows = replicas.map(() => ({
      base: null,
      vv: replayer.needsVv ? new Array<number>(replicas.length).fill(0) : null,
      since: FROM_INIT,
      inputs: new Array<unknown>(WINDOW).fill(null),
      n: 0,
      recording: !off,
      skip: off ? Infinity : 0,
      closed: 0,
    }));
  }

  /** Before `r` applies an input at time t (its state is still the pre-input state). */
  before(r: Replica, t: number): void {
    const w = this.windows[r.index]!;
    if (w.recording ? w.n < WINDOW : --w.skip > 0) return;
    this.turn(r, w, t);
  }

  /** The input `r` just applied (a received payload, its own update's delta, or an op). */
  record(r: Replica, input: unknown): void {
    const w = this.windows[r.index]!;
    if (w.recording) w.inputs[w.n++] = input;
  }

  /** A restarted replica: its recovered state is the new starting point (what came before is gone). */
  reset(r: Replica): void {
    if (this.off) return;
    const w = this.windows[r.index]!;
    this.clear(w);
    this.open(r, w, FROM_RESTART);
  }

  /** The final phase starts: from now on every replica records, so the end state is checked. */
  finalPhase(replicas: readonly Replica[], t: number): void {
    if (this.off) return;
    this.final = true;
    for (const r of replicas) {
      const w = this.windows[r.index]!;
      if (!w.recording) this.open(r, w, t);
    }
  }

  // Out of line: `before` runs on every input and is inlined into the engine's delivery path.
  private turn(r: Replica, w: Window, t: number): void {
    if (!w.recording) return this.open(r, w, t);
    this.check(r, w, t);
    w.closed++;
    this.clear(w);
    if (this.final || w.closed < FIRST) return this.open(r, w, t);
    w.recording = false;
    w.skip = this.rng.int(1, 2 * (SPREAD - 1) * WINDOW);
  }

  private open(r: Replica, w: Window, since: number): void {
    w.base = this.replayer.clone(r.state);
    w.vv = this.replayer.needsVv ? [...r.knowledge.contig] : null;
    w.since = since;
    w.n = 0;
    w.recording = true;
  }

  /** Drops the window's inputs (so that nothing keeps them alive) and its snapshot. */
  private clear(w: Window): void {
    w.inputs.fill(null, 0, w.n);
    w.n = 0;
    w.base = null;
  }

  /** Replays `w` and compares with what `r` shows now; `t` is null at the end of the run. */
  private check(r: Replica, w: Window, t: number | null): void {
    const rp = this.replayer;
    const start = w.since === FROM_INIT ? rp.init(r.name) : rp.clone(w.base);
    let key: ReturnType<typeof keyOf> | undefined;
    let replayed: unknown;
    let threw = "";
    try {
      replayed = rp.value(rp.replay(start, w.inputs, w.n, w.vv, this.rng));
      key = keyOf(replayed);
    } catch (e) {
      threw = thrownText(e);
    }
    this.checkedWindows++;
    this.replayed += w.n;
    // Only the first differing window is reported; later ones are not even described.
    if (this.violations.count > 0 || (!threw && key === r.valueKey())) return;
    this.violations.record(t === null ? undefined : { t, node: r.name }, () => {
      const shown = t === null ? `the run ended with ${r.valueJson()}` : `at t=${t} it showed ${r.valueJson()}`;
      const replaying = `${r.name}: replaying its ${w.n} ${rp.noun} in ${rp.order} from ${fromText(w.since)}`;
      return threw
        ? { text: `${replaying} threw: ${threw}`, signature: `threw: ${thrownShape(threw)}` }
        : { text: `${replaying} gives ${key}, but ${shown}`, signature: `replay differs: ${differenceOf(shownValue(r), replayed)}` };
    });
  }

  result(replicas: readonly Replica[], expected: boolean): CheckResult {
    const windowed = this.checkedWindows > 0 || this.windows.some((w) => w.since !== FROM_INIT);
    for (const r of replicas) {
      const w = this.windows[r.index]!;
      if (w.recording) this.check(r, w, null);
    }
    const rp = this.replayer;
    const scope = windowed
      ? `replayed ${this.replayed} ${rp.noun} in ${this.checkedWindows} windows of at most ${WINDOW} (each replica's first ${FIRST}, ` +
        `then a seeded one in ${SPREAD}, and the final phase) in ${rp.orders}`
      : `replayed every replica's ${this.replayed} ${rp.noun} in total from init in ${rp.orders}`;
    const v = this.violations;
    return v.count > 0 ? v.fail("order-independence", expected, `${v.first} (${scope})`) : { name: "order-independence", ok: true, expected, detail: scope };
  }
}

/** State-based types: the inputs (deltas and states) merged in a seeded shuffled order. */
export function stateReplayer(crdt: StateCrdt<any, unknown>, clone: (s: any) => any, init: (replica: string) => unknown = (name) => crdt.init(name)): Replayer {
  return {
    init,
    clone,
    value: (s) => crdt.value(s),
    replay(state, inputs, n, _vv, rng) {
      for (const i of rng.shuffle(Array.from({ length: n }, (_, i) => i))) state = crdt.merge(state, inputs[i]);
      return state;
    },
    needsVv: false,
    noun: "inputs",
    order: "a shuffled order",
    orders: "seeded shuffled orders",
  };
}

type OpInput = { o: number; s: number; deps: Int32Array };

/**
 * Op mode. Ops that are causally related need not commute (a remove after its add), so the
 * replay follows a seeded random linear extension of the ops the replica delivered; with
 * `causal: false` the replica itself delivered in arbitrary order, so the replay is a shuffle.
 */
export function opReplayer(
  init: (replica: string) => unknown,
  apply: (state: unknown, rec: unknown) => unknown,
  value: (state: unknown) => unknown,
  clone: (s: any) => any,
  causal: boolean,
): Replayer {
  return {
    init,
    clone,
    value,
    replay(state, inputs, n, vv, rng) {
      const ops = inputs.slice(0, n) as OpInput[];
      const order = causal ? causalOrder(ops, vv!, rng) : rng.shuffle(ops.map((_, i) => i));
      for (const i of order) state = apply(state, ops[i]);
      return state;
    },
    needsVv: true,
    noun: "ops",
    order: causal ? "another causal order" : "another order",
    orders: causal ? "seeded random causal orders" : "seeded shuffled orders",
  };
}

/** A seeded random causal order of `inputs` (each op after its dependencies, an origin's ops in seq order) from delivered vector `vv`. */
function causalOrder(inputs: readonly OpInput[], vv: readonly number[], rng: Rng): number[] {
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

/** What `r` shows, read back from its canonical JSON (the one reading every replica stand-in offers). */
function shownValue(r: Replica): unknown {
  try {
    return JSON.parse(r.valueJson());
  } catch {
    return r.valueJson();
  }
}
