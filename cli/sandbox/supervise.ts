/**
 * Runs work that executes a user's plugin in a worker thread this thread supervises. A plugin
 * is arbitrary code: it can loop forever in `merge`, leave a rejected promise, throw from a
 * timer, call process.exit, or never finish its top-level await. In the CLI's own thread each
 * of these is a hang, a stack trace with exit 1, or a silent exit; in a worker each becomes one
 * line naming the plugin and what it did, and exit 2 (bad input) — the thread can be stopped,
 * its exit observed, and its calls watched (sim/plugin/call-slots.ts).
 *
 * The watchdog is per call, not per run: a plugin may make millions of quick calls in a long
 * run; what it may not do is stay inside one call longer than the budget (--plugin-timeout) —
 * a budget of the call's computing time, so that a box busy with other work does not cut a
 * plugin short (WALL_BUDGETS below).
 */
import { Worker } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import { sourceWorkerEntry, threadCpuMs } from "../../sim/node-only.ts";
import { callSlotsBuffer, readSlot, slotCount, type SlotState } from "../../sim/simulate.ts";
import type { Job, WorkerMessage } from "./worker-main.ts";

// In the built package (dist/) the entry is the compiled worker-main.js itself — plain
// JavaScript, no tsx; from the sources, a cached bundle of worker-main.ts (sim's
// sourceWorkerEntry: a worker loading the sources through tsx spent ~1.5 s of CPU before the
// plugin's first call), or worker.js, a launcher that registers tsx, when esbuild is missing.
const entry = (): Promise<URL> =>
  import.meta.url.endsWith(".ts") ? sourceWorkerEntry(fileURLToPath(new URL("./worker-main.ts", import.meta.url))) : Promise.resolve(new URL("./worker-main.js", import.meta.url));

export { DEFAULT_PLUGIN_TIMEOUT_S } from "./defaults.ts";

/** A plugin misbehaved; the message is one line, starting with `plugin <path as written>`. */
export class PluginFailure extends Error {
  override name = "PluginFailure";
}

/** The job itself failed (bad scenario, an exception in a plugin method): its one-line message. */
export class JobError extends Error {
  override name = "JobError";
  constructor(
    message: string,
    readonly stage: "load" | "run",
    readonly byPlugin: boolean,
  ) {
    super(message);
  }
}

export type SuperviseOptions = {
  /** The plugin as the user wrote it (a scenario's `crdt.module`, a command's argument). */
  plugin: string;
  timeoutS: number;
  /** Threads that will run plugin code (explore's sweep workers each watch their own slot). */
  threads?: number;
  /** Output the job writes (commands run in the worker print through this). */
  out?: (text: string) => void;
  err?: (text: string) => void;
};

const phase = (s: SlotState): string => (s.method === undefined ? "between calls" : s.method === "loading" ? "while loading" : `in ${s.method}`);

/** What the watchdog remembers of one slot between ticks. */
export type SlotWatch = { calls: number; ticks: number; cpuAtStart: number | undefined };
export const slotWatches = (n: number): SlotWatch[] => Array.from({ length: n }, () => ({ calls: -1, ticks: 0, cpuAtStart: undefined }));

/**
 * The budget is of computing time — the call's thread's CPU time (sim/plugin/thread-cpu.ts) —
 * not of wall time: a box loaded by other work stretches a call's wall time (a plugin's import
 * that takes 0.2 s idle took over 1 s at a load of 25 on two cores) but not the CPU time it
 * needs, and a loop uses CPU at whatever rate it is given, so it meets the budget all the same.
 * What uses no CPU and never ends — a top-level await on something that never comes while a
 * timer keeps the thread alive, a call blocked in Atomics.wait — is stopped once it has lasted
 * WALL_BUDGETS budgets while using under IDLE_SHARE of a core (a thread starved by a load of 25
 * still gets 8% of one). Where the OS does not tell a thread's CPU time, the budget is of wall time.
 */
export const WALL_BUDGETS = 10;
export const IDLE_SHARE = 0.02;

/** Why a slot's call is stopped: it computed for the budget, or it lasted WALL_BUDGETS budgets, waiting. */
export type Stuck = "computed" | "lasted";

