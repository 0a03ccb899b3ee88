/**
 * What a worker thread that runs plugin code installs before it loads the plugin, so that a
 * plugin misbehaving *outside* the call stack is still caught and named:
 * - `process.exit(n)` is recorded in the call slot before the thread ends (in a worker it ends
 *   only the thread; the supervisor then reports it instead of taking the silence for success);
 * - a promise rejected and never handled is reported with the method that created it;
 * - an exception thrown from a timer or callback the plugin scheduled is reported as such.
 * Each is one line for the supervisor, which ends the thread and exits 2 (bad input).
 */
import { promiseHooks } from "node:v8";
import { currentMethod, recordExit, type Method } from "./call-slots.ts";

const oneLine = (e: unknown): string => {
  const text = (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, " ").trim();
  return text.length > 240 ? `${text.slice(0, 237)}...` : text;
};

const phase = (m: Method | undefined): string => (m === undefined ? "between calls" : m === "loading" ? "while loading" : `in ${m}`);

/** `fail` receives the text after `plugin <path>`: e.g. "unhandled promise rejection in update: x". */
export function installThreadSandbox(fail: (what: string) => void): void {
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => {
    const n = code === undefined || code === null ? Number(process.exitCode ?? 0) : Number(code);
    recordExit(Number.isInteger(n) ? n : 1);
    return exit(code as number);
  }) as typeof process.exit;

  // The method in progress when each promise was made: by the time a rejection is found
  // unhandled (after the synchronous run), the method that left it has long returned.
  const origin = new WeakMap<Promise<unknown>, Method>();
  promiseHooks.onInit((p) => {
    const m = currentMethod();
    if (m !== undefined) origin.set(p, m);
  });
  process.on("unhandledRejection", (reason, p) => {
    const m = origin.get(p) ?? currentMethod();
    fail(`unhandled promise rejection ${m === undefined ? "outside any call" : phase(m)}: ${oneLine(reason)}`);
  });
  process.on("uncaughtException", (e) => {
    const m = currentMethod();
    fail(`threw ${m === undefined ? "from a timer or callback it scheduled" : phase(m)}: ${oneLine(e)}`);
  });
}
