/**
 * sim's Node-only entry for tools that run on Node: the thread CPU clock (/proc) and the worker
 * bundler (esbuild, the file system). Kept out of sim/simulate.ts, the light entry, which the
 * playground bundles for the browser: nothing here could run in a page. The CLI's plugin
 * supervisor (cli/sandbox/supervise.ts) imports it; sim/index.ts re-exports it.
 */
export { osThreadId, threadCpuMs } from "./plugin/thread-cpu.ts";
export { sourceWorkerEntry, type SourceWorkerOptions } from "./source-worker.ts";
