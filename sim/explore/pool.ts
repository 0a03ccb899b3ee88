/**
 * Parallel sweep for `--jobs n`: n − 1 worker threads and this thread, which judges seeds too.
 * A worker costs a cold start (a fresh isolate that loads the explorer before its first seed:
 * about 0.2 s of CPU from one bundle, worker-entry.ts), so this thread — already loaded and warm —
 * does not sit idle.
 *
 * Seeds go out in small batches, in seed order; once a seed has failed, no batch starting after
 * it is handed out, and the batches already out are awaited — so the first failing seed is the
 * one a one-thread sweep finds, whatever the thread timing. Each worker is kept two batches
 * ahead: while this thread is busy with a batch of its own it cannot answer a worker, and the
 * queued batch keeps the worker working meanwhile.
 *
 * A worker that served a builtin's sweep cleanly is kept, idle and unref'd (it does not hold the
 * process open), for the next sweep in this process: a fresh isolate spends about a second of
 * CPU compiling the simulator hot (the first thousand seeds cost about 1.4× the next), which
 * repeated sweeps — the bench, a test suite, a program calling explore — would pay every time.
 * Workers that loaded a plugin, or that run under a supervisor's call slots, are not kept.
 */
import { Worker } from "node:worker_threads";
import { sweepSeed, type SeedVerdict } from "./sweep.ts";
import type { SwarmOptions } from "./swarm.ts";
import type { Target } from "./target.ts";
import type { Reply, SweepInit, Task } from "./worker-main.ts";
import { attachedCallSlots, readSlot } from "../plugin/call-slots.ts";
import { workerEntry } from "./worker-entry.ts";

const AHEAD = 2;
/** Warm idle workers kept for the next sweep (builtin targets only), at most this many. */
const KEEP = 4;
const warm: Worker[] = [];
/** An idle worker's own error/exit listeners (they drop it from `warm`), removed when it is taken. */
const idleOff = new WeakMap<Worker, () => void>();

/** How many warm idle workers this process keeps (for tests). */
export function keptWorkers(): number {
  return warm.length;
}

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
  const tasks: { id: number; seeds: number[] }[] = [];
  for (let i = 0; i < seeds.length; i += batch) tasks.push({ id: tasks.length, seeds: seeds.slice(i, i + batch) });
  const results: SeedVerdict[] = [];
  let next = 0;
  let firstFailure = Infinity;
  const more = () => next < tasks.length && tasks[next]!.seeds[0]! <= firstFailure;
  const take = (): { id: number; seeds: number[] } | undefined => (more() ? tasks[next++] : undefined);
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
  const threads = Math.min(jobs - 1, tasks.length - 1);
  const builtin = "builtin" in target.ref;
  // A plugin is loaded as before the bundle: under tsx registered by the worker's launcher.
  const entry = threads > 0 ? await workerEntry(!builtin) : undefined;
  const init: SweepInit = { ref: target.ref, swarm, ignore: [...ignore] };
  const keep = !slots && builtin;
  const workers = Array.from({ length: threads }, (_, k) => {
    const w = keep ? warm.pop() : undefined;
    if (w) {
      const drop = idleOff.get(w)!;
      w.off("error", drop);
      w.off("exit", drop);
      w.ref();
    }
    return { w: w ?? new Worker(entry!, { workerData: { ...init, ...slotOf(k) } }), cold: !w, clean: false, off: () => {} };
  });
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
  const inWorker = (x: (typeof workers)[number], k: number) =>
    new Promise<void>((done, fail) => {
      const { w, cold } = x;
      let out = 0;
      if (cold) starting.add(done);
      const feed = () => {
        for (let task = out < AHEAD ? take() : undefined; task; task = out < AHEAD ? take() : undefined) {
          out++;
          w.postMessage({ ...task, init } satisfies Task);
        }
        if (out === 0) done();
      };
      const onMessage = (m: Reply | { ready: true }) => {
        if ("ready" in m) {
          starting.delete(done);
          return feed();
        }
        if ("error" in m) return fail(new Error(m.error));
        out--;
        record(m.results);
        feed();
      };
      const onExit = (code: number) => (code === 0 && out === 0 ? done() : fail(ended(k, code)));
      w.on("message", onMessage);
      w.on("error", fail);
      w.on("exit", onExit);
      x.off = () => {
        w.off("message", onMessage);
        w.off("error", fail);
        w.off("exit", onExit);
      };
      // A warm worker is ready: its first batches go now.
      if (!cold) feed();
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
    await Promise.all([
      here(),
      ...workers.map((x, k) =>
        inWorker(x, k).then(() => {
          x.clean = true;
        }),
      ),
    ]);
  } finally {
    const ends: Promise<unknown>[] = [];
    for (const x of workers) {
      x.off();
      // A cold worker released before it was ready still has its start-up to finish: kept all the same.
      if (keep && x.clean && warm.length < KEEP) {
        const w = x.w;
        const drop = () => {
          w.off("error", drop);
          w.off("exit", drop);
          const i = warm.indexOf(w);
          if (i >= 0) warm.splice(i, 1);
        };
        // One that dies while idle is not handed out again.
        w.on("error", drop);
        w.on("exit", drop);
        w.unref();
        warm.push(w);
        idleOff.set(w, drop);
      } else ends.push(x.w.terminate());
    }
    await Promise.all(ends);
  }
  return results.sort((a, b) => a.seed - b.seed);
}
