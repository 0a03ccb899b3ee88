import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { crdts } from "../../core/registry.ts";
import lastArrival from "./canaries/last-arrival-register.ts";
import { explore } from "./explore.ts";
import { keptWorkers } from "./pool.ts";
import { seedsOf, parseShard } from "./sweep.ts";
import { TargetError } from "./target.ts";

const here = dirname(fileURLToPath(import.meta.url));
const canary = (f: string) => join(here, "canaries", f);

describe("explore sweeps", () => {
  it("--jobs 2 gives the same verdicts as --jobs 1 (passing sweep and first failing seed)", async () => {
    const one = await explore("g-counter", { runs: 40, jobs: 1 });
    const two = await explore("g-counter", { runs: 40, jobs: 2 });
    expect(two).toEqual(one);
    expect(one).toMatchObject({ ok: true, runs: 40 });
    // A canary that passes its first seeds: the failing seed found must not depend on thread timing.
    const opts = { runs: 60, seed: 1000, shrink: false };
    const a = await explore(canary("aliased-delta-counter.ts"), { ...opts, jobs: 1 });
    const b = await explore(canary("aliased-delta-counter.ts"), { ...opts, jobs: 2 });
    expect(b).toEqual(a);
    expect(a.ok).toBe(false);
  });

  it("keeps a builtin's worker warm for the next sweep, which it serves with the next target and swarm", async () => {
    await explore("g-counter", { runs: 64, jobs: 2 });
    expect(keptWorkers()).toBe(1);
    const swarm = { nodes: 4, duration: 3000 };
    const opts = { runs: 64, seed: 500, swarm, ignore: ["convergence"] };
    const warm = await explore("or-set", { ...opts, jobs: 2 });
    expect(keptWorkers()).toBe(1);
    expect(warm).toEqual(await explore("or-set", { ...opts, jobs: 1 }));
    expect(warm).toMatchObject({ ok: true, runs: 64 });
    // A plugin's worker is never kept.
    await explore(canary("aliased-delta-counter.ts"), { runs: 40, seed: 1000, shrink: false, jobs: 2 });
    expect(keptWorkers()).toBe(1);
  });

  it("--shard i/n: disjoint seeds whose union is the unsharded sweep", () => {
    const all = seedsOf(10, 50);
    const parts = [1, 2, 3].map((i) => seedsOf(10, 50, { index: i, count: 3 }));
    expect(parts.flat().sort((x, y) => x - y)).toEqual(all);
    expect(new Set(parts.flat()).size).toBe(all.length);
    expect(parseShard("2/3")).toEqual({ index: 2, count: 3 });
    for (const bad of ["0/3", "4/3", "1/0", "x", "1/2/3"]) expect(() => parseShard(bad)).toThrow(/--shard/);
  });

  it("reports progress per seed and accepts a contract object (one thread)", async () => {
    const ticks: number[] = [];
    const r = await explore(crdts["pn-counter"]!, { runs: 12, onProgress: (d) => ticks.push(d) });
    expect(r.ok).toBe(true);
    expect(ticks).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    await expect(explore(lastArrival, { jobs: 2 })).rejects.toThrow(/module path/);
  });

  it("shrinking is deterministic", async () => {
    const a = await explore(lastArrival, { runs: 5 });
    const b = await explore(lastArrival, { runs: 5 });
    expect(a.failure!.shrunk!.scenario).toEqual(b.failure!.shrunk!.scenario);
  });

  it("bad input is a TargetError or RangeError with one clear line", async () => {
    await expect(explore("no-such-crdt")).rejects.toThrow(TargetError);
    await expect(explore("./no/such/module.ts")).rejects.toThrow(/no such module/);
    await expect(explore("g-counter", { runs: 0 })).rejects.toThrow(RangeError);
  });
});
