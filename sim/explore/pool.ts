/**
 * Parallel sweep for `--jobs n`: n − 1 worker threads and this thread, which judges seeds too.
 * A worker costs a cold start (a fresh isolate that loads tsx and the explorer before its first
 * seed, about a second here), so this thread — already loaded and warm — does not sit idle.
 *
 * Seeds go out in small batches, in seed order; once a seed has failed, no batch starting after
 * it is handed out, and the batches already out are awaited — so the first failing seed is the
 * one a one-thread sweep finds, whatever the thread timing. Each worker is kept two batches
 * ahead: while this thread is busy with a batch of its own it cannot answer a worker, and the
 * queued batch keeps the worker working meanwhile.
 */
import { Worker } from "node:worker_threads";
import { sweepSeed, type SeedVerdict } from "./sweep.ts";
import type { SwarmOptions } from "./swarm.ts";
import type { Target } from "./target.ts";
import type { Reply, Task } from "./worker-main.ts";
import { attachedCallSlots, readSlot } from "../plugin/call-slots.ts";

// From the sources the entry is worker.js, a launcher that registers tsx (a worker does not
// inherit the loader under every launcher) and imports worker-main.ts; in the built package
// (dist/) it is the compiled worker-main.js itself — plain JavaScript, no tsx.
const ENTRY = new URL(import.meta.url.endsWith(".ts") ? "./worker.js" : "./worker-main.js", import.meta.url);
const AHEAD = 2;

export async function sweepInWorkers(
  jobs: number,
  target: Target,
  swarm: SwarmOptions,
  ignore: readonly string[],
  seeds: readonly number[],
  stopAtFailure: boolean,
  onVerdict: (v: SeedVerdict) => void,
): Promise<SeedVerdict[]> {
  // Batches small enough to balance the threads, large enough that messaging stays cheap.
  const batch = Math.max(1, Math.min(16, Math.ceil(seeds.length / (jobs * 8))));
  const tasks: Task[] = [];
  for (let i = 0; i < seeds.length; i += batch) tasks.push({ id: tasks.length, seeds: seeds.slice(i, i + batch) });
  const results: SeedVerdict[] = [];
  let next = 0;
  let firstFailure = Infinity;
  const more = () => next < tasks.length && tasks[next]!.seeds[0]! <= firstFailure;
  const take = (): Task | undefined => (more() ? tasks[next++] : undefined);
  // Workers still starting up: released as soon as nothing is left for them (a short sweep
  // must not wait a worker's cold start only to find the work done).
  const starting = new Set<() => void>();
  const releaseIdle = () => {
    if (!more()) for (const done of starting) done();
  };
  const record = (verdicts: readonly SeedVerdict[]) => {
    for (const v of verdicts) {
      results.push(v);
      onVerdict(v);
      if (!v.ok && stopAtFailure) firstFailure = Math.min(firstFailure, v.seed);
    }
  };

  // Under a supervisor (cli/sandbox), worker k writes its plugin calls to slot base + k + 1.
  const slots = attachedCallSlots();
  const slotOf = (k: number) => (slots ? { slot: { buffer: slots.buffer, index: slots.index + k + 1 } } : {});
  const workers = Array.from(
    { length: Math.min(jobs - 1, tasks.length - 1) },
    (_, k) => new Worker(ENTRY, { workerData: { ref: target.ref, swarm, ignore: [...ignore], ...slotOf(k) } }),
  );
  // A worker that ends with work outstanding (a plugin's process.exit(0)) must not pass for done.
  const ended = (k: number, code: number): Error => {
    const s = slots ? readSlot(slots.buffer, slots.index + k + 1) : undefined;
    const who = "module" in target.ref ? `plugin ${target.ref.module}` : target.ref.builtin;
    return new Error(
      s?.exitCode !== undefined
        ? `${who} ended the process (process.exit(${s.exitCode})) in ${s.method ?? "no call"}`
        : `explore worker exited with code ${code} before finishing its seeds`,
    );
  };
  const inWorker = (w: Worker, k: number) =>
    new Promise<void>((done, fail) => {
      let out = 0;
      starting.add(done);
      const feed = () => {
        for (let task = out < AHEAD ? take() : undefined; task; task = out < AHEAD ? take() : undefined) {
          out++;
          w.postMessage(task);
        }
        if (out === 0) done();
      };
      w.on("message", (m: Reply | { ready: true }) => {
        if ("ready" in m) {
          starting.delete(done);
          return feed();
        }
        if ("error" in m) return fail(new Error(m.error));
        out--;
        record(m.results);
        feed();
      });
      w.on("error", fail);
      w.on("exit", (code) => (code === 0 && out === 0 ? done() : fail(ended(k, code))));
    });
  const here = async () => {
    for (;;) {
      // Yield first, so that workers' replies are taken (and the workers fed) between batches.
      await new Promise<void>((go) => setImmediate(go));
      const task = take();
      if (!task) return releaseIdle();
      record(task.seeds.map((seed) => sweepSeed(seed, target, swarm, ignore)));
    }
  };
  try {
    await Promise.all([here(), ...workers.map((w, k) => inWorker(w, k))]);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results.sort((a, b) => a.seed - b.seed);
}
