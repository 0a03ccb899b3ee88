/**
 * The refactor's proof that nothing moved (issue 20): the traceHash of every gallery scenario and
 * of swarm scenarios of the explore canaries and of a few builtins, each over several seeds. The
 * hashes recorded before the first change live in recorded-trace-hashes.json; the test compares
 * against them, and `npx tsx sim/_test/record-trace-hashes.ts` re-records them — only ever in a
 * commit of its own that says which hashes changed and why.
 */
import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Crdt } from "../../core/contract.ts";
import { resolveAnyBuiltin } from "../../core/registry.ts";
import { CANARIES } from "../explore/canaries/index.ts";
import { swarmScenario, type SwarmOptions } from "../explore/swarm.ts";
import { runSimulation } from "../engine/run-simulation.ts";
import { loadScenario } from "../scenario/load.ts";
import { runLoaded } from "../simulate.ts";

export const SEEDS = [1, 2, 3] as const;
/** Builtins swarmed beside the canaries: their op alphabets use every argument generator and weights. */
const BUILTINS = ["rga", "or-set", "lww-map", "pn-counter"];

const GALLERY = fileURLToPath(new URL("../../scenarios/", import.meta.url));
export const RECORDED = fileURLToPath(new URL("./recorded-trace-hashes.json", import.meta.url));

export type Hashes = Record<string, string>;

export async function galleryHashes(): Promise<Hashes> {
  const out: Hashes = {};
  const files = readdirSync(GALLERY)
    .filter((f) => f.endsWith(".json") && !f.endsWith(".schema.json"))
    .sort();
  for (const f of files) {
    const loaded = await loadScenario(join(GALLERY, f), { limits: {} });
    const own = loaded.scenario.seed ?? 1;
    for (const seed of new Set([own, ...SEEDS.map((s) => s + 100)])) out[`gallery/${f}#${seed}`] = runLoaded(loaded, { seed, trace: false }).summary.traceHash;
    // The trace's bytes too, on the scenario's own seed: the hash feeds compact records, not the lines.
    const lines = runLoaded(loaded, { seed: own, trace: true }).trace ?? [];
    out[`gallery/${f}#${own}/trace.jsonl`] = createHash("sha256").update(lines.join("\n")).digest("hex");
  }
  return out;
}

function swarmHash(crdt: Crdt, spec: string | { module: string }, seed: number, o: SwarmOptions): string {
  const sc = swarmScenario(seed, { crdt, spec }, o);
  try {
    return runSimulation(sc, crdt, { seed, trace: false, crdtName: crdt.name }).summary.traceHash;
  } catch (e) {
    // A canary may break the engine's contract on some seed: that it throws, and how, is the record.
    return `threw: ${e instanceof Error ? e.message : String(e)}`;
  }
}

export function swarmHashes(): Hashes {
  const out: Hashes = {};
  const targets: [string, Crdt, string | { module: string }][] = [
    // A relative module path: the scenario (and so its hash) must not depend on where the checkout is.
    ...CANARIES.map((c): [string, Crdt, { module: string }] => [`canary/${c.file}`, c.crdt, { module: `canaries/${c.file}` }]),
    ...BUILTINS.map((b): [string, Crdt, string] => [`builtin/${b}`, resolveAnyBuiltin(b) as Crdt, b]),
  ];
  for (const [key, crdt, spec] of targets) {
    for (const seed of SEEDS) out[`${key}#${seed}`] = swarmHash(crdt, spec, seed, {});
    out[`${key}#all-faults`] = swarmHash(crdt, spec, 7, { allFaults: true });
  }
  return out;
}
