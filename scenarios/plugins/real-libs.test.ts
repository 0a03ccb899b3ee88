/**
 * Real CRDT libraries as plugins: Yjs and Automerge text documents, driven through the public
 * contract, converge under the harshest nemesis (examples/*-text-harsh.json: pareto latency, 30%
 * loss and duplication, reordering, held partitions of random shapes, crashes, a pause, clock
 * skew and jumps), obey the laws, and survive a few swarm seeds.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkLaws, explore, simulate } from "../../sim/index.ts";
import automergeText from "./automerge-text.ts";
import yjsText from "./yjs-text.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe.each([
  ["yjs", yjsText],
  ["automerge", automergeText],
] as const)("%s text document as a plugin", (lib, crdt) => {
  const file = join(root, "examples", `${lib}-text-harsh.json`);
  // The harsh run, made once and shared: the convergence test reads it, and the replay test
  // compares it with a second run (a third run of seconds would prove nothing more).
  let first: ReturnType<typeof simulate> | undefined;
  const firstRun = () => (first ??= simulate(file, { trace: false }));

  it("converges under the harshest nemesis, every check passing", async () => {
    const run = await firstRun();
    const s = run.summary;
    expect(s.checks.filter((c) => !c.ok)).toEqual([]);
    expect(s.ok).toBe(true);
    // The Yjs adapter exposes its Y.Text observer deltas: applied in order, they rebuild the text.
    if (lib === "yjs") expect(s.checks.find((c) => c.name === "change-events")?.detail).toMatch(/^[1-9]\d+ change events applied in order/);
    expect(s.stats.dropped).toBeGreaterThan(50);
    expect(s.stats.duplicated).toBeGreaterThan(50);
    expect(new Set(Object.values(s.final)).size).toBe(1);
    expect((Object.values(s.final)[0] as string).length).toBeGreaterThan(100);
  });

  it("replays bit-for-bit (same traceHash)", async () => {
    const [a, b] = [await firstRun(), await simulate(file, { trace: false })];
    expect(a.summary.traceHash).toBe(b.summary.traceHash);
  });

  it("obeys the CRDT laws", () => {
    const r = checkLaws(crdt, { runs: 40 });
    expect(r.failure?.law).toBeUndefined();
  });

  it("passes swarm exploration", async () => {
    const r = await explore(join(root, "scenarios/plugins", `${lib}-text.ts`), { runs: lib === "yjs" ? 10 : 3, swarm: { maxOps: 60 } });
    expect(r.failure?.detail).toBeUndefined();
  });
});
