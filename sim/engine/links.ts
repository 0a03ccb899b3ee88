/**
 * Which directed links are blocked right now. Partitions (scripted groups or nemesis shapes)
 * and one-way cuts are kept apart — a new partition replaces the previous one, cuts add up —
 * and folded into one n×n byte matrix so the hot path asks a single array slot.
 */
import type { PartitionShape } from "../scenario/types.ts";
import type { Rng } from "../rng.ts";

export type Pair = readonly [number, number];

export class Links {
  /** blocked[from * n + to] !== 0: messages from → to cannot pass. */
  readonly blocked: Uint8Array;
  /** Fast path: false when nothing at all is blocked. */
  any = false;
  private readonly part: Uint8Array;
  private readonly cuts: Uint8Array;

  constructor(readonly n: number) {
    this.blocked = new Uint8Array(n * n);
    this.part = new Uint8Array(n * n);
    this.cuts = new Uint8Array(n * n);
  }

  isBlocked(from: number, to: number): boolean {
    return this.any && this.blocked[from * this.n + to] !== 0;
  }

  /** Replaces the current partition by `pairs` (directed, blocked). */
  setPartition(pairs: readonly Pair[]): void {
    this.part.fill(0);
    for (const [a, b] of pairs) this.part[a * this.n + b] = 1;
    this.refresh();
  }

  addCuts(pairs: readonly Pair[]): void {
    for (const [a, b] of pairs) this.cuts[a * this.n + b] = 1;
    this.refresh();
  }

  /** Clears partitions and cuts; returns whether anything was blocked. */
  heal(): boolean {
    const was = this.any;
    this.part.fill(0);
    this.cuts.fill(0);
    this.refresh();
    return was;
  }

  private refresh(): void {
    let any = false;
    for (let i = 0; i < this.blocked.length; i++) {
      const b = this.part[i]! | this.cuts[i]!;
      this.blocked[i] = b;
      if (b) any = true;
    }
    this.any = any;
  }
}

/** Groups as listed plus one more group of every node not listed (if any). */
export function completeGroups(groups: readonly (readonly number[])[], n: number): number[][] {
  const listed = new Set<number>();
  for (const g of groups) for (const i of g) listed.add(i);
  const rest: number[] = [];
  for (let i = 0; i < n; i++) if (!listed.has(i)) rest.push(i);
  const out = groups.map((g) => [...g]);
  if (rest.length) out.push(rest);
  return out;
}

/** Directed pairs blocked by a group partition: every pair in different groups, both ways. */
export function groupPairs(groups: readonly (readonly number[])[], n: number): Pair[] {
  const groupOf = new Array<number>(n).fill(-1);
  groups.forEach((g, gi) => g.forEach((i) => (groupOf[i] = gi)));
  const pairs: Pair[] = [];
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (a !== b && groupOf[a] !== groupOf[b]) pairs.push([a, b]);
  return pairs;
}

export type NemesisPartition = { shape: Exclude<PartitionShape, "random">; groups: number[][] | null; pairs: Pair[] };

const SHAPES = ["halves", "one", "bridge", "ring", "one-way"] as const;

/** A random partition of the given shape ("random": a shape drawn first). */
export function randomPartition(shape: PartitionShape, n: number, rng: Rng): NemesisPartition {
  const s = shape === "random" ? rng.pick(SHAPES) : shape;
  const order = rng.shuffle([...Array(n).keys()]);
  const half = Math.floor(n / 2);
  switch (s) {
    case "halves": {
      const groups = [order.slice(0, half).sort(num), order.slice(half).sort(num)];
      return { shape: s, groups, pairs: groupPairs(groups, n) };
    }
    case "one": {
      const groups = [[order[0]!], order.slice(1).sort(num)];
      return { shape: s, groups, pairs: groupPairs(groups, n) };
    }
    case "bridge": {
      // order[0] talks to everyone; the two sides only through it.
      const rest = order.slice(1);
      const h = Math.floor(rest.length / 2);
      const a = rest.slice(0, h);
      const b = rest.slice(h);
      const pairs: Pair[] = [];
      for (const x of a) for (const y of b) pairs.push([x, y], [y, x]);
      return { shape: s, groups: null, pairs: pairs.sort(pairOrder) };
    }
    case "ring": {
      // Each node talks only to its two neighbours on a random ring.
      const pos = new Array<number>(n);
      order.forEach((node, i) => (pos[node] = i));
      const pairs: Pair[] = [];
      for (let a = 0; a < n; a++)
        for (let b = 0; b < n; b++) {
          const d = Math.abs(pos[a]! - pos[b]!);
          if (a !== b && d !== 1 && d !== n - 1) pairs.push([a, b]);
        }
      return { shape: s, groups: null, pairs };
    }
    case "one-way": {
      // One half cannot reach the other; replies still flow.
      const a = order.slice(0, half);
      const b = order.slice(half);
      const pairs: Pair[] = [];
      for (const x of a) for (const y of b) pairs.push([x, y]);
      return { shape: s, groups: null, pairs: pairs.sort(pairOrder) };
    }
  }
}

const num = (a: number, b: number) => a - b;
const pairOrder = (p: Pair, q: Pair) => p[0] - q[0] || p[1] - q[1];
