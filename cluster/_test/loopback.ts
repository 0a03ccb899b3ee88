/**
 * For tests: runs a scenario as a cluster of real `memoconductor node` processes on loopback
 * (the CLI from the sources, every start bounded in time), each run in a fresh work directory
 * that `removeWorkDirs` (an afterEach) deletes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { prepareScenario, type Scenario } from "../../sim/index.ts";
import { runCluster, type ClusterRun } from "../index.ts";

const BIN = fileURLToPath(new URL("../../cli/bin.js", import.meta.url));
const dirs: string[] = [];

/** The work directory of the last run (its nodes' data and logs, one folder per node). */
export function lastWorkDir(): string {
  const d = dirs.at(-1);
  if (d === undefined) throw new Error("no cluster run yet");
  return d;
}

/** Deletes every work directory made so far. */
export function removeWorkDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Runs `scenario` on real node processes with the schedule of `seed`; `nodeArgs` go to every node. */
export async function runOnLoopback(scenario: Scenario, seed: number, nodeArgs: string[] = []): Promise<ClusterRun> {
  const loaded = await prepareScenario(scenario, { limits: {} });
  const workDir = mkdtempSync(join(tmpdir(), "mc-cluster-test-"));
  dirs.push(workDir);
  return runCluster({
    file: "<test>",
    scenario: loaded.scenario,
    crdt: loaded.crdt,
    crdtName: loaded.crdtName,
    seed,
    workDir,
    nodeCommand: [process.execPath, BIN],
    startTimeoutMs: 60_000,
    nodeArgs,
  });
}
