/**
 * Start-up of the built CLI (dist/bin/memoconductor.js, what `npx memoconductor` runs): `--help`, `list`
 * and a 50-event `run --no-trace`, each as a ratio to `node -e ''` measured in the same run —
 * the machine's load moves both alike (goal: ≤ 3×). The commands are interleaved, one of each
 * per round, and the median of the rounds is kept. dist/ is rebuilt first, so the figures are
 * those of the current sources.
 * Run alone: `npm run bench -- startup`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchRow } from "../types.ts";

export const name = "startup";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = join(ROOT, "dist/bin/memoconductor.js");
const ROUNDS = 15;

/** 12 increments on 3 nodes (each op, its 2 sends and 2 deliveries), then a partition and its heal: 50 events. */
const SCENARIO = {
  name: "startup-50-events",
  seed: 1,
  nodes: ["a", "b", "c"],
  crdt: "g-counter",
  steps: [
    ...Array.from({ length: 12 }, (_, i) => ({ at: i * 40, node: "abc"[i % 3], op: "inc", args: [1] })),
    { at: 700, partition: [["a"], ["b", "c"]] },
    { at: 800, heal: true },
  ],
  duration: 1000,
  expect: { value: 12 },
};

function wallMs(args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`startup bench: node ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(): Promise<BenchRow[]> {
  const build = spawnSync(process.execPath, [join(ROOT, "scripts/build.js")], { cwd: ROOT, stdio: "inherit" });
  if (build.status !== 0) throw new Error("startup bench: npm run build failed");
  const dir = mkdtempSync(join(tmpdir(), "memoconductor-startup-"));
  try {
    const scenario = join(dir, "startup-50-events.json");
    writeFileSync(scenario, JSON.stringify(SCENARIO));
    const events = JSON.parse(spawnSync(process.execPath, [CLI, "run", scenario, "--no-trace", "--json", "--out", dir], { encoding: "utf8" }).stdout).stats.events as number;
    const commands: [string, string[]][] = [
      ["node -e ''", ["-e", ""]],
      ["memoconductor --help", [CLI, "--help"]],
      ["memoconductor list", [CLI, "list"]],
      [`memoconductor run (${events} events, --no-trace)`, [CLI, "run", scenario, "--no-trace", "--out", dir]],
    ];
    const times = commands.map(() => [] as number[]);
    wallMs(commands[0]![1]); // warm the file cache for node itself
    for (let round = 0; round < ROUNDS; round++) commands.forEach(([, args], i) => times[i]!.push(wallMs(args)));
    const base = median(times[0]!);
    return commands.map(([label], i) => {
      const m = median(times[i]!);
      return i === 0
        ? { suite: name, name: label, value: m, unit: "ms", note: `median wall time of ${ROUNDS}` }
        : { suite: name, name: label, value: m / base, unit: "× node -e ''", note: `median ${Math.round(m)} ms of ${ROUNDS} (goal ≤ 3×)` };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
