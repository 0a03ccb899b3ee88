/**
 * The compact file is the canonical trace, losslessly: for every gallery scenario and swarm runs
 * of four builtins, decoding the compact records gives back the engine's canonical lines byte for
 * byte — with keyframes at the default spacing and at every third event of a replica.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Crdt } from "../../core/contract.ts";
import { resolveAnyBuiltin } from "../../core/registry.ts";
import { runSimulation } from "../engine/run-simulation.ts";
import { swarmScenario } from "../explore/swarm.ts";
import { loadScenario } from "../scenario/load.ts";
import type { Scenario } from "../scenario/types.ts";
import { CompactWriter, KEYFRAME_EVERY } from "./compact-writer.ts";
import { TraceDecoder } from "./decode.ts";

const GALLERY = fileURLToPath(new URL("../../scenarios/", import.meta.url));

function compact(scenario: Scenario, crdt: Crdt, crdtName: string, seed: number, keyframeEvery: number): string {
  let text = "";
  const sink = new CompactWriter(scenario.nodes, (chunk) => (text += chunk), keyframeEvery);
  runSimulation(scenario, crdt, { seed, trace: true, traceSink: sink, crdtName });
  sink.end();
  return text;
}

function decode(text: string): { lines: string[]; whole: boolean } {
  const d = new TraceDecoder();
  const lines: string[] = [];
  for (const l of text.slice(0, -1).split("\n")) {
    const c = d.next(l);
    if (c !== null) lines.push(c);
  }
  return { lines, whole: d.endLines === lines.length };
}

function expectRoundTrip(scenario: Scenario, crdt: Crdt, crdtName: string, seed: number): void {
  const canonical = runSimulation(scenario, crdt, { seed, trace: true, crdtName }).trace ?? [];
  for (const every of [KEYFRAME_EVERY, 3]) {
    const got = decode(compact(scenario, crdt, crdtName, seed, every));
    expect(got.whole).toBe(true);
    // Compared whole only when a line differs: the first differing line is the useful message.
    const i = got.lines.findIndex((l, k) => l !== canonical[k]);
    expect({ scenario: scenario.name, line: i + 1, got: got.lines[i] }).toEqual({ scenario: scenario.name, line: 0, got: undefined });
    expect(got.lines.length).toBe(canonical.length);
  }
}

describe("compact trace round trip", () => {
  const files = readdirSync(GALLERY).filter((f) => f.endsWith(".json") && !f.endsWith(".schema.json"));
  it.each(files)("gallery %s decodes to the canonical lines", async (f) => {
    const loaded = await loadScenario(join(GALLERY, f), { limits: {} });
    expectRoundTrip(loaded.scenario, loaded.crdt as Crdt, loaded.crdtName, loaded.scenario.seed ?? 1);
  });

  it.each(["rga", "or-set", "lww-map", "pn-counter"])("swarm runs of %s decode to the canonical lines", (name) => {
    const crdt = resolveAnyBuiltin(name) as Crdt;
    for (const seed of [1, 2]) expectRoundTrip(swarmScenario(seed, { crdt, spec: name }, {}), crdt, name, seed);
    expectRoundTrip(swarmScenario(7, { crdt, spec: name }, { allFaults: true }), crdt, name, 7);
  });
});
