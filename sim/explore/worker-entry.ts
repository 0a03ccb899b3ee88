/**
 * The entry module of an explore worker thread (pool.ts): in the built package the compiled
 * worker-main.js; from the sources a cached bundle of worker-main.ts (sim/source-worker.ts says why).
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sourceWorkerEntry } from "../source-worker.ts";

const FROM_SOURCE = import.meta.url.endsWith(".ts");

/**
 * The explore worker's entry to start (built once per process, and from the sources cached across
 * processes). `plugin`: the sweep loads a plugin module — from the sources, worker.js, whose tsx
 * is in place before the plugin loads (in the bundle, a sweep thread's exit in a plugin's call
 * was now and then reported otherwise; not understood yet, so kept as it was).
 */
export function workerEntry(plugin = false): Promise<URL> {
  if (!FROM_SOURCE) return Promise.resolve(new URL("./worker-main.js", import.meta.url));
  if (plugin) return Promise.resolve(new URL("./worker.js", import.meta.url));
  return sourceWorkerEntry(join(dirname(fileURLToPath(import.meta.url)), "worker-main.ts"), { builtinsOnly: true });
}
