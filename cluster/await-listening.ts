/**
 * The wait every caller of a `memoconductor node` process makes: until it prints
 * `listening on ws://HOST:PORT`, bounded in time (the process is killed at the bound) and
 * rejected at once if it exits first. `what()` adds the caller's context to the error (its log
 * file, or the stderr it kept), read when the error is made.
 */
import type { ChildProcess } from "node:child_process";

export function awaitListening(child: ChildProcess, exited: Promise<unknown>, timeoutMs: number, label: string, what: () => string): Promise<string> {
  let stdout = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${label}: no "listening on" line within ${timeoutMs} ms; ${what()}`));
    }, timeoutMs);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${label} exited (${child.exitCode ?? child.signalCode}) before listening; stdout: ${stdout} ${what()}`));
    });
    child.stdout!.setEncoding("utf8").on("data", (t: string) => {
      stdout += t;
      const m = /^listening on (ws:\/\/\S+)\n/m.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      resolve(m[1]!);
    });
  });
}
