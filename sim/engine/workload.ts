/**
 * Random workloads: Poisson arrivals per node and ops drawn from a weighted mix with argument
 * generators (`{int:[lo,hi]}`, `{pick:[…]}`, `{string:n}`, anything else a literal). Arrival
 * times and op choices come from two streams per node, so changing the op mix keeps the
 * arrival times, and no node's workload shifts another's.
 */
import type { Op, OpSpec } from "../../core/contract.ts";
import type { Rng } from "../rng.ts";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz";

function isGen(x: unknown, key: string): x is Record<string, unknown> {
  if (x === null || typeof x !== "object" || Array.isArray(x)) return false;
  const keys = Object.keys(x);
  return keys.length === 1 && keys[0] === key;
}

/** One argument from its generator. */
export function sampleArg(gen: unknown, rng: Rng): unknown {
  if (isGen(gen, "int") && Array.isArray(gen.int) && gen.int.length === 2) {
    const [lo, hi] = gen.int as [number, number];
    return rng.int(lo, hi);
  }
  if (isGen(gen, "pick") && Array.isArray(gen.pick) && gen.pick.length > 0) return rng.pick(gen.pick as unknown[]);
  if (isGen(gen, "string") && typeof gen.string === "number") {
    let s = "";
    for (let i = 0; i < gen.string; i++) s += ALPHABET[Math.floor(rng.float() * ALPHABET.length)];
    return s;
  }
  return gen;
}

type Gen = (rng: Rng) => unknown;

/** An argument generator compiled once, so sampling does no shape inspection per op. */
export function compileArg(gen: unknown): Gen {
  if (isGen(gen, "int") && Array.isArray(gen.int) && gen.int.length === 2) {
    const [lo, hi] = gen.int as [number, number];
    return (rng) => rng.int(lo, hi);
  }
  if (isGen(gen, "pick") || isGen(gen, "string")) return (rng) => sampleArg(gen, rng);
  return () => gen;
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
      sum += s.weight ?? 1;
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
