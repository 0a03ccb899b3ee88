/**
 * Worker threads for a sweep. Seeds go out in small batches, in seed order; once a seed has
 * failed, no batch starting after it is sent, and the batches already out are awaited — so the
 * first failing seed is the same as a one-thread sweep would find, whatever the thread timing.
 */
import { Worker } from "node:worker_threads";
import type { SeedVerdict } from "./sweep.ts";
import type { SwarmOptions } from "./swarm.ts";
import type { TargetRef } from "./target.ts";
import type { Reply, Task } from "./worker-main.ts";

const ENTRY = new URL("./worker.js", import.meta.url);

export async function sweepInWorkers(
  jobs: number,
  ref: TargetRef,
  swarm: SwarmOptions,
  ignore: readonly string[],
  seeds: readonly number[],
  stopAtFailure: boolean,
  onVerdict: (v: SeedVerdict) => void,
): Promise<SeedVerdict[]> {
  // Batches small enough to balance two threads, large enough that messaging stays cheap.
  const batch = Math.max(1, Math.min(16, Math.ceil(seeds.length / (jobs * 8))));
  const tasks: Task[] = [];
  for (let i = 0; i < seeds.length; i += batch) tasks.push({ id: tasks.length, seeds: seeds.slice(i, i + batch) });
  const results: SeedVerdict[] = [];
  let next = 0;
  let firstFailure = Infinity;
  const workers = Array.from({ length: Math.min(jobs, tasks.length) }, () => new Worker(ENTRY, { workerData: { ref, swarm, ignore: [...ignore] } }));
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((done, fail) => {
            const send = () => {
              const task = tasks[next];
              if (!task || task.seeds[0]! > firstFailure) return done();
              next++;
              w.postMessage(task);
            };
            w.on("message", (m: Reply | { ready: true }) => {
              if ("ready" in m) return send();
              if ("error" in m) return fail(new Error(m.error));
              for (const v of m.results) {
                results.push(v);
                onVerdict(v);
                if (!v.ok && stopAtFailure) firstFailure = Math.min(firstFailure, v.seed);
              }
              send();
            });
            w.on("error", fail);
            w.on("exit", (code) => (code === 0 ? done() : fail(new Error(`explore worker exited with code ${code}`))));
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results.sort((a, b) => a.seed - b.seed);
}
