/**
 * Forking a run: an independent copy of a Simulator in the middle of its main loop, and that
 * copy handed an edited scenario (other steps, another duration) so that it goes on exactly as a
 * fresh run of the edited scenario would from that instant. The playground keeps forks along a
 * run as checkpoints and recomputes an edit from the last one before it
 * (playground/session/incremental.ts); same traceHash as a run from the start.
 *
 * The copy is a deep copy of the engine's state, aliasing kept, with three exceptions: what
 * never changes during a run is shared (the CRDT, the scenario, pure functions such as the
 * latency sampler), a few objects copy themselves (a random stream's closure state, the trace
 * hash), and the parts whose ports are closures over the simulator (the fault parts, each
 * replica's ctx) are made again over the copy by the simulator itself (Simulator.forkWith).
 * Any other function met in the state is a part this module does not know (a disk's hooks, op
 * mode's replay, a service): forking throws Unforkable, and the caller runs from the start
 * instead. whyUnforkable() says so up front for the parts known to have them.
 */
import { OrderIndependence } from "../checkers/order-independence.ts";
import { Rng } from "../rng.ts";
import type { Scenario, Step } from "../scenario/types.ts";
import { CanonicalLines } from "../trace-format/sink.ts";
import { Ev, EvKind } from "./event.ts";
import type { EventQueue } from "./event-queue.ts";
import { Network } from "./network.ts";
import { Replica } from "./replica.ts";
import { Simulator } from "./simulator.ts";
import { Trace } from "./trace.ts";
import { TraceHash } from "./trace-hash.ts";
import { OpMix } from "./workload.ts";

/** This run cannot be forked (or this edit not applied to a fork): run from the start. */
export class Unforkable extends Error {}

/** Fields whose value is shared by the copy: pure functions, and objects nothing mutates. */
const SHARED: ReadonlyMap<unknown, ReadonlySet<string>> = new Map<unknown, ReadonlySet<string>>([
  [Network, new Set(["latency"])],
  // State mode's replayer: closures over the CRDT only (whyUnforkable excludes op mode's).
  [OrderIndependence, new Set(["replayer"])],
]);
/** Built-ins a deep copy cannot reproduce. */
const OPAQUE: readonly object[] = [WeakMap.prototype, WeakSet.prototype, Promise.prototype, Date.prototype, RegExp.prototype, Error.prototype];

/** Why this run cannot be forked, or null: the parts whose closures are not known here. */
export function whyUnforkable(sim: Simulator): string | null {
  return sim.whyUnforkable();
}

/** An independent copy of `sim` between two events of its main loop. */
export function forkSimulator(sim: Simulator): Simulator {
  const why = whyUnforkable(sim);
  if (why) throw new Unforkable(`cannot fork a run with ${why}`);
  const memo = new Map<object, unknown>();
  const jobs: [object, object][] = [];
  let shared: ReadonlySet<unknown> = new Set();

  const copyOf = (v: unknown): unknown => {
    if (shared.has(v)) return v;
    if (typeof v === "function") throw new Unforkable(`a function in the run's state (${v.name || "anonymous"})`);
    if (typeof v !== "object" || v === null) return v;
    const known = memo.get(v);
    if (known !== undefined) return known;
    let out: object;
    if (Array.isArray(v)) out = v.slice();
    else if (v instanceof Map) out = new Map();
    else if (v instanceof Set) out = new Set();
    else if (v instanceof ArrayBuffer) out = v.slice(0);
    else if (ArrayBuffer.isView(v)) {
      // Views over one buffer stay views over one (copied) buffer.
      const buf = copyOf(v.buffer) as ArrayBuffer;
      out =
        v instanceof DataView
          ? new DataView(buf, v.byteOffset, v.byteLength)
          : new (v.constructor as new (b: ArrayBuffer, o: number, n: number) => object)(buf, v.byteOffset, (v as unknown as { length: number }).length);
      memo.set(v, out);
      return out;
    } else if (v instanceof Rng || v instanceof TraceHash) out = v.fork();
    else if (v instanceof OpMix) out = v;
    else {
      const proto = Object.getPrototypeOf(v) as object | null;
      if (proto && OPAQUE.includes(proto)) throw new Unforkable(`a ${proto.constructor.name} in the run's state`);
      out = Object.create(proto) as object;
    }
    memo.set(v, out);
    if (out !== v && !(v instanceof Rng || v instanceof TraceHash || v instanceof ArrayBuffer)) jobs.push([v, out]);
    return out;
  };

  const fill = (src: object, dst: object): void => {
    if (Array.isArray(src)) {
      const d = dst as unknown[];
      for (let i = 0; i < src.length; i++) {
        const x: unknown = src[i];
        if (typeof x === "object" || typeof x === "function") d[i] = copyOf(x);
      }
    } else if (src instanceof Map) {
      for (const [k, x] of src) (dst as Map<unknown, unknown>).set(copyOf(k), copyOf(x));
    } else if (src instanceof Set) {
      for (const x of src) (dst as Set<unknown>).add(copyOf(x));
    } else {
      const ctor = (Object.getPrototypeOf(src) as { constructor?: unknown } | null)?.constructor;
      const keep = SHARED.get(ctor);
      // A replica's ctx is made again by the simulator (forkWith).
      const skipCtx = src instanceof Replica;
      const s = src as Record<string, unknown>;
      const d = dst as Record<string, unknown>;
      for (const k of Object.keys(s)) {
        if (skipCtx && k === "ctx") continue;
        const x = s[k];
        d[k] = keep?.has(k) ? x : copyOf(x);
      }
    }
  };

  return sim.forkWith((v, sh) => {
    shared = sh;
    const out = copyOf(v);
    // Fill as we go: forkWith remakes the closures after every field is copied.
    for (; jobs.length > 0;) fill(...jobs.pop()!);
    return out;
  });
}

