/**
 * A sweep worker: resolves the target itself (functions cannot cross threads), then judges the
 * seeds it is sent and posts one verdict per seed back, in order.
 */
import { parentPort, workerData } from "node:worker_threads";
import { sweepSeed, type SeedVerdict } from "./sweep.ts";
import { resolveTarget, type TargetRef } from "./target.ts";
import type { SwarmOptions } from "./swarm.ts";

type Init = { ref: TargetRef; swarm: SwarmOptions; ignore: string[] };
export type Task = { id: number; seeds: number[] };
export type Reply = { id: number; results: SeedVerdict[] } | { id: number; error: string };

const init = workerData as Init;
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
