/**
 * `memoconductor cluster <scenario.json>`: the scenario against real node processes on
 * loopback (cluster/, docs/cluster.md). Writes a run directory like `run` does, under
 * `<out>/<scenario>/cluster-<seed>/`, prints the verdict, and exits 0 (every expectation met),
 * 1 (a check came out otherwise) or 2 (bad input, or a scenario feature the cluster refuses —
 * one line each, and no process is started).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ClusterRefused, clusterRunFiles, isUndecided, runCluster, scenarioOfPlan, simulateSchedule } from "../cluster/index.ts";
import { DEFAULT_SEED, loadScenario, ScenarioError } from "../sim/index.ts";
import { putFiles } from "../viz/index.ts";
import { writeDirAtomically } from "./atomic-dir.ts";
import { verdictBlock } from "./format.ts";
import { EXIT, errorLine, type Io } from "./io.ts";

export type ClusterCommandOptions = { seed?: number; out: string; keepData?: boolean; nodeArg?: string[] };

export async function clusterCommand(file: string, o: ClusterCommandOptions, io: Io): Promise<number> {
  let loaded;
  try {
    loaded = await loadScenario(file);
  } catch (e) {
    io.err(`${e instanceof ScenarioError ? e.message : `${file}: ${errorLine(e)}`}\n`);
    return EXIT.badInput;
  }
  const scenario = loaded.scenario;
  const seed = o.seed ?? scenario.seed ?? DEFAULT_SEED;
  const work = mkdtempSync(join(tmpdir(), "memoconductor-cluster-"));
  let run;
  try {
    run = await runCluster({
      file,
      scenario,
      crdt: loaded.crdt,
      crdtName: loaded.crdtName,
      seed,
      workDir: work,
      // The node processes are this very CLI: the same build, started with `node`.
      nodeCommand: [process.execPath, process.argv[1] ?? "memoconductor"],
      nodeArgs: o.nodeArg ?? [],
      log: (line) => io.err(`cluster: ${line}\n`),
    });
  } catch (e) {
    if (e instanceof ClusterRefused) {
      io.err(e.lines.map((l) => `${l}\n`).join(""));
      return EXIT.badInput;
    }
    io.err(`${file}: cluster run failed: ${errorLine(e)} (node logs in ${work})\n`);
    return EXIT.failed;
  } finally {
    if (!o.keepData) rmSync(work, { recursive: true, force: true });
  }
  if (o.keepData) io.err(`cluster: data directories and node logs kept in ${work}\n`);
  const dir = resolve(o.out, scenario.name, `cluster-${seed}`);
  const repro = scenarioOfPlan({ ...scenario, seed }, run.plan);
  const failed = run.checks.filter((c) => c.ok !== c.expected);
  const undecided = failed.filter(isUndecided).map((c) => c.name);
  let reproNote: string;
  try {
    reproNote = (
      await simulateSchedule(
        repro,
        failed.filter((c) => !isUndecided(c)),
      )
    ).note;
  } catch (e) {
    reproNote = `The simulator could not run this schedule: ${errorLine(e)}`;
  }
  if (undecided.length > 0)
    reproNote += ` The real run could not decide ${undecided.join(", ")}: memoconductor run simulated-scenario.json to see ${undecided.length === 1 ? "it" : "them"} on this schedule.`;
  const rerun = `npx memoconductor cluster ${join(dir, "scenario.json")}`;
  const files = clusterRunFiles({ dir, scenario, seed, crdtName: loaded.crdtName, run, rerun, repro, reproNote });
  try {
    writeDirAtomically(dir, (tmp) => void putFiles(tmp, files));
  } catch (e) {
    io.err(`${file}: cannot write run directory ${dir}: ${errorLine(e)}\n`);
    return EXIT.badInput;
  }
  const summary = JSON.parse(files["summary.json"]!) as Parameters<typeof verdictBlock>[0];
  // A real run is not replayed bit for bit: the block's replay line becomes the command that runs the schedule again.
  const block = verdictBlock(summary, dir).replace(/^( *)replay( +).*$/m, (_m, indent: string, gap: string) => `${indent}again ${gap}${rerun}  (not deterministic)`);
  io.out(block + "\n");
  if (failed.length > 0) io.out(`${reproNote}\n`);
  return summary.ok ? EXIT.ok : EXIT.failed;
}
