/**
 * Random workloads: Poisson arrivals per node and ops drawn from a weighted mix with argument
 * generators (`{int:[lo,hi]}`, `{pick:[…]}`, `{string:n}`, anything else a literal). Arrival
 * times and op choices come from two streams per node, so changing the op mix keeps the
 * arrival times, and no node's workload shifts another's.
 */
import { ARG_ALPHABET, opWeight, parseArgGen } from "../../core/arg-gen.ts";
import type { Op, OpSpec } from "../../core/contract.ts";
import { STREAM, type Rng, type Streams } from "../rng.ts";
import type { Scenario } from "../scenario/types.ts";
import { Ev, EvKind } from "./event.ts";
import type { EventQueue } from "./event-queue.ts";

type Gen = (rng: Rng) => unknown;

/** An argument generator (core/arg-gen.ts) compiled once, so sampling does no shape inspection per op. */
export function compileArg(gen: unknown): Gen {
  const g = parseArgGen(gen);
  switch (g.kind) {
    case "int":
      return (rng) => rng.int(g.lo, g.hi);
    case "pick":
      return (rng) => rng.pick(g.values);
    case "string":
      return (rng) => {
        let s = "";
        for (let i = 0; i < g.length; i++) s += ARG_ALPHABET[Math.floor(rng.float() * ARG_ALPHABET.length)];
        return s;
      };
    case "literal":
      return () => g.value;
  }
}

/** A weighted op mix, precomputed once. */
export class OpMix {
  private readonly cumulative: number[] = [];
  private readonly total: number;
  private readonly gens: Gen[][];

  constructor(private readonly specs: readonly OpSpec[]) {
    this.gens = specs.map((s) => (s.args ?? []).map(compileArg));
    if (specs.length === 0) throw new Error("workload: the op mix is empty (no workload.ops and the CRDT declares no ops)");
    let sum = 0;
    for (const s of specs) {
      sum += opWeight(s);
      this.cumulative.push(sum);
    }
    this.total = sum;
  }

  sample(rng: Rng): Op {
    let i = 0;
    if (this.specs.length > 1) {
      const x = rng.float() * this.total;
      while (i < this.cumulative.length - 1 && x >= this.cumulative[i]!) i++;
    }
    const spec = this.specs[i]!;
    const gens = this.gens[i]!;
    const args = new Array<unknown>(gens.length);
    for (let j = 0; j < gens.length; j++) args[j] = gens[j]!(rng);
    return { op: spec.op, args };
  }
}

/**
 * Poisson arrivals: exponential gaps of mean 1000/rate ms, accumulated in floating point so
 * rounding never biases the rate; each arrival fires at the whole millisecond below it.
 */
export class Arrivals {
  private at: number;
  private readonly meanGap: number;

  constructor(
    from: number,
    private readonly to: number,
    ratePerSecond: number,
    private readonly rng: Rng,
  ) {
    this.at = from;
    this.meanGap = ratePerSecond > 0 ? 1000 / ratePerSecond : Infinity;
  }

  /** Time of the next arrival, or -1 when the window [from, to) is over. */
  next(): number {
    if (this.meanGap === Infinity) return -1;
    this.at += -this.meanGap * Math.log(1 - this.rng.float());
    const t = Math.floor(this.at);
    return t < this.to ? t : -1;
  }
}

/**
 * A scenario's `workload` as the clients of the run: per issuing node its Poisson arrivals and
 * its op stream, both from streams of its own. The engine asks for the next op and the next
 * arrival time when an arrival event fires.
 */
export class ClientWorkload {
  private readonly arrivals: (Arrivals | null)[] = [];
  private readonly mixes: OpMix[] = [];
  private readonly opRngs: Rng[] = [];

  private constructor(
    private readonly scenario: Scenario,
    private readonly mix: OpMix,
    private readonly streams: Streams,
  ) {}

  /** The scenario's workload, or null when it has none (or a rate of zero). */
  static of(scenario: Scenario, crdtOps: readonly OpSpec[], streams: Streams): ClientWorkload | null {
    const w = scenario.workload;
    if (!w || !(w.ratePerNode > 0)) return null;
    return new ClientWorkload(scenario, new OpMix(w.ops ?? crdtOps), streams);
  }

  /** Puts each issuing node's first arrival on the agenda. */
  schedule(queue: EventQueue<Ev>): void {
    const w = this.scenario.workload!;
    const names = this.scenario.nodes;
    const issuing = new Set(w.nodes ?? names);
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      if (!issuing.has(name)) {
        this.arrivals.push(null);
        continue;
      }
      const arr = new Arrivals(w.from ?? 0, w.to ?? this.scenario.duration, w.ratePerNode, this.streams.get(STREAM.arrivals(name)));
      this.arrivals.push(arr);
      this.mixes[i] = this.mix;
      this.opRngs[i] = this.streams.get(STREAM.ops(name));
      const t = arr.next();
      if (t >= 0) queue.push(new Ev(EvKind.Arrival, i), t);
    }
  }

  /** Node i's next op. */
  draw(i: number): Op {
    return this.mixes[i]!.sample(this.opRngs[i]!);
  }

  /** Node i's next arrival time, or -1 when its window is over. */
  next(i: number): number {
    return this.arrivals[i]!.next();
  }
}
