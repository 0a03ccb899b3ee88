/**
 * Seeded random streams, one per concern. Every stream is derived from the run's seed and its
 * own name only, so drawing more or fewer numbers in one concern (say, a workload with another
 * op mix) never shifts the numbers another concern sees (the network's latencies). This is what
 * lets a researcher change one knob of a scenario and keep the rest of the schedule.
 *
 * Alea (from seedrandom) is used for speed: the network stream is drawn on every message.
 */
import seedrandom from "seedrandom";

/** Alea with its state exposed (`state: true` adds `.state()` and leaves the numbers unchanged). */
type Alea = (() => number) & { state(): object };

export class Rng {
  private readonly next: Alea;
  constructor(
    readonly name: string,
    seed: number,
  ) {
    this.next = seedrandom.alea(`memoconductor/${seed}/${name}`, { state: true }) as Alea;
  }

  /** An independent copy at the same position: it draws the numbers this stream would draw next (sim/engine/fork.ts). */
  fork(): Rng {
    const copy = Object.create(Rng.prototype) as Rng;
    return Object.assign(copy, { name: this.name, next: seedrandom.alea("", { state: this.next.state() as seedrandom.State.Alea }) });
  }
  /** Uniform float in [0, 1). */
  float(): number {
    return this.next();
  }
  /** Uniform integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** True with probability p (draws exactly one number, whatever p is). */
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }
}

/** The named streams of one run. Sub-streams (per node, per purpose) are created on demand. */
export class Streams {
  private readonly made = new Map<string, Rng>();
  constructor(readonly seed: number) {}
  get(name: string): Rng {
    let rng = this.made.get(name);
    if (!rng) {
      rng = new Rng(name, this.seed);
      this.made.set(name, rng);
    }
    return rng;
  }
}

/** Stream names used by the engine, kept together so that none is reused by accident. */
export const STREAM = {
  latency: "network/latency",
  loss: "network/loss",
  duplicate: "network/duplicate",
  reorder: "network/reorder",
  release: "network/release",
  nemesis: "nemesis",
  clockNemesis: "nemesis/clocks",
  crashNemesis: "nemesis/crashes",
  antiEntropy: "anti-entropy",
  checks: "checks",
  orderChecks: "checks/order",
  /** What a plugin's init, when a check replays from it, draws from its ctx.random() (never a node's own stream). */
  checksPlugin: "checks/plugin",
  /** A node's ctx.random() for its plugin calls (init, update, prepare). */
  plugin: (node: string) => `plugin/${node}`,
  arrivals: (node: string) => `workload/arrivals/${node}`,
  ops: (node: string) => `workload/ops/${node}`,
} as const;
