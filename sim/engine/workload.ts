/**
 * Random workloads: Poisson arrivals per node and ops drawn from a weighted mix with argument
 * generators (`{int:[lo,hi]}`, `{pick:[…]}`, `{string:n}`, anything else a literal). Arrival
 * times and op choices come from two streams per node, so changing the op mix keeps the
 * arrival times, and no node's workload shifts another's.
 */
import { ARG_ALPHABET, opWeight, parseArgGen } from "../../core/arg-gen.ts";
import type { Op, OpSpec } from "../../core/contract.ts";
import type { Rng } from "../rng.ts";

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
