/**
 * Scenario loader speed on large generated scenarios (a pn-counter with a huge `steps` array,
 * 5 MB and 50 MB of JSON): JSON.parse alone as the floor, then the loader's strict parse
 * (parseJson: JSON.parse plus the duplicate-key count), and the whole of loadScenario (read,
 * parse, validate, dry-run the ops). CPU ms, best of a few runs (the machine may be shared).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseJson } from "../../sim/scenario/load-json.ts";
import { loadScenario } from "../../sim/scenario/load.ts";
import type { BenchRow } from "../types.ts";

export const name = "loader";

/** A valid scenario of about `mb` MB: one `inc` step per millisecond, round-robin over three nodes. */
export function bigScenarioText(mb: number): string {
  const nodes = ["a", "b", "c"];
  const steps: string[] = [];
  let size = 0;
  for (let i = 0; size < mb * 1e6; i++) {
    const s = `{"at": ${i}, "node": "${nodes[i % 3]}", "op": "inc", "args": [${1 + (i % 7)}]}`;
    steps.push(s);
    size += s.length + 2;
  }
  return `{"name": "big-${mb}mb", "nodes": ["a", "b", "c"], "crdt": "pn-counter", "duration": ${steps.length},\n"steps": [\n${steps.join(",\n")}\n]}\n`;
}

function cpuMs(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

async function best(runs: number, f: () => unknown): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    await f();
    min = Math.min(min, cpuMs(start));
  }
  return min;
}

export async function run(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), "mc-bench-loader-"));
  const rows: BenchRow[] = [];
  try {
    for (const mb of [5, 50]) {
      const file = join(dir, `big-${mb}.json`);
      writeFileSync(file, bigScenarioText(mb));
      const text = readFileSync(file, "utf8");
      const runs = mb >= 50 ? 2 : 4;
      const floor = await best(runs, () => JSON.parse(text));
      const strict = await best(runs, () => parseJson(text));
      const load = await best(runs, () => loadScenario(file));
      const steps = (JSON.parse(text) as { steps: unknown[] }).steps.length;
      rows.push(
        { suite: name, name: `JSON.parse ${mb} MB`, value: floor, unit: "ms", note: `${steps} steps; the floor` },
        { suite: name, name: `parseJson ${mb} MB`, value: strict, unit: "ms", note: `${(strict / floor).toFixed(2)}× JSON.parse (duplicate keys checked)` },
        { suite: name, name: `loadScenario ${mb} MB`, value: load, unit: "ms", note: `${(load / floor).toFixed(2)}× JSON.parse (read, parse, validate, dry-run ops)` },
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
