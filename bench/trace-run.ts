/**
 * One traced run of the long or-set fixture (bench/fixtures/or-set-long-run.json), its workload
 * cut to `argv[2]` virtual ms, streamed to the file `argv[3]`; prints one JSON line: simulator
 * events, trace lines and bytes, CPU ms and this process's peak RSS. Run in a child process by
 * the trace suite, so each size's peak memory is its own.
 */
import { statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadScenario } from "../sim/scenario/load.ts";
import { runLoaded } from "../sim/simulate.ts";

const until = Number(process.argv[2]);
const file = process.argv[3]!;
const loaded = await loadScenario(fileURLToPath(new URL("./fixtures/or-set-long-run.json", import.meta.url)), { limits: {} });
const sc = loaded.scenario;
const full = sc.workload!.to ?? sc.duration;
// The partition keeps its share of the run: from 30 % to 45 % of it, as in the fixture.
sc.steps = [
  {
    at: Math.round(until * 0.3),
    partition: [
      ["n1", "n2"],
      ["n3", "n4", "n5"],
    ],
  },
  { at: Math.round(until * 0.45), heal: true },
];
sc.workload = { ...sc.workload!, to: until };
sc.duration = until + (sc.duration - full);
const start = process.cpuUsage();
const run = runLoaded(loaded, { seed: 1, trace: true, traceFile: file });
const cpu = process.cpuUsage(start);
process.stdout.write(
  JSON.stringify({
    events: run.summary.stats.events,
    bytes: statSync(file).size,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssKb: process.resourceUsage().maxRSS,
    ok: run.summary.ok,
  }) + "\n",
);