/**
 * One watchdog tick for one slot, given the CPU time (ms) its thread has used so far (undefined
 * where unknown): "computed" once the same call has used the budget of CPU time since the
 * watchdog first saw it — of wall time, counted in ticks, where the CPU time is unknown — and
 * "lasted" once it has been in progress for WALL_BUDGETS budgets, using under IDLE_SHARE of a core.
 * A thread that called process.exit is gone, not stuck — its owner reports it (the worker's
 * 'exit' event, or explore's pool for a sweep thread), however late that comes on a loaded box;
 * taking its frozen slot for a stuck call gave a second, wrong line.
 */
export function isStuck(w: SlotWatch, s: SlotState, tickMs: number, timeoutS: number, cpuMs?: number): Stuck | undefined {
  if (s.exitCode !== undefined) return undefined;
  if (s.method === undefined || s.calls !== w.calls) {
    w.calls = s.calls;
    w.ticks = 0;
    w.cpuAtStart = cpuMs;
    return undefined;
  }
  const budgetMs = timeoutS * 1000;
  const lastedMs = ++w.ticks * tickMs;
  if (cpuMs === undefined || w.cpuAtStart === undefined) return lastedMs >= budgetMs ? "computed" : undefined;
  const used = cpuMs - w.cpuAtStart;
  if (used >= budgetMs) return "computed";
  return lastedMs >= WALL_BUDGETS * budgetMs && used < lastedMs * IDLE_SHARE ? "lasted" : undefined;
}

export async function supervise(job: Job, o: SuperviseOptions): Promise<unknown> {
  const slots = callSlotsBuffer(o.threads ?? 1);
  const plugin = `plugin ${o.plugin}`;
  const worker = new Worker(await entry(), { workerData: { job, slots } });
  return new Promise<unknown>((resolve, reject) => {
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      f();
      void worker.terminate();
    };
    const failure = (text: string) => settle(() => reject(new PluginFailure(text)));
    // A process.exit in any of the plugin's threads explains whatever else went wrong.
    const exited = (): string | undefined => {
      for (let i = 0; i < slotCount(slots); i++) {
        const s = readSlot(slots, i);
        if (s.exitCode !== undefined) return `${plugin} ended the process (process.exit(${s.exitCode})) ${phase(s)}`;
      }
      return undefined;
    };

    // Counting ticks, not reading a clock: a late tick only lengthens the wall budget (the safe side).
    const tickMs = Math.max(10, Math.min(250, (o.timeoutS * 1000) / 8));
    const stuck = slotWatches(slotCount(slots));
    const watchdog = setInterval(() => {
      stuck.forEach((w, i) => {
        const s = readSlot(slots, i);
        const why = isStuck(w, s, tickMs, o.timeoutS, s.method === undefined ? undefined : threadCpuMs(s.tid));
        if (why === undefined) return;
        const within = why === "computed" ? o.timeoutS : Number((WALL_BUDGETS * o.timeoutS).toFixed(3));
        const notes = [
          ...(s.method === "loading" ? [] : [`call ${s.calls}`]),
          ...(why === "lasted" ? ["it kept waiting, e.g. on a promise that never settles"] : []),
          `raise --plugin-timeout (now ${o.timeoutS} s) if it needs longer`,
        ].join("; ");
        failure(s.method === "loading" ? `${plugin} did not finish loading within ${within} s (${notes})` : `${plugin}: ${s.method} did not return within ${within} s (${notes})`);
      });
    }, tickMs);
    watchdog.unref();

    worker.on("message", (m: WorkerMessage) => {
      if ("out" in m) return o.out?.(m.out);
      if ("err" in m) return o.err?.(m.err);
      if ("result" in m) return settle(() => resolve(m.result));
      if ("failure" in m) return failure(`${plugin}: ${m.failure}`);
      const why = exited();
      if (why) return failure(why);
      settle(() => reject(new JobError(m.error, m.stage, m.byPlugin)));
    });
    worker.on("error", (e: Error & { code?: string }) => {
      const s = readSlot(slots, 0);
      failure(
        exited() ?? (e.code === "ERR_WORKER_OUT_OF_MEMORY" ? `${plugin}: ran out of memory ${phase(s)}` : `${plugin}: crashed its thread ${phase(s)}: ${e.message.split("\n")[0]}`),
      );
    });
    worker.on("exit", (code) => {
      const s = readSlot(slots, 0);
      failure(
        exited() ??
          (s.method === "loading"
            ? `${plugin} never finished loading (its top-level await never settled)`
            : `${plugin}: its thread ended (exit code ${code}) ${phase(s)} without a result`),
      );
    });
  });
}