const stepsOf = (s: Scenario): readonly Step[] => s.steps ?? [];
const same = (a: Step | undefined, b: Step | undefined) => JSON.stringify(a) === JSON.stringify(b);
const messageSteps = (s: Scenario) => stepsOf(s).some((st) => "drop" in st || "duplicate" in st || "hold" in st);

/**
 * The earliest virtual time at which the runs of `a` and `b` can differ: the first step where
 * their step lists part, or a later one placed earlier (Infinity when the steps are the same).
 */
export function editTime(a: Scenario, b: Scenario): number {
  const x = stepsOf(a),
    y = stepsOf(b);
  let p = 0;
  while (p < x.length && p < y.length && same(x[p], y[p])) p++;
  let t = Infinity;
  for (let j = p; j < x.length; j++) t = Math.min(t, x[j]!.at);
  for (let j = p; j < y.length; j++) t = Math.min(t, y[j]!.at);
  return t;
}

/**
 * Why a fork of a run of `a` cannot become a run of `b`, or null: they must differ in their
 * steps and duration only, and in nothing the engine derived from those when it was built.
 */
export function whyNotRetargetable(a: Scenario, b: Scenario): string | null {
  const { steps: _s, duration: _d, ...restA } = a;
  const { steps: _t, duration: _e, ...restB } = b;
  if (JSON.stringify(restA) !== JSON.stringify(restB)) return "the scenario changed beyond its steps";
  if (messageSteps(a) !== messageSteps(b)) return "the first message step (the network then tracks messages on the wire)";
  if (stepsOf(a).some((s) => "crash" in s) !== stepsOf(b).some((s) => "crash" in s)) return "the first crash step (the run then has a disk)";
  if (a.duration !== b.duration && a.workload && a.workload.to === undefined) return "a workload that lasts the duration";
  return null;
}

/** The meta line of a run with `names`, and the bytes the trace hash is fed for it. */
function metaRecord(sim: Simulator): { line: string; bytes: Uint8Array } {
  const names = sim.runScenario.nodes;
  const lines = new CanonicalLines(names);
  const t = new Trace(names, lines);
  t.hash.keepFeed();
  t.meta(sim.metaEvent());
  return { line: lines.lines[0]!, bytes: t.hash.fed() };
}

/**
 * Hands `sim`, a fork taken after every event up to time `at`, the scenario `next`: from here it
 * runs as a run of `next` from the start would (its steps re-numbered on the agenda exactly as
 * that run numbers them, its meta line and trace hash those of `next`). `next` may not differ
 * from the fork's scenario at or before `at` (editTime), nor beyond steps and duration.
 */
export function retarget(sim: Simulator, next: Scenario, at: number, maxEvents: number): void {
  const before = sim.runScenario;
  const why = whyNotRetargetable(before, next);
  if (why) throw new Unforkable(`cannot continue a fork past ${why}`);
  if (editTime(before, next) <= at) throw new Unforkable(`the edit at ${editTime(before, next)} ms is not after the fork's ${at} ms`);
  const oldMeta = metaRecord(sim);
  const { stepSeq0, queue } = sim.retargetTo(next, maxEvents);
  const newMeta = metaRecord(sim);
  if (newMeta.line !== oldMeta.line) {
    // The meta line is the first record: the hash starts over from it (the feed is kept).
    sim.trace.hash.rebase(oldMeta.bytes.length, newMeta.bytes);
    const sink = sim.trace.sink;
    if (sink instanceof CanonicalLines) sink.lines[0] = newMeta.line;
  }
  renumberSteps(queue, stepSeq0, stepsOf(before).length, stepsOf(next), at);
}

/**
 * A fresh run pushes step i with sequence number stepSeq0 + i, then everything else; the
 * fork's agenda is made so: its pending steps replaced by `steps` after `at`, every later push
 * shifted by the change in the number of steps.
 */
function renumberSteps(q: EventQueue<Ev>, base: number, oldCount: number, steps: readonly Step[], at: number): void {
  const shift = steps.length - oldCount;
  const kept: Ev[] = [];
  for (const ev of q.items()) {
    if (ev.kind === EvKind.Step) continue;
    if (ev.seq >= base + oldCount) ev.seq += shift;
    kept.push(ev);
  }
  steps.forEach((st, i) => {
    if (st.at <= at) return;
    const ev = new Ev(EvKind.Step, 0);
    ev.id = i;
    ev.t = st.at;
    ev.seq = base + i;
    kept.push(ev);
  });
  q.rebuild(kept, q.seqNext + shift);
}
