/**
 * The sweep: which seeds a run covers (base seed, run count, shard), and one seed's verdict.
 * Seeds are `seed + k` for run index k; shard i/n takes the indices with k mod n = i − 1, so
 * the shards of one sweep are disjoint and together are exactly the unsharded sweep.
 */
import { swarmScenario, type SwarmOptions } from "./swarm.ts";
import { specFor, type Target } from "./target.ts";
import { judge } from "./verdict.ts";

export type Shard = { index: number; count: number };
export type SeedVerdict = { seed: number; ok: boolean; failed: string[]; detail: string; details: string[]; signatures: string[] };

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new RangeError(`--shard must be i/n with 1 ≤ i ≤ n, got "${text}"`);
  return { index, count };
}

export function seedsOf(seed: number, runs: number, shard: Shard = { index: 1, count: 1 }): number[] {
  const out: number[] = [];
  for (let k = shard.index - 1; k < runs; k += shard.count) out.push(seed + k);
  return out;
}

export function sweepSeed(seed: number, target: Target, swarm: SwarmOptions, ignore: readonly string[] = []): SeedVerdict {
  const sc = swarmScenario(seed, { crdt: target.crdt, spec: specFor(target.ref) }, swarm);
  const { verdict } = judge(sc, target.crdt, target.crdt.name, false, ignore);
  return { seed, ...verdict };
}
