/**
 * A supervised plugin thread: installs the sandbox (process.exit, stray rejections and
 * exceptions are reported, not fatal), attaches its call slot, then does one job and posts the
 * result: `run` loads and runs a scenario file and posts the Run (the supervising thread writes
 * the run directory, exactly as for a builtin); `laws` and `explore` run that command here,
 * their output forwarded line for line.
 */
import { parentPort, workerData } from "node:worker_threads";
import { attachCallSlot, installThreadSandbox, osThreadId } from "../../sim/index.ts";
import type { Io } from "../io.ts";

export type Job =
  | { kind: "run"; file: string; seed?: number; trace: boolean; traceFile?: string; limits: import("../../sim/index.ts").LimitOverrides }
  | { kind: "laws"; arg: string; options: import("../laws.ts").LawsCliOptions }
  | { kind: "explore"; options: import("../explore.ts").ExploreCliOptions };

export type WorkerMessage = { result: unknown } | { failure: string } | { error: string; stage: "load" | "run"; byPlugin: boolean } | { out: string } | { err: string };

const port = parentPort!;
const post = (m: WorkerMessage) => port.postMessage(m);
const { job, slots } = workerData as { job: Job; slots: SharedArrayBuffer };

let failed = false;
installThreadSandbox((what) => {
  failed = true;
  post({ failure: what });
});
attachCallSlot(slots, 0, osThreadId());

/**
 * Lets what the plugin left behind come out before the result is posted: a promise it rejected
 * in its last call is reported unhandled only after the current task, a timer set to 0 ms
 * fires in the next turn. Without this wait the result could win the race and a plugin that
 * misbehaved pass.
 */
const settle = async () => {
  await new Promise((go) => setTimeout(go, 0));
  await new Promise((go) => setImmediate(go));
};

const result = await (job.kind === "run" ? runJob(job) : commandJob(job));
await settle();
if (!failed && result !== undefined) post({ result: result.value });

async function runJob(j: Extract<Job, { kind: "run" }>): Promise<{ value: unknown } | undefined> {
  const { DEFAULT_SEED, loadScenario, methodThatThrew, PluginError, runLoaded } = await import("../../sim/index.ts");
  let loaded;
  try {
    loaded = await loadScenario(j.file, { limits: j.limits });
  } catch (e) {
    post({ error: (e as Error).message, stage: "load", byPlugin: false });
    return undefined;
  }
  try {
    const seed = j.seed ?? loaded.scenario.seed ?? DEFAULT_SEED;
    return { value: runLoaded(loaded, { seed, trace: j.trace, ...(j.traceFile === undefined ? {} : { traceFile: j.traceFile }) }) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // Stopped at its event limit: a scenario problem with its own `<file>: limits.events: …` line.
    if (e instanceof Error && e.name === "ScenarioError") {
      post({ error: message, stage: "load", byPlugin: false });
      return undefined;
    }
    const by = methodThatThrew(e);
    const shown = (loaded.scenario.crdt as { module: string }).module;
    // Where the engine was, when it says (`t=126 workload: b inc [1]`), then the plugin's own words.
    const where = e instanceof Error && "context" in e && typeof e.context === "string" ? ` at ${e.context}` : "";
    post({ error: by ? `plugin ${shown}: ${by.method} threw${where}: ${by.thrown.message}` : message, stage: "run", byPlugin: e instanceof PluginError });
    return undefined;
  }
}

async function commandJob(j: Exclude<Job, { kind: "run" }>): Promise<{ value: unknown }> {
  const io: Io = { out: (text) => post({ out: text }), err: (text) => post({ err: text }) };
  if (j.kind === "laws") return { value: await (await import("../laws.ts")).lawsCommand(j.arg, j.options, io) };
  return { value: await (await import("../explore.ts")).exploreCommand(j.options, io) };
}
