/**
 * A sweep worker: resolves the target itself (functions cannot cross threads), then judges the
 * seeds it is sent and posts one verdict per seed back, in order.
 */
import { parentPort, workerData } from "node:worker_threads";
import { sweepSeed, type SeedVerdict } from "./sweep.ts";
import { resolveTarget, type TargetRef } from "./target.ts";
import type { SwarmOptions } from "./swarm.ts";
import { attachCallSlot } from "../plugin/call-slots.ts";
import { installThreadSandbox } from "../plugin/thread-sandbox.ts";

/** `slot`: when the sweep runs under a supervisor (cli/sandbox), this thread's watched call slot. */
type Init = { ref: TargetRef; swarm: SwarmOptions; ignore: string[]; slot?: { buffer: SharedArrayBuffer; index: number } };
export type Task = { id: number; seeds: number[] };
export type Reply = { id: number; results: SeedVerdict[] } | { id: number; error: string };

const init = workerData as Init;
// A plugin's stray rejection or timer exception fails the sweep with one line (pool.ts), rather
// than killing this thread with a stack trace; its process.exit is recorded in the slot.
installThreadSandbox((what) => parentPort!.postMessage({ id: -1, error: `${"module" in init.ref ? `plugin ${init.ref.module}` : init.ref.builtin}: ${what}` } satisfies Reply));
if (init.slot) attachCallSlot(init.slot.buffer, init.slot.index);
const target = await resolveTarget(init.ref);
parentPort!.on("message", (task: Task) => {
  try {
    const results = task.seeds.map((seed) => sweepSeed(seed, target, init.swarm, init.ignore));
    parentPort!.postMessage({ id: task.id, results } satisfies Reply);
  } catch (e) {
    parentPort!.postMessage({ id: task.id, error: e instanceof Error ? e.message : String(e) } satisfies Reply);
  }
});
parentPort!.postMessage({ ready: true });
