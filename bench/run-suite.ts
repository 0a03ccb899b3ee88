/**
 * The child process of one suite (bench/budget.ts forks it): `run-suite.ts <suite file>` imports
 * the suite, runs it and sends its rows to the driver over IPC, or the error that ended it.
 */
import { pathToFileURL } from "node:url";
import type { BenchSuite } from "./types.ts";

const file = process.argv[2]!;
let message: unknown;
try {
  const suite = (await import(pathToFileURL(file).href)) as BenchSuite;
  message = { type: "done", rows: await suite.run() };
} catch (e) {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  message = { type: "error", message: e instanceof Error ? e.message : String(e) };
}
// Exit once the message is out: the suite may leave handles open (servers, timers).
process.send!(message, () => process.exit(0));
