/**
 * `laws` and `explore` on a plugin module run whole in a supervised worker (supervise.ts): they
 * call the plugin from start to end (and explore writes its pages from runs of it), so the
 * whole command is what must be stoppable. On a builtin they run here, as before.
 */
import { targetRef } from "../../sim/index.ts";
import { exploreCommand, type ExploreCliOptions } from "../explore.ts";
import { EXIT, errorLine, type ExitCode, type Io } from "../io.ts";
import { lawsCommand, type LawsCliOptions } from "../laws.ts";
import { DEFAULT_PLUGIN_TIMEOUT_S, PluginFailure, supervise, type SuperviseOptions } from "./supervise.ts";
import type { Job } from "./worker-main.ts";

type Timeout = { pluginTimeout?: number };

export async function lawsCli(arg: string, o: LawsCliOptions & Timeout, io: Io): Promise<ExitCode> {
  const { pluginTimeout, ...options } = o;
  if ("builtin" in targetRef(arg)) return lawsCommand(arg, options, io);
  return inWorker("laws", { kind: "laws", arg, options }, { plugin: arg, timeoutS: pluginTimeout ?? DEFAULT_PLUGIN_TIMEOUT_S }, io);
}

export async function exploreCli(o: ExploreCliOptions & Timeout, io: Io): Promise<ExitCode> {
  const { pluginTimeout, ...options } = o;
  if ("builtin" in targetRef(o.crdt)) return exploreCommand(options, io);
  // Each sweep thread (--jobs) calls the plugin: one watched call slot per thread.
  return inWorker("explore", { kind: "explore", options }, { plugin: o.crdt, timeoutS: pluginTimeout ?? DEFAULT_PLUGIN_TIMEOUT_S, threads: o.jobs ?? 1 }, io);
}

async function inWorker(command: string, job: Job, o: SuperviseOptions, io: Io): Promise<ExitCode> {
  try {
    return (await supervise(job, { ...o, out: io.out, err: io.err })) as ExitCode;
  } catch (e) {
    io.err(`memoconductor ${command}: ${e instanceof PluginFailure ? e.message : errorLine(e)}\n`);
    return EXIT.badInput;
  }
}
