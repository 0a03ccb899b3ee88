/**
 * Loads and runs one scenario file for `run`, `start` and `replay`. A builtin CRDT runs here, in
 * this thread (no worker start-up to pay); a plugin (`crdt: { module }`) runs in a supervised
 * worker thread (sandbox/supervise.ts), which gives back the same Run — the same code on the
 * same inputs, so the same trace and traceHash — or one line saying how the plugin misbehaved.
 */
import { dirname, resolve } from "node:path";
// The light public entry (sim/simulate.ts: load and run, no explorer or fast-check): `run` starts at once.
import {
  DEFAULT_SEED,
  type LimitOverrides,
  modulePathOf,
  portableScenario,
  prepareScenario,
  readScenarioFile,
  type Run,
  runLoaded,
  type Scenario,
  ScenarioError,
} from "../sim/simulate.ts";
import { errorLine } from "./io.ts";
import { JobError, PluginFailure, supervise } from "./sandbox/supervise.ts";

export type Ran = { scenario: Scenario; seed: number; run: Run; portable: Scenario };
/**
 * `limits`: the CLI flags' bounds, which win over the scenario's `limits` block. `traceFileFor`:
 * where to stream the trace (told the scenario as read, its seed and its portable form, just
 * before the run starts); without it a traced run keeps its canonical lines in memory.
 */
export type RunFileOptions = {
  seed?: number;
  trace: boolean;
  pluginTimeoutS: number;
  limits?: LimitOverrides;
  traceFileFor?: (scenario: Scenario, seed: number, portable: Scenario) => string;
};

/** A run that could not be done, as the one line to print (`<file>: …`). ScenarioErrors pass through. */
export class RunFailure extends Error {
  override name = "RunFailure";
}

export async function runScenarioFile(file: string, o: RunFileOptions): Promise<Ran> {
  const limits = o.limits ?? {};
  const scenario = readScenarioFile(file, { limits });
  const seed = o.seed ?? scenario.seed ?? DEFAULT_SEED;
  const baseDir = dirname(resolve(file));
  const modulePath = modulePathOf(scenario.crdt, baseDir);
  const portable = portableScenario(modulePath ? { scenario, modulePath, limits } : { scenario, limits }, seed);
  const ranIn = (run: Run): Ran => ({ scenario, seed, run, portable });
  const streamTo = () => (o.trace && o.traceFileFor ? { traceFile: o.traceFileFor(scenario, seed, portable) } : {});
  if (modulePath === undefined) {
    const loaded = await prepareScenario(scenario, { file, baseDir, limits });
    try {
      return ranIn(runLoaded(loaded, { seed, trace: o.trace, ...streamTo() }));
    } catch (e) {
      // Over its event limit (refused up front, or stopped by the engine): `<file>: limits.events: …`.
      if (e instanceof ScenarioError) throw e;
      throw new RunFailure(`${file}: run failed (seed ${seed}): ${errorLine(e)}`);
    }
  }
  const shown = (scenario.crdt as { module: string }).module;
  try {
    const run = (await supervise({ kind: "run", file, seed, trace: o.trace, limits, ...streamTo() }, { plugin: shown, timeoutS: o.pluginTimeoutS })) as Run;
    return ranIn(run);
  } catch (e) {
    if (e instanceof PluginFailure) throw new RunFailure(`${file}: ${e.message}`);
    if (e instanceof JobError) throw new RunFailure(e.stage === "load" || e.byPlugin ? prefixed(file, e.message) : `${file}: run failed (seed ${seed}): ${e.message}`);
    throw e;
  }
}

/** Load errors already name the file; a plugin's contract error does not. */
const prefixed = (file: string, message: string) => (message.startsWith(`${file}: `) ? message : `${file}: ${message}`);
