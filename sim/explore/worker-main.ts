/**
 * A sweep worker: resolves the target itself (functions cannot cross threads), then judges the
 * seeds it is sent and posts one verdict per seed back, in order. Each task names its target,
 * swarm and ignored checks, so a worker kept warm by pool.ts can serve the next sweep too (its
 * JIT-compiled simulator is most of what a cold worker lacks).
 */
import { parentPort, workerData } from "node:worker_threads";
import { sweepSeed, type SeedVerdict } from "./sweep.ts";
import { resolveTarget, type Target, type TargetRef } from "./target.ts";
import type { SwarmOptions } from "./swarm.ts";
import { attachCallSlot } from "../plugin/call-slots.ts";
import { osThreadId } from "../plugin/thread-cpu.ts";
import { installThreadSandbox } from "../plugin/thread-sandbox.ts";

/** What a task's seeds are judged against. */
export type SweepInit = { ref: TargetRef; swarm: SwarmOptions; ignore: string[] };
/**
 * workerData: the sweep that started the thread (a plugin may look for `ref` to tell a sweep
 * thread), and `slot`, when the sweep runs under a supervisor (cli/sandbox), this thread's
 * watched call slot.
 */
type Init = Partial<SweepInit> & { slot?: { buffer: SharedArrayBuffer; index: number } };
export type Task = { id: number; seeds: number[]; init: SweepInit };
export type Reply = { id: number; results: SeedVerdict[] } | { id: number; error: string };

const init = (workerData ?? {}) as Init;
let current: { key: string; init: SweepInit; target: Promise<Target> } | undefined;
const who = () => (current ? ("module" in current.init.ref ? `plugin ${current.init.ref.module}` : current.init.ref.builtin) : "explore worker");
// A plugin's stray rejection or timer exception fails the sweep with one line (pool.ts), rather
// than killing this thread with a stack trace; its process.exit is recorded in the slot.
installThreadSandbox((what) => parentPort!.postMessage({ id: -1, error: `${who()}: ${what}` } satisfies Reply));
if (init.slot) attachCallSlot(init.slot.buffer, init.slot.index, osThreadId());
// Tasks are judged one after another, in the order they came (a new target is resolved first).
let queue: Promise<void> = Promise.resolve();
parentPort!.on("message", (task: Task) => {
  queue = queue.then(async () => {
    try {
      const key = JSON.stringify(task.init);
      if (current?.key !== key) current = { key, init: task.init, target: resolveTarget(task.init.ref) };
      const target = await current.target;
      const results = task.seeds.map((seed) => sweepSeed(seed, target, task.init.swarm, task.init.ignore));
      parentPort!.postMessage({ id: task.id, results } satisfies Reply);
    } catch (e) {
      parentPort!.postMessage({ id: task.id, error: e instanceof Error ? e.message : String(e) } satisfies Reply);
    }
  });
});
parentPort!.postMessage({ ready: true });
